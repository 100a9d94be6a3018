ALTER TABLE products ALTER COLUMN price TYPE numeric(12,2);
ALTER TABLE products ADD CONSTRAINT products_price_nonnegative CHECK (price >= 0) NOT VALID;
ALTER TABLE products VALIDATE CONSTRAINT products_price_nonnegative;
