-- Objects created with a non-default search_path still print with schema names.
SET search_path = app, public;
CREATE TABLE audit_log (id serial, user_id bigint REFERENCES users (id), state state DEFAULT 'off');
RESET search_path;
CREATE TABLE public.t (x integer, y app.state);
