CREATE TABLE metrics (
    id integer PRIMARY KEY,
    amount integer DEFAULT 0 CHECK (amount >= 0),
    code varchar(10) DEFAULT 'x' CHECK (code IN ('x', 'y')),
    ratio real DEFAULT 0.5,
    flag text DEFAULT 'yes',
    started text,
    label char(5) DEFAULT 'abc',
    tags text DEFAULT 'a,b'
);
CREATE INDEX metrics_amount_idx ON metrics (amount);
CREATE INDEX metrics_code_lower ON metrics (lower(code));
CREATE INDEX metrics_code_partial ON metrics (id) WHERE code = 'y';
CREATE TABLE refs (metric_id integer REFERENCES metrics);
