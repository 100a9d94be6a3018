-- EXCLUDE constraints that built-in GiST supports (ranges with &&).
CREATE TABLE reservations (
    room integer,
    during tstzrange,
    EXCLUDE USING gist (during WITH &&)
);
CREATE TABLE reservations_named (
    during daterange,
    CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&) WHERE (during IS NOT NULL)
);
