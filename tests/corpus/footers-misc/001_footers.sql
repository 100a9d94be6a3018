-- Less common \d footers: statistics objects, rules, publications, typed tables.
CREATE TABLE zips (id integer PRIMARY KEY, city text, state text, zip text);
CREATE STATISTICS zips_city_state (dependencies) ON city, state FROM zips;
CREATE STATISTICS zips_all ON city, zip FROM zips;
CREATE STATISTICS zips_expr (ndistinct) ON lower(city), state FROM zips;
CREATE TABLE zips_log (id integer, note text);
CREATE RULE zips_log_ignore_delete AS ON DELETE TO zips_log DO INSTEAD NOTHING;
CREATE RULE zips_log_note AS ON INSERT TO zips_log WHERE NEW.note IS NULL DO ALSO UPDATE zips_log SET note = $$auto$$ WHERE id = NEW.id;
CREATE PUBLICATION pub_all_zips FOR TABLE zips;
CREATE PUBLICATION pub_zips_filtered FOR TABLE zips (id, city) WHERE (id > 100);
CREATE TYPE address AS (street text, number integer);
CREATE TABLE addresses OF address (PRIMARY KEY (street), number WITH OPTIONS DEFAULT 1);
