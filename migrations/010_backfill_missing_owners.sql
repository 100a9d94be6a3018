-- Migration: Backfill missing project owners into project_members
-- Projects created before 004 have no membership row for their owner, so
-- permission checks that only look at project_members lock owners out.

INSERT INTO project_members (project_id, user_id, role)
SELECT p.id, p.owner_id, 'owner'
FROM projects p
ON CONFLICT (project_id, user_id) DO UPDATE SET role = 'owner';
