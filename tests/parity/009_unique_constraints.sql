-- Migration: Uniqueness for rooms and the visit log
-- ADD CONSTRAINT ... UNIQUE builds its index under ACCESS EXCLUSIVE, and so
-- does ADD PRIMARY KEY.

SET lock_timeout = '3s';
SET statement_timeout = '60s';

ALTER TABLE rooms ADD CONSTRAINT rooms_label_key UNIQUE (clinic_id, label);
ALTER TABLE legacy_visit_log ADD PRIMARY KEY (visit_id);
