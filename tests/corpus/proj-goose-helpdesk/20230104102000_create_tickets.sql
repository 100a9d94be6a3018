-- +goose Up
CREATE TYPE ticket_priority AS ENUM ('low', 'normal', 'high');

CREATE TABLE tickets (
    id bigserial PRIMARY KEY,
    subject text NOT NULL,
    requester_email text NOT NULL,
    assignee_id integer REFERENCES agents (id) ON DELETE SET NULL,
    priority ticket_priority NOT NULL DEFAULT 'normal',
    status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'open', 'pending', 'solved')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX tickets_assignee_status_idx ON tickets (assignee_id, status);

-- +goose Down
DROP TABLE tickets;
DROP TYPE ticket_priority;
