-- COLLATE on columns (only built-in collations).
CREATE TABLE collated (
    id int PRIMARY KEY,
    code text COLLATE "C" NOT NULL,
    label varchar(20) COLLATE "POSIX",
    plain text COLLATE "default",
    ucs text COLLATE ucs_basic
);
CREATE INDEX collated_label_c_idx ON collated (label COLLATE "C");
