-- Migration: Index appointments by start time
-- The daily calendar query filters on starts_at. appointments already holds
-- months of bookings; this blocks every write to it while the index builds.

CREATE INDEX appointments_starts_at_idx ON appointments (starts_at);
CREATE UNIQUE INDEX staff_email_lower_idx ON staff (lower(email));
