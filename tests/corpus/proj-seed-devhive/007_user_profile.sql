ALTER TABLE users
    ADD COLUMN bio text,
    ADD COLUMN avatar_url text,
    ADD COLUMN location varchar(100),
    ADD COLUMN display_name text;

-- Backfill: everyone starts with their username as display name.
UPDATE users SET display_name = username WHERE display_name IS NULL;
ALTER TABLE users ALTER COLUMN display_name SET NOT NULL;

COMMENT ON COLUMN users.display_name IS 'Shown next to avatars; defaults to the username';
