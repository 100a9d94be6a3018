-- User/session functions, uuid generation, random, user-defined functions.
CREATE FUNCTION next_code() RETURNS text LANGUAGE sql AS $$ SELECT 'C-' || floor(random() * 1000)::text $$;
CREATE TABLE audit (
    id uuid DEFAULT gen_random_uuid(),
    who text DEFAULT current_user,
    who2 name DEFAULT CURRENT_USER,
    session_who text DEFAULT session_user,
    usr text DEFAULT user,
    role_name text DEFAULT current_role,
    db text DEFAULT current_database(),
    sch text DEFAULT current_schema,
    sch2 text DEFAULT current_schema(),
    rnd double precision DEFAULT random(),
    code text DEFAULT next_code(),
    code2 text DEFAULT public.next_code(),
    txid bigint DEFAULT txid_current(),
    md text DEFAULT md5('x'),
    ver text DEFAULT version()
);
