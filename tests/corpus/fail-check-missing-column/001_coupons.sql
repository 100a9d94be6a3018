CREATE TABLE coupons (
    code text PRIMARY KEY,
    discount_percent integer NOT NULL DEFAULT 10,
    valid_from date NOT NULL,
    valid_until date
);
