-- String literal defaults on columns of many types.
CREATE TYPE priority AS ENUM ('low', 'normal', 'high');
CREATE TABLE string_defaults (
    t text DEFAULT 'hello',
    t_empty text DEFAULT '',
    vc varchar(20) DEFAULT 'draft',
    vc_plain varchar DEFAULT 'x',
    ch char(3) DEFAULT 'ab',
    ch1 char DEFAULT 'y',
    qc "char" DEFAULT 'q',
    prio priority DEFAULT 'normal',
    d date DEFAULT '2024-01-31',
    ts timestamp DEFAULT '2024-01-31 12:00:00',
    tstz timestamptz DEFAULT '2024-01-31 12:00:00+00',
    jb jsonb DEFAULT '{"a": 1}',
    j json DEFAULT '{"a":   1}',
    u uuid DEFAULT '00000000-0000-0000-0000-000000000000',
    iv interval DEFAULT '1 day',
    iv2 interval DEFAULT '90 minutes',
    b bytea DEFAULT '\x00ff',
    ip inet DEFAULT '127.0.0.1',
    bits bit(3) DEFAULT B'101',
    n numeric DEFAULT '12.50',
    i int DEFAULT '7'
);
