-- Implicit names that collide and get numeric suffixes.
CREATE TABLE t (
    a integer CHECK (a > 0) CHECK (a > 1) CHECK (a > 2),
    b integer UNIQUE,
    c integer,
    CHECK (a > 3),
    UNIQUE (b),
    UNIQUE (b, c),
    CHECK (a + c > 0),
    CHECK (c > 0 AND a > 0)
);
CREATE INDEX t_c_idx ON t (a);
CREATE INDEX ON t (c);
CREATE INDEX ON t (c);
CREATE INDEX t_b_key1 ON t (c);
ALTER TABLE t ADD UNIQUE (b);
ALTER TABLE t ADD CONSTRAINT t_c_check CHECK (c <> 5);
ALTER TABLE t ADD CHECK (c < 50);
CREATE TABLE t_a (id integer PRIMARY KEY);
CREATE TABLE t_pkey_owner (id integer);
CREATE INDEX t_pkey_owner_pkey ON t_pkey_owner (id);
ALTER TABLE t_pkey_owner ADD PRIMARY KEY (id);
CREATE TABLE fk_src (a integer, b integer);
ALTER TABLE fk_src ADD FOREIGN KEY (a) REFERENCES t_a;
ALTER TABLE fk_src ADD FOREIGN KEY (a) REFERENCES t_a;
ALTER TABLE fk_src ADD FOREIGN KEY (a, b) REFERENCES t (b, c);
