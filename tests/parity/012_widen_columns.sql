-- Migration: Wider columns
-- clinics.name outgrew varchar(120). Going to text is binary-coercible and
-- rewrites nothing; appointments.clinic_id to bigint rewrites the table and
-- its indexes under ACCESS EXCLUSIVE.

SET lock_timeout = '3s';
SET statement_timeout = '5min';

ALTER TABLE clinics ALTER COLUMN name TYPE text;
ALTER TABLE legacy_visit_log ALTER COLUMN summary TYPE varchar(1000);
ALTER TABLE appointments ALTER COLUMN clinic_id TYPE bigint;
ALTER TABLE staff ALTER COLUMN role TYPE varchar(32) USING role::varchar(32);
