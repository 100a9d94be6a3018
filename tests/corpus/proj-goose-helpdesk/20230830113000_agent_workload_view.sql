-- +goose Up
CREATE VIEW agent_workload AS
SELECT a.id AS agent_id,
       a.name,
       count(t.id) FILTER (WHERE t.status IN ('new', 'open')) AS open_tickets,
       max(t.updated_at) AS last_activity
FROM agents a
LEFT JOIN tickets t ON t.assignee_id = a.id
WHERE a.is_active
GROUP BY a.id, a.name;

-- +goose Down
DROP VIEW agent_workload;
