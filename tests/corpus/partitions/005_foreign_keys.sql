-- Foreign keys and partitions: each partition holds its parent's keys, and psql lists them under the
-- parent's name; a table referencing the partitioned table shows in every partition's "Referenced by".
CREATE TABLE shoppers (id bigint PRIMARY KEY);
CREATE TABLE baskets (
    id bigint NOT NULL,
    shopper_id bigint REFERENCES shoppers (id) ON DELETE CASCADE,
    opened date NOT NULL,
    PRIMARY KEY (id, opened)
) PARTITION BY RANGE (opened);
CREATE TABLE baskets_2024 PARTITION OF baskets FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
-- A partition with a key of its own that matches the parent's adopts it; a name already taken by a
-- constraint of the partition gives the copy another.
CREATE TABLE baskets_2025 (
    id bigint NOT NULL,
    shopper_id bigint,
    opened date NOT NULL,
    CONSTRAINT baskets_2025_shopper FOREIGN KEY (shopper_id) REFERENCES shoppers (id) ON DELETE CASCADE
);
ALTER TABLE baskets ATTACH PARTITION baskets_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE baskets_2026 (
    id bigint NOT NULL,
    shopper_id bigint,
    opened date NOT NULL,
    CONSTRAINT baskets_shopper_id_fkey CHECK (id > 0)
);
ALTER TABLE baskets ATTACH PARTITION baskets_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
-- Two levels: the sub-partition lists both ancestors' keys.
CREATE TABLE baskets_2027 PARTITION OF baskets FOR VALUES FROM ('2027-01-01') TO ('2028-01-01') PARTITION BY RANGE (id);
ALTER TABLE baskets_2027 ADD CONSTRAINT baskets_2027_self FOREIGN KEY (shopper_id) REFERENCES shoppers (id);
CREATE TABLE baskets_2027_low PARTITION OF baskets_2027 FOR VALUES FROM (0) TO (1000);
-- A key added to the parent later reaches the partitions that exist.
CREATE TABLE stores (id bigint PRIMARY KEY);
ALTER TABLE baskets ADD COLUMN store_id bigint;
ALTER TABLE baskets ADD CONSTRAINT baskets_store FOREIGN KEY (store_id) REFERENCES stores (id);
-- Renaming the parent's key renames none of the copies; psql shows the new name.
ALTER TABLE baskets RENAME CONSTRAINT baskets_store TO baskets_store_fk;
-- A table referencing the partitioned table.
CREATE TABLE basket_lines (basket_id bigint, opened date, FOREIGN KEY (basket_id, opened) REFERENCES baskets);
-- Detached, a partition keeps the copies as its own keys, under the copies' names.
ALTER TABLE baskets DETACH PARTITION baskets_2026;
