-- Migration: Add profile fields to users
-- Phone number and timezone for notifications, and a display name built from
-- first_name and last_name.

ALTER TABLE users ADD COLUMN IF NOT EXISTS phone_number TEXT DEFAULT NULL;
ALTER TABLE users ADD COLUMN IF NOT EXISTS timezone TEXT NOT NULL DEFAULT 'UTC';

-- Add column and backfill
ALTER TABLE users ADD COLUMN IF NOT EXISTS full_name TEXT;
UPDATE users
SET full_name = trim(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))
WHERE full_name IS NULL;
ALTER TABLE users ALTER COLUMN full_name SET NOT NULL;
