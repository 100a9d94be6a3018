-- Migration: Roll back 011_add_notifications_table.sql
-- Run by hand only (the migration runner skips *_rollback.sql files).

DROP TABLE IF EXISTS notifications CASCADE;
DROP FUNCTION IF EXISTS update_notification_count CASCADE;
ALTER TABLE users DROP COLUMN IF EXISTS notification_count;
