-- Date/time types, with precision and time zone spellings.
CREATE TABLE moments (
    d date,
    t time,
    t3 time(3),
    t_wo time without time zone,
    ttz timetz,
    ttz2 time with time zone,
    ttz_p time(2) with time zone,
    ts timestamp,
    ts0 timestamp(0),
    ts_wo timestamp without time zone,
    tstz timestamptz,
    tstz2 timestamp with time zone,
    tstz3 timestamp(3) with time zone,
    tstz6 timestamptz(6)
);
