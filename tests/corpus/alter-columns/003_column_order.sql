-- Dropped columns leave no trace; re-added columns go to the end.
ALTER TABLE items ADD COLUMN old_col integer;
ALTER TABLE items DROP COLUMN id;
