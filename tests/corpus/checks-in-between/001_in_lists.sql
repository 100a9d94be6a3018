-- IN / NOT IN lists on text, varchar, char, integer, numeric and enum columns.
CREATE TYPE shade AS ENUM ('light', 'dark');
CREATE TABLE statuses (
    s_text text CHECK (s_text IN ('new', 'open', 'closed')),
    s_vc varchar(10) CHECK (s_vc IN ('a', 'b')),
    s_vc_plain varchar CHECK (s_vc_plain IN ('x')),
    s_char char(1) CHECK (s_char IN ('Y', 'N')),
    s_int integer CHECK (s_int IN (1, 2, 3)),
    s_small smallint CHECK (s_small IN (1, -1)),
    s_num numeric CHECK (s_num IN (1.5, 2)),
    s_not text CHECK (s_not NOT IN ('bad', 'worse')),
    s_not_vc varchar(5) CHECK (s_not_vc NOT IN ('no')),
    s_not_int integer CHECK (s_not_int NOT IN (0, 13)),
    s_enum shade CHECK (s_enum IN ('light')),
    s_any text CHECK (s_any = ANY (ARRAY['p', 'q'])),
    s_all integer CHECK (s_all <> ALL ('{1,2}'::int[]))
);
