-- interval with fields and precision.
CREATE TABLE durations (
    i interval,
    i2 interval(2),
    ids interval day to second,
    ids3 interval day to second(3),
    iy interval year,
    iym interval year to month,
    ih interval hour,
    ims interval minute to second,
    isec interval second(1)
);
