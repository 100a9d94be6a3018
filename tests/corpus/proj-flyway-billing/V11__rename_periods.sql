ALTER TABLE billing.subscriptions RENAME COLUMN current_period_start TO period_start;
ALTER TABLE billing.subscriptions RENAME COLUMN current_period_end TO period_end;
ALTER TABLE billing.subscriptions RENAME CONSTRAINT subscriptions_period_check TO subscriptions_period_order;
ALTER TABLE billing.usage_events RENAME TO usage_records;
ALTER INDEX billing.usage_events_subscription_metric_idx RENAME TO usage_records_subscription_metric_idx;
