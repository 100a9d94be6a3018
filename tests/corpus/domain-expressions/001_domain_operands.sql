-- Values of a domain type as operator and function arguments: PostgreSQL relabels them to the
-- domain's base type, and \d shows it (a::integer, b::text), except where any type is accepted
-- (IS NULL) or a boolean is expected (CHECK (g), NOT g).
CREATE DOMAIN d_int AS integer;
CREATE DOMAIN d_text AS text;
CREATE DOMAIN d_varchar AS varchar(12);
CREATE DOMAIN d_int2 AS d_int;
CREATE DOMAIN d_numeric AS numeric(10,2);
CREATE DOMAIN d_bool AS boolean;
CREATE DOMAIN d_ts AS timestamptz;
CREATE DOMAIN d_jsonb AS jsonb;
CREATE TABLE typed_checks (
    a d_int, b d_text, c d_varchar, d d_int2, f d_numeric, g d_bool, h d_ts, k d_jsonb,
    CHECK (a < 500), CHECK (a > 0 AND a < 10), CHECK (b ~ '@'), CHECK (length(b) > 3),
    CHECK (a IN (1, 2)), CHECK (a BETWEEN 1 AND 5), CHECK (c <> ''), CHECK (d > 1), CHECK (f > 0),
    CHECK (a = d), CHECK (b = 'x'), CHECK (a IS NOT NULL), CHECK (lower(b) = b), CHECK (a + 1 > 2),
    CHECK (f > 1.5), CHECK (c::text <> 'y'), CHECK (g), CHECK (NOT g), CHECK (b LIKE 'a%'),
    CHECK (c IN ('a', 'b')), CHECK (a IS DISTINCT FROM 3), CHECK (h > '2020-01-01'), CHECK (k ? 'x'),
    CHECK (b <> ALL (ARRAY['x', 'y'])), CHECK (coalesce(a, 0) > 0), CHECK (a * 2 < f),
    CHECK (char_length(c) < 5), CHECK (d IN (1, 2, 3))
);
CREATE INDEX ON typed_checks ((a + 1));
CREATE INDEX ON typed_checks (lower(b));
CREATE INDEX ON typed_checks (a) WHERE a > 0;
