-- Quotes, escapes, concatenation and string functions in defaults.
CREATE TABLE string_exprs (
    quoted text DEFAULT 'it''s',
    escaped text DEFAULT E'tab\there',
    newline text DEFAULT E'line1\nline2',
    backslash text DEFAULT E'back\\slash',
    dollar text DEFAULT $$dollar$$,
    concat text DEFAULT 'a' || 'b',
    concat3 varchar(10) DEFAULT 'a' || 'b' || 'c',
    lowered text DEFAULT lower('X'),
    uppered varchar(5) DEFAULT upper('abc'),
    casted text DEFAULT 'abc'::text,
    casted_vc varchar(10) DEFAULT 'abc'::varchar,
    unicode text DEFAULT 'héllo',
    ustr text DEFAULT U&'d\0061t\+000061'
);
