-- Migration: Billing lives in its own schema
-- New code qualifies every name with its schema and uses the types the team
-- agreed on: bigint identity keys, text, timestamptz, numeric for money.

SET lock_timeout = '3s';
SET statement_timeout = '60s';

CREATE SCHEMA IF NOT EXISTS billing;

CREATE DOMAIN billing.currency_code AS text CHECK (VALUE ~ '^[A-Z]{3}$');
CREATE DOMAIN billing.money_amount AS numeric(12, 2);

CREATE TYPE billing.postal_address AS (
    line1 text,
    city text,
    postal_code text
);

CREATE TABLE IF NOT EXISTS billing.invoices (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id bigint NOT NULL REFERENCES public.patients (id),
    currency billing.currency_code NOT NULL DEFAULT 'EUR',
    total billing.money_amount NOT NULL,
    billing_address billing.postal_address,
    issued_at timestamptz NOT NULL DEFAULT now(),
    paid_at timestamptz
);

CREATE INDEX IF NOT EXISTS invoices_patient_id_idx ON billing.invoices (patient_id);

CREATE TABLE IF NOT EXISTS billing.invoice_lines (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id bigint NOT NULL REFERENCES billing.invoices (id) ON DELETE CASCADE,
    description text NOT NULL,
    amount billing.money_amount NOT NULL,
    CONSTRAINT invoice_lines_amount_must_be_positive_or_zero_for_every_single_line
        CHECK (amount >= 0)
);
