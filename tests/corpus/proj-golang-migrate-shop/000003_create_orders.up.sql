CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'delivered', 'cancelled');

CREATE SEQUENCE order_number_seq START WITH 10000;

CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    number bigint NOT NULL DEFAULT nextval('order_number_seq'),
    customer_id uuid NOT NULL REFERENCES customers (id),
    status order_status NOT NULL DEFAULT 'pending',
    subtotal numeric(12,2) NOT NULL DEFAULT 0,
    placed_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orders_number_key UNIQUE (number)
);

ALTER SEQUENCE order_number_seq OWNED BY orders.number;

CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE INDEX orders_status_idx ON orders (status) WHERE status IN ('pending', 'paid');
