CREATE TABLE webhooks (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    repository_id bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    url text NOT NULL CHECK (url ~ '^https://'),
    secret text,
    events text[] NOT NULL DEFAULT '{push}',
    active boolean NOT NULL DEFAULT true,
    last_delivery_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_repository_id_idx ON webhooks (repository_id) WHERE active;

COMMENT ON TABLE webhooks IS 'HTTP callbacks fired on repository events';
