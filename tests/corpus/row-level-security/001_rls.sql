-- Row level security: the Policies footer.
CREATE TABLE docs (id integer PRIMARY KEY, owner text NOT NULL DEFAULT current_user, body text);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY docs_owner ON docs USING (owner = current_user);
CREATE POLICY docs_insert ON docs FOR INSERT TO PUBLIC WITH CHECK (owner = current_user);
CREATE POLICY docs_restrictive ON docs AS RESTRICTIVE FOR UPDATE USING (id > 0) WITH CHECK (id < 1000);
CREATE TABLE locked (id integer);
ALTER TABLE locked ENABLE ROW LEVEL SECURITY;
ALTER TABLE locked FORCE ROW LEVEL SECURITY;
CREATE TABLE policies_only (id integer);
CREATE POLICY p_select ON policies_only FOR SELECT USING (true);
