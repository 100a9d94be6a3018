-- Views and a materialized view over one table, one view reading another.
CREATE SCHEMA reporting;
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer text NOT NULL,
    total numeric(10,2) NOT NULL
);
CREATE VIEW big_orders AS SELECT id, customer, total FROM orders WHERE total > 100;
CREATE VIEW big_customers AS SELECT DISTINCT customer FROM big_orders;
CREATE MATERIALIZED VIEW order_totals AS SELECT customer, sum(total) AS spent FROM orders GROUP BY customer;
CREATE UNIQUE INDEX order_totals_customer_idx ON order_totals (customer);
CREATE INDEX order_totals_spent_idx ON order_totals (spent) WHERE spent > 0;
