CREATE TYPE ticket_status AS ENUM ('open', 'in_progress', 'closed');
CREATE TABLE tickets (
    id serial PRIMARY KEY,
    title text NOT NULL,
    status ticket_status NOT NULL DEFAULT 'open'
);
