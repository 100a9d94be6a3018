-- Tables for FKs added by ALTER TABLE, across schemas.
CREATE SCHEMA sales;
CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
CREATE TABLE sales.deals (
    id bigint PRIMARY KEY,
    account_id bigint REFERENCES accounts,
    owner_id bigint
);
CREATE TABLE notes (
    id serial PRIMARY KEY,
    account_id bigint,
    deal_id bigint,
    note text
);
CREATE TABLE tags (deal_id bigint REFERENCES sales.deals ON DELETE CASCADE, tag text);
