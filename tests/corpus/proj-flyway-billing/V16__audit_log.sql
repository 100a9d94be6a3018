CREATE TABLE audit_log (
    id bigserial PRIMARY KEY,
    table_name text NOT NULL,
    row_id bigint,
    action char(1) NOT NULL CHECK (action IN ('I', 'U', 'D')),
    changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    changes jsonb
);

CREATE FUNCTION audit_row_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_log (table_name, row_id, action, changes)
    VALUES (TG_TABLE_NAME, coalesce(NEW.id, OLD.id), left(TG_OP, 1), to_jsonb(NEW));
    RETURN coalesce(NEW, OLD);
END;
$$;

CREATE TRIGGER plans_audit AFTER INSERT OR UPDATE OR DELETE ON billing.plans
    FOR EACH ROW EXECUTE FUNCTION audit_row_change();
