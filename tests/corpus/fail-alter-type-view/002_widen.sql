ALTER TABLE metrics ALTER COLUMN name TYPE text;
ALTER TABLE metrics ALTER COLUMN value TYPE bigint;
