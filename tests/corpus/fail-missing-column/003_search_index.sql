-- Written against the old column name, before 002 was merged.
CREATE INDEX accounts_email_idx ON accounts (lower(email));
CREATE INDEX accounts_name_idx ON accounts (lower(name));
CREATE INDEX accounts_last_login_idx ON accounts (last_login_at);
