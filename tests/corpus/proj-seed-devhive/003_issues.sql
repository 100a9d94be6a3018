CREATE TABLE issues (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    repository_id bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    number integer NOT NULL,
    author_id bigint REFERENCES users (id) ON DELETE SET NULL,
    title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 256),
    body text NOT NULL DEFAULT '',
    state text NOT NULL DEFAULT 'open',
    closed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT issues_state_check CHECK (state IN ('open', 'closed')),
    UNIQUE (repository_id, number)
);

CREATE INDEX issues_author_id_idx ON issues (author_id);
CREATE INDEX issues_open_idx ON issues (repository_id, created_at DESC) WHERE state = 'open';
