-- Integer type families and their spellings.
CREATE TABLE ints (
    a int,
    b integer,
    c int4,
    d smallint,
    e int2,
    f bigint,
    g int8,
    h pg_catalog.int4,
    i "int4",
    j INTEGER NOT NULL,
    k oid
);
