-- Array spellings.
CREATE TABLE arrays (
    ints int[],
    texts text[],
    matrix integer[][],
    names varchar(20)[],
    fixed int[3],
    sql_std integer ARRAY,
    sql_std4 integer ARRAY[4],
    prices numeric(10,2)[],
    stamps timestamptz[],
    flags boolean[],
    bytes bytea[],
    chars char(2)[],
    jsons jsonb[],
    uuids uuid[],
    times time(3)[]
);
