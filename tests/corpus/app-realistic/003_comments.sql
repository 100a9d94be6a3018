CREATE TABLE comments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id bigint NOT NULL REFERENCES posts ON DELETE CASCADE,
    author_id bigint REFERENCES users ON DELETE SET NULL,
    parent_id bigint REFERENCES comments (id) ON DELETE CASCADE,
    body text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    created_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX ON comments (post_id, created_at);
CREATE INDEX ON comments (author_id);
COMMENT ON TABLE comments IS 'Threaded comments on posts';
