CREATE TABLE metrics (
    id bigserial PRIMARY KEY,
    name varchar(64) NOT NULL,
    value integer NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE VIEW daily_metrics AS
    SELECT name, date_trunc('day', recorded_at) AS day, sum(value) AS total
    FROM metrics GROUP BY name, date_trunc('day', recorded_at);
