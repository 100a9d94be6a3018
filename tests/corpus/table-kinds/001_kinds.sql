-- Empty, unlogged, inherited and commented tables.
CREATE TABLE empty ();
CREATE TABLE empty_after_drop (only_col integer);
ALTER TABLE empty_after_drop DROP COLUMN only_col;
CREATE UNLOGGED TABLE cache (key text PRIMARY KEY, value jsonb, expires_at timestamptz);
CREATE TABLE IF NOT EXISTS cache (other int);
CREATE TABLE base (id integer PRIMARY KEY, created_at timestamptz DEFAULT now() NOT NULL, CHECK (id > 0));
CREATE TABLE derived (extra text) INHERITS (base);
CREATE TABLE derived2 (id integer, note text, CHECK (id < 1000000)) INHERITS (base);
CREATE TABLE multi_parent (z int) INHERITS (base, cache);
COMMENT ON TABLE cache IS 'Key/value cache';
COMMENT ON COLUMN cache.key IS 'The cache key';
COMMENT ON COLUMN base.id IS 'Identifier';
CREATE TABLE copy_like (LIKE base INCLUDING ALL, more text);
CREATE TABLE copy_like_defaults (LIKE base INCLUDING DEFAULTS);
CREATE TABLE copy_plain (LIKE cache);
