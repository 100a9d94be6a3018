ALTER TABLE products DROP CONSTRAINT IF EXISTS products_price_nonnegative;
ALTER TABLE products ALTER COLUMN price TYPE numeric(10,2);
