-- Index storage parameters, CLUSTER marks and REPLICA IDENTITY indexes.
CREATE TABLE tuned (id integer NOT NULL, k text NOT NULL, v text);
CREATE UNIQUE INDEX tuned_id_key ON tuned (id) WITH (fillfactor = 70);
CREATE INDEX tuned_k_idx ON tuned (k) WITH (fillfactor = 50, deduplicate_items = off);
CREATE INDEX tuned_v_brin ON tuned USING brin (v) WITH (pages_per_range = 16);
ALTER TABLE tuned CLUSTER ON tuned_k_idx;
ALTER TABLE tuned REPLICA IDENTITY USING INDEX tuned_id_key;
CREATE TABLE tuned_pk (id integer PRIMARY KEY WITH (fillfactor = 80), note text);
ALTER TABLE tuned_pk CLUSTER ON tuned_pk_pkey;
CREATE UNIQUE INDEX tuned_all_clauses ON tuned (k DESC, id) INCLUDE (v) NULLS NOT DISTINCT WITH (fillfactor = 90) WHERE v IS NOT NULL;
ALTER TABLE tuned_pk ADD CONSTRAINT tuned_pk_note_key UNIQUE NULLS NOT DISTINCT (note) INCLUDE (id) WITH (fillfactor = 60) DEFERRABLE INITIALLY DEFERRED;
