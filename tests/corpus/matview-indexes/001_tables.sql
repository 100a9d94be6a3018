CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer text NOT NULL,
    status text NOT NULL DEFAULT 'open',
    total numeric(12,2) NOT NULL
);
CREATE MATERIALIZED VIEW customer_totals AS
    SELECT customer, lower(customer) AS customer_key, count(*) AS orders, sum(total) AS spent, max(id)
    FROM orders GROUP BY customer;
CREATE VIEW open_orders AS SELECT id, customer FROM orders WHERE status = 'open';
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
-- Dropping the materialized view drops its indexes: their names are free again.
CREATE MATERIALIZED VIEW status_counts AS SELECT status, count(*) AS n FROM orders GROUP BY status;
CREATE UNIQUE INDEX status_counts_status ON status_counts (status);
DROP MATERIALIZED VIEW status_counts;
CREATE TABLE status_counts (status text, n bigint);
CREATE UNIQUE INDEX status_counts_status ON status_counts (status);
