-- Enum types and domains.
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE "Status" AS ENUM ('new', 'done');
CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
CREATE DOMAIN email AS text NOT NULL CHECK (VALUE ~ '@');
CREATE DOMAIN short_code AS varchar(8) DEFAULT 'none';
CREATE TABLE people (
    id positive_int,
    contact email,
    code short_code,
    current_mood mood,
    moods mood[],
    status "Status" NOT NULL DEFAULT 'new',
    code2 short_code DEFAULT 'x'
);
