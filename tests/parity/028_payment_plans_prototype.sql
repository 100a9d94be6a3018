-- Migration: Payment plans prototype
-- An experiment behind a feature flag: its own schema, an interval type and a
-- percentage domain, and btree_gist for the no-overlap constraint.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE SCHEMA payment_plans;

CREATE TYPE payment_plans.plan_interval AS ENUM ('weekly', 'monthly', 'quarterly');
CREATE DOMAIN payment_plans.percentage AS numeric(5, 2);

CREATE TABLE payment_plans.plans (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id bigint NOT NULL REFERENCES public.patients (id),
    billing_interval payment_plans.plan_interval NOT NULL,
    interest payment_plans.percentage NOT NULL DEFAULT 0,
    active_during tstzrange NOT NULL,
    EXCLUDE USING gist (patient_id WITH =, active_during WITH &&)
);
