-- Agents are organised in groups (tier 1, billing, …).
-- +goose Up
CREATE TABLE groups (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE
);

CREATE TABLE group_members (
    group_id integer NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    agent_id integer NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, agent_id)
);

ALTER TABLE tickets ADD COLUMN group_id integer REFERENCES groups (id);

-- +goose Down
ALTER TABLE tickets DROP COLUMN group_id;
DROP TABLE group_members;
DROP TABLE groups;
