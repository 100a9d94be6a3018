ALTER TABLE customers ADD COLUMN notes jsonb NOT NULL DEFAULT '[]'::jsonb;
ALTER TABLE customers ADD COLUMN deleted_at timestamptz;
DROP INDEX customers_email_lower_idx;
CREATE UNIQUE INDEX customers_email_lower_idx ON customers (lower(email)) WHERE deleted_at IS NULL;
COMMENT ON COLUMN customers.deleted_at IS 'Soft delete: set instead of deleting the row';
