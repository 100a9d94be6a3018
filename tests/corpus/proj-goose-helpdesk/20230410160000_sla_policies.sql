-- +goose Up
CREATE TABLE sla_policies (
    priority ticket_priority PRIMARY KEY,
    first_response interval NOT NULL,
    resolution interval NOT NULL,
    CONSTRAINT sla_policies_order CHECK (first_response < resolution)
);

ALTER TABLE tickets ADD COLUMN first_response_due_at timestamptz;
ALTER TABLE tickets ADD COLUMN first_responded_at timestamptz;

COMMENT ON TABLE sla_policies IS 'Service level targets per ticket priority';

-- +goose Down
ALTER TABLE tickets DROP COLUMN first_responded_at, DROP COLUMN first_response_due_at;
DROP TABLE sla_policies;
