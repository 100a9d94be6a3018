-- Unique constraints: column-level, table-level, composite, named, NULLS NOT DISTINCT.
CREATE TABLE uq (
    id integer PRIMARY KEY,
    email text UNIQUE,
    handle varchar(30) NOT NULL UNIQUE,
    a integer,
    b integer,
    c integer UNIQUE NULLS NOT DISTINCT,
    d integer CONSTRAINT d_is_unique UNIQUE,
    e integer UNIQUE NULLS DISTINCT,
    f integer UNIQUE DEFERRABLE,
    g integer UNIQUE DEFERRABLE INITIALLY DEFERRED,
    h integer UNIQUE INITIALLY IMMEDIATE,
    UNIQUE (a, b),
    CONSTRAINT ab_reverse UNIQUE (b, a),
    UNIQUE NULLS NOT DISTINCT (a, c),
    UNIQUE (id, email),
    UNIQUE (email) INCLUDE (handle)
);
CREATE TABLE uq_pk_same (id integer PRIMARY KEY UNIQUE);
