-- Migration: Audit log, partitioned by year
-- Old years are detached and archived; notes_archive inherits from the notes
-- table the old reporting job used.

CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY,
    occurred_at timestamptz NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    details jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);

CREATE TABLE audit_log_2022 PARTITION OF audit_log
    FOR VALUES FROM ('2022-01-01') TO ('2023-01-01');
CREATE TABLE audit_log_2023 PARTITION OF audit_log
    FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE audit_log_2024 PARTITION OF audit_log
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');

CREATE TABLE clinical_notes (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id bigint NOT NULL,
    body text NOT NULL
);

CREATE TABLE clinical_notes_archive (
    archived_at timestamptz NOT NULL DEFAULT now()
) INHERITS (clinical_notes);

ALTER TABLE patients ADD COLUMN full_name text GENERATED ALWAYS AS (first_name || ' ' || last_name) STORED;
