ALTER TABLE events ADD CONSTRAINT events_kind_check CHECK (kind <> '');
