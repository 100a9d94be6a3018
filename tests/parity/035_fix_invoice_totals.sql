-- Migration: Recompute paid invoices
-- A copy-paste slip assigns paid_at twice; PostgreSQL rejects the UPDATE.

UPDATE billing.invoices
SET paid_at = issued_at,
    notes = 'recomputed',
    paid_at = now()
WHERE paid_at IS NULL AND total = 0;
