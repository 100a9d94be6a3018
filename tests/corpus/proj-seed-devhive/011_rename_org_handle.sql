ALTER TABLE organizations RENAME COLUMN handle TO slug;
ALTER TABLE organizations RENAME CONSTRAINT organizations_handle_key TO organizations_slug_key;
ALTER TABLE organizations ADD COLUMN website text;
ALTER TABLE organizations ADD CONSTRAINT organizations_slug_format CHECK (slug ~ '^[a-z0-9-]+$') NOT VALID;
