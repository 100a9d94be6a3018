-- +goose Up
CREATE TABLE ticket_messages (
    id bigserial PRIMARY KEY,
    ticket_id bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    author_agent_id integer REFERENCES agents (id),
    body text NOT NULL,
    internal boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_messages_ticket_id_idx ON ticket_messages (ticket_id, created_at);

-- +goose Down
DROP TABLE ticket_messages;
