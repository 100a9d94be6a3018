-- no-transaction
-- Migration: Reclaim space after the purge of 2023's readings
-- VACUUM FULL and CLUSTER rewrite the table under ACCESS EXCLUSIVE.

SET lock_timeout = '2s';

VACUUM FULL sensor_readings;
CLUSTER sensor_readings USING sensor_readings_fridge_id_recorded_at_idx;
