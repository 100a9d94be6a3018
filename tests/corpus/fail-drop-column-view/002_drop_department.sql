CREATE TABLE departments (
    id integer PRIMARY KEY,
    name text NOT NULL UNIQUE
);
ALTER TABLE employees ADD COLUMN department_id integer REFERENCES departments (id);
ALTER TABLE employees DROP COLUMN department;
