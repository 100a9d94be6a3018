-- Types moved to another schema and renamed there: the columns, domains and composite types that use
-- them follow, since PostgreSQL refers to a type by OID; defaults print the type's new name.
ALTER TABLE paints ADD CONSTRAINT paints_not_green CHECK (color <> 'green'::app.color);
CREATE INDEX paints_red_idx ON paints (id) WHERE color = 'red'::app.color;
CREATE INDEX paints_color_idx ON paints (((color = 'red'::app.color)));
ALTER TYPE mood SET SCHEMA app;
ALTER TYPE app.mood RENAME TO feeling;
ALTER TYPE pair SET SCHEMA app;
ALTER TYPE app.color SET SCHEMA public;
ALTER TYPE positive_int SET SCHEMA app;
ALTER TYPE "Status" SET SCHEMA public;
CREATE TYPE app.span AS (lo app.feeling, hi app.feeling);
CREATE DOMAIN app.feeling_d AS app.feeling;
ALTER TYPE app.feeling_d SET SCHEMA public;
CREATE TABLE moods (
    f feeling_d,
    g app.feeling DEFAULT 'ok',
    c color DEFAULT 'green',
    s app.span
);
