-- +goose Up
CREATE SEQUENCE ticket_number_seq START WITH 1001;
ALTER TABLE tickets ADD COLUMN number integer;
ALTER SEQUENCE ticket_number_seq OWNED BY tickets.number;
UPDATE tickets SET number = nextval('ticket_number_seq');
ALTER TABLE tickets ALTER COLUMN number SET DEFAULT nextval('ticket_number_seq');
ALTER TABLE tickets ALTER COLUMN number SET NOT NULL;
ALTER TABLE tickets ADD CONSTRAINT tickets_number_key UNIQUE (number);
CREATE INDEX tickets_subject_prefix_idx ON tickets (lower(subject) text_pattern_ops);
COMMENT ON COLUMN tickets.number IS 'Human-facing ticket number, shown as #1234';

-- +goose Down
ALTER TABLE tickets DROP COLUMN number;
DROP SEQUENCE ticket_number_seq;
