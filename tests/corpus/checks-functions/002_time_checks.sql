-- Date/time checks and interval literals.
CREATE TABLE schedules (
    starts timestamptz,
    ends timestamptz,
    dur interval CHECK (dur > interval '0'),
    dur2 interval CHECK (dur2 <= '1 day'::interval),
    d date CHECK (d > '2000-01-01'::date),
    t time CHECK (t BETWEEN '08:00' AND '18:00'),
    CHECK (ends <= starts + interval '30 days'),
    CHECK (extract(hour from starts) BETWEEN 8 AND 18),
    CHECK (date_trunc('hour', starts) = starts)
);
