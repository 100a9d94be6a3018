CREATE TABLE items (
    id integer PRIMARY KEY,
    name text NOT NULL,
    price numeric(10,2) DEFAULT 0,
    old_col text,
    qty integer DEFAULT 1 CHECK (qty >= 0),
    note varchar(100)
);
CREATE INDEX items_name_idx ON items (name);
