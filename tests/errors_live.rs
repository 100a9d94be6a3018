//! Statement by statement family: what PostgreSQL rejects, the engine rejects with the same message.
//! Each case runs in a real PostgreSQL (a fresh database, `psql -v ON_ERROR_STOP=1 -f`) and in the
//! engine; the first line of PostgreSQL's ERROR must equal the engine's first error diagnostic, and the
//! statement it points at must be the one PostgreSQL stopped at.

mod support;

use std::fs;

use schema_playground::{Options, Runner, Severity, SourceFile, analyze};
use support::pg::TempPostgres;

/// (family, setup and failing statement). The last statement is the one that must fail.
const CASES: &[(&str, &str)] = &[
    ("create table", "CREATE TABLE t (a int); CREATE TABLE t (b int);"),
    ("create table", "CREATE TABLE t (a int, a text);"),
    ("create table", "CREATE TABLE t (a int PRIMARY KEY, b int PRIMARY KEY);"),
    ("create table", "CREATE TABLE t (a no_such_type);"),
    ("create table", "CREATE TABLE t (a int DEFAULT 'x');"),
    ("create table", "CREATE TABLE t (a int CHECK (b > 0));"),
    ("create table", "CREATE TABLE app.t (a int);"),
    ("create table", "CREATE SCHEMA app; CREATE TEMP TABLE app.t (a int);"),
    ("create table", "CREATE TABLE t (a int); CREATE TEMP TABLE t (b int); ALTER TABLE t ADD COLUMN b int;"),
    ("create table", "CREATE TABLE t (a int) ON COMMIT DROP;"),
    ("drop", "CREATE TABLE par (a int); CREATE TABLE ch () INHERITS (par); DROP TABLE par;"),
    (
        "drop",
        "CREATE TABLE p (a int) PARTITION BY RANGE (a); CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (1) TO (10);
         CREATE VIEW v AS SELECT a FROM p1; DROP TABLE p;",
    ),
    (
        "alter table",
        "CREATE TABLE l (id int PRIMARY KEY); CREATE UNLOGGED TABLE up (id int, r int REFERENCES l) PARTITION BY RANGE (id);
         CREATE TABLE up1 PARTITION OF up FOR VALUES FROM (1) TO (10); ALTER TABLE l SET UNLOGGED;",
    ),
    // Syntax errors of the statements read by hand carry PostgreSQL's message, at the token it names.
    ("syntax", "CREATE TABLE t (a int); CREATE PUBLICATION p; ALTER PUBLICATION p ADD TABLE ONLY t *;"),
    ("syntax", "CREATE TYPE ct AS (a int); ALTER TYPE ct ADD ATTRIBUTE;"),
    ("syntax", "CREATE DOMAIN d int; ALTER DOMAIN d ADD NOT NULL;"),
    ("create table", "CREATE TABLE t (a int); CREATE TABLE IF NOT EXISTS u (a int) ON COMMIT DELETE ROWS;"),
    // psql commits after each statement: an ON COMMIT DROP table is gone by the next one.
    ("create table", "CREATE TEMP TABLE t (a int) ON COMMIT DROP; INSERT INTO t VALUES (1);"),
    (
        "create table",
        "BEGIN; CREATE TEMP TABLE t (a int) ON COMMIT DROP; INSERT INTO t VALUES (1); COMMIT; INSERT INTO t VALUES (2);",
    ),
    (
        "create table",
        "BEGIN; CREATE TEMP TABLE t (a int) ON COMMIT DELETE ROWS; INSERT INTO t VALUES (1);
         ALTER TABLE t ADD COLUMN b int NOT NULL;",
    ),
    (
        "create table",
        "BEGIN; CREATE TEMP TABLE t (a int) ON COMMIT DROP; SAVEPOINT s; ROLLBACK TO s; END; SELECT * FROM t; \
         ALTER TABLE t ADD COLUMN b int;",
    ),
    ("view", "CREATE TEMP TABLE tt (a int); CREATE VIEW public.v AS SELECT a FROM tt;"),
    ("view", "CREATE TEMP VIEW public.v AS SELECT 1 AS one;"),
    ("view", "CREATE TEMP TABLE tt (a int); CREATE MATERIALIZED VIEW mv AS SELECT a FROM tt;"),
    ("view", "CREATE TEMP VIEW v AS SELECT 1 AS one; CREATE VIEW w AS SELECT * FROM v; CREATE TEMP VIEW w AS SELECT 2 AS two;"),
    ("sequence", "CREATE TEMP SEQUENCE public.s;"),
    ("sequence", "CREATE TEMP SEQUENCE s; CREATE SEQUENCE s; CREATE TEMP SEQUENCE s;"),
    ("foreign key", "CREATE TABLE t (a int REFERENCES missing (id));"),
    ("foreign key", "CREATE TABLE u (id int); CREATE TABLE t (a int REFERENCES u (id));"),
    ("foreign key", "CREATE TABLE u (id uuid PRIMARY KEY); CREATE TABLE t (a int REFERENCES u);"),
    ("foreign key", "CREATE TABLE u (id int); CREATE TABLE t (a int REFERENCES u);"),
    ("foreign key", "CREATE UNLOGGED TABLE u (id int PRIMARY KEY); CREATE TABLE t (a int REFERENCES u);"),
    (
        "foreign key",
        "CREATE UNLOGGED TABLE u (id int PRIMARY KEY) PARTITION BY RANGE (id); CREATE TABLE t (a int REFERENCES u);",
    ),
    (
        "publication",
        "CREATE UNLOGGED TABLE u (id int, at date) PARTITION BY RANGE (at); ALTER TABLE u SET LOGGED;
         CREATE PUBLICATION pb FOR TABLE u;",
    ),
    (
        "foreign key",
        "CREATE UNLOGGED TABLE u (id int PRIMARY KEY); CREATE TABLE t (a int); ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES u;",
    ),
    ("alter table", "CREATE TABLE t (a int); ALTER TABLE t ADD COLUMN a int;"),
    ("alter table", "CREATE TABLE t (a int); ALTER TABLE t DROP COLUMN b;"),
    ("alter table", "CREATE TABLE t (a int); ALTER TABLE t RENAME COLUMN b TO c;"),
    ("alter table", "CREATE TABLE t (a int); ALTER TABLE t ALTER COLUMN b SET NOT NULL;"),
    ("alter table", "CREATE TABLE t (a int); ALTER TABLE t DROP CONSTRAINT t_a_check;"),
    ("alter table", "CREATE TABLE t (a int PRIMARY KEY); ALTER TABLE t ADD PRIMARY KEY (a);"),
    ("alter table", "CREATE TABLE t (a int PRIMARY KEY); ALTER TABLE t ALTER COLUMN a DROP NOT NULL;"),
    ("alter table", "ALTER TABLE missing ADD COLUMN a int;"),
    ("alter table", "CREATE TABLE t (a text); ALTER TABLE t ALTER COLUMN a TYPE integer;"),
    ("alter table", "CREATE TABLE t (a int); INSERT INTO t VALUES (1); ALTER TABLE t ADD COLUMN b int NOT NULL;"),
    (
        "alter table",
        "CREATE TABLE a (id int PRIMARY KEY); CREATE UNLOGGED TABLE b (id int, a_id int REFERENCES a);
         ALTER TABLE a SET UNLOGGED; ALTER TABLE b SET LOGGED;",
    ),
    (
        "alter table",
        "CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (a_id int REFERENCES a); ALTER TABLE a SET UNLOGGED;",
    ),
    (
        "alter table",
        "CREATE TABLE p (id int PRIMARY KEY, k int) PARTITION BY RANGE (id); CREATE TABLE b (a_id int REFERENCES p);
         ALTER TABLE p SET UNLOGGED;",
    ),
    ("alter table", "CREATE TABLE t (a int); CREATE PUBLICATION pb FOR TABLE t; ALTER TABLE t SET UNLOGGED;"),
    ("alter table", "CREATE TABLE t (a int); ALTER TABLE t SET UNLOGGED, SET LOGGED;"),
    ("alter table", "CREATE TEMP TABLE t (a int); ALTER TABLE t SET LOGGED;"),
    ("alter table", "CREATE UNLOGGED TABLE t (a int); ALTER TABLE t SET LOGGED, SET UNLOGGED;"),
    (
        "alter table",
        "CREATE TABLE p (id int PRIMARY KEY) PARTITION BY RANGE (id); CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
         CREATE TABLE b (p_id int REFERENCES p); ALTER TABLE p1 SET UNLOGGED;",
    ),
    (
        "alter table",
        "CREATE TABLE p (id int PRIMARY KEY) PARTITION BY RANGE (id);
         CREATE UNLOGGED TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
         CREATE UNLOGGED TABLE r (p_id int REFERENCES p); ALTER TABLE r SET LOGGED;",
    ),
    (
        "alter table",
        "CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE c (a_id int); CREATE TABLE b (a_id int REFERENCES a);
         ALTER TABLE c ADD FOREIGN KEY (a_id) REFERENCES a; ALTER TABLE a SET UNLOGGED;",
    ),
    ("index", "CREATE INDEX i ON missing (a);"),
    ("index", "CREATE TABLE t (a int); CREATE INDEX i ON t (b);"),
    ("index", "CREATE TABLE t (a int); CREATE INDEX i ON t (a); CREATE INDEX i ON t (a);"),
    ("index", "CREATE TABLE t (a int PRIMARY KEY); DROP INDEX t_pkey;"),
    ("drop", "DROP TABLE missing;"),
    ("drop", "CREATE TABLE u (id int PRIMARY KEY); CREATE TABLE t (a int REFERENCES u); DROP TABLE u;"),
    ("drop", "CREATE TABLE t (a int, b int); CREATE VIEW v AS SELECT b FROM t; ALTER TABLE t DROP COLUMN b;"),
    ("drop", "CREATE TYPE mood AS ENUM ('a'); CREATE TABLE t (m mood); DROP TYPE mood;"),
    (
        "function",
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'; CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 2';",
    ),
    ("function", "CREATE FUNCTION f() RETURNS int LANGUAGE plpython3u AS 'return 1';"),
    ("function", "DROP FUNCTION missing();"),
    (
        "trigger",
        "CREATE TABLE t (a int); CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION missing();",
    ),
    (
        "trigger",
        "CREATE TABLE t (a int); CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
         CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();
         CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();",
    ),
    ("trigger", "CREATE TABLE t (a int); DROP TRIGGER tr ON t;"),
    (
        "trigger",
        "CREATE TABLE t (a int); CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
         CREATE TRIGGER tr INSTEAD OF INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();",
    ),
    (
        "trigger",
        "CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t;
         CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
         CREATE TRIGGER tr BEFORE INSERT ON v FOR EACH ROW EXECUTE FUNCTION f();",
    ),
    (
        "trigger",
        "CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t;
         CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
         CREATE TRIGGER tr INSTEAD OF INSERT ON v EXECUTE FUNCTION f();",
    ),
    (
        "trigger",
        "CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t;
         CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
         CREATE TRIGGER tr INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION f();
         CREATE TRIGGER tr INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION f();",
    ),
    (
        "trigger",
        "CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t;
         CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
         CREATE TRIGGER tr INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION f(); DROP FUNCTION f();",
    ),
    ("type", "CREATE TYPE mood AS ENUM ('a'); CREATE TYPE mood AS ENUM ('b');"),
    ("type", "CREATE TYPE mood AS ENUM ('a'); ALTER TYPE mood ADD VALUE 'a';"),
    ("schema", "CREATE SCHEMA app; CREATE SCHEMA app;"),
    ("sequence", "CREATE SEQUENCE s; CREATE SEQUENCE s;"),
    ("view", "CREATE VIEW v AS SELECT * FROM missing;"),
    ("dml", "INSERT INTO missing VALUES (1);"),
    ("dml", "CREATE TABLE t (a int); INSERT INTO t (b) VALUES (1);"),
    ("dml", "CREATE TABLE t (a int); UPDATE t SET b = 1;"),
    ("alter table", "CREATE TABLE t (a int); ALTER TABLE t VALIDATE CONSTRAINT nope;"),
    (
        "alter table",
        "CREATE TABLE t (tags text[]); ALTER TABLE t ALTER COLUMN tags TYPE text[] USING string_to_array(tags, ',');",
    ),
    ("alter table", "CREATE TABLE t (a text); ALTER TABLE t ALTER COLUMN a TYPE integer USING b::integer;"),
    ("statistics", "CREATE TABLE t (a int, b int); CREATE STATISTICS s ON a, c FROM t;"),
    (
        "statistics",
        "CREATE TABLE t (a int, b int); CREATE STATISTICS s ON a, b FROM t; CREATE STATISTICS s ON b, a FROM t;",
    ),
    ("statistics", "CREATE TABLE t (a int, b int); CREATE STATISTICS s ON a FROM t;"),
    ("statistics", "CREATE TABLE t (a int, b int); CREATE STATISTICS s (nope) ON a, b FROM t;"),
    ("statistics", "CREATE TABLE t (a int, b int); CREATE STATISTICS s (ndistinct) ON (a + b) FROM t;"),
    ("statistics", "CREATE STATISTICS s ON a, b FROM missing;"),
    ("statistics", "DROP STATISTICS missing;"),
    ("publication", "CREATE PUBLICATION p; CREATE PUBLICATION p;"),
    ("publication", "CREATE PUBLICATION p FOR TABLE missing;"),
    ("publication", "CREATE TABLE t (a int); CREATE PUBLICATION p FOR TABLE t (b);"),
    ("publication", "CREATE TABLE t (a int); CREATE PUBLICATION p FOR TABLE t WHERE (a);"),
    ("publication", "CREATE UNLOGGED TABLE t (a int); CREATE PUBLICATION p FOR TABLE t;"),
    ("publication", "DROP PUBLICATION missing;"),
    (
        "publication",
        "CREATE TABLE t (a int, b int); CREATE PUBLICATION p FOR TABLE t (a, b); ALTER TABLE t DROP COLUMN b;",
    ),
    ("publication", "CREATE TABLE t (a int); ALTER PUBLICATION p ADD TABLE t;"),
    ("publication", "CREATE TABLE t (a int); CREATE PUBLICATION p FOR TABLE t; ALTER PUBLICATION p ADD TABLE t;"),
    ("publication", "CREATE TABLE t (a int); CREATE PUBLICATION p FOR ALL TABLES; ALTER PUBLICATION p ADD TABLE t;"),
    ("publication", "CREATE TABLE t (a int); CREATE PUBLICATION p FOR ALL TABLES; ALTER PUBLICATION p DROP TABLE t;"),
    ("publication", "CREATE PUBLICATION p; ALTER PUBLICATION p ADD TABLE missing;"),
    ("publication", "CREATE VIEW v AS SELECT 1 AS a; CREATE PUBLICATION p; ALTER PUBLICATION p ADD TABLE v;"),
    ("publication", "CREATE UNLOGGED TABLE t (a int); CREATE PUBLICATION p; ALTER PUBLICATION p SET TABLE t;"),
    ("publication", "CREATE TABLE t (a int); CREATE PUBLICATION p; ALTER PUBLICATION p ADD TABLE t (a), t;"),
    ("publication", "CREATE TABLE t (a int); CREATE PUBLICATION p FOR TABLE t, t (a) WHERE (a > 0);"),
    ("publication", "CREATE TABLE t (a int); CREATE PUBLICATION p; ALTER PUBLICATION p SET TABLE t WHERE (a > 0), t (a);"),
    ("publication", "CREATE TABLE t (a int); CREATE PUBLICATION p; ALTER PUBLICATION p DROP TABLE t;"),
    ("publication", "CREATE TABLE t (a int); CREATE PUBLICATION p FOR TABLE t; ALTER PUBLICATION p DROP TABLE t (a);"),
    (
        "publication",
        "CREATE TABLE t (a int); CREATE PUBLICATION p FOR TABLE t; ALTER PUBLICATION p DROP TABLE t WHERE (a > 0);",
    ),
    ("publication", "CREATE PUBLICATION p; ALTER PUBLICATION p DROP TABLE missing;"),
    ("publication", "CREATE VIEW v AS SELECT 1 AS a; CREATE PUBLICATION p; ALTER PUBLICATION p DROP TABLE v;"),
    (
        "publication",
        "CREATE TABLE c (a int); CREATE TABLE kid () INHERITS (c); CREATE PUBLICATION p FOR TABLE ONLY c;
         ALTER PUBLICATION p DROP TABLE c;",
    ),
    (
        "publication",
        "CREATE TABLE c (a int); CREATE TABLE kid () INHERITS (c); CREATE PUBLICATION p FOR TABLE kid;
         ALTER PUBLICATION p ADD TABLE c;",
    ),
    ("publication", "CREATE SCHEMA s; CREATE PUBLICATION p FOR TABLES IN SCHEMA s; ALTER PUBLICATION p ADD TABLES IN SCHEMA s;"),
    ("publication", "CREATE SCHEMA s; CREATE PUBLICATION p; ALTER PUBLICATION p DROP TABLES IN SCHEMA s;"),
    ("publication", "CREATE PUBLICATION p; ALTER PUBLICATION p SET TABLES IN SCHEMA missing;"),
    ("publication", "CREATE TEMP TABLE tt (a int); CREATE PUBLICATION p; ALTER PUBLICATION p ADD TABLE tt;"),
    ("publication", "CREATE TEMP TABLE tt (a int); CREATE PUBLICATION p FOR TABLE tt;"),
    ("publication", "CREATE TABLE c (a int); CREATE INDEX ci ON c (a); CREATE PUBLICATION p; ALTER PUBLICATION p DROP TABLE ci;"),
    ("publication", "CREATE TABLE c (a int); CREATE INDEX ci ON c (a); CREATE PUBLICATION p; ALTER PUBLICATION p ADD TABLE ci;"),
    ("publication", "CREATE TYPE ct AS (x int); CREATE PUBLICATION p; ALTER PUBLICATION p DROP TABLE ct;"),
    ("publication", "CREATE TYPE ct AS (x int); CREATE PUBLICATION p FOR TABLE ct;"),
    ("publication", "CREATE SEQUENCE sq; CREATE PUBLICATION p; ALTER PUBLICATION p DROP TABLE sq;"),
    ("publication", "CREATE TABLE c (a int); CREATE PUBLICATION p; ALTER PUBLICATION p ADD TABLE c (a, xmin);"),
    ("publication", "CREATE TABLE c (a int); CREATE PUBLICATION p FOR TABLE c (tableoid);"),
    ("publication", "CREATE TABLE c (a int); CREATE PUBLICATION p; ALTER PUBLICATION p SET TABLE c (nosuch, ctid);"),
    ("publication", "CREATE TABLE c (a int); CREATE TABLE kid () INHERITS (c); CREATE PUBLICATION p; ALTER PUBLICATION p ADD TABLE kid WHERE (a > 0), c;"),
    ("publication", "CREATE TABLE c (a int); CREATE TABLE kid () INHERITS (c); CREATE PUBLICATION p; ALTER PUBLICATION p ADD TABLE kid, c WHERE (a > 0);"),
    ("publication", "CREATE TABLE c (a int); CREATE TABLE kid () INHERITS (c); CREATE PUBLICATION p; ALTER PUBLICATION p ADD TABLE kid (a), c;"),
    ("publication", "CREATE TABLE c (a int); CREATE SCHEMA s; CREATE PUBLICATION p FOR TABLE c (a); ALTER PUBLICATION p ADD TABLES IN SCHEMA s;"),
    ("publication", "CREATE PUBLICATION p; ALTER PUBLICATION p ADD TABLE missing, TABLES IN SCHEMA missing2;"),
    ("publication", "CREATE PUBLICATION p FOR ALL TABLES; ALTER PUBLICATION p ADD TABLE missing;"),
    ("publication", "CREATE SCHEMA s; CREATE PUBLICATION p FOR ALL TABLES; ALTER PUBLICATION p ADD TABLES IN SCHEMA s;"),
    ("publication", "CREATE TABLE c (a int); CREATE PUBLICATION p; ALTER PUBLICATION p DROP TABLE c WHERE (a > 0);"),
    (
        "publication",
        "CREATE SCHEMA s; CREATE TABLE s.x (id int); CREATE PUBLICATION p FOR TABLES IN SCHEMA s;
         ALTER PUBLICATION p ADD TABLE s.x (id);",
    ),
    (
        "publication",
        "CREATE SCHEMA s; CREATE TABLE s.x (id int); CREATE PUBLICATION p FOR TABLE s.x (id), TABLES IN SCHEMA s;",
    ),
    (
        "publication",
        "CREATE SCHEMA s; CREATE TABLE s.x (id int); CREATE PUBLICATION p FOR TABLE s.x;
         ALTER PUBLICATION p DROP TABLE s.x, TABLES IN SCHEMA s;",
    ),
    (
        "publication",
        "CREATE SCHEMA s; CREATE TABLE s.x (id int); CREATE PUBLICATION p FOR TABLE s.x;
         ALTER PUBLICATION p DROP TABLE s.x; ALTER PUBLICATION p DROP TABLE s.x;",
    ),
    (
        "publication",
        "CREATE TABLE t (a int); CREATE PUBLICATION p FOR TABLE t; ALTER PUBLICATION p DROP TABLE t;
         ALTER TABLE t SET UNLOGGED; ALTER TABLE t SET LOGGED; ALTER PUBLICATION p ADD TABLE t;
         ALTER TABLE t SET UNLOGGED;",
    ),
    (
        "rule",
        "CREATE TABLE t (a int); CREATE RULE r AS ON DELETE TO t DO INSTEAD NOTHING;
         CREATE RULE r AS ON DELETE TO t DO INSTEAD NOTHING;",
    ),
    ("rule", "CREATE TABLE t (a int); DROP RULE r ON t;"),
    ("rule", "CREATE RULE r AS ON DELETE TO missing DO INSTEAD NOTHING;"),
    (
        "rule",
        "CREATE TABLE t (a int, b int); CREATE RULE r AS ON UPDATE TO t WHERE new.b > 0 DO INSTEAD NOTHING;
         ALTER TABLE t DROP COLUMN b;",
    ),
    ("typed table", "CREATE TYPE pair AS (a int, b int); CREATE TABLE t OF pair (c WITH OPTIONS DEFAULT 1);"),
    ("typed table", "CREATE TABLE t OF missing;"),
    ("typed table", "CREATE TYPE mood AS ENUM ('a'); CREATE TABLE t OF mood;"),
    ("typed table", "CREATE TYPE pair AS (a int, b int); CREATE TABLE t OF pair; ALTER TABLE t ADD COLUMN c int;"),
    ("typed table", "CREATE TYPE pair AS (a int, b int); CREATE TABLE t OF pair; DROP TYPE pair;"),
    ("alter view", "CREATE TABLE t (a int); CREATE MATERIALIZED VIEW m AS SELECT a FROM t; ALTER VIEW m RENAME TO m2;"),
    ("alter view", "CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t; ALTER MATERIALIZED VIEW v RENAME TO v2;"),
    ("alter view", "CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t; ALTER VIEW v RENAME TO t;"),
    ("alter view", "ALTER VIEW nope RENAME TO z;"),
    ("alter view", "CREATE VIEW v AS SELECT 1 AS x; ALTER VIEW v AS SELECT 2 AS x;"),
    ("alter view", "CREATE TABLE t (a int); ALTER VIEW t SET SCHEMA public;"),
    (
        "alter view",
        "CREATE SCHEMA s; CREATE VIEW s.v AS SELECT 1 AS x; CREATE VIEW v AS SELECT 2 AS x; ALTER VIEW v SET SCHEMA s;",
    ),
    ("alter view", "CREATE VIEW v AS SELECT 1 AS x; ALTER VIEW v SET SCHEMA nope;"),
    (
        "alter view",
        "CREATE TABLE t (a int, b int); CREATE MATERIALIZED VIEW m AS SELECT a, b FROM t;
         ALTER MATERIALIZED VIEW m RENAME COLUMN a TO b;",
    ),
    (
        "alter view",
        "CREATE TABLE t (a int); CREATE MATERIALIZED VIEW m AS SELECT a FROM t; ALTER MATERIALIZED VIEW m RENAME COLUMN nope TO c;",
    ),
    (
        "alter view",
        "CREATE TABLE t (a int); CREATE MATERIALIZED VIEW m AS SELECT a FROM t; ALTER TABLE m RENAME TO t;",
    ),
    ("type schema", "CREATE SCHEMA s; ALTER TYPE nope SET SCHEMA s;"),
    ("type schema", "ALTER TYPE s.nope SET SCHEMA public;"),
    ("type schema", "CREATE TYPE mood AS ENUM ('a'); ALTER TYPE mood SET SCHEMA nope;"),
    ("type schema", "CREATE SCHEMA s; CREATE TABLE t (a int); ALTER TYPE t SET SCHEMA s;"),
    ("type schema", "CREATE SCHEMA s; CREATE VIEW v AS SELECT 1 AS a; ALTER TYPE v SET SCHEMA s;"),
    (
        "type schema",
        "CREATE SCHEMA s; CREATE TYPE pair AS (a int); CREATE TYPE s.pair AS ENUM ('z'); ALTER TYPE pair SET SCHEMA s;",
    ),
    ("type schema", "CREATE SCHEMA s; CREATE DOMAIN d AS int; ALTER TYPE d SET SCHEMA s; ALTER TYPE d SET SCHEMA s;"),
    ("type schema", "CREATE SCHEMA s; CREATE TYPE mood AS ENUM ('a'); ALTER TYPE mood SET SCHEMA s s;"),
    ("domain", "CREATE DOMAIN pos AS int; ALTER DOMAIN nope ADD CHECK (VALUE > 0);"),
    ("domain", "ALTER DOMAIN public.nope DROP DEFAULT;"),
    ("domain", "ALTER DOMAIN s.pos SET NOT NULL;"),
    ("domain", "ALTER DOMAIN nope OWNER TO postgres;"),
    ("domain", "CREATE TYPE mood AS ENUM ('a'); ALTER DOMAIN mood SET NOT NULL;"),
    ("domain", "CREATE SCHEMA s; CREATE TYPE s.pair AS (a int); ALTER DOMAIN s.pair DROP NOT NULL;"),
    ("domain", "CREATE TABLE t (a int); ALTER DOMAIN t DROP DEFAULT;"),
    ("domain", "ALTER DOMAIN int4 SET NOT NULL;"),
    (
        "domain",
        "CREATE DOMAIN pos AS int CONSTRAINT p CHECK (VALUE > 0); ALTER DOMAIN pos ADD CONSTRAINT p CHECK (VALUE < 10);",
    ),
    ("domain", "CREATE DOMAIN d AS int CONSTRAINT c CHECK (VALUE > 0) CONSTRAINT c CHECK (VALUE < 9);"),
    ("domain", "CREATE DOMAIN d AS int CHECK (x > 0);"),
    ("domain", "CREATE DOMAIN pos AS int; ALTER DOMAIN pos DROP CONSTRAINT p;"),
    (
        "domain",
        "CREATE DOMAIN pos AS int; ALTER DOMAIN pos DROP CONSTRAINT IF EXISTS p; ALTER DOMAIN pos DROP CONSTRAINT p;",
    ),
    ("domain", "CREATE SCHEMA s; CREATE DOMAIN s.\"Pos\" AS int; ALTER DOMAIN s.\"Pos\" VALIDATE CONSTRAINT p;"),
    (
        "domain",
        "CREATE DOMAIN pos AS int CHECK (VALUE > 0) CHECK (VALUE < 9);
         ALTER DOMAIN pos RENAME CONSTRAINT pos_check TO pos_check1;",
    ),
    ("domain", "CREATE SCHEMA s; CREATE DOMAIN s.pos AS int; ALTER DOMAIN s.pos RENAME CONSTRAINT nope TO p;"),
    ("domain", "CREATE DOMAIN pos AS int; CREATE TYPE mood AS ENUM ('a'); ALTER DOMAIN pos RENAME TO mood;"),
    ("domain", "CREATE DOMAIN pos AS int; CREATE TABLE t (a pos); ALTER DOMAIN pos RENAME TO t;"),
    ("domain", "CREATE DOMAIN pos AS int; ALTER DOMAIN pos SET SCHEMA nope;"),
    ("domain", "CREATE SCHEMA s; CREATE DOMAIN s.pos AS int; CREATE DOMAIN pos AS int; ALTER DOMAIN pos SET SCHEMA s;"),
    ("domain", "CREATE DOMAIN pos AS int; ALTER DOMAIN pos ADD CHECK (x > 0);"),
    ("domain", "CREATE DOMAIN pos AS int; ALTER DOMAIN pos ADD CHECK (VALUE);"),
    ("domain", "CREATE DOMAIN pos AS int; ALTER DOMAIN pos ADD CHECK (VALUE > (SELECT 1));"),
    ("domain", "CREATE DOMAIN pos AS int; ALTER DOMAIN pos ADD CONSTRAINT u UNIQUE (a);"),
    ("domain", "CREATE DOMAIN pos AS int; ALTER DOMAIN pos ADD PRIMARY KEY (a);"),
    ("domain", "CREATE DOMAIN pos AS int; ALTER DOMAIN pos SET DEFAULT 'x';"),
    ("domain", "CREATE DOMAIN pos AS int; ALTER DOMAIN pos ADD NOT NULL;"),
    ("domain", "CREATE DOMAIN pos AS int; ALTER DOMAIN pos ADD CHECK (VALUE > 0) DEFERRABLE;"),
    ("alter type attribute", "CREATE TYPE p AS (a int); ALTER TYPE p ADD ATTRIBUTE a int;"),
    ("alter type attribute", "CREATE TYPE p AS (a int); ALTER TYPE p DROP ATTRIBUTE b;"),
    (
        "alter type attribute",
        "CREATE TYPE p AS (a int); ALTER TYPE p ADD ATTRIBUTE c text, ALTER ATTRIBUTE c TYPE int;",
    ),
    ("alter type attribute", "CREATE TYPE p AS (a int); ALTER TYPE p DROP ATTRIBUTE a, ALTER ATTRIBUTE a TYPE text;"),
    ("alter type attribute", "CREATE TYPE p AS (a int); ALTER TYPE p ADD ATTRIBUTE c text, DROP ATTRIBUTE c;"),
    ("alter type attribute", "CREATE TYPE p AS (a int); ALTER TYPE p ALTER ATTRIBUTE x SET DATA TYPE int;"),
    ("alter type attribute", "CREATE TYPE p AS (a int); ALTER TYPE p RENAME ATTRIBUTE x TO y;"),
    ("alter type attribute", "CREATE TYPE p AS (a int, b int); ALTER TYPE p RENAME ATTRIBUTE a TO b;"),
    ("alter type attribute", "CREATE TYPE p AS (a int); ALTER TYPE p ADD ATTRIBUTE b nosuch;"),
    ("alter type attribute", "CREATE TYPE p AS (a int); ALTER TYPE p ALTER ATTRIBUTE a TYPE nosuch;"),
    ("alter type attribute", "CREATE TYPE p AS (a int); ALTER TYPE p ADD ATTRIBUTE b p[];"),
    ("alter type attribute", "ALTER TYPE nope ADD ATTRIBUTE x int;"),
    ("alter type attribute", "CREATE SCHEMA s; ALTER TYPE s.nope DROP ATTRIBUTE x;"),
    ("alter type attribute", "ALTER TYPE nos.nope ADD ATTRIBUTE x int;"),
    ("alter type attribute", "CREATE TYPE e AS ENUM ('a'); ALTER TYPE e ADD ATTRIBUTE x int;"),
    ("alter type attribute", "CREATE DOMAIN d AS int; ALTER TYPE d RENAME ATTRIBUTE x TO y;"),
    ("alter type attribute", "CREATE TABLE t (a int); ALTER TYPE t ADD ATTRIBUTE x int;"),
    ("alter type attribute", "CREATE VIEW v AS SELECT 1 AS a; ALTER TYPE v DROP ATTRIBUTE a;"),
    (
        "alter type attribute",
        "CREATE TYPE p AS (a int); CREATE TABLE t (c p[]); ALTER TYPE p ALTER ATTRIBUTE a TYPE text;",
    ),
    ("alter type attribute", "CREATE TYPE p AS (a int); CREATE TABLE t OF p; ALTER TYPE p ADD ATTRIBUTE b int;"),
    ("alter type attribute", "CREATE TYPE p AS (a int); CREATE TABLE t OF p; ALTER TYPE p RENAME ATTRIBUTE a TO z;"),
    ("alter type attribute", "CREATE TYPE p AS (a int); CREATE TABLE t OF p; ALTER TYPE p DROP ATTRIBUTE a RESTRICT;"),
    ("alter type attribute", "CREATE TYPE p AS (a int); ALTER TYPE p ADD ATTRIBUTE b int NOT NULL;"),
    ("alter type attribute", "CREATE TYPE p AS (a int); ALTER TYPE p ALTER ATTRIBUTE a TYPE text USING a::text;"),
    (
        "alter type attribute",
        "CREATE TYPE p AS (a int); ALTER TYPE p RENAME ATTRIBUTE a TO b, RENAME ATTRIBUTE b TO c;",
    ),
    ("alter type attribute", "CREATE TYPE p AS (a int); ALTER TYPE p DROP ATTRIBUTE;"),
    ("index", "CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t; CREATE INDEX ON v (a);"),
    ("index", "CREATE TABLE t (a int); CREATE MATERIALIZED VIEW m AS SELECT a FROM t; CREATE INDEX ON m (b);"),
    (
        "index",
        "CREATE TABLE t (a int); CREATE MATERIALIZED VIEW m AS SELECT a, count(*) AS n FROM t GROUP BY a;
         CREATE INDEX ON m ((zz + n));",
    ),
    (
        "index",
        "CREATE TABLE t (a int); CREATE MATERIALIZED VIEW m AS SELECT a FROM t; CREATE INDEX ON m (a) WHERE b > 0;",
    ),
    ("index", "CREATE TABLE t (a int); CREATE MATERIALIZED VIEW m AS SELECT a FROM t; CREATE INDEX m ON t (a);"),
    (
        "index",
        "CREATE TABLE t (a int); CREATE MATERIALIZED VIEW m AS SELECT a FROM t; CREATE INDEX i ON m (a);
         CREATE INDEX i ON t (a);",
    ),
    // ATTACH PARTITION: PostgreSQL's checks, in its order.
    ("attach", "CREATE TABLE p (a int, d date); CREATE TABLE c (a int, d date); ALTER TABLE p ATTACH PARTITION c DEFAULT;"),
    ("attach", "CREATE TABLE p (a int) PARTITION BY LIST (a); ALTER TABLE p ATTACH PARTITION c DEFAULT;"),
    (
        "attach",
        "CREATE TABLE p (a int) PARTITION BY LIST (a); CREATE TABLE c (a int); ALTER TABLE p ATTACH PARTITION c DEFAULT;
         ALTER TABLE p ATTACH PARTITION c FOR VALUES IN (1);",
    ),
    (
        "attach",
        "CREATE TABLE p (a int) PARTITION BY LIST (a); CREATE TYPE ty AS (a int); CREATE TABLE c OF ty;
         ALTER TABLE p ATTACH PARTITION c DEFAULT;",
    ),
    (
        "attach",
        "CREATE TABLE p (a int) PARTITION BY LIST (a); CREATE TABLE b (a int); CREATE TABLE c () INHERITS (b);
         ALTER TABLE p ATTACH PARTITION c DEFAULT;",
    ),
    (
        "attach",
        "CREATE TABLE p (a int) PARTITION BY LIST (a); CREATE TABLE c (a int); CREATE TABLE k () INHERITS (c);
         ALTER TABLE p ATTACH PARTITION c DEFAULT;",
    ),
    (
        "attach",
        "CREATE TABLE p (a int) PARTITION BY LIST (a); CREATE TABLE q (a int) PARTITION BY LIST (a);
         ALTER TABLE q ATTACH PARTITION p DEFAULT; ALTER TABLE p ATTACH PARTITION q DEFAULT;",
    ),
    ("attach", "CREATE TABLE p (a int) PARTITION BY LIST (a); ALTER TABLE p ATTACH PARTITION p DEFAULT;"),
    (
        "attach",
        "CREATE TABLE p (a int) PARTITION BY LIST (a); CREATE TEMP TABLE c (a int); ALTER TABLE p ATTACH PARTITION c DEFAULT;",
    ),
    (
        "attach",
        "CREATE TEMP TABLE p (a int) PARTITION BY LIST (a); CREATE TABLE c (a int); ALTER TABLE p ATTACH PARTITION c DEFAULT;",
    ),
    (
        "attach",
        "CREATE TABLE p (a int, d date) PARTITION BY LIST (a); CREATE TABLE c (a int, x int, d date);
         ALTER TABLE p ATTACH PARTITION c DEFAULT;",
    ),
    (
        "attach",
        "CREATE TABLE p (a int, d date) PARTITION BY LIST (a); CREATE TABLE c (a int); ALTER TABLE p ATTACH PARTITION c DEFAULT;",
    ),
    (
        "attach",
        "CREATE TABLE p (a int NOT NULL, d date NOT NULL, e int NOT NULL) PARTITION BY LIST (a);
         CREATE TABLE c (e bigint, d date, a int NOT NULL); ALTER TABLE p ATTACH PARTITION c DEFAULT;",
    ),
    (
        "attach",
        "CREATE TABLE p (a int, d date, PRIMARY KEY (a, d)) PARTITION BY LIST (a); CREATE TABLE c (a int, d date);
         ALTER TABLE p ATTACH PARTITION c DEFAULT;",
    ),
    (
        "attach",
        "CREATE TABLE p (a int, t text COLLATE \"C\") PARTITION BY LIST (a); CREATE TABLE c (a int, t text);
         ALTER TABLE p ATTACH PARTITION c DEFAULT;",
    ),
    (
        "attach",
        "CREATE TABLE p (a int, g int GENERATED ALWAYS AS (a * 2) STORED) PARTITION BY LIST (a);
         CREATE TABLE c (a int, g int); ALTER TABLE p ATTACH PARTITION c DEFAULT;",
    ),
    (
        "attach",
        "CREATE TABLE p (a int CHECK (a > 0)) PARTITION BY LIST (a); CREATE TABLE c (a int); ALTER TABLE p ATTACH PARTITION c DEFAULT;",
    ),
    (
        "attach",
        "CREATE TABLE p (a int CHECK (a > 0)) PARTITION BY LIST (a); CREATE TABLE c (a int, CONSTRAINT p_a_check UNIQUE (a));
         ALTER TABLE p ATTACH PARTITION c DEFAULT;",
    ),
    (
        "attach",
        "CREATE TABLE p (a int CHECK (a > 0)) PARTITION BY LIST (a); CREATE TABLE c (a int CONSTRAINT p_a_check CHECK (a > 1));
         ALTER TABLE p ATTACH PARTITION c DEFAULT;",
    ),
    (
        "attach",
        "CREATE TABLE p (a int CHECK (a > 0)) PARTITION BY LIST (a);
         CREATE TABLE c (a int CONSTRAINT p_a_check CHECK (a > 0) NO INHERIT); ALTER TABLE p ATTACH PARTITION c DEFAULT;",
    ),
    (
        "attach",
        "CREATE TABLE p (a int CHECK (a > 0)) PARTITION BY LIST (a); CREATE TABLE c (a int);
         ALTER TABLE c ADD CONSTRAINT p_a_check CHECK (a > 0) NOT VALID; ALTER TABLE p ATTACH PARTITION c DEFAULT;",
    ),
    (
        "attach",
        "CREATE TABLE p (a int) PARTITION BY LIST (a); CREATE TABLE c (a int); ALTER TABLE p DETACH PARTITION c;",
    ),
    // A partition's copy of its parent's foreign key: it cannot be dropped on its own, it goes with the
    // parent's, it follows a rename of the parent's, and a detached partition keeps it as its own.
    ("partition keys", "CREATE TABLE u (id int PRIMARY KEY); CREATE TABLE p (a int, u int REFERENCES u) PARTITION BY LIST (a); CREATE TABLE c PARTITION OF p DEFAULT; ALTER TABLE c DROP CONSTRAINT p_u_fkey;"),
    (
        "partition keys",
        "CREATE TABLE u (id int PRIMARY KEY); CREATE TABLE p (a int, u int REFERENCES u) PARTITION BY LIST (a); CREATE TABLE c (a int, u int); ALTER TABLE p ATTACH PARTITION c DEFAULT; ALTER TABLE c DROP CONSTRAINT p_u_fkey;",
    ),
    (
        "partition keys",
        "CREATE TABLE u (id int PRIMARY KEY); CREATE TABLE p (a int, u int REFERENCES u) PARTITION BY LIST (a); CREATE TABLE c (a int, u int REFERENCES u); ALTER TABLE p ATTACH PARTITION c DEFAULT;
         ALTER TABLE c DROP CONSTRAINT c_u_fkey;",
    ),
    (
        "partition keys",
        "CREATE TABLE u (id int PRIMARY KEY); CREATE TABLE p (a int, u int REFERENCES u) PARTITION BY LIST (a); CREATE TABLE c (a int, u int CONSTRAINT p_u_fkey CHECK (u > 0)); ALTER TABLE p ATTACH PARTITION c DEFAULT;
         ALTER TABLE c DROP CONSTRAINT c_u_fkey;",
    ),
    (
        "partition keys",
        "CREATE TABLE u (id int PRIMARY KEY); CREATE TABLE p (a int, u int) PARTITION BY LIST (a);
         CREATE TABLE c PARTITION OF p DEFAULT; ALTER TABLE p ADD FOREIGN KEY (u) REFERENCES u;
         ALTER TABLE c DROP CONSTRAINT p_u_fkey;",
    ),
    (
        "partition keys",
        "CREATE TABLE u (id int PRIMARY KEY); CREATE TABLE p (a int, u int REFERENCES u) PARTITION BY LIST (a); CREATE TABLE c PARTITION OF p FOR VALUES IN (1) PARTITION BY LIST (u); CREATE TABLE cc PARTITION OF c DEFAULT;
         ALTER TABLE cc DROP CONSTRAINT p_u_fkey;",
    ),
    (
        "partition keys",
        "CREATE TABLE u (id int PRIMARY KEY); CREATE TABLE p (a int, u int REFERENCES u) PARTITION BY LIST (a); CREATE TABLE c PARTITION OF p DEFAULT; ALTER TABLE p DROP CONSTRAINT p_u_fkey; ALTER TABLE c DROP CONSTRAINT p_u_fkey;",
    ),
    (
        "partition keys",
        "CREATE TABLE u (id int PRIMARY KEY); CREATE TABLE p (a int, u int REFERENCES u) PARTITION BY LIST (a); CREATE TABLE c PARTITION OF p DEFAULT; ALTER TABLE p RENAME CONSTRAINT p_u_fkey TO k;
         ALTER TABLE c RENAME CONSTRAINT p_u_fkey TO k2; ALTER TABLE p DROP CONSTRAINT k; ALTER TABLE c DROP CONSTRAINT k2;",
    ),
    (
        "partition keys",
        "CREATE TABLE u (id int PRIMARY KEY); CREATE TABLE p (a int, u int REFERENCES u) PARTITION BY LIST (a); CREATE TABLE c PARTITION OF p DEFAULT; ALTER TABLE p DETACH PARTITION c; ALTER TABLE c DROP CONSTRAINT p_u_fkey;
         ALTER TABLE c DROP CONSTRAINT p_u_fkey;",
    ),
    (
        "partition keys",
        "CREATE TABLE u (id int PRIMARY KEY); CREATE TABLE p (a int, u int REFERENCES u) PARTITION BY LIST (a); CREATE TABLE c PARTITION OF p DEFAULT; ALTER TABLE c ADD CONSTRAINT p_u_fkey CHECK (u > 0);",
    ),
    ("partition keys", "CREATE TABLE u (id int PRIMARY KEY); CREATE TABLE p (a int, u int REFERENCES u) PARTITION BY LIST (a); CREATE TABLE c PARTITION OF p DEFAULT; DROP TABLE u;"),
    // What a partition or an inheritance child holds from its parents cannot be changed on the child alone.
    (
        "inherited",
        "CREATE TABLE p (a int NOT NULL, b int CHECK (b > 0)) PARTITION BY LIST (a); CREATE TABLE c PARTITION OF p FOR VALUES IN (1); ALTER TABLE c DROP COLUMN b;",
    ),
    (
        "inherited",
        "CREATE TABLE p (a int NOT NULL, b int CHECK (b > 0)) PARTITION BY LIST (a); CREATE TABLE c PARTITION OF p FOR VALUES IN (1); ALTER TABLE c ALTER COLUMN b TYPE bigint;",
    ),
    (
        "inherited",
        "CREATE TABLE p (a int NOT NULL, b int CHECK (b > 0)) PARTITION BY LIST (a); CREATE TABLE c PARTITION OF p FOR VALUES IN (1); ALTER TABLE c RENAME COLUMN b TO bb;",
    ),
    (
        "inherited",
        "CREATE TABLE p (a int NOT NULL, b int CHECK (b > 0)) PARTITION BY LIST (a); CREATE TABLE c PARTITION OF p FOR VALUES IN (1); ALTER TABLE c ALTER COLUMN a DROP NOT NULL;",
    ),
    (
        "inherited",
        "CREATE TABLE p (a int NOT NULL, b int CHECK (b > 0)) PARTITION BY LIST (a); CREATE TABLE c PARTITION OF p FOR VALUES IN (1); ALTER TABLE c ADD COLUMN z int;",
    ),
    (
        "inherited",
        "CREATE TABLE p (a int NOT NULL, b int CHECK (b > 0)) PARTITION BY LIST (a); CREATE TABLE c PARTITION OF p FOR VALUES IN (1); CREATE TABLE x () INHERITS (p);",
    ),
    (
        "inherited",
        "CREATE TABLE p (a int NOT NULL, b int CHECK (b > 0)) PARTITION BY LIST (a); CREATE TABLE c PARTITION OF p FOR VALUES IN (1); CREATE TABLE x () INHERITS (c);",
    ),
    (
        "inherited",
        "CREATE TABLE p (a int NOT NULL, b int CHECK (b > 0)) PARTITION BY LIST (a); CREATE TABLE c PARTITION OF p FOR VALUES IN (1); CREATE TEMP TABLE tc PARTITION OF p FOR VALUES IN (5);",
    ),
    (
        "inherited",
        "CREATE TEMP TABLE tp (a int) PARTITION BY LIST (a); CREATE TABLE pc PARTITION OF tp FOR VALUES IN (1);",
    ),
    (
        "inherited",
        "CREATE TEMP TABLE tb (a int); CREATE TABLE pk () INHERITS (tb);",
    ),
    (
        "inherited",
        "CREATE TABLE p (a int NOT NULL, b int CHECK (b > 0)) PARTITION BY LIST (a); CREATE TABLE c PARTITION OF p FOR VALUES IN (1); ALTER TABLE c DROP CONSTRAINT p_b_check;",
    ),
    (
        "inherited",
        "CREATE TABLE p (a int NOT NULL, b int CHECK (b > 0)) PARTITION BY LIST (a); CREATE TABLE c PARTITION OF p FOR VALUES IN (1); CREATE TABLE c2 (a int NOT NULL, b int CONSTRAINT p_b_check CHECK (b > 0)); ALTER TABLE p ATTACH PARTITION c2 FOR VALUES IN (2); ALTER TABLE c2 DROP COLUMN b;",
    ),
    (
        "inherited",
        "CREATE TABLE p (a int NOT NULL, b int CHECK (b > 0)) PARTITION BY LIST (a); CREATE TABLE c PARTITION OF p FOR VALUES IN (1); CREATE TABLE c2 (a int NOT NULL, b int CONSTRAINT p_b_check CHECK (b > 0)); ALTER TABLE p ATTACH PARTITION c2 FOR VALUES IN (2); ALTER TABLE c2 DROP CONSTRAINT p_b_check;",
    ),
    (
        "inherited",
        "CREATE TABLE base (id int, note text CHECK (note <> '')); CREATE TABLE kid (extra int) INHERITS (base); ALTER TABLE kid DROP COLUMN note;",
    ),
    (
        "inherited",
        "CREATE TABLE base (id int, note text CHECK (note <> '')); CREATE TABLE kid (extra int) INHERITS (base); ALTER TABLE kid RENAME COLUMN id TO ident;",
    ),
    (
        "inherited",
        "CREATE TABLE base (id int, note text CHECK (note <> '')); CREATE TABLE kid (extra int) INHERITS (base); ALTER TABLE kid ALTER COLUMN id TYPE bigint;",
    ),
    (
        "inherited",
        "CREATE TABLE base (id int, note text CHECK (note <> '')); CREATE TABLE kid (extra int) INHERITS (base); ALTER TABLE kid DROP CONSTRAINT base_note_check;",
    ),
    // The hidden constraints of a key that references a partitioned table.
    (
        "partition keys",
        "CREATE TABLE r (id int, k int, PRIMARY KEY (id, k)) PARTITION BY LIST (k); CREATE TABLE r1 PARTITION OF r FOR VALUES IN (1); CREATE TABLE t (a int, b int, FOREIGN KEY (a, b) REFERENCES r); DROP TABLE r1;",
    ),
    (
        "partition keys",
        "CREATE TABLE r (id int, k int, PRIMARY KEY (id, k)) PARTITION BY LIST (k); CREATE TABLE r1 PARTITION OF r FOR VALUES IN (1); CREATE TABLE t (a int, b int, FOREIGN KEY (a, b) REFERENCES r); ALTER TABLE t DROP CONSTRAINT t_a_b_fkey1;",
    ),
    (
        "partition keys",
        "CREATE TABLE r (id int, k int, PRIMARY KEY (id, k)) PARTITION BY LIST (k); CREATE TABLE r1 PARTITION OF r FOR VALUES IN (1); CREATE TABLE t (a int, b int, FOREIGN KEY (a, b) REFERENCES r); ALTER TABLE t ADD CONSTRAINT t_a_b_fkey1 CHECK (a > 0);",
    ),
    (
        "partition keys",
        "CREATE TABLE r (id int, k int, PRIMARY KEY (id, k)) PARTITION BY LIST (k); CREATE TABLE r1 PARTITION OF r FOR VALUES IN (1); CREATE TABLE t (a int, b int, FOREIGN KEY (a, b) REFERENCES r); ALTER TABLE r DETACH PARTITION r1;
         ALTER TABLE t DROP CONSTRAINT t_a_b_fkey1;",
    ),
    // Hash partitions: moduli that divide one another, remainders no other partition holds.
    (
        "partition bounds",
        "CREATE TABLE h (a int) PARTITION BY HASH (a); CREATE TABLE h0 PARTITION OF h FOR VALUES WITH (modulus 4, remainder 0); CREATE TABLE h1 PARTITION OF h FOR VALUES WITH (modulus 4, remainder 0);",
    ),
    (
        "partition bounds",
        "CREATE TABLE h (a int) PARTITION BY HASH (a); CREATE TABLE h0 PARTITION OF h FOR VALUES WITH (modulus 2, remainder 0); CREATE TABLE h1 PARTITION OF h FOR VALUES WITH (modulus 4, remainder 2);",
    ),
    (
        "partition bounds",
        "CREATE TABLE h (a int) PARTITION BY HASH (a); CREATE TABLE h0 PARTITION OF h FOR VALUES WITH (modulus 4, remainder 1); CREATE TABLE h1 PARTITION OF h FOR VALUES WITH (modulus 2, remainder 1);",
    ),
    (
        "partition bounds",
        "CREATE TABLE h (a int) PARTITION BY HASH (a); CREATE TABLE h0 PARTITION OF h FOR VALUES WITH (modulus 4, remainder 0); CREATE TABLE h1 PARTITION OF h FOR VALUES WITH (modulus 6, remainder 1);",
    ),
    (
        "partition bounds",
        "CREATE TABLE h (a int) PARTITION BY HASH (a); CREATE TABLE h0 PARTITION OF h FOR VALUES WITH (modulus 6, remainder 0); CREATE TABLE h1 PARTITION OF h FOR VALUES WITH (modulus 4, remainder 1);",
    ),
    (
        "partition bounds",
        "CREATE TABLE h (a int) PARTITION BY HASH (a); CREATE TABLE h0 PARTITION OF h FOR VALUES WITH (modulus 2, remainder 0); CREATE TABLE h1 PARTITION OF h FOR VALUES WITH (modulus 8, remainder 1);
         CREATE TABLE h2 PARTITION OF h FOR VALUES WITH (modulus 4, remainder 1);",
    ),
    // Partition keys and bound specifications: what the key must cover, what a bound must look like.
    (
        "partition spec",
        "CREATE TABLE p (id bigint PRIMARY KEY, at date) PARTITION BY RANGE (at);",
    ),
    (
        "partition spec",
        "CREATE TABLE p (id bigint, at date, UNIQUE (id)) PARTITION BY RANGE (at);",
    ),
    (
        "partition spec",
        "CREATE TABLE p (id bigint, at date) PARTITION BY RANGE (at); ALTER TABLE p ADD PRIMARY KEY (id);",
    ),
    (
        "partition spec",
        "CREATE TABLE p (id bigint, at date) PARTITION BY RANGE (at); CREATE UNIQUE INDEX ON p (id);",
    ),
    (
        "partition spec",
        "CREATE TABLE p (id bigint, at date) PARTITION BY RANGE ((at + 1)); ALTER TABLE p ADD UNIQUE (id, at);",
    ),
    (
        "partition spec",
        "CREATE TABLE p (id bigint, at date, EXCLUDE USING btree (id WITH =)) PARTITION BY RANGE (at);",
    ),
    (
        "partition spec",
        "CREATE TABLE p (a int, b int) PARTITION BY LIST (a, b);",
    ),
    (
        "partition spec",
        "CREATE TABLE p (a int) PARTITION BY RANGE (b);",
    ),
    (
        "partition spec",
        "CREATE TABLE p (a int) PARTITION BY LIST (a); CREATE TABLE p1 PARTITION OF p FOR VALUES IN ('abc');",
    ),
    (
        "partition spec",
        "CREATE TABLE p (a int) PARTITION BY LIST (a); CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (1) TO (2);",
    ),
    (
        "partition spec",
        "CREATE TABLE p (a int) PARTITION BY HASH (a); CREATE TABLE p1 PARTITION OF p DEFAULT;",
    ),
    (
        "partition spec",
        "CREATE TABLE p (a int) PARTITION BY RANGE (a); CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);",
    ),
    (
        "partition spec",
        "CREATE TABLE p (a int) PARTITION BY RANGE (a); CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (1, 2) TO (3, 4);",
    ),
    (
        "partition spec",
        "CREATE TABLE p (a int) PARTITION BY RANGE (a); CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (1) TO (3, 4);",
    ),
    (
        "partition spec",
        "CREATE TABLE p (a int) PARTITION BY HASH (a); CREATE TABLE p1 PARTITION OF p FOR VALUES WITH (modulus 4, remainder 5);",
    ),
    (
        "partition spec",
        "CREATE TABLE p (a int) PARTITION BY HASH (a); CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);",
    ),
    (
        "partition spec",
        "CREATE TABLE p (a int) PARTITION BY LIST (a); CREATE TABLE c (a int); ALTER TABLE p ATTACH PARTITION c FOR VALUES FROM (1) TO (2);",
    ),
    (
        "partition spec",
        "CREATE TABLE p (a date) PARTITION BY RANGE (a); CREATE TABLE p1 PARTITION OF p FOR VALUES FROM ('2024-13-01') TO ('2025-01-01');",
    ),
    (
        "partition spec",
        "CREATE TABLE p (a date) PARTITION BY RANGE (a); CREATE TABLE p1 PARTITION OF p FOR VALUES FROM ('2023-02-29') TO ('2025-01-01');",
    ),
    ("defaults", "CREATE TABLE t (d date DEFAULT '2024-04-31');"),
    // Bounds against the siblings': overlaps, empty ranges, a second DEFAULT, a repeated list value.
    (
        "partition bounds",
        "CREATE TABLE r (k bigint, d date, n numeric) PARTITION BY RANGE (k); CREATE TABLE r1 PARTITION OF r FOR VALUES FROM (0) TO (100); CREATE TABLE r2 PARTITION OF r FOR VALUES FROM (50) TO (150);",
    ),
    (
        "partition bounds",
        "CREATE TABLE r (k bigint, d date, n numeric) PARTITION BY RANGE (k); CREATE TABLE r1 PARTITION OF r FOR VALUES FROM (100) TO (200); CREATE TABLE r2 PARTITION OF r FOR VALUES FROM (0) TO (300);",
    ),
    (
        "partition bounds",
        "CREATE TABLE r (k bigint, d date, n numeric) PARTITION BY RANGE (k); CREATE TABLE r1 PARTITION OF r FOR VALUES FROM (0) TO (100); CREATE TABLE r2 PARTITION OF r FOR VALUES FROM (300) TO (400);
         CREATE TABLE r3 PARTITION OF r FOR VALUES FROM (MINVALUE) TO (1000);",
    ),
    (
        "partition bounds",
        "CREATE TABLE r (k bigint, d date, n numeric) PARTITION BY RANGE (k); CREATE TABLE r1 PARTITION OF r FOR VALUES FROM (10) TO (5);",
    ),
    (
        "partition bounds",
        "CREATE TABLE r (k bigint, d date, n numeric) PARTITION BY RANGE (k); CREATE TABLE r1 PARTITION OF r FOR VALUES FROM (10) TO (10);",
    ),
    (
        "partition bounds",
        "CREATE TABLE r (k bigint, d date, n numeric) PARTITION BY RANGE (k); CREATE TABLE r1 PARTITION OF r DEFAULT; CREATE TABLE r2 PARTITION OF r DEFAULT;",
    ),
    (
        "partition bounds",
        "CREATE TABLE t (d date, n int) PARTITION BY RANGE (d, n); CREATE TABLE t1 PARTITION OF t FOR VALUES FROM ('2024-01-01', MINVALUE) TO ('2024-02-01', MINVALUE);
         CREATE TABLE t2 PARTITION OF t FOR VALUES FROM ('2024-1-31', 5) TO ('2024-03-01', 0);",
    ),
    (
        "partition bounds",
        "CREATE TABLE l (v text, b boolean, n numeric) PARTITION BY LIST (v); CREATE TABLE l1 PARTITION OF l FOR VALUES IN ('a', NULL); CREATE TABLE l2 PARTITION OF l FOR VALUES IN ('b', NULL);",
    ),
    (
        "partition bounds",
        "CREATE TABLE l (v text, b boolean, n numeric) PARTITION BY LIST (v); CREATE TABLE l1 PARTITION OF l FOR VALUES IN ('a', 'b'); CREATE TABLE l2 PARTITION OF l FOR VALUES IN ('c', 'b');",
    ),
    (
        "partition bounds",
        "CREATE TABLE m (n numeric(6,2)) PARTITION BY LIST (n); CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1.5);
         CREATE TABLE m2 PARTITION OF m FOR VALUES IN ('1.50');",
    ),
    (
        "partition bounds",
        "CREATE TABLE r (k bigint, d date, n numeric) PARTITION BY RANGE (k); CREATE TABLE r1 PARTITION OF r FOR VALUES FROM (0) TO (100); CREATE TABLE r2 (k bigint, d date, n numeric);
         ALTER TABLE r ATTACH PARTITION r2 FOR VALUES FROM (99) TO (200);",
    ),
];

