-- Character types and bytea.
CREATE TABLE strings (
    t text,
    vc varchar(40),
    cv character varying(12),
    v varchar,
    cvar character varying,
    c char,
    c5 char(5),
    ch character,
    ch3 character(3),
    qc "char",
    b bytea
);
