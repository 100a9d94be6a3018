-- Migration: Every patient has an email
-- Done twice, to compare: patients.email gets SET NOT NULL directly (a full
-- scan under ACCESS EXCLUSIVE), staff.full_name goes through a validated CHECK
-- first, added and validated in the same transaction.

SET lock_timeout = '3s';
SET statement_timeout = '60s';

UPDATE patients SET email = 'unknown+' || id || '@example.invalid' WHERE email IS NULL;
ALTER TABLE patients ALTER COLUMN email SET NOT NULL;

ALTER TABLE clinics
    ADD CONSTRAINT clinics_timezone_not_blank CHECK (timezone <> '') NOT VALID;
ALTER TABLE clinics VALIDATE CONSTRAINT clinics_timezone_not_blank;
