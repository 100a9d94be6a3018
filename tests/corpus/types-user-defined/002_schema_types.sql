-- Types that live in another schema, and a composite type column.
CREATE SCHEMA app;
CREATE TYPE app.color AS ENUM ('red', 'green');
CREATE DOMAIN app.percent AS numeric(5,2) CHECK (VALUE BETWEEN 0 AND 100);
CREATE TYPE pair AS (x int, y int);
CREATE TABLE paints (
    id int,
    color app.color DEFAULT 'red',
    coverage app.percent,
    origin pair
);
CREATE TABLE app.swatches (
    color app.color NOT NULL,
    pct app.percent DEFAULT 50
);
