-- Supabase-style: tables join the realtime publication one migration at a time.
ALTER PUBLICATION realtime ADD TABLE messages;
ALTER PUBLICATION realtime ADD TABLE accounts (id, email) WHERE (active);
ALTER PUBLICATION analytics ADD TABLE events_2025, TABLES IN SCHEMA audit;
