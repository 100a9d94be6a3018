ALTER TABLE issues ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('english', title || ' ' || body)) STORED;
CREATE INDEX issues_search_idx ON issues USING gin (search);
