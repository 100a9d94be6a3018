DO $$
BEGIN
    CREATE TYPE payment_method AS ENUM ('card', 'paypal', 'bank_transfer');
EXCEPTION
    WHEN duplicate_object THEN NULL;
END
$$;

CREATE TABLE payments (
    id bigserial PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    method payment_method NOT NULL,
    amount numeric(12,2) NOT NULL CHECK (amount > 0),
    provider_ref text,
    captured_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX payments_order_id_idx ON payments (order_id);
CREATE UNIQUE INDEX payments_provider_ref_key ON payments (provider_ref) WHERE provider_ref IS NOT NULL;
