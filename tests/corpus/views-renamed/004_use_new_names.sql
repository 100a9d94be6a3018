-- The new names and the renamed columns in use.
CREATE INDEX customer_totals_spent_idx ON reporting.customer_totals (total_spent);
CREATE VIEW top_orders AS SELECT id, amount FROM large_orders ORDER BY amount DESC LIMIT 10;
