-- Long identifiers: truncation to 63 bytes of explicit and implicit names.
CREATE TABLE this_table_name_is_exactly_sixty_characters_long_abcdefghijk (
    id serial PRIMARY KEY,
    email text UNIQUE,
    a_rather_long_column_name_that_goes_on_and_on integer CHECK (a_rather_long_column_name_that_goes_on_and_on > 0),
    b integer REFERENCES this_table_name_is_exactly_sixty_characters_long_abcdefghijk
);
CREATE INDEX ON this_table_name_is_exactly_sixty_characters_long_abcdefghijk (email, b);
CREATE INDEX ON this_table_name_is_exactly_sixty_characters_long_abcdefghijk (b);
CREATE TABLE short_t (
    id integer,
    very_long_column_name_number_one_that_keeps_going_and_going_and_going integer,
    very_long_column_name_number_two_that_keeps_going_and_going_and_going integer,
    col_for_check integer
);
CREATE TABLE this_table_name_is_longer_than_sixty_three_bytes_and_gets_truncated_by_pg (id int);
CREATE TABLE long_constraints (
    abcdefghij_abcdefghij_abcdefghij integer,
    klmnopqrst_klmnopqrst_klmnopqrst integer,
    UNIQUE (abcdefghij_abcdefghij_abcdefghij, klmnopqrst_klmnopqrst_klmnopqrst),
    CHECK (abcdefghij_abcdefghij_abcdefghij > 0),
    CHECK (abcdefghij_abcdefghij_abcdefghij < 100)
);
CREATE INDEX ON long_constraints (abcdefghij_abcdefghij_abcdefghij, klmnopqrst_klmnopqrst_klmnopqrst);
CREATE INDEX ON long_constraints (abcdefghij_abcdefghij_abcdefghij, klmnopqrst_klmnopqrst_klmnopqrst);
CREATE TABLE "Ünïcödé_täblé_with_multibyte_characters_ääääääääääääää" ("ä_col" int UNIQUE);
