-- Migration: Validate the constraints added NOT VALID in 006
-- VALIDATE CONSTRAINT takes only a SHARE UPDATE EXCLUSIVE lock: reads and
-- writes go on while it scans.

SET lock_timeout = '3s';
SET statement_timeout = '10min';

ALTER TABLE staff VALIDATE CONSTRAINT staff_home_clinic_id_fkey;
ALTER TABLE appointments VALIDATE CONSTRAINT appointments_reason_length;
