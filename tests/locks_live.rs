//! PostgreSQL is the oracle for lock levels: each statement runs on a real server inside `BEGIN … ROLLBACK`,
//! and what the transaction holds is read from `pg_locks` before the rollback. The strongest mode on each
//! relation must equal what `locks` says; a changed `pg_class.relfilenode` must go with `Work::Rewrite`,
//! a scan counted in `pg_stat_xact_user_tables` with `Work::Scan`, neither with `Work::CatalogOnly`. An
//! index an ALTER TABLE builds again (a new `relfilenode`) without rewriting its table must be named in the
//! reason.
//!
//! Statements that cannot run in a transaction block (CONCURRENTLY, VACUUM) are checked from outside: a
//! first session holds EXCLUSIVE on the relation, the statement runs in a second one and waits, and
//! `pg_locks` shows the mode it waits for.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use schema_playground::locks::{LockInfo, LockMode, Work};
use schema_playground::{Options, Runner, SourceFile, analyze};
use support::pg::TempPostgres;

const SETUP: &str = "
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (id int PRIMARY KEY, p_id int, v varchar(10), t text, n numeric(10,2), x int, ts timestamp);
CREATE INDEX c_v ON c (v);
INSERT INTO p VALUES (1);
INSERT INTO c VALUES (1, 1, 'a', 'b', 1, 1, '2024-01-01');
ALTER TABLE c ADD CONSTRAINT c_fk FOREIGN KEY (p_id) REFERENCES p NOT VALID;
ALTER TABLE c ADD CONSTRAINT c_ck CHECK (x > 0) NOT VALID;
ALTER TABLE c ADD CONSTRAINT c_xnn CHECK (x IS NOT NULL);
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
CREATE DOMAIN label AS text;
CREATE TABLE part (id int, k int) PARTITION BY RANGE (k);
CREATE TABLE part1 PARTITION OF part FOR VALUES FROM (0) TO (10);
CREATE TABLE part_new (id int, k int);
CREATE TABLE q (id int, x int);
CREATE VIEW vw AS SELECT id, x FROM q;
CREATE TABLE m (id int);
CREATE MATERIALIZED VIEW mv AS SELECT id FROM m;
CREATE SEQUENCE s;
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER trg BEFORE INSERT ON c FOR EACH ROW EXECUTE FUNCTION tf();
CREATE TABLE inh_parent (id int);
CREATE TABLE inh_child (id int) INHERITS (inh_parent);
CREATE TABLE lab (id int, l label);
INSERT INTO lab VALUES (1, 'x');
CREATE TABLE r (id int);
CREATE RULE r_noop AS ON DELETE TO r DO INSTEAD NOTHING;
CREATE TABLE dep (id int PRIMARY KEY, code varchar(10), other int, tag varchar(10));
INSERT INTO dep VALUES (1, 'a', 1, 'b');
ALTER TABLE dep ADD CONSTRAINT dep_code_ck CHECK (length(code) > 0);
ALTER TABLE dep ADD CONSTRAINT dep_other_ck CHECK (other > 0);
ALTER TABLE dep ADD CONSTRAINT dep_tag_ck CHECK (tag <> '') NOT VALID;
CREATE INDEX dep_code ON dep (code);
CREATE INDEX dep_lower ON dep (lower(code));
CREATE INDEX dep_partial ON dep (id) WHERE code <> 'x';
CREATE INDEX dep_tag ON dep (other, tag);
CREATE TABLE pubt (id int);
CREATE PUBLICATION pub FOR TABLE pubt;
";

/// Applied on the server only: the simulator does not index materialized views, and REFRESH … CONCURRENTLY
/// needs a unique index.
const SETUP_SERVER_ONLY: &str = "CREATE UNIQUE INDEX mv_id ON mv (id);\n";

