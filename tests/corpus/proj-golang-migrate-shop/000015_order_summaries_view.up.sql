CREATE VIEW order_summaries AS
SELECT o.id,
       o.number,
       o.status,
       c.email AS customer_email,
       coalesce(sum(oi.line_total), 0) AS items_total,
       count(oi.line_no) AS item_count
FROM orders o
JOIN customers c ON c.id = o.customer_id
LEFT JOIN order_items oi ON oi.order_id = o.id
GROUP BY o.id, o.number, o.status, c.email;

COMMENT ON VIEW order_summaries IS 'One row per order with totals, for the admin list';
