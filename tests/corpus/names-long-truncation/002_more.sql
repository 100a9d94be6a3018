-- Names built on truncated identifiers.
CREATE TABLE another_table_whose_name_is_longer_than_sixty_three_bytes_in_total_really (x int PRIMARY KEY, y int UNIQUE);
ALTER TABLE short_t ADD UNIQUE (very_long_column_name_number_one_that_keeps_going_and_going_and_going);
ALTER TABLE short_t ADD UNIQUE (very_long_column_name_number_two_that_keeps_going_and_going_and_going);
ALTER TABLE short_t ADD CHECK (col_for_check > 0);
CREATE TABLE abcdefghijklmnopqrstuvwxyz_abcdefghijklmnopqrstuvwxyz_abcde (
    abcdefghijklmnopqrstuvwxyz_id serial,
    abcdefghijklmnopqrstuvwxyz_ref integer REFERENCES short_t (very_long_column_name_number_one_that_keeps_going_and_going_and_going)
);
