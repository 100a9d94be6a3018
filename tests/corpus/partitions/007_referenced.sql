-- A key that references a partitioned table holds a hidden constraint per partition at every depth
-- (regions_fkey1, …), named as PostgreSQL names them; psql shows only the key. A partitioned table
-- attached with partitions of its own passes the parent's primary key down to them.
CREATE TABLE regions (id int, zone int, PRIMARY KEY (id, zone)) PARTITION BY LIST (zone);
CREATE TABLE regions_north PARTITION OF regions FOR VALUES IN (1);
CREATE TABLE regions_south PARTITION OF regions FOR VALUES IN (2) PARTITION BY LIST (id);
CREATE TABLE regions_south_rest PARTITION OF regions_south DEFAULT;
CREATE TABLE depots (region int, zone int, FOREIGN KEY (region, zone) REFERENCES regions);
CREATE TABLE regions_east PARTITION OF regions FOR VALUES IN (3);
CREATE TABLE regions_west (id int NOT NULL, zone int NOT NULL) PARTITION BY LIST (id);
CREATE TABLE regions_west_one PARTITION OF regions_west FOR VALUES IN (1);
ALTER TABLE regions ATTACH PARTITION regions_west FOR VALUES IN (4);
CREATE TABLE routes (region int, zone int, day int) PARTITION BY LIST (day);
CREATE TABLE routes_monday PARTITION OF routes FOR VALUES IN (1);
ALTER TABLE routes ADD FOREIGN KEY (region, zone) REFERENCES regions;
ALTER TABLE regions DETACH PARTITION regions_east;
ALTER TABLE depots RENAME CONSTRAINT depots_region_zone_fkey TO depots_region;
-- A key added after the rename takes the freed name; its hidden constraints take the next free numbers.
ALTER TABLE depots ADD FOREIGN KEY (region, zone) REFERENCES regions;
-- A partition created later receives the key, not its hidden constraints.
CREATE TABLE routes_tuesday PARTITION OF routes FOR VALUES IN (2);
