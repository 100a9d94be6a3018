-- A second developer adds "the missing SKU index" under the same name.
ALTER TABLE products ADD COLUMN barcode text;
CREATE INDEX products_sku_idx ON products (upper(sku));
