CREATE INDEX accounts_billing_email_idx ON billing.accounts (lower(billing_email));
CREATE INDEX accounts_created_at_idx ON billing.accounts (created_at);