/// Statements that run inside a transaction block.
const IN_TRANSACTION: &[&str] = &[
    // ADD COLUMN
    "ALTER TABLE c ADD COLUMN a int",
    "ALTER TABLE c ADD COLUMN a int DEFAULT 0",
    "ALTER TABLE c ADD COLUMN a int NOT NULL DEFAULT 0",
    "ALTER TABLE c ADD COLUMN a timestamptz DEFAULT now()",
    "ALTER TABLE c ADD COLUMN a float8 DEFAULT random()",
    "ALTER TABLE c ADD COLUMN a uuid DEFAULT gen_random_uuid()",
    "ALTER TABLE c ADD COLUMN a serial",
    "ALTER TABLE c ADD COLUMN a int GENERATED ALWAYS AS IDENTITY",
    "ALTER TABLE c ADD COLUMN a int GENERATED ALWAYS AS (x * 2) STORED",
    "ALTER TABLE c ADD COLUMN a posint",
    "ALTER TABLE c ADD COLUMN a label",
    "ALTER TABLE c ADD COLUMN a int REFERENCES p",
    "ALTER TABLE c ADD COLUMN a int CHECK (a > 0)",
    "ALTER TABLE c ADD COLUMN a int UNIQUE",
    // ALTER COLUMN
    "ALTER TABLE c ALTER COLUMN x SET NOT NULL",
    "ALTER TABLE c ALTER COLUMN t SET NOT NULL",
    "ALTER TABLE c ALTER COLUMN t DROP NOT NULL",
    "ALTER TABLE c ALTER COLUMN t SET DEFAULT 'x'",
    "ALTER TABLE c ALTER COLUMN t DROP DEFAULT",
    "ALTER TABLE c ALTER COLUMN x SET STATISTICS 100",
    "ALTER TABLE c ALTER COLUMN t SET STORAGE EXTERNAL",
    "ALTER TABLE c ALTER COLUMN v TYPE varchar(20)",
    "ALTER TABLE c ALTER COLUMN v TYPE varchar",
    "ALTER TABLE c ALTER COLUMN v TYPE text",
    "ALTER TABLE c ALTER COLUMN v TYPE varchar(5)",
    "ALTER TABLE c ALTER COLUMN t TYPE varchar",
    "ALTER TABLE c ALTER COLUMN t TYPE varchar(20)",
    "ALTER TABLE c ALTER COLUMN v TYPE char(10)",
    "ALTER TABLE c ALTER COLUMN n TYPE numeric(12,2)",
    "ALTER TABLE c ALTER COLUMN n TYPE numeric",
    "ALTER TABLE c ALTER COLUMN n TYPE numeric(12,4)",
    "ALTER TABLE c ALTER COLUMN x TYPE bigint",
    "ALTER TABLE c ALTER COLUMN x TYPE int USING x + 1",
    "ALTER TABLE c ALTER COLUMN x TYPE posint",
    "ALTER TABLE c ALTER COLUMN t TYPE label",
    "ALTER TABLE c ALTER COLUMN ts TYPE timestamp(3)",
    "ALTER TABLE c ALTER COLUMN p_id TYPE bigint",
    "ALTER TABLE p ALTER COLUMN id TYPE bigint",
    // no rewrite, but the column's CHECKs are checked again and its expression and partial indexes rebuilt
    "ALTER TABLE dep ALTER COLUMN code TYPE text",
    "ALTER TABLE dep ALTER COLUMN code TYPE varchar(20)",
    "ALTER TABLE dep ALTER COLUMN code TYPE varchar(10)",
    "ALTER TABLE dep ALTER COLUMN other TYPE int",
    "ALTER TABLE dep ALTER COLUMN tag TYPE text",
    "ALTER TABLE dep ALTER COLUMN code TYPE varchar(5)",
    // DROP COLUMN, renames
    "ALTER TABLE c DROP COLUMN t",
    "ALTER TABLE c DROP COLUMN p_id",
    "ALTER TABLE c RENAME COLUMN t TO t2",
    "ALTER TABLE c RENAME TO c2",
    "ALTER TABLE c RENAME CONSTRAINT c_ck TO c_ck2",
    // constraints
    "ALTER TABLE c ADD CONSTRAINT fk2 FOREIGN KEY (x) REFERENCES p",
    "ALTER TABLE c ADD CONSTRAINT fk2 FOREIGN KEY (x) REFERENCES p NOT VALID",
    "ALTER TABLE c ADD CONSTRAINT ck2 CHECK (x > 0)",
    "ALTER TABLE c ADD CONSTRAINT ck2 CHECK (x > 0) NOT VALID",
    "ALTER TABLE c VALIDATE CONSTRAINT c_fk",
    "ALTER TABLE c VALIDATE CONSTRAINT c_ck",
    "ALTER TABLE c ADD CONSTRAINT u UNIQUE (x)",
    "ALTER TABLE q ADD PRIMARY KEY (id)",
    "ALTER TABLE c DROP CONSTRAINT c_fk",
    "ALTER TABLE c DROP CONSTRAINT c_ck",
    "ALTER TABLE c DROP CONSTRAINT c_pkey",
    // table settings
    "ALTER TABLE c SET (fillfactor = 70)",
    "ALTER TABLE c SET (autovacuum_enabled = false)",
    "ALTER TABLE c SET (user_catalog_table = true)",
    "ALTER TABLE q SET UNLOGGED",
    "ALTER TABLE c ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE c DISABLE TRIGGER trg",
    "ALTER TABLE c REPLICA IDENTITY FULL",
    "ALTER TABLE c CLUSTER ON c_v",
    "ALTER TABLE c SET WITHOUT CLUSTER",
    "ALTER TABLE c OWNER TO postgres",
    // inheritance and partitions
    "ALTER TABLE c INHERIT inh_parent",
    "ALTER TABLE inh_child NO INHERIT inh_parent",
    "ALTER TABLE part ATTACH PARTITION part_new FOR VALUES FROM (10) TO (20)",
    "ALTER TABLE part DETACH PARTITION part1",
    "ALTER TABLE part ADD COLUMN z int",
    "ALTER TABLE part ALTER COLUMN k SET NOT NULL",
    "CREATE TABLE part2 PARTITION OF part FOR VALUES FROM (20) TO (30)",
    "CREATE TABLE ic (extra int) INHERITS (inh_parent)",
    // indexes
    "CREATE INDEX c_x ON c (x)",
    "CREATE UNIQUE INDEX c_x ON c (x)",
    "CREATE INDEX part_id ON part (id)",
    "CREATE INDEX mv_x ON mv (id)",
    "DROP INDEX c_v",
    "ALTER INDEX c_v RENAME TO c_v2",
    "ALTER INDEX c_v SET (fillfactor = 70)",
    "REINDEX TABLE c",
    "REINDEX INDEX c_v",
    "CLUSTER c USING c_pkey",
    "ANALYZE c",
    // drops and truncation
    "TRUNCATE q",
    "DROP TABLE q CASCADE",
    "DROP TABLE c",
    "DROP TABLE p CASCADE",
    "DROP TABLE part1",
    "DROP VIEW vw",
    "DROP MATERIALIZED VIEW mv",
    "DROP SEQUENCE s",
    // new objects that touch existing ones
    "CREATE TABLE d (x int REFERENCES p)",
    "CREATE TABLE e (LIKE c)",
    "CREATE VIEW v2 AS SELECT * FROM c",
    "CREATE OR REPLACE VIEW vw AS SELECT id, x, 1 AS one FROM q",
    "CREATE MATERIALIZED VIEW mv2 AS SELECT * FROM q",
    "REFRESH MATERIALIZED VIEW mv",
    "REFRESH MATERIALIZED VIEW CONCURRENTLY mv",
    "CREATE TRIGGER trg2 AFTER INSERT ON c FOR EACH ROW EXECUTE FUNCTION tf()",
    "DROP TRIGGER trg ON c",
    "CREATE POLICY pol ON c USING (true)",
    "CREATE RULE c_noop AS ON DELETE TO c DO INSTEAD NOTHING",
    "DROP RULE r_noop ON r",
    "ALTER DOMAIN label ADD CONSTRAINT label_ck CHECK (VALUE <> '')",
    "ALTER DOMAIN label SET NOT NULL",
    "ALTER INDEX c_v SET TABLESPACE pg_default",
    // A DO block takes the locks of the statements it runs: here the ALTER TABLE (its condition holds).
    "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'q' \
     AND column_name = 'z') THEN ALTER TABLE q ADD COLUMN z int; END IF; END $$",
    "COMMENT ON TABLE c IS 'x'",
    "COMMENT ON COLUMN c.t IS 'x'",
    "COMMENT ON INDEX c_v IS 'x'",
    "COMMENT ON CONSTRAINT c_ck ON c IS 'x'",
    "CREATE STATISTICS st ON x, id FROM c",
    // data and explicit locks
    "INSERT INTO c (id, p_id, x) VALUES (2, 1, 1)",
    "INSERT INTO q SELECT id, x FROM c",
    "UPDATE q SET x = c.x FROM c WHERE c.id = q.id",
    "DELETE FROM q",
    "SELECT * FROM c",
    "GRANT SELECT ON c TO PUBLIC",
    "LOCK TABLE c",
    "LOCK TABLE c IN SHARE MODE",
    "LOCK TABLE c IN ROW EXCLUSIVE MODE",
    "ALTER SEQUENCE s RESTART WITH 10",
    "ALTER SEQUENCE s OWNED BY q.id",
    "CREATE PUBLICATION pub2 FOR TABLE c, inh_parent",
    "ALTER PUBLICATION pub ADD TABLE ONLY inh_parent, c",
    "ALTER PUBLICATION pub DROP TABLE pubt",
    "ALTER PUBLICATION pub SET TABLE inh_parent",
];

