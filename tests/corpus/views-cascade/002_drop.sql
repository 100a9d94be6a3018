DROP TABLE orders CASCADE;
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer, total numeric);
CREATE OR REPLACE VIEW customer_names AS SELECT id, name, city FROM customers;
