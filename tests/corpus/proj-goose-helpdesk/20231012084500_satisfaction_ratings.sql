-- +goose Up
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'rating_score') THEN
        CREATE TYPE rating_score AS ENUM ('bad', 'okay', 'good');
    END IF;
END
$$;

CREATE TABLE satisfaction_ratings (
    ticket_id bigint PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    score rating_score NOT NULL,
    comment text,
    rated_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE satisfaction_ratings;
DROP TYPE rating_score;
