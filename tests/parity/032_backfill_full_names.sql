-- Migration: Backfill staff names
-- Written for a psql session, with its own transaction; the runner already
-- wraps the file in one.

BEGIN;

UPDATE staff SET full_name = initcap(full_name) WHERE full_name <> initcap(full_name);

COMMIT;
