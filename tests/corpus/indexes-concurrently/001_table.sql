-- Table for concurrent index builds.
CREATE TABLE logs (id bigint PRIMARY KEY, level text, message text, at timestamptz);
CREATE INDEX logs_level_idx_old ON logs (level);
