-- serial pseudo-types: create a sequence, a nextval default and NOT NULL.
CREATE TABLE counters (
    id serial,
    big bigserial,
    small smallserial,
    s4 serial4,
    s8 serial8,
    s2 serial2,
    note text
);
