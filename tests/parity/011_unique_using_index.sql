-- Migration: clinics.name is unique
-- USING INDEX adopts the index built in 010: no scan, a brief lock.

SET lock_timeout = '3s';
SET statement_timeout = '30s';

ALTER TABLE clinics ADD CONSTRAINT clinics_name_key UNIQUE USING INDEX clinics_name_idx;
