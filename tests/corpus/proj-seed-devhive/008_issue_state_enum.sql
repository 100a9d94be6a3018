CREATE TYPE issue_state AS ENUM ('open', 'closed');

ALTER TABLE issues DROP CONSTRAINT issues_state_check;
DROP INDEX issues_open_idx;
ALTER TABLE issues ALTER COLUMN state DROP DEFAULT;
ALTER TABLE issues ALTER COLUMN state TYPE issue_state USING state::issue_state;
ALTER TABLE issues ALTER COLUMN state SET DEFAULT 'open';
CREATE INDEX issues_open_idx ON issues (repository_id, created_at DESC) WHERE state = 'open';
