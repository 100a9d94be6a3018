-- Indexes on a materialized view: unique (what REFRESH … CONCURRENTLY needs), expression, partial.
CREATE UNIQUE INDEX customer_totals_customer_key ON customer_totals (customer);
CREATE INDEX ON customer_totals (customer_key);
CREATE INDEX ON customer_totals (upper(customer));
CREATE INDEX ON customer_totals ((spent / orders)) WHERE orders > 0;
CREATE INDEX ON customer_totals (max DESC);
-- Implicit names skip every relation name taken, tables' indexes included.
CREATE INDEX customer_totals_spent_idx ON orders (total);
CREATE INDEX ON customer_totals (spent);
CREATE INDEX IF NOT EXISTS customer_totals_spent_idx ON customer_totals (orders);
CREATE INDEX customer_totals_drop_me ON customer_totals (orders);
DROP INDEX customer_totals_drop_me;
