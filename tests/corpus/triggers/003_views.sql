-- INSTEAD OF trigger on a view (the view itself is not captured).
CREATE VIEW active_accounts AS SELECT id, status FROM accounts WHERE status <> 'closed';
CREATE TRIGGER active_accounts_ins INSTEAD OF INSERT ON active_accounts
    FOR EACH ROW EXECUTE FUNCTION log_change();
