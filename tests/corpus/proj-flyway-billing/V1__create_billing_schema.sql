CREATE SCHEMA billing;

CREATE TABLE billing.accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    external_id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL,
    billing_email text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT accounts_external_id_key UNIQUE (external_id)
);

COMMENT ON SCHEMA billing IS 'Subscriptions, invoices and payments';
COMMENT ON TABLE billing.accounts IS 'A paying customer (one per workspace)';
