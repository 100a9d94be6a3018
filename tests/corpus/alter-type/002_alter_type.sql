-- ALTER COLUMN TYPE: defaults, checks and indexes are re-printed against the new type.
ALTER TABLE metrics ALTER COLUMN amount TYPE bigint;
ALTER TABLE metrics ALTER COLUMN code TYPE text;
ALTER TABLE metrics ALTER COLUMN ratio TYPE numeric(6,3);
ALTER TABLE metrics ALTER COLUMN flag DROP DEFAULT, ALTER COLUMN flag TYPE boolean USING flag::boolean, ALTER COLUMN flag SET DEFAULT true;
ALTER TABLE metrics ALTER COLUMN started TYPE timestamptz USING started::timestamptz;
ALTER TABLE metrics ALTER COLUMN label TYPE varchar(20);
ALTER TABLE metrics ALTER COLUMN tags DROP DEFAULT;
ALTER TABLE metrics ALTER COLUMN tags TYPE text[] USING string_to_array(tags, ',');
ALTER TABLE metrics ALTER COLUMN tags SET DEFAULT '{}';
ALTER TABLE metrics ALTER COLUMN id TYPE bigint;
