ALTER TABLE accounts RENAME COLUMN name TO full_name;
ALTER TABLE accounts ADD COLUMN last_login_at timestamp;
