-- Forgot the DEFAULT (or the backfill): existing rows have no price.
ALTER TABLE plans ADD COLUMN price_cents integer NOT NULL;
