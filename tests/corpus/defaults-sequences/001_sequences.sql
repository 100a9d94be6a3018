-- Explicit sequences used through nextval defaults.
CREATE SEQUENCE some_seq;
CREATE SEQUENCE "MixedSeq" START 100;
CREATE SCHEMA billing;
CREATE SEQUENCE billing.invoice_no_seq;
CREATE TABLE tickets (
    id bigint DEFAULT nextval('some_seq'),
    id2 integer DEFAULT nextval('some_seq'::regclass),
    id3 bigint DEFAULT nextval('"MixedSeq"'),
    id4 bigint DEFAULT nextval('billing.invoice_no_seq'),
    cur bigint DEFAULT currval('some_seq'),
    txt text DEFAULT nextval('some_seq')::text
);
