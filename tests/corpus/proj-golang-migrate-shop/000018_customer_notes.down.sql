DROP INDEX IF EXISTS customers_email_lower_idx;
CREATE UNIQUE INDEX customers_email_lower_idx ON customers (lower(email));
ALTER TABLE customers DROP COLUMN IF EXISTS deleted_at, DROP COLUMN IF EXISTS notes;