/// Statements that refuse a transaction block: (statement, the relations to check).
const OUTSIDE_TRANSACTION: &[(&str, &[&str])] = &[
    ("CREATE INDEX CONCURRENTLY c_x ON c (x)", &["c"]),
    ("DROP INDEX CONCURRENTLY c_v", &["c"]),
    ("REINDEX TABLE CONCURRENTLY c", &["c"]),
    ("REINDEX INDEX CONCURRENTLY c_v", &["c"]),
    ("VACUUM c", &["c"]),
    ("VACUUM FULL c", &["c"]),
    ("ALTER TABLE part DETACH PARTITION part1 CONCURRENTLY", &["part", "part1"]),
];

/// What PostgreSQL did to one relation.
#[derive(Debug, Default)]
struct Observed {
    mode: Option<LockMode>,
    rewritten: bool,
    scanned: bool,
    kind: char,
    /// Its indexes that got a new `relfilenode` (built again).
    rebuilt_indexes: Vec<String>,
}

fn engine_locks(stmt: &str, runner: Runner, pg_version: u32) -> (Vec<LockInfo>, Option<String>) {
    let options = Options {
        runner,
        rules: schema_playground::rules::RuleConfig { pg_version: Some(pg_version), ..Default::default() },
        ..Options::default()
    };
    let files = vec![SourceFile::new("001_setup.sql", SETUP), SourceFile::new("002_case.sql", format!("{stmt};\n"))];
    let analysis = analyze(files, &options);
    let setup_errors: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.span.file == 0 && d.severity == schema_playground::Severity::Error)
        .collect();
    assert!(setup_errors.is_empty(), "the engine rejects the setup: {setup_errors:?}");
    let file = analysis.file_locks(1, &options).expect("the case file is a migration");
    let entry = file.statements.into_iter().next().expect("one statement");
    (entry.locks.locks, entry.locks.undetermined)
}

