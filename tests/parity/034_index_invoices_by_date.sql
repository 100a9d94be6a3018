-- Migration: Index invoices by issue date
-- CONCURRENTLY in a file the runner wraps in a transaction: PostgreSQL
-- refuses it, and the migration fails.

SET lock_timeout = '2s';
SET statement_timeout = '15min';

CREATE INDEX CONCURRENTLY IF NOT EXISTS invoices_issued_at_idx ON billing.invoices (issued_at);
