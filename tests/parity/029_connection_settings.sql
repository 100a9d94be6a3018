-- Migration: Connection defaults for the application role and database
-- Long-running queries from the app are cut off after 30 seconds.

ALTER ROLE CURRENT_USER SET statement_timeout = '30s';
ALTER DATABASE clinic SET idle_in_transaction_session_timeout = '60s';
