ALTER TABLE products RENAME COLUMN name TO title;
ALTER TABLE products RENAME COLUMN active TO is_active;
