-- Checks referencing two columns, table-level and named.
CREATE TABLE bookings (
    start_at timestamptz NOT NULL,
    end_at timestamptz NOT NULL,
    min_qty integer,
    max_qty integer,
    starts date,
    ends date,
    CHECK (end_at > start_at),
    CONSTRAINT qty_range CHECK (min_qty <= max_qty),
    CHECK (ends >= starts + 1),
    CONSTRAINT "Dates Valid" CHECK (ends - starts < 365),
    CHECK (end_at - start_at <= interval '7 days'),
    CHECK (start_at >= '2020-01-01')
);
