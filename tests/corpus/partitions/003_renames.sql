-- A partitioned table and an inheritance parent renamed, and a dropped partitioned table: the partitions
-- and children follow the new name (\d prints it); a dropped table's partitions go with it.
CREATE TABLE metrics (at date NOT NULL, v int) PARTITION BY RANGE (at);
CREATE TABLE metrics_2024 PARTITION OF metrics FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
ALTER TABLE metrics RENAME TO metrics_v2;
CREATE SCHEMA archive;
ALTER TABLE metrics_v2 SET SCHEMA archive;
CREATE TABLE base_log (id int, msg text);
CREATE TABLE app_log (app text) INHERITS (base_log);
ALTER TABLE base_log RENAME TO log_base;
CREATE TABLE scratch_parts (a int) PARTITION BY LIST (a);
CREATE TABLE scratch_parts_1 PARTITION OF scratch_parts FOR VALUES IN (1);
DROP TABLE scratch_parts;
