-- Migration: Add project settings, budget and archiving
-- Also makes project names unique per owner.

ALTER TABLE projects ADD COLUMN IF NOT EXISTS settings JSONB NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE projects ADD COLUMN IF NOT EXISTS budget NUMERIC(10,2) CHECK (budget >= 0);
ALTER TABLE projects ADD COLUMN IF NOT EXISTS is_public BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE projects ADD COLUMN IF NOT EXISTS archived_at TIMESTAMPTZ;

-- ADD CONSTRAINT has no IF NOT EXISTS, so guard it
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_constraint WHERE conname = 'projects_owner_id_name_key'
    ) THEN
        ALTER TABLE projects
            ADD CONSTRAINT projects_owner_id_name_key UNIQUE (owner_id, name);
    END IF;
END
$$;

-- Partial index: most queries only look at live projects
CREATE INDEX IF NOT EXISTS idx_projects_active ON projects (owner_id)
    WHERE archived_at IS NULL;
