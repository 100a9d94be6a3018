-- Implicit check name collisions and NO INHERIT.
CREATE TABLE limits (
    a integer CHECK (a > 0) CHECK (a < 100),
    b integer CHECK (b > 0),
    c integer CHECK (c > 0) NO INHERIT,
    CHECK (b < 100),
    CHECK (a < b),
    CHECK (a <> b),
    CHECK (true),
    CONSTRAINT limits_b_check2 CHECK (b <> 50)
);
