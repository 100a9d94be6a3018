-- Migration: Add priority, due date, estimate, tags and metadata to tasks
-- metadata holds integration data (GitHub issue links and the like) and is
-- searched with @>, hence the GIN index.

ALTER TABLE tasks
    ADD COLUMN IF NOT EXISTS priority INTEGER NOT NULL DEFAULT 0
        CHECK (priority BETWEEN 0 AND 5),
    ADD COLUMN IF NOT EXISTS due_date DATE,
    ADD COLUMN IF NOT EXISTS estimate_hours NUMERIC(10,2),
    ADD COLUMN IF NOT EXISTS tags TEXT[] NOT NULL DEFAULT '{}',
    ADD COLUMN IF NOT EXISTS metadata JSONB NOT NULL DEFAULT '{}'::jsonb;

-- Composite index
CREATE INDEX IF NOT EXISTS idx_tasks_project_status ON tasks (project_id, status);

-- GIN index for jsonb containment queries
CREATE INDEX IF NOT EXISTS idx_tasks_metadata ON tasks USING GIN (metadata);
