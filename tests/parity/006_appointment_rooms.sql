-- Migration: Book appointments into rooms
-- The foreign key to rooms is added in one step and validates every existing
-- appointment under a lock; the one to clinics is added NOT VALID and
-- validated in the next migration, the way the SOP says.

SET lock_timeout = '3s';
SET statement_timeout = '60s';

ALTER TABLE appointments ADD COLUMN room_number smallint;
ALTER TABLE appointments
    ADD CONSTRAINT appointments_room_fkey FOREIGN KEY (clinic_id, room_number)
    REFERENCES rooms (clinic_id, room_number);

ALTER TABLE staff ADD COLUMN home_clinic_id integer;
ALTER TABLE staff
    ADD CONSTRAINT staff_home_clinic_id_fkey FOREIGN KEY (home_clinic_id)
    REFERENCES clinics (id) NOT VALID;

ALTER TABLE appointments
    ADD CONSTRAINT appointments_duration_limit CHECK (duration_minutes <= 480);
ALTER TABLE appointments
    ADD CONSTRAINT appointments_reason_length CHECK (length(reason) <= 2000) NOT VALID;
