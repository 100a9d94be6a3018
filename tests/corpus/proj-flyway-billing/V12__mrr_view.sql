CREATE VIEW billing.monthly_recurring_revenue AS
SELECT p.currency,
       sum(CASE p.interval WHEN 'year' THEN p.price_cents / 12 ELSE p.price_cents END * s.quantity) AS mrr_cents,
       count(*) AS subscriptions
FROM billing.subscriptions s
JOIN billing.plans p ON p.id = s.plan_id
WHERE s.status IN ('active', 'past_due')
GROUP BY p.currency;

COMMENT ON VIEW billing.monthly_recurring_revenue IS 'MRR per currency, yearly plans spread over 12 months';
