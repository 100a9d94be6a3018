-- Migration: Appointments
-- A patient books a slot with a member of staff. Durations are small numbers
-- of minutes, which is why someone reached for smallint.

CREATE TYPE appointment_status AS ENUM ('requested', 'scheduled', 'completed', 'cancelled');

CREATE TABLE appointments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id bigint NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    staff_id bigint NOT NULL REFERENCES staff (id),
    clinic_id integer NOT NULL REFERENCES clinics (id),
    status appointment_status NOT NULL DEFAULT 'requested',
    starts_at timestamptz NOT NULL,
    duration_minutes smallint NOT NULL DEFAULT 30 CHECK (duration_minutes > 0),
    reason text,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX appointments_patient_id_idx ON appointments (patient_id);
CREATE INDEX appointments_staff_id_starts_at_idx ON appointments (staff_id, starts_at);

-- Rooms were an afterthought; the number is per clinic.
CREATE TABLE rooms (
    clinic_id integer NOT NULL REFERENCES clinics (id),
    room_number int2 NOT NULL,
    label text NOT NULL,
    PRIMARY KEY (clinic_id, room_number)
);

CREATE TABLE legacy_visit_log (
    visit_id serial,
    patient_ref integer,
    visited timestamp,
    summary varchar(500)
);
