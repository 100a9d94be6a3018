-- Regex, LIKE, ILIKE, SIMILAR TO checks.
CREATE TABLE patterns (
    email text CHECK (email ~ '^[^@]+@[^@]+$'),
    email_ci varchar(100) CHECK (email_ci ~* '@example\.com$'),
    no_space text CHECK (no_space !~ '\s'),
    no_upper text CHECK (no_upper !~* 'x'),
    sku text CHECK (sku LIKE 'SKU-%'),
    sku_vc varchar(20) CHECK (sku_vc LIKE 'A_'),
    host text CHECK (host ILIKE '%.com'),
    not_tmp text CHECK (not_tmp NOT LIKE 'tmp%'),
    not_tmp_ci text CHECK (not_tmp_ci NOT ILIKE 'TMP%'),
    phone text CHECK (phone SIMILAR TO '[0-9]{3}-[0-9]{4}'),
    phone2 text CHECK (phone2 NOT SIMILAR TO '%x%'),
    esc text CHECK (esc LIKE 'a!%%' ESCAPE '!'),
    bpc char(5) CHECK (bpc LIKE 'X%'),
    quoted text CHECK (quoted <> 'it''s'),
    backslash text CHECK (backslash ~ E'^\\d+$')
);
