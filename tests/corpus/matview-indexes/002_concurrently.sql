-- CONCURRENTLY works on a materialized view too, outside a transaction block.
CREATE INDEX CONCURRENTLY IF NOT EXISTS customer_totals_orders_idx ON customer_totals (orders);
