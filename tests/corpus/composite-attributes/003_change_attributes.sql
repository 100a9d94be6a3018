ALTER TYPE billing.line ALTER ATTRIBUTE qty SET DATA TYPE bigint;
ALTER TYPE billing.line ALTER ATTRIBUTE sku TYPE varchar(40) COLLATE "C", DROP ATTRIBUTE unit_price CASCADE;
ALTER TYPE postal_address RENAME ATTRIBUTE street TO line1;
ALTER TYPE postal_address RENAME ATTRIBUTE region TO state RESTRICT;
-- Drops run before additions: the attribute comes back with its new type, at the end.
ALTER TYPE postal_address ADD ATTRIBUTE zip text, DROP ATTRIBUTE zip;
CREATE TABLE invoices (
    id bigint PRIMARY KEY,
    customer_id bigint REFERENCES customers,
    ship_to postal_address,
    lines billing.line[]
);
