DROP INDEX CONCURRENTLY logs_level_idx_old;
