ALTER TABLE repositories DROP CONSTRAINT repositories_stars_count_check;
ALTER TABLE repositories DROP COLUMN stars_count;
DROP TABLE stars;
