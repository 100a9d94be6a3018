-- Migration: Logical replication to the analytics cluster
-- audit_log_2024 has no primary key of its own to replicate by; the audit
-- trigger stays off while the backfill runs; pg_trgm (patient search) moves to
-- the version the new server ships.

SET lock_timeout = '3s';
SET statement_timeout = '60s';

ALTER EXTENSION pg_trgm UPDATE;

ALTER TABLE audit_log_2024 REPLICA IDENTITY FULL;
ALTER TABLE appointments REPLICA IDENTITY DEFAULT;

CREATE TRIGGER appointments_audit_touch
    BEFORE UPDATE ON appointments
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
ALTER TABLE appointments DISABLE TRIGGER appointments_audit_touch;

ALTER TABLE patients FORCE ROW LEVEL SECURITY;
