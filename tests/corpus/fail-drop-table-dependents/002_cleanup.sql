DROP TABLE legacy_authors;
-- authors is being replaced by people, but books still references it.
CREATE TABLE people (
    id integer PRIMARY KEY,
    name text NOT NULL
);
DROP TABLE authors;
