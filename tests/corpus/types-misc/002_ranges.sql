-- Range types.
CREATE TABLE ranges (
    ir int4range,
    br int8range,
    nr numrange,
    tr tsrange,
    tzr tstzrange,
    dr daterange,
    imr int4multirange
);
