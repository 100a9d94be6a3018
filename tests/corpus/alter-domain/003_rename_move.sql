-- Constraints renamed and dropped, defaults and NOT NULL relaxed, domains renamed and moved.
ALTER DOMAIN quantity RENAME CONSTRAINT quantity_check TO quantity_below_a_million;
ALTER DOMAIN quantity DROP CONSTRAINT quantity_check1;
ALTER DOMAIN quantity DROP CONSTRAINT IF EXISTS quantity_check1;
ALTER DOMAIN email DROP NOT NULL;
ALTER DOMAIN email DROP CONSTRAINT email_check1 RESTRICT;
ALTER DOMAIN price DROP DEFAULT;
ALTER DOMAIN sku DROP NOT NULL;
ALTER DOMAIN sku SET DEFAULT 'A1';
ALTER DOMAIN quantity OWNER TO CURRENT_USER;
ALTER DOMAIN "Label" RENAME TO "Tag Label";
ALTER DOMAIN price SET SCHEMA billing;
ALTER DOMAIN billing.price RENAME TO amount;
CREATE TABLE billing.invoices (
    id bigint PRIMARY KEY,
    amount billing.amount NOT NULL,
    lines quantity[]
);
-- The other way round: the table takes limits_n_check first, the domain's gets limits_n_check1.
CREATE TABLE limits (n integer CHECK (n > 0));
CREATE DOMAIN limits_n AS integer;
ALTER DOMAIN limits_n ADD CHECK (VALUE > 0);
