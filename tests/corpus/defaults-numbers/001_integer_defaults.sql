-- Integer literals on each numeric type.
CREATE TABLE int_defaults (
    s2 smallint DEFAULT 1,
    s2_neg smallint DEFAULT -1,
    i4 integer DEFAULT 42,
    i4_zero integer DEFAULT 0,
    i4_neg integer DEFAULT -42,
    i4_plus integer DEFAULT +1,
    i4_paren integer DEFAULT (1),
    i4_negparen integer DEFAULT (-5),
    i4_max integer DEFAULT 2147483647,
    i4_min integer DEFAULT -2147483648,
    i8 bigint DEFAULT 7,
    i8_big bigint DEFAULT 9999999999,
    i8_neg bigint DEFAULT -9999999999,
    n numeric DEFAULT 0,
    n_neg numeric(10,2) DEFAULT -3,
    r real DEFAULT 1,
    r_neg real DEFAULT -1,
    f8 double precision DEFAULT 100,
    f8_neg float8 DEFAULT -100,
    m money DEFAULT 0
);
