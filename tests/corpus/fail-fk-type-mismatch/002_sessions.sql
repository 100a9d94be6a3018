CREATE TABLE sessions (
    id bigserial PRIMARY KEY,
    user_id integer NOT NULL,
    token text NOT NULL UNIQUE,
    expires_at timestamptz NOT NULL
);
ALTER TABLE sessions ADD CONSTRAINT sessions_user_id_fkey
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;
