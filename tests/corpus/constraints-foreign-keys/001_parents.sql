-- Parent tables referenced by foreign keys.
CREATE TABLE customers (
    id integer PRIMARY KEY,
    code text UNIQUE NOT NULL,
    region text,
    UNIQUE (region, code)
);
CREATE TABLE products (
    sku text PRIMARY KEY,
    version integer NOT NULL,
    UNIQUE (sku, version)
);
