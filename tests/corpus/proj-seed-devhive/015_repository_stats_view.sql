CREATE VIEW repository_stats AS
SELECT r.id AS repository_id,
       r.name,
       r.stars_count,
       count(i.id) FILTER (WHERE i.state = 'open') AS open_issues,
       count(i.id) AS total_issues
FROM repositories r
LEFT JOIN issues i ON i.repository_id = r.id
GROUP BY r.id, r.name, r.stars_count;

COMMENT ON VIEW repository_stats IS 'Per-repository counters for the dashboard';
