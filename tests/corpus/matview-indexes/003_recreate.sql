-- Dropping the materialized view drops its indexes: their names are free again.
CREATE MATERIALIZED VIEW status_counts AS SELECT status, count(*) AS n FROM orders GROUP BY status;
CREATE UNIQUE INDEX status_counts_status ON status_counts (status);
DROP MATERIALIZED VIEW status_counts;
CREATE TABLE status_counts (status text, n bigint);
CREATE UNIQUE INDEX status_counts_status ON status_counts (status);
