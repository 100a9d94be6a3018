CREATE FUNCTION billing.recalc_invoice_total() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE billing.invoices i
    SET total_cents = (SELECT coalesce(sum(l.amount_cents), 0)
                       FROM billing.invoice_lines l WHERE l.invoice_id = i.id)
    WHERE i.id = NEW.invoice_id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER invoice_lines_recalc_total
    AFTER INSERT OR UPDATE ON billing.invoice_lines
    FOR EACH ROW EXECUTE FUNCTION billing.recalc_invoice_total();
