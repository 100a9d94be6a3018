ALTER TYPE issue_state ADD VALUE IF NOT EXISTS 'triaged' BEFORE 'closed';
