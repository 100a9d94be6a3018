-- Expression indexes, access methods and operator classes.
CREATE TABLE things (
    id integer PRIMARY KEY,
    email text,
    code varchar(20),
    a integer,
    b integer,
    data jsonb,
    doc tsvector,
    tags text[],
    pos point,
    during tstzrange,
    created_at timestamptz,
    name text
);
CREATE UNIQUE INDEX things_lower_email ON things (lower(email));
CREATE INDEX things_a_plus_b ON things ((a + b));
CREATE INDEX things_data_k ON things ((data->>'k'));
CREATE INDEX things_data_k_num ON things (((data->>'n')::numeric));
CREATE INDEX things_a_times ON things ((a * 2), b DESC);
CREATE INDEX things_hash ON things USING hash (email);
CREATE INDEX things_gin_data ON things USING gin (data);
CREATE INDEX things_gin_path ON things USING gin (data jsonb_path_ops);
CREATE INDEX things_gin_tags ON things USING gin (tags);
CREATE INDEX things_gin_doc ON things USING gin (doc);
CREATE INDEX things_gist_doc ON things USING gist (doc);
CREATE INDEX things_gist_pos ON things USING gist (pos);
CREATE INDEX things_gist_during ON things USING gist (during);
CREATE INDEX things_brin_created ON things USING brin (created_at);
CREATE INDEX things_btree_explicit ON things USING btree (a);
CREATE INDEX things_email_pattern ON things (email text_pattern_ops);
CREATE INDEX things_code_pattern ON things (code varchar_pattern_ops);
CREATE INDEX things_name_collate_c ON things (name COLLATE "C" DESC);
CREATE INDEX things_coalesce ON things (coalesce(a, 0));
CREATE INDEX things_lower_pattern ON things (lower(name) text_pattern_ops);
CREATE INDEX things_upper_where ON things (upper(code)) WHERE code IS NOT NULL;
CREATE INDEX things_partial_in ON things (a) WHERE b IN (1, 2);
CREATE INDEX things_partial_like ON things (email) WHERE email LIKE '%@x.com';
CREATE INDEX things_gin_tsv ON things USING gin (to_tsvector('english', name));
