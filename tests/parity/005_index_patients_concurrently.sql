-- no-transaction
-- Migration: Indexes on patients, built without blocking writes
-- CREATE INDEX CONCURRENTLY cannot run inside a transaction block, so this
-- file runs outside one; IF NOT EXISTS makes a re-run after a failure safe.

SET lock_timeout = '2s';
SET statement_timeout = '15min';

CREATE INDEX CONCURRENTLY IF NOT EXISTS patients_email_idx ON patients (email);
CREATE INDEX CONCURRENTLY patients_phone_idx ON patients (phone);
DROP INDEX CONCURRENTLY IF EXISTS patients_last_name_idx;
CREATE INDEX CONCURRENTLY IF NOT EXISTS patients_last_name_first_name_idx
    ON patients (lower(last_name), lower(first_name));
