-- Implicit index names for expressions and multiple columns; index on a partial column list.
CREATE TABLE posts (id bigserial PRIMARY KEY, user_id integer, title text, body text, published boolean DEFAULT false);
CREATE INDEX ON posts (lower(title));
CREATE INDEX ON posts (lower(title), user_id);
CREATE INDEX ON posts ((user_id + 1));
CREATE INDEX ON posts (user_id, title, body);
CREATE INDEX ON posts (user_id) WHERE published;
CREATE INDEX ON posts (user_id) WHERE NOT published;
CREATE INDEX posts_id_idx ON posts (title);
CREATE INDEX ON posts (id);
