DROP TRIGGER IF EXISTS inventory_touch ON inventory;
DROP FUNCTION IF EXISTS inventory_touch();
