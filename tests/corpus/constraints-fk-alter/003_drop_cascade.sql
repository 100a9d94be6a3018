-- DROP ... CASCADE removes FKs in other tables; DROP CONSTRAINT.
CREATE TABLE doomed (id integer PRIMARY KEY);
CREATE TABLE survivor (id integer PRIMARY KEY, doomed_id integer REFERENCES doomed, account_id bigint REFERENCES accounts);
CREATE TABLE survivor2 (doomed_id integer, CONSTRAINT s2_fk FOREIGN KEY (doomed_id) REFERENCES doomed ON DELETE CASCADE);
DROP TABLE doomed CASCADE;
ALTER TABLE notes DROP CONSTRAINT notes_account_id_fkey;
