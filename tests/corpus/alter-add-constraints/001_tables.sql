CREATE TABLE accounts (id integer NOT NULL, email text, code text, region text, n integer);
CREATE UNIQUE INDEX accounts_email_uidx ON accounts (email);
CREATE UNIQUE INDEX accounts_code_region_uidx ON accounts (code, region);
CREATE UNIQUE INDEX accounts_id_uidx ON accounts (id);
CREATE TABLE nopk (a integer, b integer);
CREATE TABLE pk_later (a integer, b text);
