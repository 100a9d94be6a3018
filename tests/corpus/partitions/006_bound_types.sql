-- Partition bounds are printed as values of the key column's type: an integer bare unless negative, a
-- numeric at the column's scale and bare when it has a point, a boolean bare, everything else quoted
-- (bigint and smallint included).
CREATE TABLE readings (device bigint, level numeric, grade smallint, delta int, note text) PARTITION BY RANGE (device, level, grade, delta);
CREATE TABLE readings_low PARTITION OF readings FOR VALUES FROM (0, 1, 2, -3) TO ('10', 2.5, '7', '40');
CREATE TABLE readings_high PARTITION OF readings FOR VALUES FROM (10, '3.5', MINVALUE, MINVALUE) TO (20, 1e3, MAXVALUE, MAXVALUE);
CREATE TABLE ratios (r float8) PARTITION BY LIST (r);
CREATE TABLE ratios_some PARTITION OF ratios FOR VALUES IN (1.5, 2, -1);
CREATE TABLE flags (on_off boolean) PARTITION BY LIST (on_off);
CREATE TABLE flags_on PARTITION OF flags FOR VALUES IN (true);
CREATE TABLE prices (amount numeric(10,2)) PARTITION BY LIST (amount);
CREATE TABLE prices_some PARTITION OF prices FOR VALUES IN (1, 1.5, -2.555, '3');
CREATE TABLE shifted (i int) PARTITION BY RANGE ((i + 1));
CREATE TABLE shifted_low PARTITION OF shifted FOR VALUES FROM (1) TO (5);
CREATE TABLE "Ledger" ("Entry" bigint) PARTITION BY RANGE ("Entry");
CREATE TABLE "Ledger_first" PARTITION OF "Ledger" FOR VALUES FROM (1) TO (5);
CREATE TABLE days (d date) PARTITION BY RANGE (d);
CREATE TABLE days_2024 PARTITION OF days FOR VALUES FROM ('2024-1-1') TO ('2025-01-01');
