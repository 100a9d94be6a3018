-- Comparison checks on integer, numeric, text and varchar columns.
CREATE TABLE products (
    id integer PRIMARY KEY,
    qty integer CHECK (qty > 0),
    qty_n numeric CHECK (qty_n > 0),
    price numeric(10,2) CHECK (price >= 0.5),
    price_r real CHECK (price_r >= 0.5),
    price_d double precision CHECK (price_d < 1e6),
    discount numeric CHECK (discount <= -0.25 OR discount >= 0),
    small smallint CHECK (small <> -1),
    big bigint CHECK (big > 10000000000),
    name text CHECK (name <> ''),
    label varchar(50) CONSTRAINT label_not_empty CHECK (label <> ''),
    title varchar(80) CHECK (char_length(title) <= 50),
    code char(4) CHECK (code = 'ABCD'),
    x text CHECK (length(x) > 0),
    y text CHECK (x::text <> ''),
    n_int integer CHECK (n_int::text <> '')
);
