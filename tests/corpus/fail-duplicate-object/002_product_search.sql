ALTER TABLE products ADD COLUMN archived boolean NOT NULL DEFAULT false;
CREATE INDEX products_title_idx ON products (title) WHERE NOT archived;
