-- Domains, and a table that uses them.
CREATE SCHEMA billing;
CREATE DOMAIN quantity AS integer;
CREATE DOMAIN small_quantity AS quantity CHECK (VALUE < 100);
CREATE DOMAIN email AS text;
CREATE DOMAIN price AS numeric(10,2) DEFAULT 0;
CREATE DOMAIN sku AS varchar(12) NOT NULL CHECK (VALUE <> '');
CREATE DOMAIN "Label" AS text;
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    qty quantity NOT NULL,
    sample small_quantity,
    contact email,
    total price,
    code sku,
    tag "Label"
);
