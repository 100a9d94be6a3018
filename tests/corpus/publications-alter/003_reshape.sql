-- The realtime feature needs every column now; the export stops reading the audit schema.
ALTER PUBLICATION realtime SET TABLE messages, accounts WHERE (active);
ALTER PUBLICATION analytics DROP TABLE ONLY events;
ALTER PUBLICATION analytics DROP TABLES IN SCHEMA audit;
ALTER PUBLICATION analytics ADD TABLE ONLY events;
