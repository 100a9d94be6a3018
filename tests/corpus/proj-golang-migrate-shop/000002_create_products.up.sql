CREATE TABLE products (
    id bigserial PRIMARY KEY,
    sku varchar(32) NOT NULL UNIQUE,
    name text NOT NULL,
    description text,
    price numeric(10,2) NOT NULL,
    currency char(3) NOT NULL DEFAULT 'USD',
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);
