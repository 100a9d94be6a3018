-- JSON and array defaults.
CREATE TABLE docs (
    meta jsonb DEFAULT '{}'::jsonb,
    meta2 jsonb DEFAULT '{}',
    items json DEFAULT '[]'::json,
    items2 jsonb DEFAULT '[]',
    nested jsonb DEFAULT '{"a": [1, 2], "b": null}'::jsonb,
    built jsonb DEFAULT jsonb_build_object('k', 1),
    jnull jsonb DEFAULT 'null'::jsonb,
    tags text[] DEFAULT ARRAY[]::text[],
    tags2 text[] DEFAULT '{}',
    tags3 text[] DEFAULT '{a,b}'::text[],
    tags4 text[] DEFAULT ARRAY['a', 'b'],
    tags5 varchar(10)[] DEFAULT '{}'::varchar[],
    nums int[] DEFAULT ARRAY[1, 2, 3],
    nums2 integer[] DEFAULT '{1,2}',
    nums3 bigint[] DEFAULT '{}'::bigint[],
    empty_int int[] DEFAULT ARRAY[]::integer[],
    grid int[][] DEFAULT '{{1,2},{3,4}}'
);
