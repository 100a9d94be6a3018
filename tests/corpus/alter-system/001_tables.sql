CREATE TABLE settings_log (id bigint PRIMARY KEY, note text);
