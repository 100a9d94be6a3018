-- Migration: Invoice notes, a new default currency, paid after issued
-- The clinics in the UK bill in pounds; the check is added NOT VALID and
-- validated once the bad rows from the import are fixed.

SET lock_timeout = '3s';
SET statement_timeout = '60s';

ALTER TABLE billing.invoices ADD COLUMN IF NOT EXISTS notes text;
ALTER TABLE billing.invoices ALTER COLUMN currency SET DEFAULT 'GBP';
ALTER TABLE billing.invoices
    ADD CONSTRAINT invoices_paid_after_issued CHECK (paid_at IS NULL OR paid_at >= issued_at) NOT VALID;
