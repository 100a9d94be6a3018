CREATE TABLE employees (
    id integer PRIMARY KEY,
    first_name text NOT NULL,
    last_name text NOT NULL,
    salary numeric(10,2),
    department text
);
CREATE VIEW employee_directory AS
    SELECT id, first_name, last_name, department FROM employees;
