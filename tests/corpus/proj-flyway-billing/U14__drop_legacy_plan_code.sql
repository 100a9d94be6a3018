ALTER TABLE billing.plans DROP CONSTRAINT plans_trial_days_check;
ALTER TABLE billing.plans ALTER COLUMN trial_days SET DEFAULT 14;
ALTER TABLE billing.plans ADD COLUMN legacy_code varchar(40);
