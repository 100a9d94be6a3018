-- Partitioned tables: RANGE, LIST, HASH, multi-level, default partition.
CREATE TABLE measurements (
    id bigint GENERATED ALWAYS AS IDENTITY,
    city_id integer NOT NULL,
    logdate date NOT NULL,
    peaktemp integer CHECK (peaktemp > -100),
    PRIMARY KEY (id, logdate)
) PARTITION BY RANGE (logdate);
CREATE TABLE measurements_2024 PARTITION OF measurements
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX ON measurements (city_id);
CREATE TABLE measurements_2025 PARTITION OF measurements
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE measurements_old PARTITION OF measurements
    FOR VALUES FROM (MINVALUE) TO ('2024-01-01');