fn server_major(pg: &TempPostgres) -> u32 {
    let out = pg.psql_query("postgres", "SHOW server_version_num");
    assert!(out.success, "{}", out.stderr);
    out.stdout.trim().parse::<u32>().expect("a number") / 10_000
}

/// Runs `stmt` in a transaction on a fresh database with the setup, and reads what it did.
fn observe(pg: &TempPostgres, dir: &Path, i: usize, stmt: &str) -> Result<BTreeMap<String, Observed>, String> {
    let db = pg.create_database(&format!("locks_{i}"));
    let setup = dir.join(format!("setup_{i}.sql"));
    fs::write(&setup, format!("{SETUP}{SETUP_SERVER_ONLY}")).unwrap();
    let out = pg.psql_file(&db, &setup, true);
    assert!(out.success, "setup failed: {}", out.stderr);
    let script = format!(
        "\\pset format unaligned\n\\pset tuples_only on\n\
         SELECT 'R|' || oid || '|' || relname || '|' || relkind::text || '|' || relfilenode FROM pg_class WHERE relnamespace = 'public'::regnamespace;\n\
         SELECT 'I|' || indexrelid || '|' || indrelid FROM pg_index WHERE indrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace);\n\
         BEGIN;\n\
         {stmt};\n\
         SELECT 'L|' || l.relation || '|' || l.mode FROM pg_locks l WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation';\n\
         SELECT 'F|' || oid || '|' || relfilenode FROM pg_class WHERE relnamespace = 'public'::regnamespace;\n\
         SELECT 'S|' || relid || '|' || (seq_scan + coalesce(idx_scan, 0)) FROM pg_stat_xact_user_tables;\n\
         ROLLBACK;\n"
    );
    let file = dir.join(format!("case_{i}.sql"));
    fs::write(&file, script).unwrap();
    let out = pg.psql_file(&db, &file, false);
    pg.drop_database(&db);
    if !out.success {
        return Err(format!("PostgreSQL rejects it: {}", out.stderr.trim()));
    }
    let mut names: BTreeMap<String, (String, char, String)> = BTreeMap::new();
    let mut seen: BTreeMap<String, Observed> = BTreeMap::new();
    // index oid → table name
    let mut index_of: BTreeMap<String, String> = BTreeMap::new();
    for line in out.stdout.lines() {
        let parts: Vec<&str> = line.trim().split('|').collect();
        match parts.as_slice() {
            ["R", oid, name, kind, node] => {
                names.insert(oid.to_string(), (name.to_string(), kind.chars().next().unwrap_or('?'), node.to_string()));
            }
            ["L", oid, mode] => {
                if let Some((name, kind, _)) = names.get(*oid) {
                    let o = seen.entry(name.clone()).or_default();
                    o.kind = *kind;
                    let m = LockMode::parse(mode).unwrap_or_else(|| panic!("unknown mode {mode}"));
                    o.mode = o.mode.max(Some(m));
                }
            }
            ["I", index, table] => {
                if let Some((name, _, _)) = names.get(*table) {
                    index_of.insert(index.to_string(), name.clone());
                }
            }
            ["F", oid, node] => {
                if let Some((name, kind, before)) = names.get(*oid)
                    && before != node
                    && before != "0"
                {
                    let o = seen.entry(name.clone()).or_default();
                    o.kind = *kind;
                    o.rewritten = true;
                    if let Some(table) = index_of.get(*oid) {
                        seen.entry(table.clone()).or_default().rebuilt_indexes.push(name.clone());
                    }
                }
            }
            ["S", oid, n] => {
                if let Some((name, kind, _)) = names.get(*oid)
                    && n.parse::<u64>().unwrap_or(0) > 0
                {
                    let o = seen.entry(name.clone()).or_default();
                    o.kind = *kind;
                    o.scanned = true;
                }
            }
            _ => {}
        }
    }
    Ok(seen)
}

