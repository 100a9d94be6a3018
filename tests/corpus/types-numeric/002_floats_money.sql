-- Floating point spellings and money.
CREATE TABLE measurements (
    r real,
    f4 float4,
    dp double precision,
    f8 float8,
    f float,
    f10 float(10),
    f24 float(24),
    f25 float(25),
    f30 float(30),
    f53 float(53),
    m money
);
