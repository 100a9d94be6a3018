-- PostgreSQL cannot drop an enum value; nothing to do.
SELECT 1;
