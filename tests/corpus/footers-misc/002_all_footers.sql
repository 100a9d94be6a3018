-- One table showing every footer section at once (checks their relative order),
-- in a schema that is not on the search path.
CREATE SCHEMA app;
CREATE FUNCTION app.noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TYPE app.pair AS (a integer, b integer);
CREATE TABLE app.p (a integer PRIMARY KEY, b integer CHECK (b > 0));
CREATE TABLE app.t OF app.pair (PRIMARY KEY (a), CHECK (b > 0));
CREATE TABLE app.c (x integer) INHERITS (app.t);
ALTER TABLE app.t ADD FOREIGN KEY (b) REFERENCES app.p;
ALTER TABLE app.p ADD FOREIGN KEY (b) REFERENCES app.t;
ALTER TABLE app.t ENABLE ROW LEVEL SECURITY;
CREATE POLICY pp ON app.t USING (a > 0);
CREATE STATISTICS app.st ON a, b FROM app.t;
CREATE RULE r AS ON DELETE TO app.t DO INSTEAD NOTHING;
CREATE PUBLICATION pub_t FOR TABLE app.t;
CREATE TRIGGER trg AFTER INSERT ON app.t FOR EACH ROW EXECUTE FUNCTION app.noop();
CREATE TRIGGER trg2 AFTER INSERT ON app.t FOR EACH ROW EXECUTE FUNCTION app.noop();
CREATE TRIGGER trg3 AFTER INSERT ON app.t FOR EACH ROW EXECUTE FUNCTION app.noop();
ALTER TABLE app.t DISABLE TRIGGER trg2;
ALTER TABLE app.t ENABLE ALWAYS TRIGGER trg3;
