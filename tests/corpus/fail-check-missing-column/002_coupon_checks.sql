ALTER TABLE coupons ADD CONSTRAINT coupons_valid_range CHECK (valid_until IS NULL OR valid_until > valid_from);
ALTER TABLE coupons ADD CONSTRAINT coupons_discount_range CHECK (discount_pct BETWEEN 1 AND 100);
