-- Plain views, views with column lists, and DROP TABLE CASCADE dropping them.
CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL, city text);
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer REFERENCES customers, total numeric);
CREATE VIEW customer_names AS SELECT id, name FROM customers;
CREATE VIEW customer_totals (customer, total_spent) AS
    SELECT c.name, sum(o.total) FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.name;
CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;
CREATE MATERIALIZED VIEW city_counts AS SELECT city, count(*) AS n FROM customers GROUP BY city;
