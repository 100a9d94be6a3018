CREATE TYPE billing.invoice_status AS ENUM ('draft', 'open', 'paid', 'void');

CREATE SEQUENCE billing.invoice_number_seq AS integer START WITH 1000;

CREATE TABLE billing.invoices (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES billing.accounts (id),
    subscription_id bigint REFERENCES billing.subscriptions (id) ON DELETE SET NULL,
    number integer NOT NULL DEFAULT nextval('billing.invoice_number_seq') UNIQUE,
    status billing.invoice_status NOT NULL DEFAULT 'draft',
    currency char(3) NOT NULL,
    total_cents bigint NOT NULL DEFAULT 0,
    issued_at timestamptz,
    due_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);

ALTER SEQUENCE billing.invoice_number_seq OWNED BY billing.invoices.number;
CREATE INDEX invoices_account_id_idx ON billing.invoices (account_id, created_at DESC);
