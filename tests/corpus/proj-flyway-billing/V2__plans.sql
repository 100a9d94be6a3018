CREATE TYPE billing.plan_interval AS ENUM ('month', 'year');

CREATE TABLE billing.plans (
    id serial PRIMARY KEY,
    code varchar(40) NOT NULL UNIQUE,
    legacy_code varchar(40),
    name text NOT NULL,
    interval billing.plan_interval NOT NULL DEFAULT 'month',
    price_cents integer NOT NULL CHECK (price_cents >= 0),
    currency char(3) NOT NULL DEFAULT 'EUR',
    trial_days smallint NOT NULL DEFAULT 14,
    is_public boolean NOT NULL DEFAULT true
);
