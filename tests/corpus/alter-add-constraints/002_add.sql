-- ADD PRIMARY KEY, ADD ... USING INDEX (renames the index), ADD UNIQUE, ADD COLUMN ... UNIQUE.
ALTER TABLE accounts ADD CONSTRAINT accounts_pk PRIMARY KEY USING INDEX accounts_id_uidx;
ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE USING INDEX accounts_email_uidx;
ALTER TABLE accounts ADD UNIQUE USING INDEX accounts_code_region_uidx;
ALTER TABLE accounts ADD CONSTRAINT accounts_n_unique UNIQUE (n) DEFERRABLE;
ALTER TABLE nopk ADD PRIMARY KEY (a, b);
ALTER TABLE pk_later ADD CONSTRAINT pk_later_named PRIMARY KEY (a), ADD CONSTRAINT b_unique UNIQUE (b);
ALTER TABLE nopk ADD COLUMN c integer NOT NULL DEFAULT 0 UNIQUE;
