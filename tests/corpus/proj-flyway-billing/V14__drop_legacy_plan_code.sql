ALTER TABLE billing.plans DROP COLUMN legacy_code;
ALTER TABLE billing.plans ALTER COLUMN trial_days SET DEFAULT 30;
ALTER TABLE billing.plans ADD CONSTRAINT plans_trial_days_check CHECK (trial_days BETWEEN 0 AND 90);
