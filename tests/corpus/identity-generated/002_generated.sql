-- GENERATED ALWAYS AS (...) STORED.
CREATE TABLE shapes (
    w numeric NOT NULL,
    h numeric NOT NULL,
    area numeric GENERATED ALWAYS AS (w * h) STORED,
    perimeter numeric GENERATED ALWAYS AS (2 * (w + h)) STORED,
    label text,
    label_lower text GENERATED ALWAYS AS (lower(label)) STORED,
    full_label text GENERATED ALWAYS AS (label || ' (' || w::text || 'x' || h::text || ')') STORED,
    is_square boolean GENERATED ALWAYS AS (w = h) STORED NOT NULL,
    w_int integer GENERATED ALWAYS AS (w::integer) STORED,
    w_plus integer GENERATED ALWAYS AS ((w + 1)::int) STORED,
    ratio double precision GENERATED ALWAYS AS (CASE WHEN h = 0 THEN NULL ELSE w / h END) STORED
);
CREATE TABLE serials (id serial PRIMARY KEY, big bigserial UNIQUE, small smallserial);
