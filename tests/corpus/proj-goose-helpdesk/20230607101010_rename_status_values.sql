-- +goose Up
-- "pending" became "waiting_on_customer"; add "closed" after "solved".
ALTER TABLE tickets DROP CONSTRAINT tickets_status_check;
UPDATE tickets SET status = 'waiting_on_customer' WHERE status = 'pending';
ALTER TABLE tickets ADD CONSTRAINT tickets_status_check
    CHECK (status IN ('new', 'open', 'waiting_on_customer', 'solved', 'closed'));

-- +goose Down
ALTER TABLE tickets DROP CONSTRAINT tickets_status_check;
UPDATE tickets SET status = 'pending' WHERE status = 'waiting_on_customer';
ALTER TABLE tickets ADD CONSTRAINT tickets_status_check CHECK (status IN ('new', 'open', 'pending', 'solved'));
