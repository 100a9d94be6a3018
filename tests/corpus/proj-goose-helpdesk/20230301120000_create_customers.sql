-- +goose Up
CREATE TABLE customers (
    id bigserial PRIMARY KEY,
    email text NOT NULL,
    name text,
    organization text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX customers_email_key ON customers (lower(email));

ALTER TABLE tickets ADD COLUMN customer_id bigint REFERENCES customers (id);

-- Backfill customers from the requester emails.
INSERT INTO customers (email)
SELECT DISTINCT lower(requester_email) FROM tickets;
UPDATE tickets t SET customer_id = c.id FROM customers c WHERE c.email = lower(t.requester_email);

-- +goose Down
ALTER TABLE tickets DROP COLUMN customer_id;
DROP TABLE customers;
