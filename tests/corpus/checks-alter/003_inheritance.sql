-- Inherited checks: child tables get copies except NO INHERIT ones.
CREATE TABLE limits_child (extra text CHECK (extra <> '')) INHERITS (limits);
ALTER TABLE limits ADD CONSTRAINT parent_added CHECK (b < 1000);
