-- Migration: Reset the demo clinic's data
-- The demo environment is rebuilt from scratch. CASCADE empties every table
-- with a foreign key to invoices too, in every environment, not only the demo.

SET lock_timeout = '3s';
SET statement_timeout = '60s';

TRUNCATE billing.invoice_lines;
TRUNCATE billing.invoices CASCADE;

ALTER SEQUENCE billing.invoices_id_seq RESTART WITH 100000;
ALTER SEQUENCE billing.invoice_lines_id_seq INCREMENT BY 10;
ALTER SEQUENCE IF EXISTS billing.invoice_lines_id_seq CACHE 20;
