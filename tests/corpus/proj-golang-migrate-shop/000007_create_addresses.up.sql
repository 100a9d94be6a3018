CREATE TABLE addresses (
    id bigserial PRIMARY KEY,
    customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    line1 text NOT NULL,
    line2 text,
    city text NOT NULL,
    postal_code varchar(16) NOT NULL,
    country_code char(2) NOT NULL,
    is_default boolean NOT NULL DEFAULT false
);

CREATE UNIQUE INDEX addresses_one_default_per_customer ON addresses (customer_id) WHERE is_default;

ALTER TABLE orders ADD COLUMN shipping_address_id bigint REFERENCES addresses (id) ON DELETE SET NULL;
