-- Plain, unique, composite, ordered, partial and covering indexes; implicit names.
CREATE TABLE users (
    id integer PRIMARY KEY,
    email text NOT NULL,
    name text,
    org_id integer,
    created_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    score numeric,
    "displayName" text
);
CREATE INDEX ON users (email);
CREATE INDEX ON users (email);
CREATE INDEX ON users (email);
CREATE INDEX ON users (org_id, created_at);
CREATE UNIQUE INDEX ON users (name);
CREATE UNIQUE INDEX users_email_uidx ON users (email);
CREATE INDEX users_created_desc ON users (created_at DESC);
CREATE INDEX users_score_nf ON users (score NULLS FIRST);
CREATE INDEX users_score_dnl ON users (score DESC NULLS LAST);
CREATE INDEX users_score_asc_nl ON users (score ASC NULLS LAST);
CREATE INDEX users_score_desc_nf ON users (score DESC NULLS FIRST);
CREATE INDEX users_live_email ON users (email) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX users_org_email_live ON users (org_id, email) WHERE deleted_at IS NULL AND org_id > 0;
CREATE INDEX users_org_incl ON users (org_id) INCLUDE (name, email);
CREATE UNIQUE INDEX users_org_name_nnd ON users (org_id, name) NULLS NOT DISTINCT;
CREATE INDEX ON users ("displayName");
CREATE INDEX "Users_DisplayName" ON users ("displayName" DESC);
CREATE INDEX users_name_c ON users (name COLLATE "C");
CREATE INDEX IF NOT EXISTS users_name_c ON users (name);
