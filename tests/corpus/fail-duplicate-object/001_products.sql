CREATE TABLE products (
    id bigserial PRIMARY KEY,
    sku varchar(32) NOT NULL,
    title text NOT NULL,
    price_cents integer NOT NULL CHECK (price_cents >= 0)
);
CREATE UNIQUE INDEX products_sku_idx ON products (sku);
