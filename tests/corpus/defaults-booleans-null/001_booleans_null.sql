-- Boolean spellings and explicit NULL defaults.
CREATE TABLE flags (
    a boolean DEFAULT true,
    b boolean DEFAULT false,
    c bool DEFAULT 't',
    d bool DEFAULT 'yes',
    e boolean DEFAULT 'off',
    f boolean DEFAULT TRUE NOT NULL,
    g boolean NOT NULL DEFAULT FALSE,
    h boolean DEFAULT (NOT true),
    i boolean DEFAULT 1 = 1,
    n_text text DEFAULT NULL,
    n_int integer DEFAULT NULL,
    n_bool boolean DEFAULT NULL,
    n_cast text DEFAULT NULL::text,
    n_vc varchar(3) DEFAULT NULL
);
