ALTER TABLE events ADD COLUMN account_id bigint;
-- Fine with plain psql; a runner that wraps the file in a transaction rejects it.
CREATE INDEX CONCURRENTLY events_account_id_idx ON events (account_id, occurred_at DESC);
