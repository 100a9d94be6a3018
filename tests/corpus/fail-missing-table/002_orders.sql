-- Orders reference customers, but the customers table was never created:
-- the author assumed another branch had been merged first.
CREATE TABLE order_statuses (
    code text PRIMARY KEY,
    label text NOT NULL
);

CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    status text NOT NULL REFERENCES order_statuses (code),
    total numeric(12,2) NOT NULL DEFAULT 0
);

CREATE INDEX orders_customer_id_idx ON orders (customer_id);
