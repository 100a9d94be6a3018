ALTER TABLE products RENAME COLUMN title TO name;
ALTER TABLE products RENAME COLUMN is_active TO active;
