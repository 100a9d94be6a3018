CREATE TABLE billing.subscriptions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES billing.accounts (id) ON DELETE CASCADE,
    plan_id integer NOT NULL REFERENCES billing.plans (id),
    status text NOT NULL DEFAULT 'trialing',
    quantity integer NOT NULL DEFAULT 1 CHECK (quantity > 0),
    current_period_start timestamptz NOT NULL,
    current_period_end timestamptz NOT NULL,
    cancel_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT subscriptions_status_check
        CHECK (status IN ('trialing', 'active', 'past_due', 'canceled')),
    CONSTRAINT subscriptions_period_check CHECK (current_period_end > current_period_start)
);

CREATE UNIQUE INDEX subscriptions_one_live_per_account ON billing.subscriptions (account_id)
    WHERE status <> 'canceled';
