//! The embedded example project (migrations/) against a real PostgreSQL.
//!
//! 1. Every forward migration (`NNN_*.sql` except `*_rollback.sql`) applies
//!    cleanly in numeric order with `psql -X -q -v ON_ERROR_STOP=1 -f FILE`,
//!    and `\d TABLE` of every table in schema public prints exactly
//!    tests/fixtures/example-psql/TABLE.txt (users.txt in particular).
//! 2. On a second database, every forward file up to a rollback file's number
//!    applies as one transaction (`-1`), the rollback file applies after it,
//!    and the schema is then exactly the one before that migration.
//!
//! Needs the PostgreSQL server binaries (apt-get install postgresql); see
//! tests/support/pg.rs. Regenerate the fixtures with
//! scripts/capture-example-psql.sh.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use support::pg::TempPostgres;

fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

struct Migration {
    number: u32,
    path: PathBuf,
    rollback: bool,
}

impl Migration {
    fn name(&self) -> String {
        self.path.file_name().unwrap().to_string_lossy().into_owned()
    }
}

/// Every `NNN_*.sql` file of migrations/, sorted by number, then name.
fn migrations() -> Vec<Migration> {
    let dir = repo_path("migrations");
    let mut out: Vec<Migration> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?.to_string();
            let (prefix, _) = name.strip_suffix(".sql")?.split_once('_')?;
            if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some(Migration { number: prefix.parse().ok()?, rollback: name.ends_with("_rollback.sql"), path })
        })
        .collect();
    out.sort_by_key(|m| (m.number, m.name()));
    out
}

fn apply(pg: &TempPostgres, db: &str, m: &Migration, single_transaction: bool) {
    let out = pg.psql_file(db, &m.path, single_transaction);
    assert!(
        out.success,
        "{} failed on database {db} (single transaction: {single_transaction}):\n{}",
        m.name(),
        out.stderr
    );
}

/// Tables (relkind r or p) of schema public, by name in byte order.
fn public_tables(pg: &TempPostgres, db: &str) -> Vec<String> {
    let out = pg.psql_query(
        db,
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') \
         ORDER BY c.relname COLLATE \"C\"",
    );
    assert!(out.success, "listing tables of {db} failed:\n{}", out.stderr);
    out.stdout.lines().filter(|l| !l.is_empty()).map(str::to_string).collect()
}

fn describe(pg: &TempPostgres, db: &str, table: &str) -> String {
    let out = pg.psql_command(db, &format!("\\d {table}"));
    assert!(out.success, "\\d {table} on {db} failed:\n{}", out.stderr);
    out.stdout
}

fn engine_analysis() -> schema_playground::Analysis {
    let dir = repo_path("migrations");
    let mut files: Vec<schema_playground::SourceFile> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            schema_playground::SourceFile::new(name, fs::read_to_string(&path).unwrap())
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    schema_playground::analyze(files, &schema_playground::Options::default())
}

fn engine_describe(analysis: &schema_playground::Analysis, table: &str) -> String {
    let q = schema_playground::catalog::QualName::public(table);
    let t = analysis.catalog.table(&q).unwrap_or_else(|| panic!("the engine has no table {table}"));
    schema_playground::render::psql::describe_table(&analysis.catalog, t)
}

#[test]
fn example_migrations_apply_and_match_psql_fixtures() {
    let all = migrations();
    let forward: Vec<&Migration> = all.iter().filter(|m| !m.rollback).collect();
    let rollbacks: Vec<&Migration> = all.iter().filter(|m| m.rollback).collect();
    assert!(forward.len() >= 10, "expected about a dozen example migrations, found {}", forward.len());
    assert!(!rollbacks.is_empty(), "the example should have a *_rollback.sql file");

    let pg = TempPostgres::start();

    // 1. Forward migrations in order, as the migration runner applies them.
    let db = pg.create_database("example");
    for m in &forward {
        apply(&pg, &db, m, false);
    }

    let fixtures = repo_path("tests/fixtures/example-psql");
    let users_fixture = fs::read_to_string(fixtures.join("users.txt"))
        .unwrap_or_else(|e| panic!("cannot read {}/users.txt: {e}", fixtures.display()));
    assert_eq!(
        describe(&pg, &db, "users"),
        users_fixture,
        "\\d users differs from tests/fixtures/example-psql/users.txt \
         (regenerate with scripts/capture-example-psql.sh if the migrations changed)"
    );

    let tables = public_tables(&pg, &db);
    let mut fixture_tables: Vec<String> = fs::read_dir(&fixtures)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.strip_suffix(".txt").map(str::to_string)
        })
        .collect();
    fixture_tables.sort();
    assert_eq!(
        tables, fixture_tables,
        "tables of the example vs. files in tests/fixtures/example-psql \
         (regenerate with scripts/capture-example-psql.sh)"
    );
    let engine = engine_analysis();
    assert!(
        engine.stopped_at.is_none(),
        "the engine reports an error where PostgreSQL has none: {:?}",
        engine.diagnostics
    );
    for table in &tables {
        let expected = fs::read_to_string(fixtures.join(format!("{table}.txt"))).unwrap();
        let live = describe(&pg, &db, table);
        assert_eq!(engine_describe(&engine, table), live, "the engine's \\d {table} differs from the real server's");
        assert_eq!(
            live, expected,
            "\\d {table} differs from tests/fixtures/example-psql/{table}.txt \
             (regenerate with scripts/capture-example-psql.sh if the migrations changed)"
        );
    }

    // 2. Each rollback file undoes its migration exactly.
    for rb in &rollbacks {
        let db = pg.create_database(&format!("example_rollback_{:03}", rb.number));
        let before = pg.create_database(&format!("example_before_{:03}", rb.number));
        for m in forward.iter().filter(|m| m.number <= rb.number) {
            apply(&pg, &db, m, true);
            if m.number < rb.number {
                apply(&pg, &before, m, true);
            }
        }
        apply(&pg, &db, rb, true);

        let after_tables = public_tables(&pg, &db);
        let before_tables = public_tables(&pg, &before);
        assert_eq!(after_tables, before_tables, "tables after {} vs. before its migration", rb.name());
        for table in &after_tables {
            assert_eq!(
                describe(&pg, &db, table),
                describe(&pg, &before, table),
                "\\d {table} after {} differs from before its migration",
                rb.name()
            );
        }
        pg.drop_database(&db);
        pg.drop_database(&before);
    }
}
