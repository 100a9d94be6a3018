-- CREATE INDEX CONCURRENTLY cannot run inside a transaction block: own file.
CREATE INDEX CONCURRENTLY logs_at_idx ON logs (at DESC);
