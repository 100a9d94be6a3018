-- no-transaction
-- Migration: Yearly maintenance
-- REINDEX CONCURRENTLY and DETACH PARTITION CONCURRENTLY cannot run inside a
-- transaction block; neither can ALTER SYSTEM.

SET lock_timeout = '2s';
SET statement_timeout = '30min';

REINDEX INDEX CONCURRENTLY appointments_starts_at_idx;
REINDEX TABLE staff;
ALTER TABLE audit_log DETACH PARTITION audit_log_2023 CONCURRENTLY;
ALTER SYSTEM SET log_min_duration_statement = '500ms';
