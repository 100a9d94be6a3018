-- Migration: Default reason for old appointments
-- The COMMIT got lost in review.

BEGIN;

UPDATE appointments SET reason = 'not recorded' WHERE reason IS NULL AND starts_at < now();
