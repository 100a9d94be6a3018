CREATE TABLE inventory (
    product_id bigint PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
    quantity integer NOT NULL DEFAULT 0,
    reserved integer NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT inventory_quantity_nonnegative CHECK (quantity >= 0),
    CONSTRAINT inventory_reserved_le_quantity CHECK (reserved BETWEEN 0 AND quantity)
);