/// Statements PostgreSQL accepts that a stricter simulator might wrongly reject.
const ACCEPTED: &[&str] = &[
    // ALTER TABLE renames views and their columns as ALTER VIEW does; the next statements need the new names.
    "CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t; ALTER TABLE v RENAME COLUMN a TO b;
     ALTER TABLE v RENAME TO w; ALTER VIEW w RENAME TO x; CREATE MATERIALIZED VIEW m AS SELECT a FROM t;
     ALTER TABLE m RENAME COLUMN a TO b; CREATE INDEX ON m (b); ALTER TABLE IF EXISTS m RENAME TO m2;
     CREATE INDEX ON m2 (b);",
    // ALTER TYPE … SET SCHEMA: to the schema it is in (nothing happens), then away; what uses it follows.
    "CREATE SCHEMA s; CREATE TYPE mood AS ENUM ('a'); CREATE TABLE t (m mood DEFAULT 'a' CHECK (m <> 'a'::mood));
     ALTER TYPE mood SET SCHEMA public; ALTER TYPE mood SET SCHEMA s; CREATE INDEX ON t (m) WHERE m = 'a'::s.mood;
     ALTER TYPE s.mood SET SCHEMA public; ALTER TABLE t ADD COLUMN n mood;",
    // Unqualified names found through the search path by ALTER TABLE actions read one by one, ALTER
    // SEQUENCE and its OWNED BY.
    "CREATE SCHEMA app; SET search_path = app; CREATE TABLE t (a int GENERATED ALWAYS AS IDENTITY, b int);
     CREATE SEQUENCE s; ALTER TABLE t ALTER COLUMN b SET STATISTICS 100, ALTER COLUMN a DROP IDENTITY;
     ALTER SEQUENCE s OWNED BY t.b; ALTER SEQUENCE s RESTART;",
    // IF EXISTS on a sequence or index that is not there: a notice, not an error.
    "ALTER SEQUENCE IF EXISTS nope RESTART; ALTER SEQUENCE IF EXISTS nope OWNED BY NONE;
     ALTER INDEX IF EXISTS nope RENAME TO other;",
    // Hash partitions whose moduli divide one another and whose remainders do not meet.
    "CREATE TABLE h (a int) PARTITION BY HASH (a); CREATE TABLE h0 PARTITION OF h FOR VALUES WITH (modulus 2, remainder 0);
     CREATE TABLE h1 PARTITION OF h FOR VALUES WITH (modulus 4, remainder 1); CREATE TABLE h3 PARTITION OF h FOR VALUES WITH (modulus 8, remainder 3);
     CREATE TABLE h7 PARTITION OF h FOR VALUES WITH (modulus 8, remainder 7);",
    // Unique keys that hold the partition key, a number written into an integer key (cast, rounded).
    "CREATE TABLE p (id bigint, at date, PRIMARY KEY (id, at), UNIQUE (at, id)) PARTITION BY RANGE (at);
     CREATE UNIQUE INDEX ON p (id, at); CREATE TABLE h (a int) PARTITION BY HASH (a);
     CREATE TABLE h0 PARTITION OF h FOR VALUES WITH (modulus 2, remainder 0);
     CREATE TABLE r (a int) PARTITION BY RANGE (a); CREATE TABLE r1 PARTITION OF r FOR VALUES FROM (1.4) TO (2.6);",
    // A referenced partition dropped with CASCADE takes the key with it; detached, it can be dropped.
    "CREATE TABLE r (id int, k int, PRIMARY KEY (id, k)) PARTITION BY LIST (k); CREATE TABLE r1 PARTITION OF r FOR VALUES IN (1);
     CREATE TABLE r2 PARTITION OF r FOR VALUES IN (2); CREATE TABLE t (a int, b int, FOREIGN KEY (a, b) REFERENCES r);
     ALTER TABLE r DETACH PARTITION r2; DROP TABLE r2; DROP TABLE r1 CASCADE; ALTER TABLE t ADD CONSTRAINT t_a_b_fkey CHECK (a > 0);",
    // An inheritance child's own columns and a partition's defaults and NOT NULL are its own to change;
    // a column dropped or retyped on the parent reaches the children.
    "CREATE TABLE base (id int, note text CHECK (note <> '')); CREATE TABLE kid (extra int NOT NULL) INHERITS (base);
     ALTER TABLE kid DROP COLUMN extra; ALTER TABLE kid ADD COLUMN more int; ALTER TABLE kid ALTER COLUMN id DROP NOT NULL;
     ALTER TABLE base ALTER COLUMN id TYPE bigint; ALTER TABLE base RENAME COLUMN note TO remark; ALTER TABLE base DROP COLUMN remark;
     CREATE TABLE p (a int NOT NULL, b int, d int) PARTITION BY LIST (a); CREATE TABLE c PARTITION OF p FOR VALUES IN (1);
     ALTER TABLE c ALTER COLUMN b SET DEFAULT 5; ALTER TABLE c ALTER COLUMN b SET NOT NULL; ALTER TABLE c ALTER COLUMN b DROP NOT NULL;
     ALTER TABLE p DROP COLUMN d; ALTER TABLE p ALTER COLUMN b TYPE bigint;",
    // Adjacent ranges, ranges that share a prefix, MINVALUE after a value, distinct list values.
    "CREATE TABLE r (k bigint, d date) PARTITION BY RANGE (k, d);
     CREATE TABLE r1 PARTITION OF r FOR VALUES FROM (0, MINVALUE) TO (100, MINVALUE);
     CREATE TABLE r2 PARTITION OF r FOR VALUES FROM (100, MINVALUE) TO (100, '2024-06-01');
     CREATE TABLE r3 PARTITION OF r FOR VALUES FROM (100, '2024-06-01') TO (200, MAXVALUE);
     CREATE TABLE r4 PARTITION OF r DEFAULT;
     CREATE TABLE l (n numeric) PARTITION BY LIST (n); CREATE TABLE l1 PARTITION OF l FOR VALUES IN (1.5, 2);
     CREATE TABLE l2 PARTITION OF l FOR VALUES IN (1.55, NULL); CREATE TABLE l3 PARTITION OF l FOR VALUES IN (-1.5);",
    // An attached table keeps its own column order, its generated columns and its own matching indexes.
    "CREATE TABLE p (a int, d date, g int, PRIMARY KEY (a, d)) PARTITION BY LIST (a);
     CREATE TABLE c (d date NOT NULL, g int GENERATED ALWAYS AS (1) STORED, a int NOT NULL, PRIMARY KEY (a, d));
     ALTER TABLE p ATTACH PARTITION c DEFAULT;
     CREATE TABLE p2 (a int CHECK (a > 0)) PARTITION BY LIST (a); CREATE TABLE c2 (a int CONSTRAINT p2_a_check CHECK (a > 0));
     ALTER TABLE p2 ATTACH PARTITION c2 DEFAULT; ALTER TABLE p2 DETACH PARTITION c2; ALTER TABLE p2 ATTACH PARTITION c2 DEFAULT;",
    // Partitions go with their table; children with CASCADE, or when the same statement drops them.
    "CREATE TABLE p (a int) PARTITION BY RANGE (a); CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (1) TO (10);
     CREATE TABLE p2 PARTITION OF p FOR VALUES FROM (10) TO (20) PARTITION BY RANGE (a);
     CREATE TABLE p21 PARTITION OF p2 FOR VALUES FROM (10) TO (15); DROP TABLE p; CREATE TABLE p1 (b int);
     CREATE TABLE p21 (b int);",
    "CREATE TABLE par (a int); CREATE TABLE ch () INHERITS (par); CREATE TABLE gch () INHERITS (ch);
     DROP TABLE par CASCADE; CREATE TABLE gch (b int);",
    "CREATE TABLE par (a int PRIMARY KEY); CREATE TABLE ch () INHERITS (par); CREATE TABLE r (x int REFERENCES par);
     DROP TABLE par, ch, r; CREATE TABLE ch (b int);",
    "CREATE SCHEMA s; CREATE DOMAIN s.pos integer CHECK (VALUE > 0) NOT NULL; CREATE TABLE t (a s.pos);",
    "BEGIN; CREATE TEMP TABLE t (a int) ON COMMIT DROP; INSERT INTO t VALUES (1); COMMIT; CREATE TABLE t (b int);",
    "CREATE TEMP TABLE t (b int) ON COMMIT DELETE ROWS; INSERT INTO t VALUES (1); ALTER TABLE t ADD COLUMN c int;",
    // IF NOT EXISTS skips before the clause is checked.
    "CREATE TABLE t (a int); CREATE TABLE IF NOT EXISTS t (c int) ON COMMIT PRESERVE ROWS;",
    // The partitions of an unlogged partitioned table are logged unless they say otherwise: a logged
    // table may reference one.
    "CREATE UNLOGGED TABLE u (id int PRIMARY KEY) PARTITION BY RANGE (id);
     CREATE TABLE u1 PARTITION OF u FOR VALUES FROM (0) TO (10); CREATE TABLE t (a int REFERENCES u1);",
    "CREATE TABLE t (a varchar(3) DEFAULT 'too long for the column');",
    "CREATE TABLE t (c char(2) DEFAULT 'abc');",
    "CREATE TABLE t (a int); ALTER TABLE t ADD COLUMN b int NOT NULL;",
    "CREATE TABLE t (a int); INSERT INTO t VALUES (1); ALTER TABLE t ADD COLUMN b int NOT NULL DEFAULT 0;",
    "CREATE TABLE t (a int); INSERT INTO t VALUES (1); TRUNCATE t; ALTER TABLE t ADD COLUMN b int NOT NULL;",
    "CREATE TABLE t (a int, b int); CREATE VIEW v AS SELECT a FROM t; ALTER TABLE t DROP COLUMN b;",
    "CREATE TABLE t (a text); ALTER TABLE t ALTER COLUMN a TYPE integer USING a::integer;",
    "CREATE TABLE t (id int PRIMARY KEY); DROP TABLE IF EXISTS missing; DROP INDEX IF EXISTS missing_idx;",
    "CREATE TABLE IF NOT EXISTS t (a int); CREATE TABLE IF NOT EXISTS t (a int);",
    "CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t;
     CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
     CREATE TRIGGER tr INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION f();
     CREATE TRIGGER st AFTER INSERT ON v FOR EACH STATEMENT EXECUTE FUNCTION f();
     CREATE OR REPLACE VIEW v AS SELECT a FROM t; DROP TRIGGER tr ON v; DROP TRIGGER IF EXISTS tr ON v;",
    "CREATE TABLE t (a text); ALTER TABLE t ALTER COLUMN a TYPE text[] USING string_to_array(a, ',');",
    "CREATE TABLE t (a int, b int, c int); CREATE STATISTICS s ON a, b FROM t; ALTER TABLE t DROP COLUMN b;
     CREATE STATISTICS s ON a, c FROM t; CREATE STATISTICS IF NOT EXISTS s ON a, c FROM t;
     DROP STATISTICS s; CREATE STATISTICS e ON (a + c) FROM t;
     CREATE STATISTICS m (mcv) ON a, (c * 2) FROM t; ALTER STATISTICS m RENAME TO m2; DROP STATISTICS IF EXISTS m;",
    "CREATE TABLE t (a int, b int); CREATE PUBLICATION p FOR TABLE t (a) WHERE (b > 0); DROP TABLE t;
     DROP PUBLICATION p; DROP PUBLICATION IF EXISTS p;",
    "CREATE SCHEMA s; CREATE TABLE s.t (a int); CREATE PUBLICATION p FOR TABLES IN SCHEMA s;
     CREATE PUBLICATION q FOR ALL TABLES; ALTER PUBLICATION q RENAME TO q2;",
    "CREATE TEMP TABLE tt (a int); CREATE VIEW v1 AS SELECT a FROM tt; CREATE TEMP VIEW v3 AS SELECT 1 AS one;
     CREATE VIEW v3 AS SELECT 2 AS two; CREATE OR REPLACE TEMP VIEW v3 AS SELECT 1 AS one, 2 AS b;
     CREATE TEMP SEQUENCE s3; CREATE SEQUENCE s3; CREATE TEMP SEQUENCE IF NOT EXISTS s3;
     CREATE VIEW v5 AS SELECT * FROM v1; CREATE TABLE v1 (a int); CREATE VIEW v6 AS SELECT a FROM public.v1;",
    "CREATE SCHEMA a; CREATE SCHEMA b; CREATE FUNCTION b.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
     SET search_path = a, b; CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 2';
     CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 3'; DROP FUNCTION a.f(); DROP FUNCTION b.f();",
    "CREATE TEMP TABLE t (a int); CREATE TABLE t (b int); INSERT INTO t (a) VALUES (1); INSERT INTO public.t (b) VALUES (1);
     CREATE TEMP TABLE u (a int); CREATE TABLE IF NOT EXISTS u (b int); INSERT INTO public.u (b) VALUES (1);",
    "CREATE SCHEMA a; CREATE SCHEMA b; CREATE TABLE b.t (x int); CREATE TYPE b.e AS ENUM ('x'); CREATE SEQUENCE b.s;
     CREATE VIEW b.v AS SELECT 1 AS one; CREATE DOMAIN b.d AS int; SET search_path = a, b; CREATE TABLE t (y int);
     CREATE TYPE e AS ENUM ('y'); CREATE SEQUENCE s; CREATE VIEW v AS SELECT 2 AS two; CREATE DOMAIN d AS text;
     INSERT INTO a.t (y) VALUES (1); INSERT INTO b.t (x) VALUES (1);",
    "CREATE TABLE c (a int, b int); CREATE TABLE kid () INHERITS (c); CREATE SCHEMA s; CREATE TABLE s.x (id int);
     CREATE PUBLICATION p FOR TABLE ONLY c; ALTER PUBLICATION p ADD TABLE kid, TABLE ONLY kid;
     ALTER PUBLICATION p DROP TABLE c, kid; ALTER PUBLICATION p ADD TABLE c WHERE (b > 0), TABLES IN SCHEMA public;
     ALTER PUBLICATION p DROP TABLE kid, kid, TABLES IN SCHEMA public; ALTER PUBLICATION p SET TABLE s.x (id), c;
     ALTER PUBLICATION p SET TABLES IN SCHEMA s, CURRENT_SCHEMA; ALTER PUBLICATION p ADD TABLE s.x;
     ALTER PUBLICATION p SET (publish = 'insert'); ALTER PUBLICATION p OWNER TO CURRENT_USER;",
    "CREATE TABLE c (a int); CREATE TABLE kid () INHERITS (c); CREATE PUBLICATION p;
     ALTER PUBLICATION p ADD TABLE ONLY (c); ALTER PUBLICATION p ADD TABLE kid *; ALTER PUBLICATION p DROP TABLE c;",
    "CREATE TYPE pair AS (a int, b int); CREATE TABLE t OF pair (PRIMARY KEY (a), b WITH OPTIONS NOT NULL);
     DROP TYPE pair CASCADE;",
    "CREATE TABLE t (a int); CREATE RULE r AS ON INSERT TO t DO ALSO NOTHING;
     CREATE OR REPLACE RULE r AS ON INSERT TO t DO INSTEAD NOTHING; DROP RULE r ON t; DROP RULE IF EXISTS r ON t;",
    "CREATE DOMAIN pos AS int; CREATE TABLE t (a pos); INSERT INTO t VALUES (5);
     ALTER DOMAIN pos ADD CONSTRAINT p CHECK (VALUE > 0); ALTER DOMAIN pos ADD CHECK (VALUE < 100) NOT VALID;
     ALTER DOMAIN pos ADD CHECK (VALUE <> 3) NO INHERIT NOT DEFERRABLE INITIALLY IMMEDIATE;
     ALTER DOMAIN pos VALIDATE CONSTRAINT pos_check; ALTER DOMAIN pos RENAME CONSTRAINT p TO positive;
     ALTER DOMAIN pos DROP CONSTRAINT IF EXISTS p; ALTER DOMAIN pos DROP CONSTRAINT positive CASCADE;
     ALTER DOMAIN pos SET DEFAULT 1; ALTER DOMAIN pos DROP DEFAULT; ALTER DOMAIN pos SET NOT NULL;
     ALTER DOMAIN pos DROP NOT NULL; ALTER DOMAIN pos DROP NOT NULL; ALTER DOMAIN pos OWNER TO CURRENT_USER;
     CREATE SCHEMA s; ALTER DOMAIN pos SET SCHEMA s; ALTER DOMAIN s.pos SET SCHEMA s; ALTER DOMAIN s.pos RENAME TO p2;
     ALTER DOMAIN s.p2 ADD CHECK (VALUE > 0); CREATE TABLE u (b s.p2 CHECK (b < 1000));",
    "CREATE TYPE p AS (a int, b text); ALTER TYPE p ALTER ATTRIBUTE a SET DATA TYPE bigint, ADD ATTRIBUTE d text;
     CREATE TABLE t (c p); ALTER TYPE p ADD ATTRIBUTE c int CASCADE;
     ALTER TYPE p DROP ATTRIBUTE IF EXISTS zz, DROP ATTRIBUTE b RESTRICT, ADD ATTRIBUTE b varchar(3) COLLATE \"C\";
     ALTER TYPE p RENAME ATTRIBUTE d TO e;
     ALTER TYPE p ADD ATTRIBUTE a text, DROP ATTRIBUTE a; CREATE SCHEMA s; CREATE TYPE s.q AS (x int);
     ALTER TYPE s.q ADD ATTRIBUTE y p; CREATE TABLE u (q s.q);",
    "CREATE TABLE t (a int, b text); CREATE MATERIALIZED VIEW m AS SELECT a, lower(b), count(*) AS n FROM t GROUP BY a, b;
     CREATE UNIQUE INDEX ON m (a, lower); CREATE INDEX ON m ((n + 1)) WHERE n > 0; CREATE INDEX m_a_idx1 ON t (a);
     CREATE INDEX ON m (a); CREATE INDEX ON m (upper(lower)) INCLUDE (n); DROP INDEX m_a_idx; DROP MATERIALIZED VIEW m;
     CREATE INDEX m_a_lower_idx ON t (a);",
];

