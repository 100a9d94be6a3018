-- Later changes: rename, new columns, changed types, dropped columns.
ALTER TABLE posts RENAME COLUMN body TO content;
ALTER TABLE posts ADD COLUMN view_count integer NOT NULL DEFAULT 0 CHECK (view_count >= 0);
ALTER TABLE posts ALTER COLUMN status TYPE text;
ALTER TABLE users DROP COLUMN display_name;
ALTER TABLE users ADD COLUMN last_login_at timestamptz;
ALTER TABLE users ADD COLUMN username varchar(40);
UPDATE users SET username = 'u' || id;
ALTER TABLE users ALTER COLUMN username SET NOT NULL;
ALTER TABLE users ADD CONSTRAINT users_username_key UNIQUE (username);
CREATE TRIGGER posts_set_updated_at BEFORE UPDATE ON posts
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION set_updated_at();
ALTER TABLE comments ADD COLUMN edited boolean DEFAULT false;
