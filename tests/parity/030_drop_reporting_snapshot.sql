-- no-transaction
-- Migration: Drop the reporting snapshot database
-- The nightly snapshot moved to the analytics cluster. DROP DATABASE cannot
-- run inside a transaction block.

DROP DATABASE IF EXISTS clinic_reporting_snapshot;
