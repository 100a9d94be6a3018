-- Migration: Remove the payment plans prototype
-- The experiment ended; everything it created goes.

SET lock_timeout = '3s';
SET statement_timeout = '60s';

DROP TABLE payment_plans.plans;
DROP TYPE payment_plans.plan_interval;
DROP DOMAIN payment_plans.percentage;
DROP SCHEMA payment_plans;
DROP EXTENSION btree_gist;
