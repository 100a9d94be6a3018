CREATE TABLE billing.payments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id bigint NOT NULL REFERENCES billing.invoices (id),
    amount_cents bigint NOT NULL CHECK (amount_cents > 0),
    provider text NOT NULL DEFAULT 'stripe',
    provider_payment_id text NOT NULL,
    succeeded boolean NOT NULL,
    failure_reason text,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (provider, provider_payment_id)
);
