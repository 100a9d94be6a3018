-- ALTER SYSTEM changes no schema, and cannot run inside a transaction block.
ALTER SYSTEM SET work_mem = '64MB';
ALTER SYSTEM RESET work_mem;
CREATE INDEX settings_log_note_idx ON settings_log (note);
