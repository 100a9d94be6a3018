-- Views and a materialized view altered: a column renamed, moved to another schema (a materialized
-- view's index moves with it); a column default and options, which change nothing in the schema.
ALTER VIEW big_orders RENAME COLUMN total TO amount;
ALTER VIEW big_orders ALTER COLUMN customer SET DEFAULT 'n/a';
ALTER VIEW big_orders SET (security_barrier = true);
ALTER VIEW IF EXISTS no_such_view RENAME TO still_none;
ALTER MATERIALIZED VIEW order_totals RENAME COLUMN spent TO total_spent;
ALTER VIEW big_customers SET SCHEMA reporting;
ALTER MATERIALIZED VIEW order_totals SET SCHEMA reporting;
