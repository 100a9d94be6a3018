ALTER TABLE orders DROP COLUMN IF EXISTS shipping_address_id;
DROP TABLE IF EXISTS addresses;
