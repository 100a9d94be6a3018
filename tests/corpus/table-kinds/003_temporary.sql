-- Temporary tables live in the session's own schema, searched first, and go when the session (the file)
-- ends: the ALTER below changes the temporary t, not the permanent one.
CREATE TABLE t (a int);
CREATE TEMP TABLE t (b int);
ALTER TABLE t ADD COLUMN c int;
CREATE TEMP TABLE scratch_ids (id bigint PRIMARY KEY, n serial);
CREATE INDEX ON scratch_ids (n);
INSERT INTO scratch_ids (id) VALUES (1);
CREATE TABLE kept (id bigint PRIMARY KEY);
