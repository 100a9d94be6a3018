-- A new session: the temporary tables of the file before are gone.
CREATE TEMPORARY TABLE scratch_ids (id bigint);
DROP TABLE scratch_ids;
ALTER TABLE t ADD COLUMN d int;
