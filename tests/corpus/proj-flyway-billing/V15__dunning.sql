CREATE TYPE billing.dunning_step AS ENUM ('reminder', 'final_notice', 'suspend');

CREATE TABLE billing.dunning_attempts (
    invoice_id bigint NOT NULL REFERENCES billing.invoices (id) ON DELETE CASCADE,
    step billing.dunning_step NOT NULL,
    sent_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (invoice_id, step)
);

ALTER TABLE billing.subscriptions DROP CONSTRAINT subscriptions_status_check;
ALTER TABLE billing.subscriptions ADD CONSTRAINT subscriptions_status_check
    CHECK (status IN ('trialing', 'active', 'past_due', 'paused', 'canceled'));
