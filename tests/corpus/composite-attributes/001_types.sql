CREATE TYPE postal_address AS (street text, city text);
CREATE TYPE money_amount AS (amount numeric(12,2), currency char(3));
CREATE SCHEMA billing;
CREATE TYPE billing.line AS (sku text, qty int);
CREATE TABLE customers (
    id bigint PRIMARY KEY,
    home postal_address,
    balance money_amount
);
