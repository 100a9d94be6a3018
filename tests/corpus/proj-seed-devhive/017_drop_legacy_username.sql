ALTER TABLE users DROP COLUMN legacy_username;
ALTER TABLE users ALTER COLUMN username TYPE varchar(64);
