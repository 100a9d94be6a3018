DROP INDEX orders_customer_id_idx;
CREATE INDEX orders_customer_id_placed_at_idx ON orders (customer_id, placed_at DESC);
CREATE INDEX orders_placed_at_brin ON orders USING brin (placed_at);
COMMENT ON INDEX orders_placed_at_brin IS 'For time-range reports';
