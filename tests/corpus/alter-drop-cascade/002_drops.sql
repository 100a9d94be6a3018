-- DROP COLUMN removes indexes and constraints on it; DROP TABLE CASCADE removes FKs and views.
ALTER TABLE authors DROP COLUMN email;
ALTER TABLE authors DROP COLUMN bio CASCADE;
DROP VIEW author_names;
ALTER TABLE authors DROP COLUMN score;
DROP TABLE books CASCADE;
ALTER TABLE reviews DROP CONSTRAINT IF EXISTS nope;
DROP INDEX IF EXISTS authors_lower_email;
