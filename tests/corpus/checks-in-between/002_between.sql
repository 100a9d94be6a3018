-- BETWEEN, NOT BETWEEN, BETWEEN SYMMETRIC.
CREATE TABLE ranges_checked (
    pct integer CHECK (pct BETWEEN 0 AND 100),
    temp numeric CHECK (temp NOT BETWEEN -10 AND 10),
    ratio double precision CHECK (ratio BETWEEN 0.0 AND 1.0),
    sym integer CHECK (sym BETWEEN SYMMETRIC 10 AND 1),
    letter text CHECK (letter BETWEEN 'a' AND 'm'),
    letter_vc varchar(1) CHECK (letter_vc BETWEEN 'a' AND 'm'),
    day date CHECK (day BETWEEN '2020-01-01' AND '2030-12-31')
);
