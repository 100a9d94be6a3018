-- Constraints added to domains that a table already uses (the table is empty: nothing to check).
ALTER DOMAIN quantity ADD CONSTRAINT quantity_positive CHECK (VALUE > 0);
ALTER DOMAIN quantity ADD CHECK (VALUE < 1000000);
ALTER DOMAIN quantity ADD CHECK (VALUE <> 13) NOT VALID;
ALTER DOMAIN quantity VALIDATE CONSTRAINT quantity_check1;
ALTER DOMAIN email ADD CHECK (VALUE ~ '@') NOT VALID;
ALTER DOMAIN email ADD CHECK (char_length(VALUE) <= 320);
ALTER DOMAIN email SET NOT NULL;
ALTER DOMAIN price SET DEFAULT 1.50;
ALTER DOMAIN price ADD CONSTRAINT price_range CHECK (VALUE BETWEEN 0 AND 99999);
ALTER DOMAIN sku ADD CHECK (VALUE IN ('A1', 'B2', 'C3'));
ALTER DOMAIN small_quantity ADD CHECK (VALUE % 2 = 0);
-- Domain and table constraints share one namespace per schema: the domain orders_id takes
-- orders_id_check, so the table's implicit CHECK name becomes orders_id_check1.
CREATE DOMAIN orders_id AS integer CHECK (VALUE >= 0);
ALTER TABLE orders ADD CHECK (id > 0);
