-- Tables, types, sequences and FKs across schemas.
CREATE SCHEMA app;
CREATE SCHEMA "Reporting";
CREATE TYPE app.state AS ENUM ('on', 'off');
CREATE TABLE app.users (
    id bigserial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    state app.state NOT NULL DEFAULT 'on',
    created_at timestamptz DEFAULT now()
);
CREATE INDEX users_created_idx ON app.users (created_at);
CREATE TABLE app.sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id bigint NOT NULL REFERENCES app.users ON DELETE CASCADE,
    expires_at timestamptz CHECK (expires_at > '2020-01-01')
);
CREATE TABLE public.users (id integer PRIMARY KEY, app_user_id bigint REFERENCES app.users (id));
CREATE TABLE "Reporting"."Daily Stats" (
    day date PRIMARY KEY,
    "userCount" integer DEFAULT 0,
    state app.state
);
CREATE TABLE app.t (x integer);
