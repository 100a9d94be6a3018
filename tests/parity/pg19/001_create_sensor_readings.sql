-- Migration: Sensor readings from the clinics' fridges
-- Vaccines are kept between 2 and 8 °C; the Fahrenheit column is for the US
-- clinics' dashboards.

CREATE TABLE sensor_readings (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    fridge_id bigint NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    celsius numeric(5, 2) NOT NULL,
    fahrenheit numeric(6, 2) GENERATED ALWAYS AS (celsius * 9 / 5 + 32) STORED
);

CREATE INDEX sensor_readings_fridge_id_recorded_at_idx ON sensor_readings (fridge_id, recorded_at);
