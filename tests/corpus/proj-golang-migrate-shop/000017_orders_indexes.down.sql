DROP INDEX IF EXISTS orders_placed_at_brin;
DROP INDEX IF EXISTS orders_customer_id_placed_at_idx;
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
