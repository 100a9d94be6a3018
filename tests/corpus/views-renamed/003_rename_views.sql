-- Views renamed where they now live; what reads them follows.
ALTER VIEW big_orders RENAME TO large_orders;
ALTER VIEW reporting.big_customers RENAME TO large_customers;
ALTER MATERIALIZED VIEW reporting.order_totals RENAME TO customer_totals;
