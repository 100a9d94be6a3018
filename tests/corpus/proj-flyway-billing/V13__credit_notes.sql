CREATE TABLE billing.credit_notes (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id bigint NOT NULL REFERENCES billing.invoices (id),
    amount_cents bigint NOT NULL CHECK (amount_cents > 0),
    reason text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Hotfixed by hand on production before this migration existed.
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM information_schema.columns
        WHERE table_schema = 'billing' AND table_name = 'invoices' AND column_name = 'credited_cents'
    ) THEN
        ALTER TABLE billing.invoices ADD COLUMN credited_cents bigint NOT NULL DEFAULT 0;
    END IF;
END
$$;
