-- Tables made on their own and attached as partitions: an index of the table's own that matches one of
-- the parent's stands for it (a UNIQUE constraint for the primary key, a plain index for a plain one),
-- and the parent's other indexes are copied; the table keeps its own column order.
CREATE TABLE visits (id bigint NOT NULL, at date NOT NULL, kind text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE INDEX visits_kind ON visits (kind);
CREATE TABLE visits_2023 (id bigint NOT NULL, at date NOT NULL, kind text, PRIMARY KEY (id, at));
ALTER TABLE visits ATTACH PARTITION visits_2023 FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE visits_2024 (kind text, at date NOT NULL, id bigint NOT NULL, CONSTRAINT visits_2024_natural UNIQUE (id, at));
CREATE INDEX visits_2024_kind ON visits_2024 (kind);
ALTER TABLE visits ATTACH PARTITION visits_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
-- A unique index without a constraint, and an index on other columns, stand for nothing.
CREATE TABLE visits_2025 (id bigint NOT NULL, at date NOT NULL, kind text);
CREATE UNIQUE INDEX visits_2025_id_at ON visits_2025 (id, at);
CREATE INDEX visits_2025_at ON visits_2025 (at);
ALTER TABLE visits ATTACH PARTITION visits_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
-- Detached, a partition keeps its indexes.
ALTER TABLE visits DETACH PARTITION visits_2023;
