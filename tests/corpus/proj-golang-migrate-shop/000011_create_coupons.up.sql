CREATE TABLE coupons (
    code varchar(20) PRIMARY KEY,
    percent_off smallint CHECK (percent_off BETWEEN 1 AND 100),
    amount_off numeric(10,2) CHECK (amount_off > 0),
    expires_at timestamptz,
    max_redemptions integer,
    CONSTRAINT coupons_one_discount CHECK ((percent_off IS NULL) <> (amount_off IS NULL))
);

ALTER TABLE orders ADD COLUMN coupon_code varchar(20)
    REFERENCES coupons (code) ON UPDATE CASCADE ON DELETE SET NULL;
