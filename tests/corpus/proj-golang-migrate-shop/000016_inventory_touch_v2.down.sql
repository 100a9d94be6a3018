DROP FUNCTION IF EXISTS order_total(bigint);
