-- Migration: Names that say what things are
-- rooms become treatment_rooms; the staff role column is a job title; the
-- clinical notes move into their own schema.

SET lock_timeout = '3s';
SET statement_timeout = '60s';

ALTER TABLE rooms RENAME TO treatment_rooms;
ALTER TABLE staff RENAME COLUMN role TO job_title;
ALTER INDEX staff_clinic_id_idx RENAME TO staff_works_at_clinic_idx;
ALTER TYPE appointment_status RENAME VALUE 'requested' TO 'pending';
ALTER FUNCTION appointment_end(timestamptz, smallint) RENAME TO appointment_ends_at;

CREATE SCHEMA IF NOT EXISTS clinical;
ALTER TABLE clinical_notes SET SCHEMA clinical;
ALTER TABLE IF EXISTS clinical_notes_archive SET SCHEMA clinical;
