CREATE TABLE labels (
    id serial PRIMARY KEY,
    repository_id bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    name varchar(50) NOT NULL,
    color char(6) NOT NULL DEFAULT 'ededed',
    CONSTRAINT labels_color_hex CHECK (color ~ '^[0-9a-f]{6}$'),
    UNIQUE (repository_id, name)
);

CREATE TABLE issue_labels (
    issue_id bigint NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
    label_id integer NOT NULL REFERENCES labels (id) ON DELETE CASCADE,
    PRIMARY KEY (issue_id, label_id)
);

CREATE INDEX issue_labels_label_id_idx ON issue_labels (label_id);
