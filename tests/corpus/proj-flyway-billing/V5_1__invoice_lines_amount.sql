ALTER TABLE billing.invoice_lines ADD COLUMN amount_cents bigint;
UPDATE billing.invoice_lines SET amount_cents = round(quantity * unit_amount_cents);
ALTER TABLE billing.invoice_lines ALTER COLUMN amount_cents SET NOT NULL;
ALTER TABLE billing.invoice_lines ADD CONSTRAINT invoice_lines_amount_check CHECK (amount_cents >= 0);
