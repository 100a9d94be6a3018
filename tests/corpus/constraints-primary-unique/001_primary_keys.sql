-- Primary keys: column-level, table-level, composite, named.
CREATE TABLE pk_col (id integer PRIMARY KEY, name text);
CREATE TABLE pk_table (id bigint, name text, PRIMARY KEY (id));
CREATE TABLE pk_composite (a integer, b text, c date, PRIMARY KEY (a, b));
CREATE TABLE pk_named (id integer CONSTRAINT pk_named_custom PRIMARY KEY);
CREATE TABLE pk_named_table (x integer, y integer, CONSTRAINT xy_pk PRIMARY KEY (y, x));
CREATE TABLE pk_text (code text PRIMARY KEY NOT NULL);
CREATE TABLE pk_include (id integer, payload text, PRIMARY KEY (id) INCLUDE (payload));
CREATE TABLE pk_deferrable (id integer PRIMARY KEY DEFERRABLE INITIALLY DEFERRED);
