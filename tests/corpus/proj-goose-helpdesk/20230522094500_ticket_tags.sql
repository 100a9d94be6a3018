-- +goose Up
ALTER TABLE tickets ADD COLUMN tags text[] NOT NULL DEFAULT ARRAY[]::text[];
CREATE INDEX tickets_tags_idx ON tickets USING gin (tags);

-- +goose Down
DROP INDEX tickets_tags_idx;
ALTER TABLE tickets DROP COLUMN tags;
