-- Decimal and exponent literals, arithmetic and casts.
CREATE TABLE decimal_defaults (
    n numeric DEFAULT 1.5,
    n_neg numeric(6,2) DEFAULT -2.25,
    n_exp numeric DEFAULT 1e3,
    n_exp_neg numeric DEFAULT -1.5e-3,
    r real DEFAULT 1.5,
    r_neg real DEFAULT -2.25,
    f8 double precision DEFAULT 1.5,
    f8_neg double precision DEFAULT -2.25,
    f8_exp float8 DEFAULT 1e3,
    i_from_dec integer DEFAULT 1.5,
    i8_from_dec bigint DEFAULT 2.0,
    s_from_dec smallint DEFAULT -2.5,
    n_big numeric DEFAULT 12345678901234567890,
    n_trailing numeric DEFAULT 1.50,
    m money DEFAULT 9.99
);
CREATE TABLE expr_defaults (
    sum integer DEFAULT 1 + 2,
    prod integer DEFAULT 2 * 3,
    neg_expr integer DEFAULT -(2 + 3),
    cast_fn integer DEFAULT CAST('5' AS integer),
    cast_op integer DEFAULT '5'::int,
    cast_num numeric DEFAULT '5'::numeric,
    cast_bigint bigint DEFAULT 5::bigint,
    cast_int_num numeric DEFAULT 5::numeric,
    coalesced integer DEFAULT coalesce(null, 1),
    greatest_v integer DEFAULT greatest(1, 2),
    abs_v integer DEFAULT abs(-3),
    mod_v integer DEFAULT 7 % 3,
    r real DEFAULT 1 / 3
);
