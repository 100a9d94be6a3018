CREATE TABLE people (
    id serial PRIMARY KEY,
    email text UNIQUE,
    age integer CHECK (age >= 0),
    manager_id integer REFERENCES people
);
CREATE INDEX people_age_idx ON people (age);
CREATE TABLE badges (id serial PRIMARY KEY, person_id integer REFERENCES people ON DELETE CASCADE);
