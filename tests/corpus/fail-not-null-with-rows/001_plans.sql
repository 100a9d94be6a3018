CREATE TABLE plans (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE
);
INSERT INTO plans (name) VALUES ('free'), ('pro'), ('enterprise');
