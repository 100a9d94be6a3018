-- +goose Up
ALTER TYPE ticket_priority ADD VALUE 'urgent' AFTER 'high';

-- +goose Down
SELECT 'enum values cannot be removed';
