-- CONCURRENTLY works on a materialized view too, outside a transaction block.
CREATE INDEX CONCURRENTLY customer_totals_orders_idx ON customer_totals (orders);
