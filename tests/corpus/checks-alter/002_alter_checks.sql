-- Checks added and changed by ALTER TABLE.
ALTER TABLE limits ADD CHECK (b <> 42);
ALTER TABLE limits ADD CONSTRAINT a_not_7 CHECK (a <> 7) NOT VALID;
ALTER TABLE limits ADD CONSTRAINT a_not_8 CHECK (a <> 8) NOT VALID;
ALTER TABLE limits VALIDATE CONSTRAINT a_not_8;
ALTER TABLE limits ADD CONSTRAINT c_no_inherit CHECK (c < 1000) NO INHERIT NOT VALID;
ALTER TABLE limits RENAME CONSTRAINT limits_a_check1 TO a_below_100;
ALTER TABLE limits DROP CONSTRAINT limits_check;
ALTER TABLE limits ADD CHECK (a + b > 0);
ALTER TABLE limits ADD COLUMN d integer CHECK (d > 0);
ALTER TABLE limits ADD COLUMN e integer CONSTRAINT e_positive CHECK (e > 0);