fn compare(stmt: &str, engine: &[LockInfo], seen: &BTreeMap<String, Observed>) -> Vec<String> {
    let mut problems = Vec::new();
    for l in engine {
        let name = l.relation.name.as_str();
        let o = seen.get(name);
        let mode = o.and_then(|o| o.mode);
        if mode != Some(l.mode) {
            problems.push(format!("{name}: engine {}, PostgreSQL {}", l.mode, mode.map_or("no lock", LockMode::name)));
        }
        let (rewritten, scanned) = o.map_or((false, false), |o| (o.rewritten, o.scanned));
        let work_ok = match l.work {
            Work::Rewrite => rewritten || !seen.contains_key(name),
            Work::Scan => scanned && !rewritten,
            Work::CatalogOnly => !scanned && !rewritten,
            Work::Rows => !rewritten,
        };
        if !work_ok {
            problems.push(format!(
                "{name}: engine says {:?}; PostgreSQL {} and {}",
                l.work,
                if rewritten { "rewrote it" } else { "kept its storage" },
                if scanned { "scanned it" } else { "did not scan it" }
            ));
        }
        // Short of a rewrite (which rebuilds every index), the engine names each index an ALTER TABLE builds
        // again (REINDEX and CLUSTER rebuild them all by definition).
        if !rewritten && stmt.starts_with("ALTER TABLE") {
            for index in o.map_or(&[][..], |o| &o.rebuilt_indexes[..]) {
                if !l.reason.contains(index.as_str()) {
                    problems.push(format!(
                        "{name}: PostgreSQL builds index {index} again, the engine does not say so ({})",
                        l.reason
                    ));
                }
            }
        }
    }
    // Every table, view and sequence PostgreSQL locked must be in the engine's list (indexes only when the
    // engine names them: PostgreSQL locks them as a matter of course).
    for (name, o) in seen {
        let Some(mode) = o.mode else { continue };
        if matches!(o.kind, 'i' | 'I') || engine.iter().any(|l| l.relation.name == *name) {
            continue;
        }
        problems.push(format!("{name}: PostgreSQL takes {mode}, the engine names no lock"));
    }
    problems.into_iter().map(|p| format!("{stmt}\n    {p}")).collect()
}

