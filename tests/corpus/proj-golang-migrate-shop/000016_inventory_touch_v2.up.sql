-- Also keep reserved within bounds when stock drops.
CREATE OR REPLACE FUNCTION inventory_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    IF NEW.reserved > NEW.quantity THEN
        NEW.reserved := NEW.quantity;
    END IF;
    RETURN NEW;
END;
$$;

CREATE FUNCTION order_total(p_order_id bigint) RETURNS numeric
LANGUAGE sql STABLE AS $$
    SELECT coalesce(sum(line_total), 0) FROM order_items WHERE order_id = p_order_id
$$;
