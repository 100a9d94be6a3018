-- Migration: Round the Fahrenheit readings to one decimal

SET lock_timeout = '3s';
SET statement_timeout = '10min';

ALTER TABLE sensor_readings ALTER COLUMN fahrenheit SET EXPRESSION AS (round(celsius * 9 / 5 + 32, 1));
