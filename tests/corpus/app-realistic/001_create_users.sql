-- A typical application schema, built over several migrations.
CREATE TYPE user_role AS ENUM ('member', 'admin');
CREATE TABLE users (
    id bigserial PRIMARY KEY,
    email varchar(255) NOT NULL,
    display_name text,
    role user_role NOT NULL DEFAULT 'member',
    settings jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_format CHECK (email ~* '^[^@\s]+@[^@\s]+$')
);
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
