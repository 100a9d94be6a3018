CREATE TABLE stars (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    repository_id bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    starred_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, repository_id)
);
CREATE INDEX stars_repository_id_idx ON stars (repository_id);

ALTER TABLE repositories ADD COLUMN stars_count integer NOT NULL DEFAULT 0;
UPDATE repositories r SET stars_count = (SELECT count(*) FROM stars s WHERE s.repository_id = r.id);
ALTER TABLE repositories ADD CONSTRAINT repositories_stars_count_check CHECK (stars_count >= 0);
