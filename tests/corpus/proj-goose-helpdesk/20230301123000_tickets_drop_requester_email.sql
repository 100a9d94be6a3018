-- +goose Up
ALTER TABLE tickets ALTER COLUMN customer_id SET NOT NULL;
ALTER TABLE tickets DROP COLUMN requester_email;

-- +goose Down
ALTER TABLE tickets ADD COLUMN requester_email text;
ALTER TABLE tickets ALTER COLUMN customer_id DROP NOT NULL;
