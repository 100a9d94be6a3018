-- Migration: Archive 2022's audit rows
-- DETACH PARTITION without CONCURRENTLY takes ACCESS EXCLUSIVE on the whole
-- audit_log, and the archive table stops inheriting from clinical_notes.

SET lock_timeout = '3s';
SET statement_timeout = '60s';

ALTER TABLE audit_log DETACH PARTITION audit_log_2022;
ALTER TABLE audit_log_2022 RENAME TO audit_log_2022_archive;
ALTER TABLE clinical_notes_archive NO INHERIT clinical_notes;
