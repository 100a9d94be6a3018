ALTER TABLE billing.accounts
    ADD COLUMN country_code char(2),
    ADD COLUMN tax_id text,
    ADD COLUMN tax_exempt boolean NOT NULL DEFAULT false;

UPDATE billing.accounts SET country_code = 'DE' WHERE country_code IS NULL;
ALTER TABLE billing.accounts ALTER COLUMN country_code SET NOT NULL;
ALTER TABLE billing.accounts ADD CONSTRAINT accounts_country_code_check CHECK (country_code ~ '^[A-Z]{2}$');

COMMENT ON COLUMN billing.accounts.tax_id IS 'VAT number, validated by the tax provider';
