-- Row and statement triggers of many shapes.
CREATE TABLE accounts (
    id integer PRIMARY KEY,
    status text NOT NULL DEFAULT 'new',
    balance numeric,
    updated_at timestamptz
);
CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER accounts_audit AFTER INSERT OR UPDATE OR DELETE ON accounts
    FOR EACH ROW EXECUTE FUNCTION log_change();
CREATE TRIGGER accounts_balance AFTER UPDATE OF balance, status ON accounts
    FOR EACH ROW EXECUTE PROCEDURE log_change();
CREATE TRIGGER accounts_stmt AFTER INSERT ON accounts
    FOR EACH STATEMENT EXECUTE FUNCTION log_change();
CREATE TRIGGER accounts_default_level AFTER DELETE ON accounts
    EXECUTE FUNCTION log_change();
CREATE TRIGGER accounts_changed BEFORE UPDATE ON accounts
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER accounts_status_changed AFTER UPDATE ON accounts
    FOR EACH ROW WHEN (NEW.status <> OLD.status) EXECUTE FUNCTION log_change();
CREATE TRIGGER accounts_when_complex AFTER INSERT OR UPDATE ON accounts
    FOR EACH ROW WHEN (NEW.balance > 100 AND NEW.status IN ('open', 'vip')) EXECUTE FUNCTION log_change();
CREATE TRIGGER accounts_truncate AFTER TRUNCATE ON accounts
    FOR EACH STATEMENT EXECUTE FUNCTION log_change();
CREATE TRIGGER accounts_args AFTER INSERT ON accounts
    FOR EACH ROW EXECUTE FUNCTION log_change('x', 42, 'it''s', 1.5, ident, "Quoted Ident");
CREATE TRIGGER "Accounts Mixed" BEFORE INSERT OR DELETE ON accounts
    FOR EACH ROW EXECUTE FUNCTION public.log_change();
CREATE TRIGGER accounts_transition AFTER UPDATE ON accounts
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION log_change();
CREATE OR REPLACE TRIGGER accounts_stmt AFTER INSERT OR UPDATE ON accounts
    FOR EACH STATEMENT EXECUTE FUNCTION log_change();
