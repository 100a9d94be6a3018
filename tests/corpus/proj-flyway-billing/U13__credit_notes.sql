ALTER TABLE billing.invoices DROP COLUMN IF EXISTS credited_cents;
DROP TABLE billing.credit_notes;
