-- Migration: More appointment states
-- no_show is appended at the end of the enum; rescheduled goes right after
-- scheduled, where it sorts in reports.

ALTER TYPE appointment_status ADD VALUE 'no_show';
ALTER TYPE appointment_status ADD VALUE IF NOT EXISTS 'rescheduled' AFTER 'scheduled';
