-- Parenthesisation of IN / BETWEEN / LIKE / IS NULL inside AND / OR / NOT.
CREATE TABLE mixed (
    a integer,
    b integer,
    c text,
    d boolean,
    v varchar(10),
    CHECK (a > 0 AND b IN (1, 2)),
    CHECK (NOT (a IN (1, 2))),
    CHECK (a NOT IN (1, 2) OR b IS NULL),
    CHECK (a BETWEEN 1 AND 5 OR a IS NULL),
    CHECK (c LIKE 'x%' AND c <> 'xy'),
    CHECK (NOT (c LIKE 'x%')),
    CHECK (d = true),
    CHECK (d AND a > 0),
    CHECK (d OR NOT d),
    CHECK (v IN ('a', 'b') AND a > 0),
    CHECK (v = 'a' OR v = 'b'),
    CHECK (v::text = 'a'),
    CHECK (v IS NOT NULL AND length(v) > 1),
    CHECK ((a > 0) = (b > 0)),
    CHECK (a > 0 AND NOT (b > 0 OR c = 'z'))
);
