-- numeric / decimal with and without precision and scale.
CREATE TABLE amounts (
    n numeric,
    n10 numeric(10),
    n10_2 numeric(10, 2),
    d decimal,
    d12_4 decimal(12,4),
    dec5 DECIMAL(5, 0),
    neg_scale numeric(3, -1)
);
