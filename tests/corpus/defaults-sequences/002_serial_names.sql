-- serial defaults in other schemas and on mixed-case names.
CREATE TABLE billing.invoices (
    id serial PRIMARY KEY,
    no bigint NOT NULL DEFAULT nextval('billing.invoice_no_seq')
);
CREATE TABLE "Widgets" (
    "widgetId" serial,
    "Big Id" bigserial
);
CREATE TABLE seq_owner (id integer);
CREATE SEQUENCE seq_owner_id_seq OWNED BY seq_owner.id;
ALTER TABLE seq_owner ALTER COLUMN id SET DEFAULT nextval('seq_owner_id_seq');
CREATE TABLE serial_clash (id serial);
ALTER SEQUENCE serial_clash_id_seq RENAME TO serial_clash_renamed_seq;
CREATE TABLE serial_clash2 (id serial);
