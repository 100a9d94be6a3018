-- Dropping a primary key keeps the NOT NULL it implied; dropping UNIQUE drops its index.
ALTER TABLE nopk DROP CONSTRAINT nopk_pkey;
ALTER TABLE nopk DROP CONSTRAINT nopk_c_key;
ALTER TABLE pk_later DROP CONSTRAINT b_unique;
ALTER TABLE pk_later DROP CONSTRAINT pk_later_named;
ALTER TABLE pk_later ALTER COLUMN a DROP NOT NULL;