#[test]
fn lock_levels_match_postgres_inside_a_transaction() {
    let pg = TempPostgres::start();
    let major = server_major(&pg);
    let dir = std::env::temp_dir().join(format!("sp-locks-live-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let mut failures = Vec::new();
    for (i, stmt) in IN_TRANSACTION.iter().enumerate() {
        let (engine, undetermined) = engine_locks(stmt, Runner::Transaction, major);
        if let Some(why) = undetermined {
            failures.push(format!("{stmt}\n    the engine cannot tell: {why}"));
        }
        match observe(&pg, &dir, i, stmt) {
            Ok(seen) => failures.extend(compare(stmt, &engine, &seen)),
            Err(e) => failures.push(format!("{stmt}\n    {e}")),
        }
    }
    fs::remove_dir_all(&dir).ok();
    eprintln!("locks-live: {} statements on PostgreSQL {major}, {} problems", IN_TRANSACTION.len(), failures.len());
    assert!(failures.is_empty(), "lock analysis differs from PostgreSQL {major}:\n{}", failures.join("\n"));
}

/// A psql session running in the background.
struct Session {
    child: Child,
}

impl Session {
    fn start(pg: &TempPostgres, db: &str, file: &Path) -> Session {
        let child = Command::new(pg.psql_path())
            .args(["-X", "-q", "-h", "127.0.0.1", "-p", &pg.port().to_string(), "-U", "postgres", "-d", db, "-f"])
            .arg(file)
            .env("PGOPTIONS", "-c statement_timeout=60000 -c lock_timeout=60000")
            .env_remove("PGPASSWORD")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("psql starts");
        Session { child }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // The server ends the backends (pg_terminate_backend below); psql then exits. Never leave it behind.
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `sql` (one value) until `done` accepts it, for at most 15 seconds.
fn poll(pg: &TempPostgres, db: &str, sql: &str, done: impl Fn(&str) -> bool) -> Option<String> {
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        let out = pg.psql_query(db, sql);
        let v = out.stdout.trim().to_string();
        if out.success && done(&v) {
            return Some(v);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

/// The mode `stmt` asks for on `relation` while another session holds EXCLUSIVE on it: EXCLUSIVE conflicts
/// with every mode but ACCESS SHARE, so the brief ACCESS SHARE lock VACUUM takes to look the table up passes
/// and the statement waits for its real lock.
fn waited_mode(pg: &TempPostgres, dir: &Path, db: &str, stmt: &str, relation: &str) -> Result<LockMode, String> {
    let oid_out = pg.psql_query(db, &format!("SELECT '{relation}'::regclass::oid"));
    let oid = oid_out.stdout.trim().to_string();
    let holder_file = dir.join(format!("{db}_{relation}_holder.sql"));
    fs::write(
        &holder_file,
        format!("BEGIN;\nLOCK TABLE ONLY {relation} IN EXCLUSIVE MODE;\nSELECT pg_sleep(30);\nCOMMIT;\n"),
    )
    .unwrap();
    let waiter_file = dir.join(format!("{db}_{relation}_waiter.sql"));
    fs::write(&waiter_file, format!("{stmt};\n")).unwrap();
    let _holder = Session::start(pg, db, &holder_file);
    let held = poll(
        pg,
        db,
        &format!("SELECT count(*) FROM pg_locks WHERE relation = {oid} AND granted AND mode = 'ExclusiveLock'"),
        |v| v == "1",
    );
    let result = if held.is_none() {
        Err("the holding session did not get its lock".to_string())
    } else {
        let _waiter = Session::start(pg, db, &waiter_file);
        let mode = poll(pg, db, &format!("SELECT mode FROM pg_locks WHERE relation = {oid} AND NOT granted"), |v| {
            !v.is_empty()
        });
        let r = match mode {
            Some(m) => LockMode::parse(m.lines().next().unwrap_or("")).ok_or(format!("unknown mode {m}")),
            None => Err(format!("{stmt} did not wait for a lock on {relation}")),
        };
        end_sessions(pg, db);
        r
    };
    end_sessions(pg, db);
    result
}

fn end_sessions(pg: &TempPostgres, db: &str) {
    pg.psql_query(
        "postgres",
        &format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}' AND pid <> pg_backend_pid()"
        ),
    );
}

#[test]
fn lock_levels_match_postgres_outside_a_transaction() {
    let pg = TempPostgres::start();
    let major = server_major(&pg);
    let dir: PathBuf = std::env::temp_dir().join(format!("sp-locks-live-outside-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (i, (stmt, relations)) in OUTSIDE_TRANSACTION.iter().enumerate() {
        let (engine, undetermined) = engine_locks(stmt, Runner::Psql, major);
        if let Some(why) = undetermined {
            failures.push(format!("{stmt}\n    the engine cannot tell: {why}"));
        }
        for relation in *relations {
            let db = pg.create_database(&format!("outside_{i}_{relation}"));
            let setup = dir.join(format!("setup_{i}_{relation}.sql"));
            fs::write(&setup, format!("{SETUP}{SETUP_SERVER_ONLY}")).unwrap();
            assert!(pg.psql_file(&db, &setup, true).success, "setup");
            let expected = engine.iter().find(|l| l.relation.name == *relation).map(|l| l.mode);
            checked += 1;
            let waited = waited_mode(&pg, &dir, &db, stmt, relation);
            pg.drop_database(&db);
            match waited {
                Ok(m) if Some(m) == expected => {}
                Ok(m) => failures.push(format!(
                    "{stmt}\n    {relation}: engine {}, PostgreSQL waits for {m}",
                    expected.map_or("no lock", LockMode::name)
                )),
                Err(e) => failures.push(format!("{stmt}\n    {relation}: {e}")),
            }
        }
    }
    fs::remove_dir_all(&dir).ok();
    eprintln!("locks-live outside transactions: {checked} checks on PostgreSQL {major}, {} problems", failures.len());
    assert!(failures.is_empty(), "lock analysis differs from PostgreSQL {major}:\n{}", failures.join("\n"));
}
