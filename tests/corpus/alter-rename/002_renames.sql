-- RENAME TO keeps index/constraint/sequence names; explicit renames change them.
ALTER TABLE people RENAME TO staff;
ALTER TABLE staff RENAME COLUMN age TO years;
ALTER TABLE staff RENAME COLUMN email TO mail;
ALTER TABLE staff RENAME CONSTRAINT people_age_check TO staff_years_check;
ALTER INDEX people_age_idx RENAME TO staff_years_idx;
ALTER INDEX people_email_key RENAME TO staff_mail_key;
ALTER TABLE staff RENAME CONSTRAINT people_pkey TO staff_pkey;
ALTER TABLE badges RENAME COLUMN person_id TO staff_id;
ALTER SEQUENCE badges_id_seq RENAME TO badge_ids;
CREATE SCHEMA archive;
CREATE TABLE old_things (id serial PRIMARY KEY, n int CHECK (n > 0));
ALTER TABLE old_things SET SCHEMA archive;
ALTER TABLE IF EXISTS archive.old_things RENAME TO things;
