CREATE TYPE postal_address AS (street text, city text);
CREATE TYPE money_amount AS (amount numeric(12,2), currency char(3));
CREATE SCHEMA billing;
CREATE TYPE billing.line AS (sku text, qty int);
CREATE TABLE customers (
    id bigint PRIMARY KEY,
    home postal_address,
    balance money_amount
);
-- Adding and dropping attributes is allowed while a column stores the type.
ALTER TYPE postal_address ADD ATTRIBUTE zip varchar(10);
ALTER TYPE postal_address ADD ATTRIBUTE country text COLLATE "C", ADD ATTRIBUTE region text RESTRICT;
ALTER TYPE billing.line ADD ATTRIBUTE unit_price numeric(10,2) CASCADE;
ALTER TYPE postal_address DROP ATTRIBUTE IF EXISTS county;
ALTER TYPE billing.line ALTER ATTRIBUTE qty SET DATA TYPE bigint;
ALTER TYPE billing.line ALTER ATTRIBUTE sku TYPE varchar(40) COLLATE "C", DROP ATTRIBUTE unit_price CASCADE;
ALTER TYPE postal_address RENAME ATTRIBUTE street TO line1;
ALTER TYPE postal_address RENAME ATTRIBUTE region TO state RESTRICT;
-- Drops run before additions: the attribute comes back with its new type, at the end.
ALTER TYPE postal_address ADD ATTRIBUTE zip text, DROP ATTRIBUTE zip;
