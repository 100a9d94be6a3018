-- Adding and dropping attributes is allowed while a column stores the type.
ALTER TYPE postal_address ADD ATTRIBUTE zip varchar(10);
ALTER TYPE postal_address ADD ATTRIBUTE country text COLLATE "C", ADD ATTRIBUTE region text RESTRICT;
ALTER TYPE billing.line ADD ATTRIBUTE unit_price numeric(10,2) CASCADE;
ALTER TYPE postal_address DROP ATTRIBUTE IF EXISTS county;
