-- no-transaction
-- Migration: Build the unique index for clinics.name without blocking writes
-- The next migration turns it into a constraint.

SET lock_timeout = '2s';
SET statement_timeout = '15min';

CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS clinics_name_idx ON clinics (name);
