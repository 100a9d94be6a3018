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
