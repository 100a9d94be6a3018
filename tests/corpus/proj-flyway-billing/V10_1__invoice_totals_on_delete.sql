-- V10 forgot deletes: NEW is null there.
CREATE OR REPLACE FUNCTION billing.recalc_invoice_total() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    target bigint := coalesce(NEW.invoice_id, OLD.invoice_id);
BEGIN
    UPDATE billing.invoices i
    SET total_cents = (SELECT coalesce(sum(l.amount_cents), 0)
                       FROM billing.invoice_lines l WHERE l.invoice_id = target)
    WHERE i.id = target;
    RETURN NULL;
END;
$$;

DROP TRIGGER invoice_lines_recalc_total ON billing.invoice_lines;
CREATE TRIGGER invoice_lines_recalc_total
    AFTER INSERT OR DELETE OR UPDATE ON billing.invoice_lines
    FOR EACH ROW EXECUTE FUNCTION billing.recalc_invoice_total();
