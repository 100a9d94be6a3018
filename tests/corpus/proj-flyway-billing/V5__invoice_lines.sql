CREATE TABLE billing.invoice_lines (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id bigint NOT NULL REFERENCES billing.invoices (id) ON DELETE CASCADE,
    description text NOT NULL,
    quantity numeric(12,4) NOT NULL DEFAULT 1,
    unit_amount_cents bigint NOT NULL,
    period daterange
);

CREATE INDEX invoice_lines_invoice_id_idx ON billing.invoice_lines (invoice_id);
