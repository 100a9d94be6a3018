-- SET LOGGED / SET UNLOGGED: a partitioned table keeps its persistence; a table's reference to itself
-- does not count; the persistence is decided against the table as it was, whatever order the actions
-- come in.
CREATE TABLE measurements (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
ALTER TABLE measurements SET UNLOGGED;
CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE tree (id int PRIMARY KEY, parent int REFERENCES tree);
ALTER TABLE tree SET UNLOGGED;
CREATE UNLOGGED TABLE scratch (id int);
ALTER TABLE scratch SET UNLOGGED, SET LOGGED;
CREATE TABLE spool (id int);
ALTER TABLE spool SET LOGGED, SET UNLOGGED;
CREATE UNLOGGED TABLE staging (id int PRIMARY KEY);
CREATE UNLOGGED TABLE staging_rows (staging_id int REFERENCES staging);
ALTER TABLE staging SET LOGGED;
-- An unlogged partitioned table stays unlogged (SET LOGGED changes nothing); its partitions are logged
-- unless they say otherwise.
CREATE UNLOGGED TABLE events_buffer (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_buffer_2024 PARTITION OF events_buffer FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE UNLOGGED TABLE events_buffer_2025 PARTITION OF events_buffer FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE events_buffer SET LOGGED;
