-- Tables a realtime feature and an analytics export publish, and the two publications, empty or nearly.
CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    active boolean NOT NULL DEFAULT true
);

CREATE TABLE messages (
    id bigint PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id),
    body text
);

CREATE TABLE events (id bigint, kind text);
CREATE TABLE events_2025 () INHERITS (events);

CREATE SCHEMA audit;
CREATE TABLE audit.log (id bigint, at timestamptz);

CREATE PUBLICATION realtime;
CREATE PUBLICATION analytics FOR TABLE ONLY events;
