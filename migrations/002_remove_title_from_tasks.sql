-- Migration: Replace tasks.title with a length-limited summary
-- The free-form title is superseded by summary (max 200 characters). The old
-- column is renamed rather than dropped so its data can still be recovered;
-- it can be dropped once nothing reads it anymore.

ALTER TABLE tasks ADD COLUMN IF NOT EXISTS summary VARCHAR(200);

-- Backfill from the old column (not idempotent: once the column is renamed
-- below, a second run of this file fails here)
UPDATE tasks SET summary = left(title, 200) WHERE summary IS NULL;

ALTER TABLE tasks ALTER COLUMN summary SET NOT NULL;

-- Rename to deprecate
ALTER TABLE tasks RENAME COLUMN title TO title_deprecated;
ALTER TABLE tasks ALTER COLUMN title_deprecated DROP NOT NULL;
