-- Migration: Add project members and roles
-- Users other than the owner can now be invited to a project with a role.

-- CREATE TYPE has no IF NOT EXISTS
CREATE TYPE project_role AS ENUM ('owner', 'admin', 'member', 'viewer');

CREATE TABLE IF NOT EXISTS project_members (
    project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role project_role NOT NULL DEFAULT 'member',
    invited_by UUID REFERENCES users(id) ON DELETE SET NULL,
    joined_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, user_id)
);

-- Create indexes
CREATE INDEX IF NOT EXISTS idx_project_members_user_id ON project_members (user_id);
