CREATE TYPE repo_visibility AS ENUM ('public', 'private');

CREATE TABLE repositories (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_user_id bigint REFERENCES users (id) ON DELETE CASCADE,
    owner_org_id bigint REFERENCES organizations (id) ON DELETE CASCADE,
    name varchar(100) NOT NULL,
    description text,
    visibility repo_visibility NOT NULL DEFAULT 'public',
    default_branch text NOT NULL DEFAULT 'main',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT repositories_one_owner CHECK (num_nonnulls(owner_user_id, owner_org_id) = 1)
);

CREATE UNIQUE INDEX repositories_user_name_key ON repositories (owner_user_id, lower(name::text))
    WHERE owner_user_id IS NOT NULL;
CREATE UNIQUE INDEX repositories_org_name_key ON repositories (owner_org_id, lower(name::text))
    WHERE owner_org_id IS NOT NULL;

COMMENT ON TABLE repositories IS 'Git repositories, owned by a user or an organization';
COMMENT ON COLUMN repositories.default_branch IS 'Branch shown when the repository is opened';
