-- ON DELETE SET NULL / SET DEFAULT with a column list (PostgreSQL 15) and composite FKs.
CREATE TABLE tenants (id integer PRIMARY KEY);
CREATE TABLE tenant_users (
    tenant_id integer REFERENCES tenants,
    id integer,
    PRIMARY KEY (tenant_id, id)
);
CREATE TABLE tenant_posts (
    tenant_id integer NOT NULL,
    id integer PRIMARY KEY,
    author_id integer,
    editor_id integer,
    FOREIGN KEY (tenant_id, author_id) REFERENCES tenant_users ON DELETE SET NULL (author_id),
    FOREIGN KEY (tenant_id, editor_id) REFERENCES tenant_users (tenant_id, id) ON DELETE SET DEFAULT (editor_id) ON UPDATE CASCADE
);
