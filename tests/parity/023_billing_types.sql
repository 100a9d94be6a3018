-- Migration: Billing types evolve
-- Invoices need a region in their postal address, and currency codes are
-- checked in the database too.

SET lock_timeout = '3s';
SET statement_timeout = '60s';

ALTER TYPE billing.postal_address ADD ATTRIBUTE region text;
ALTER DOMAIN billing.currency_code ADD CONSTRAINT currency_code_not_xxx CHECK (VALUE <> 'XXX');
