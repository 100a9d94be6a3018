-- Migration: Add task assignees
-- A task can be assigned to one user. Deleting the user unassigns the task.

ALTER TABLE tasks ADD COLUMN IF NOT EXISTS assignee_id UUID;

-- Add foreign key constraint
ALTER TABLE tasks
ADD CONSTRAINT fk_tasks_assignee
FOREIGN KEY (assignee_id) REFERENCES users(id) ON DELETE SET NULL;

-- Covering index for the "my tasks" page (index-only scans)
CREATE INDEX IF NOT EXISTS idx_tasks_assignee_due ON tasks (assignee_id, due_date)
    INCLUDE (status, priority);
