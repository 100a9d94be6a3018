-- A domain's CHECK sees VALUE with the domain's base type: over another domain, VALUE is relabelled
-- like a column (VALUE::integer); implicit names are <domain>_check, <domain>_check1, …
CREATE DOMAIN d_small AS d_int CHECK (VALUE < 100) CHECK (VALUE % 2 = 0) CHECK (VALUE IN (2, 4))
    CHECK (VALUE IS NOT NULL);
CREATE DOMAIN d_email AS d_text CHECK (VALUE ~ '@') CHECK (length(VALUE) > 1) CHECK (VALUE <> '');
CREATE DOMAIN d_code AS varchar(5) CHECK (VALUE <> '') CHECK (VALUE IN ('a', 'b'))
    CHECK (upper(VALUE) = VALUE);
CREATE DOMAIN d_flag AS d_bool CHECK (VALUE);
ALTER DOMAIN d_code ADD CONSTRAINT d_code_not_x CHECK (VALUE NOT IN ('x', 'y')) NOT VALID;
ALTER DOMAIN d_small ADD CHECK (coalesce(VALUE, 0) >= 0);
CREATE TABLE typed_values (x d_small, y d_email, z d_code, w d_flag);
-- AS is optional: CREATE DOMAIN name type.
CREATE DOMAIN short_code varchar(8) NOT NULL CHECK (VALUE ~ '^[A-Z]+$');
CREATE DOMAIN public.ratio numeric(5,4) DEFAULT 0;
CREATE TABLE without_as (code short_code, r ratio);