/// `ALTER SYSTEM` fails in a transaction block (`psql -1`, the transaction runner) and runs alone (`psql`).
#[test]
fn alter_system_fails_only_inside_a_transaction_block() {
    let pg = TempPostgres::start();
    let dir = std::env::temp_dir().join(format!("sp-alter-system-live-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let sql = "CREATE TABLE t (a int);\nALTER SYSTEM SET work_mem = '64MB';\nALTER SYSTEM RESET work_mem;\n";
    let file = dir.join("case.sql");
    fs::write(&file, sql).unwrap();
    for (runner, single_transaction) in [(Runner::Transaction, true), (Runner::Psql, false)] {
        let db = pg.create_database(&format!("alter_system_{single_transaction}"));
        let out = pg.psql_file(&db, &file, single_transaction);
        let pg_message =
            out.stderr.lines().find_map(|l| l.split_once("ERROR:  ").map(|(_, m)| m.to_string())).unwrap_or_default();
        let analysis =
            analyze(vec![SourceFile::new("001_case.sql", sql.to_string())], &Options { runner, ..Options::default() });
        let engine = analysis.diagnostics.iter().find(|d| d.severity == Severity::Error);
        let engine_message = engine.map(|d| d.message.clone()).unwrap_or_default();
        assert_eq!(engine_message, pg_message, "{runner:?}: {:?}", analysis.diagnostics);
        assert_eq!(out.success, !single_transaction, "{}", out.stderr);
        pg.drop_database(&db);
    }
    fs::remove_dir_all(&dir).ok();
}

/// Scripts PostgreSQL accepts when psql commits statement by statement (the psql runner), and the
/// transaction runner would not: what a commit changes.
const ACCEPTED_STATEMENT_BY_STATEMENT: &[&str] = &[
    "CREATE TEMP TABLE t (a int) ON COMMIT DELETE ROWS; INSERT INTO t VALUES (1); ALTER TABLE t ADD COLUMN b int NOT NULL;",
    "CREATE TEMP TABLE t (a int) ON COMMIT DROP; CREATE TEMP TABLE t (b int);",
];

#[test]
fn engine_accepts_what_postgres_accepts() {
    let pg = TempPostgres::start();
    let dir = std::env::temp_dir().join(format!("sp-accepted-live-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let mut failures = Vec::new();
    let cases = ACCEPTED.iter().map(|sql| (sql, Runner::Transaction));
    let cases = cases.chain(ACCEPTED_STATEMENT_BY_STATEMENT.iter().map(|sql| (sql, Runner::Psql)));
    for (i, (sql, runner)) in cases.enumerate() {
        let db = pg.create_database(&format!("accepted_{i}"));
        let file = dir.join(format!("case_{i}.sql"));
        fs::write(&file, sql).unwrap();
        let out = pg.psql_file(&db, &file, false);
        pg.drop_database(&db);
        assert!(out.success, "case {i} should succeed in PostgreSQL:\n{sql}\n{}", out.stderr);
        let options = Options { runner, ..Options::default() };
        let analysis = analyze(vec![SourceFile::new("001_case.sql", sql.to_string())], &options);
        if let Some(d) = analysis.diagnostics.iter().find(|d| d.severity == Severity::Error) {
            failures.push(format!("case {i}: {sql}\n  engine: {}", d.message));
        }
    }
    fs::remove_dir_all(&dir).ok();
    assert!(failures.is_empty(), "the engine rejects what PostgreSQL accepts:\n{}", failures.join("\n"));
}

#[test]
fn engine_rejects_what_postgres_rejects_with_the_same_message() {
    let pg = TempPostgres::start();
    let dir = std::env::temp_dir().join(format!("sp-errors-live-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let mut failures = Vec::new();
    for (i, (family, sql)) in CASES.iter().enumerate() {
        let db = pg.create_database(&format!("errors_{i}"));
        let file = dir.join(format!("case_{i}.sql"));
        fs::write(&file, sql).unwrap();
        let out = pg.psql_file(&db, &file, false);
        pg.drop_database(&db);
        assert!(!out.success, "case {i} ({family}) should fail in PostgreSQL:\n{sql}");
        let pg_message =
            out.stderr.lines().find_map(|l| l.split_once("ERROR:  ").map(|(_, m)| m.to_string())).unwrap_or_default();
        let analysis = analyze(
            vec![SourceFile::new("001_case.sql", sql.to_string())],
            &Options { runner: Runner::Psql, ..Options::default() },
        );
        let engine = analysis.diagnostics.iter().find(|d| d.severity == Severity::Error);
        let engine_message = engine.map(|d| d.message.lines().next().unwrap_or("").to_string()).unwrap_or_default();
        // The statement PostgreSQL stopped at is the last one of the case.
        let last_start = sql.trim_end().trim_end_matches(';').rfind(';').map_or(0, |p| p + 1);
        let engine_at = engine.map(|d| d.span.start as usize).unwrap_or(0);
        let same_statement = engine_at >= last_start + sql[last_start..].len() - sql[last_start..].trim_start().len();
        if engine_message != pg_message || !same_statement {
            failures.push(format!(
                "case {i} ({family}): {sql}\n  postgres: {pg_message}\n  engine:   {engine_message} (at byte {engine_at})"
            ));
        }
    }
    fs::remove_dir_all(&dir).ok();
    eprintln!("errors-live: {} cases, {} agree", CASES.len(), CASES.len() - failures.len());
    assert!(failures.is_empty(), "the engine differs from PostgreSQL:\n{}", failures.join("\n"));
}
