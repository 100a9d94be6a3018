-- +goose Up
ALTER TABLE groups RENAME TO teams;
ALTER TABLE group_members RENAME TO team_members;
ALTER TABLE team_members RENAME COLUMN group_id TO team_id;
ALTER TABLE tickets RENAME COLUMN group_id TO team_id;

-- +goose Down
ALTER TABLE tickets RENAME COLUMN team_id TO group_id;
ALTER TABLE team_members RENAME COLUMN team_id TO group_id;
ALTER TABLE team_members RENAME TO group_members;
ALTER TABLE teams RENAME TO groups;
