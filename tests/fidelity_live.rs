//! The engine against a live PostgreSQL, for every corpus set and both runner modes.
//!
//! For each set of `tests/corpus/` and each runner (`psql`: `psql -X -v ON_ERROR_STOP=1 -f FILE` per file;
//! `transaction`: the same with `-1`), the forward migrations are applied in the engine's run order
//! (`analysis.plan.forward`, only each entry's `body`: a goose Up section, never a `.down.sql`) to a fresh
//! database of one throwaway server, until the first error. Then, for that runner:
//!
//! - `describe`: every table's `psql -X -c '\d ARG'` against `render::psql::describe_table`, character for
//!   character, and the same list of tables;
//! - `stop`: where PostgreSQL stopped (the file, and the statement: the line psql reports as
//!   `psql:FILE:LINE: ERROR:` must fall in the statement of `analysis.stopped_at`) against the engine;
//! - `message`: when both stop at the same statement, PostgreSQL's message against the engine's;
//! - `sequences`, `enums`, `composites`, `functions`, `views`, `comments`: what `\d` does not show, from catalog
//!   queries, against `analysis.catalog` (`composites`: each composite type's attributes; `views`: views,
//!   materialized views and the indexes of materialized views);
//! - `rerun`: every file that applied is run a second time on the database it left (all files applied) and,
//!   in the engine, appended again under the next migration name: both must agree on whether it fails;
//! - `order`: the engine's run order against `expected/_order.txt` (written by `scripts/capture-corpus.sh`,
//!   which orders files by itself), so that the harness never inherits a wrong engine order.
//!
//! In the `psql` mode the live server must also print exactly what `scripts/capture-corpus.sh` captured in
//! `expected/` (tables, `\d` text, `_stop.txt`): otherwise the capture is stale and the test fails whatever
//! the known list says. A set's `EXPECT_FAILURE` file names the modes in which PostgreSQL must reject one
//! of its migrations; in every other mode every file must apply.
//!
//! `tests/corpus/KNOWN_DIFFERENCES_LIVE.txt` lists the `set runner check` triples where the engine is known
//! to differ. The test fails on a difference that is not listed (and prints a unified diff), and on a listed
//! triple that now agrees (remove it: fixes shrink the list).
//!
//! Environment: `FIDELITY_LIVE_VERBOSE=1` prints the diffs of known differences too;
//! `FIDELITY_LIVE_SETS=a,b` checks only those sets; `FIDELITY_LIVE_UPDATE=1` rewrites the known list from
//! this run instead of failing on it; `FIDELITY_LIVE_JOBS=N` sets the number of worker threads (default 6: they mostly wait for psql).
//!
//! Needs the PostgreSQL server binaries (apt-get install postgresql); see tests/support/pg.rs.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use schema_playground::catalog::QualName;
use schema_playground::catalog::model::{Catalog, UserTypeKind};
use schema_playground::migrations::{self, Role};
use schema_playground::render::facts::index_definition;
use schema_playground::render::psql::describe_table;
use schema_playground::span::LineIndex;
use schema_playground::sql::split::{self, PieceKind};
use schema_playground::{Analysis, Options, Runner, SourceFile, analyze};

use support::pg::TempPostgres;

const CHECKS: [&str; 11] = [
    "describe",
    "stop",
    "message",
    "sequences",
    "enums",
    "composites",
    "functions",
    "views",
    "comments",
    "rerun",
    "order",
];
const SEPARATOR: &str = "@@@ fidelity-live separator @@@";
const KNOWN_FILE: &str = "KNOWN_DIFFERENCES_LIVE.txt";

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Mode {
    Psql,
    Transaction,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Psql => "psql",
            Mode::Transaction => "transaction",
        }
    }

    fn runner(self) -> Runner {
        match self {
            Mode::Psql => Runner::Psql,
            Mode::Transaction => Runner::Transaction,
        }
    }

    fn single_transaction(self) -> bool {
        self == Mode::Transaction
    }
}

/// One corpus set as read from disk.
struct Set {
    name: String,
    dir: PathBuf,
    /// The `.sql` files, sorted by name.
    files: Vec<SourceFile>,
    /// Modes in which PostgreSQL must reject a migration (from `EXPECT_FAILURE`).
    expect_failure: BTreeSet<Mode>,
}

fn load_sets(filter: Option<&BTreeSet<String>>) -> Vec<Set> {
    let mut dirs: Vec<PathBuf> =
        fs::read_dir(corpus()).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    let mut sets = Vec::new();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if filter.is_some_and(|f| !f.contains(&name)) {
            continue;
        }
        let mut files: Vec<SourceFile> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "sql"))
            .map(|p| SourceFile::new(p.file_name().unwrap().to_string_lossy(), fs::read_to_string(&p).unwrap()))
            .collect();
        if files.is_empty() {
            continue;
        }
        files.sort_by(|a, b| a.name.cmp(&b.name));
        let mut expect_failure = BTreeSet::new();
        if let Ok(text) = fs::read_to_string(dir.join("EXPECT_FAILURE")) {
            for word in text.lines().map(|l| l.split('#').next().unwrap_or("")).flat_map(str::split_whitespace) {
                match word {
                    "psql" => expect_failure.insert(Mode::Psql),
                    "transaction" => expect_failure.insert(Mode::Transaction),
                    other => panic!("{name}/EXPECT_FAILURE: unknown runner mode {other:?} (psql, transaction)"),
                };
            }
            if expect_failure.is_empty() {
                expect_failure.extend([Mode::Psql, Mode::Transaction]);
            }
        }
        sets.push(Set { name, dir, files, expect_failure });
    }
    sets
}

/// A forward migration as the harness runs it.
struct Forward {
    /// Index into `Set::files` (and `Analysis::files`).
    file: usize,
    name: String,
    /// The file's text with everything outside the forward body blanked (newlines kept, so that psql's
    /// line numbers are the file's).
    runnable: String,
}

fn forwards(set: &Set, analysis: &Analysis) -> Vec<Forward> {
    analysis
        .plan
        .forward
        .iter()
        .filter(|m| m.role == Role::Forward)
        .map(|m| {
            let text = &set.files[m.file as usize].text;
            let body = m.body.start.min(text.len())..m.body.end.min(text.len());
            let keep_newlines = |s: &str| s.chars().filter(|&c| c == '\n').collect::<String>();
            let runnable = format!(
                "{}{}{}",
                keep_newlines(&text[..body.start]),
                &text[body.clone()],
                keep_newlines(&text[body.end..])
            );
            Forward { file: m.file as usize, name: set.files[m.file as usize].name.clone(), runnable }
        })
        .collect()
}

/// Where a run stopped.
#[derive(Clone, Debug, PartialEq)]
struct Stop {
    /// Index into the forward list.
    forward: usize,
    file: String,
    /// PostgreSQL: the line psql reports. Engine: the lines of the failing statement.
    lines: (u32, u32),
    message: String,
}

impl Stop {
    fn describe(&self) -> String {
        if self.lines.0 == self.lines.1 {
            format!("{}:{}: {}", self.file, self.lines.0, self.message)
        } else {
            format!("{}:{}-{}: {}", self.file, self.lines.0, self.lines.1, self.message)
        }
    }
}

fn describe_stop(stop: &Option<Stop>) -> String {
    match stop {
        Some(s) => format!("stopped at {}\n", s.describe()),
        None => "applied every file\n".to_string(),
    }
}

/// psql's first `psql:PATH:LINE: ERROR:  MESSAGE` line.
fn parse_psql_error(stderr: &str, path: &Path) -> (u32, String) {
    let prefix = format!("psql:{}:", path.display());
    for line in stderr.lines() {
        if let Some(rest) = line.strip_prefix(&prefix)
            && let Some((num, msg)) = rest.split_once(": ERROR:  ")
            && let Ok(num) = num.parse()
        {
            return (num, msg.to_string());
        }
    }
    (0, stderr.lines().next().unwrap_or("(no message)").to_string())
}

/// The engine's stop point: the statement containing `analysis.stopped_at`.
fn engine_stop(analysis: &Analysis, fwd: &[Forward]) -> Option<Stop> {
    let at = analysis.stopped_at?;
    let file = &analysis.files[at.file as usize];
    let forward = fwd.iter().position(|f| f.file == at.file as usize).unwrap_or(usize::MAX);
    let pieces = split::split(&file.text);
    let start = at.start as usize;
    let piece = pieces.iter().find(|p| p.start <= start && start <= p.semicolon.unwrap_or(p.end).max(p.end));
    let index = LineIndex::new(&file.text);
    let line = |offset: usize| index.line_col(&file.text, offset).line;
    let lines = match piece {
        Some(p) => (line(p.start), line(p.semicolon.unwrap_or(p.end))),
        None => (line(start), line(at.end as usize)),
    };
    let message = analysis
        .diagnostics
        .iter()
        .find(|d| d.severity == schema_playground::Severity::Error && d.span == at)
        .map(|d| d.message.clone())
        .unwrap_or_else(|| "(no error diagnostic at the stop point)".into());
    Some(Stop { forward, file: file.name.clone(), lines, message: message.to_string() })
}

/// Runs the forward files on `db` until the first failure.
fn apply_all(pg: &TempPostgres, db: &str, fwd: &[Forward], mode: Mode, tmp: &Path) -> Option<Stop> {
    for (i, f) in fwd.iter().enumerate() {
        let path = tmp.join(&f.name);
        fs::write(&path, &f.runnable).unwrap();
        let out = pg.psql_file(db, &path, mode.single_transaction());
        if !out.success {
            let (line, message) = parse_psql_error(&out.stderr, &path);
            return Some(Stop { forward: i, file: f.name.clone(), lines: (line, line), message });
        }
    }
    None
}

const USER_NAMESPACES: &str = "SELECT oid, nspname FROM pg_namespace \
     WHERE nspname NOT IN ('pg_catalog', 'information_schema') \
       AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp\\_%'";

/// One query for the tables and everything `\d` does not show: `category<TAB>line`, sorted.
fn catalog_query() -> String {
    format!(
        r#"WITH ns AS ({USER_NAMESPACES}),
ext AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e'),
lines(category, line) AS (
  SELECT 'tables', CASE WHEN n.nspname = 'public' THEN quote_ident(c.relname)
                        ELSE quote_ident(n.nspname) || '.' || quote_ident(c.relname) END
                   || E'\t' || n.nspname || E'\t' || c.relname
  FROM pg_class c JOIN ns n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p')
UNION ALL
  SELECT 'sequences', n.nspname || '.' || c.relname || ' ' || format_type(s.seqtypid, NULL)
         || coalesce(' owned by ' || tn.nspname || '.' || t.relname || '.' || a.attname, '')
  FROM pg_class c JOIN ns n ON n.oid = c.relnamespace
  JOIN pg_sequence s ON s.seqrelid = c.oid
  LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
       AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')
  LEFT JOIN pg_class t ON t.oid = d.refobjid
  LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
  LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
  WHERE c.relkind = 'S'
UNION ALL
  SELECT 'enums', n.nspname || '.' || t.typname || ' ('
         || string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) || ')'
  FROM pg_type t JOIN ns n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
  GROUP BY n.nspname, t.typname
UNION ALL
  SELECT 'composites', n.nspname || '.' || t.typname || ' ('
         || coalesce((SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                      FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '')
         || ')'
  FROM pg_type t JOIN ns n ON n.oid = t.typnamespace JOIN pg_class c ON c.oid = t.typrelid
  WHERE t.typtype = 'c' AND c.relkind = 'c'
UNION ALL
  SELECT 'functions', CASE p.prokind WHEN 'p' THEN 'procedure ' ELSE 'function ' END
         || n.nspname || '.' || p.proname || '(' || oidvectortypes(p.proargtypes) || ')'
  FROM pg_proc p JOIN ns n ON n.oid = p.pronamespace
  WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_proc'::regclass AND ext.objid = p.oid)
UNION ALL
  SELECT 'views', CASE c.relkind WHEN 'm' THEN 'materialized view ' ELSE 'view ' END
         || n.nspname || '.' || c.relname
  FROM pg_class c JOIN ns n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('v', 'm')
UNION ALL
  SELECT 'views', 'index ' || n.nspname || '.' || ic.relname || ': ' || pg_get_indexdef(i.indexrelid, 0, true)
  FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
  JOIN ns n ON n.oid = ic.relnamespace
  WHERE c.relkind = 'm'
UNION ALL
  SELECT 'comments', CASE
           WHEN d.objsubid > 0 THEN 'column ' || n.nspname || '.' || c.relname || '.' || a.attname
           ELSE CASE c.relkind WHEN 'r' THEN 'table ' WHEN 'p' THEN 'table ' WHEN 'v' THEN 'view '
                  WHEN 'm' THEN 'materialized view ' WHEN 'i' THEN 'index ' WHEN 'I' THEN 'index '
                  WHEN 'S' THEN 'sequence ' ELSE 'relation ' END || n.nspname || '.' || c.relname
         END || ': ' || replace(d.description, E'\n', '\n')
  FROM pg_description d JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid
  JOIN ns n ON n.oid = c.relnamespace
  LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid AND d.objsubid > 0
UNION ALL
  SELECT 'comments', 'type ' || n.nspname || '.' || t.typname || ': ' || replace(d.description, E'\n', '\n')
  FROM pg_description d JOIN pg_type t ON d.classoid = 'pg_type'::regclass AND d.objoid = t.oid
  JOIN ns n ON n.oid = t.typnamespace
UNION ALL
  SELECT 'comments', CASE p.prokind WHEN 'p' THEN 'procedure ' ELSE 'function ' END
         || n.nspname || '.' || p.proname || '(' || oidvectortypes(p.proargtypes) || '): '
         || replace(d.description, E'\n', '\n')
  FROM pg_description d JOIN pg_proc p ON d.classoid = 'pg_proc'::regclass AND d.objoid = p.oid
  JOIN ns n ON n.oid = p.pronamespace
  WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_proc'::regclass AND ext.objid = p.oid)
UNION ALL
  SELECT 'comments', 'schema ' || n.nspname || ': ' || replace(d.description, E'\n', '\n')
  FROM pg_description d JOIN ns n ON d.classoid = 'pg_namespace'::regclass AND d.objoid = n.oid
  WHERE NOT (n.nspname = 'public' AND d.description = 'standard public schema')
UNION ALL
  SELECT 'comments', 'constraint ' || n.nspname || '.' || c.relname || '.' || k.conname || ': '
         || replace(d.description, E'\n', '\n')
  FROM pg_description d JOIN pg_constraint k ON d.classoid = 'pg_constraint'::regclass AND d.objoid = k.oid
  JOIN pg_class c ON c.oid = k.conrelid JOIN ns n ON n.oid = c.relnamespace
UNION ALL
  SELECT 'comments', 'other ' || pg_describe_object(d.classoid, d.objoid, d.objsubid) || ': '
         || replace(d.description, E'\n', '\n')
  FROM pg_description d
  WHERE d.classoid NOT IN ('pg_class'::regclass, 'pg_type'::regclass, 'pg_proc'::regclass,
                           'pg_namespace'::regclass, 'pg_constraint'::regclass)
    AND d.objoid >= 16384
)
SELECT category || E'\t' || line FROM lines ORDER BY category COLLATE "C", line COLLATE "C""#
    )
}

/// What the server holds after a run: `category` → sorted lines.
fn pg_catalog(pg: &TempPostgres, db: &str) -> BTreeMap<String, Vec<String>> {
    let out = pg.psql_query(db, &catalog_query());
    assert!(out.success, "the catalog query failed on {db}:\n{}", out.stderr);
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in out.stdout.lines().filter(|l| !l.is_empty()) {
        let (cat, rest) = line.split_once('\t').unwrap_or((line, ""));
        map.entry(cat.to_string()).or_default().push(rest.to_string());
    }
    map
}

fn one_line(s: &str) -> String {
    s.replace('\n', "\\n")
}

fn qual(q: &QualName) -> String {
    format!("{}.{}", q.schema, q.name)
}

/// The same lines, from the engine's catalog.
fn engine_catalog(catalog: &Catalog) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut push = |cat: &str, line: String| map.entry(cat.to_string()).or_default().push(line);
    for s in catalog.sequences.values() {
        let owned = match &s.owned_by {
            Some((t, c)) => format!(" owned by {}.{c}", qual(t)),
            None => String::new(),
        };
        push("sequences", format!("{} {}{owned}", qual(&s.name), s.ty.display()));
    }
    for t in catalog.types.values() {
        if let UserTypeKind::Enum { labels } = &t.kind {
            push("enums", format!("{} ({})", qual(&t.name), labels.join(", ")));
        }
        if let UserTypeKind::Composite { attributes } = &t.kind {
            let attributes: Vec<String> = attributes.iter().map(|(n, ty)| format!("{n} {}", ty.display())).collect();
            push("composites", format!("{} ({})", qual(&t.name), attributes.join(", ")));
        }
        if let Some(c) = &t.comment {
            push("comments", format!("type {}: {}", qual(&t.name), one_line(c)));
        }
    }
    for f in catalog.functions.values().flat_map(|l| l.iter()) {
        let kind = if f.procedure { "procedure" } else { "function" };
        let sig = format!("{kind} {}({})", qual(&f.name), f.arg_types.join(", "));
        if let Some(c) = &f.comment {
            push("comments", format!("{sig}: {}", one_line(c)));
        }
        push("functions", sig);
    }
    for v in catalog.views.values() {
        let kind = if v.materialized { "materialized view" } else { "view" };
        push("views", format!("{kind} {}", qual(&v.name)));
        if let Some(c) = &v.comment {
            push("comments", format!("{kind} {}: {}", qual(&v.name), one_line(c)));
        }
    }
    for t in catalog.tables.values() {
        if let Some(c) = &t.comment {
            push("comments", format!("table {}: {}", qual(&t.name), one_line(c)));
        }
        for col in &t.columns {
            if let Some(c) = &col.comment {
                push("comments", format!("column {}.{}: {}", qual(&t.name), col.name, one_line(c)));
            }
        }
        for k in &t.constraints {
            if let Some(c) = &k.comment {
                push("comments", format!("constraint {}.{}: {}", qual(&t.name), k.name, one_line(c)));
            }
        }
    }
    for i in catalog.indexes.values() {
        if catalog.views.get(&i.table).is_some_and(|v| v.materialized) {
            push("views", format!("index {}: {}", qual(&i.name), index_definition(i, false)));
        }
        if let Some(c) = &i.comment {
            push("comments", format!("index {}: {}", qual(&i.name), one_line(c)));
        }
    }
    for s in catalog.schemas.values() {
        if let Some(c) = &s.comment {
            push("comments", format!("schema {}: {}", s.name, one_line(c)));
        }
    }
    for lines in map.values_mut() {
        lines.sort();
    }
    map
}

/// `\d ARG` for every table, in one psql run.
fn pg_describe_all(pg: &TempPostgres, db: &str, args: &[String], tmp: &Path) -> Vec<String> {
    if args.is_empty() {
        return Vec::new();
    }
    let mut script = String::new();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            let _ = writeln!(script, "\\echo '{SEPARATOR}'");
        }
        let _ = writeln!(script, "\\d {arg}");
    }
    let path = tmp.join("describe.psql");
    fs::write(&path, script).unwrap();
    let out = pg.psql_file(db, &path, false);
    assert!(out.success, "\\d on {db} failed:\n{}", out.stderr);
    let parts: Vec<String> = out.stdout.split(&format!("{SEPARATOR}\n")).map(str::to_string).collect();
    assert_eq!(parts.len(), args.len(), "\\d on {db}: cannot split the output of {} tables", args.len());
    parts
}

/// Whether running `text` again must happen on a copy of the database rather than inside a transaction
/// that is rolled back: transaction control, psql meta-commands, and (in the psql mode, where each
/// statement commits on its own) statements that behave differently inside a transaction block.
fn needs_copy(text: &str, mode: Mode) -> bool {
    for p in split::split(text) {
        let stmt = text[p.start..p.end].to_ascii_uppercase();
        match p.kind {
            PieceKind::MetaCommand => return true,
            PieceKind::CopyData => continue,
            _ => {}
        }
        let first = stmt.split(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or("");
        if matches!(
            first,
            "BEGIN" | "START" | "COMMIT" | "END" | "ROLLBACK" | "ABORT" | "SAVEPOINT" | "RELEASE" | "PREPARE"
        ) {
            return true;
        }
        if mode == Mode::Psql
            && (stmt.contains("CONCURRENTLY")
                || stmt.contains("ADD VALUE")
                || matches!(first, "VACUUM" | "REINDEX" | "CLUSTER")
                || stmt.contains("DATABASE")
                || stmt.contains("TABLESPACE")
                || stmt.contains("ALTER SYSTEM"))
        {
            return true;
        }
    }
    false
}

/// Runs every file of `fwd` a second time on `db`, each on the state `db` holds (left unchanged); returns,
/// per file, whether it failed, with psql's message. Files that can run inside a transaction that is then
/// rolled back run so, all in one psql session (`BEGIN; \i FILE; SET CONSTRAINTS ALL IMMEDIATE; ROLLBACK;`,
/// ON_ERROR_STOP off); the others run on a copy of the database, as the mode runs them.
fn pg_reruns(
    pg: &TempPostgres,
    db: &str,
    fwd: &[Forward],
    mode: Mode,
    tmp: &Path,
    scratch_db: &str,
) -> Vec<(bool, String)> {
    let mut results = vec![(false, String::new()); fwd.len()];
    let mut driver = String::from("\\set ON_ERROR_STOP off\n");
    let mut line = 1;
    // Per batched file: (index, path, the driver line of its SET CONSTRAINTS).
    let mut batched: Vec<(usize, PathBuf, usize)> = Vec::new();
    for (k, f) in fwd.iter().enumerate() {
        let path = tmp.join(format!("rerun-{}", f.name));
        fs::write(&path, &f.runnable).unwrap();
        if needs_copy(&f.runnable, mode) {
            let create = format!("CREATE DATABASE \"{scratch_db}\" TEMPLATE \"{db}\" STRATEGY FILE_COPY");
            let made = pg.psql_query("postgres", &create);
            assert!(made.success, "{create} failed:\n{}", made.stderr);
            let out = pg.psql_file(scratch_db, &path, mode.single_transaction());
            let dropped = pg.psql_query("postgres", &format!("DROP DATABASE \"{scratch_db}\""));
            assert!(dropped.success, "DROP DATABASE {scratch_db} failed:\n{}", dropped.stderr);
            if !out.success {
                results[k] = (true, parse_psql_error(&out.stderr, &path).1);
            }
            continue;
        }
        let _ = write!(driver, "BEGIN;\n\\i {}\n;\nSET CONSTRAINTS ALL IMMEDIATE;\nROLLBACK;\n", path.display());
        batched.push((k, path, line + 4));
        line += 5;
    }
    if batched.is_empty() {
        return results;
    }
    let driver_path = tmp.join("rerun-driver.psql");
    fs::write(&driver_path, driver).unwrap();
    let out = pg.psql_file(db, &driver_path, false);
    let driver_prefix = format!("psql:{}:", driver_path.display());
    for (k, path, constraints_line) in batched {
        let prefix = format!("psql:{}:", path.display());
        let own = out.stderr.lines().find_map(|l| l.strip_prefix(&prefix)?.split_once(": ERROR:  ").map(|(_, m)| m));
        let deferred = || {
            out.stderr.lines().find_map(|l| {
                let (num, msg) = l.strip_prefix(&driver_prefix)?.split_once(": ERROR:  ")?;
                (num.parse::<usize>().ok()? == constraints_line).then_some(msg)
            })
        };
        if let Some(msg) = own.or_else(deferred) {
            results[k] = (true, msg.to_string());
        }
    }
    results
}

/// The engine's view of the same re-run: the files of `prefix`, then `f`'s file again under the next
/// migration name of the folder's scheme. Returns whether that last migration fails, with the message.
fn engine_rerun(set: &Set, prefix: &[Forward], f: &Forward, mode: Mode) -> (bool, String) {
    let mut seen = BTreeSet::new();
    let mut files: Vec<SourceFile> =
        prefix.iter().filter(|p| seen.insert(p.file)).map(|p| set.files[p.file].clone()).collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|s| (s.name.as_str(), s.text.as_ref())).collect();
    let plan = migrations::plan(&refs, &Default::default());
    let name = migrations::next_name(&plan, "rerun", "29991231235959");
    files.push(SourceFile::new(name.clone(), set.files[f.file].text.clone()));
    let id = files.len() - 1;
    let analysis = analyze(files, &Options { runner: mode.runner(), ..Options::default() });
    let Some(result) = analysis.migrations.iter().find(|m| m.file as usize == id) else {
        return (false, format!("(the engine does not run {name} as a migration)"));
    };
    let message = analysis
        .diagnostics
        .iter()
        .find(|d| d.severity == schema_playground::Severity::Error && d.span.file as usize == id)
        .map(|d| d.message.clone())
        .unwrap_or_default();
    (!result.ok, message.to_string())
}

/// One compared aspect of one set in one mode.
struct CheckResult {
    check: &'static str,
    ok: bool,
    /// `--- postgres` / `+++ engine` unified diff (or an explanation) when not ok.
    diff: String,
}

#[derive(Default, Clone, Copy)]
struct Counts {
    statements: usize,
    tables: usize,
    tables_identical: usize,
    pg_stops: usize,
    reruns: usize,
    reruns_failing: usize,
    rerun_copies: usize,
    catalog_lines: usize,
    /// Time spent per phase (summed over the worker threads), see `PHASES`.
    time: [f64; PHASES.len()],
}

const PHASES: [&str; 6] = ["engine", "create database", "apply", "inspect", "re-run", "drop database"];

/// Adds the time since `*since` to phase `k` and restarts the clock.
fn lap(counts: &mut Counts, k: usize, since: &mut Instant) {
    counts.time[k] += since.elapsed().as_secs_f64();
    *since = Instant::now();
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.statements += o.statements;
        self.tables += o.tables;
        self.tables_identical += o.tables_identical;
        self.pg_stops += o.pg_stops;
        self.reruns += o.reruns;
        self.reruns_failing += o.reruns_failing;
        self.rerun_copies += o.rerun_copies;
        self.catalog_lines += o.catalog_lines;
        for (t, o) in self.time.iter_mut().zip(o.time) {
            *t += o;
        }
    }
}

struct RunReport {
    set: String,
    mode: Mode,
    checks: Vec<CheckResult>,
    /// Problems with the corpus or the capture (never excused by the known list).
    corpus_problems: Vec<String>,
    counts: Counts,
}

fn check(check: &'static str, pg: &str, engine: &str) -> CheckResult {
    CheckResult { check, ok: pg == engine, diff: if pg == engine { String::new() } else { unified_diff(pg, engine) } }
}

fn run_set(pg: &TempPostgres, set: &Set, mode: Mode, db: &str, tmp: &Path) -> RunReport {
    let mut counts = Counts::default();
    let mut corpus_problems = Vec::new();
    let mut checks = Vec::new();
    let mut clock = Instant::now();
    let analysis = analyze(set.files.clone(), &Options { runner: mode.runner(), ..Options::default() });
    lap(&mut counts, 0, &mut clock);
    let fwd = forwards(set, &analysis);
    counts.statements = analysis.statements.iter().filter(|s| s.migration.is_some()).count();
    let expected = set.dir.join("expected");

    // order: the engine's run order against the capture script's.
    if let Ok(order) = fs::read_to_string(expected.join("_order.txt")) {
        let engine: String = fwd.iter().map(|f| format!("{}\n", f.name)).collect();
        checks.push(check("order", &order, &engine));
    }

    // Apply, stop where PostgreSQL stops.
    let made = pg.psql_query("postgres", &format!("CREATE DATABASE \"{db}\" TEMPLATE template0"));
    assert!(made.success, "CREATE DATABASE {db} failed:\n{}", made.stderr);
    lap(&mut counts, 1, &mut clock);
    let pg_stop = apply_all(pg, db, &fwd, mode, tmp);
    lap(&mut counts, 2, &mut clock);
    let eng_stop = engine_stop(&analysis, &fwd);
    if pg_stop.is_some() {
        counts.pg_stops = 1;
    }
    match (&pg_stop, set.expect_failure.contains(&mode)) {
        (Some(s), false) => corpus_problems.push(format!(
            "PostgreSQL rejects {} in the {} mode, but {}/EXPECT_FAILURE does not name that mode",
            s.describe(),
            mode.name(),
            set.name
        )),
        (None, true) => corpus_problems.push(format!(
            "{}/EXPECT_FAILURE names the {} mode, but every file applies in PostgreSQL",
            set.name,
            mode.name()
        )),
        _ => {}
    }
    let same_statement = match (&pg_stop, &eng_stop) {
        (None, None) => true,
        (Some(p), Some(e)) => p.file == e.file && e.lines.0 <= p.lines.0 && p.lines.0 <= e.lines.1,
        _ => false,
    };
    checks.push(CheckResult {
        check: "stop",
        ok: same_statement,
        diff: if same_statement {
            String::new()
        } else {
            unified_diff(&describe_stop(&pg_stop), &describe_stop(&eng_stop))
        },
    });
    if same_statement && let (Some(p), Some(e)) = (&pg_stop, &eng_stop) {
        // The primary message: the engine appends PostgreSQL's DETAIL on the next lines.
        let primary = e.message.lines().next().unwrap_or("");
        checks.push(check("message", &format!("{}\n", p.message), &format!("{primary}\n")));
    }
    if mode == Mode::Psql {
        let captured = fs::read_to_string(expected.join("_stop.txt")).ok();
        let captured_stop = captured.as_deref().map(|t| {
            let field =
                |k: &str| t.lines().find_map(|l| l.strip_prefix(&format!("{k}: "))).unwrap_or_default().to_string();
            format!("{}:{}: {}", field("file"), field("line"), field("error"))
        });
        let live = pg_stop.as_ref().map(|s| format!("{}:{}: {}", s.file, s.lines.0, s.message));
        if expected.is_dir() && captured_stop != live {
            corpus_problems.push(format!(
                "expected/_stop.txt is stale (run scripts/capture-corpus.sh {}): captured {:?}, live {:?}",
                set.name, captured_stop, live
            ));
        }
    }

    // describe: every table.
    let pg_cat = pg_catalog(pg, db);
    let tables: Vec<(String, QualName)> = pg_cat
        .get("tables")
        .map(|v| {
            v.iter()
                .map(|l| {
                    let mut it = l.split('\t');
                    let arg = it.next().unwrap_or("").to_string();
                    let schema = it.next().unwrap_or("").to_string();
                    let name = it.next().unwrap_or("").to_string();
                    (arg, QualName::new(schema, name))
                })
                .collect()
        })
        .unwrap_or_default();
    // The same order as capture-corpus.sh: schema, then name, in byte order.
    let mut tables = tables;
    tables.sort_by(|a, b| a.1.cmp(&b.1));
    let args: Vec<String> = tables.iter().map(|t| t.0.clone()).collect();
    let live = pg_describe_all(pg, db, &args, tmp);
    lap(&mut counts, 3, &mut clock);
    counts.tables = tables.len();
    let mut pg_text = String::new();
    let mut engine_text = String::new();
    for ((arg, q), live) in tables.iter().zip(&live) {
        let engine = match analysis.catalog.table(q) {
            Some(t) => describe_table(&analysis.catalog, t),
            None => format!("(the engine has no table {arg})\n"),
        };
        if &engine == live {
            counts.tables_identical += 1;
        } else {
            let _ = writeln!(pg_text, "=== \\d {arg}\n{live}");
            let _ = writeln!(engine_text, "=== \\d {arg}\n{engine}");
        }
    }
    let pg_tables: BTreeSet<&QualName> = tables.iter().map(|t| &t.1).collect();
    for q in analysis.catalog.tables.keys().filter(|q| !pg_tables.contains(q)) {
        let _ = writeln!(engine_text, "=== the engine has a table PostgreSQL does not: {}", qual(q));
    }
    checks.push(check("describe", &pg_text, &engine_text));
    if mode == Mode::Psql && expected.is_dir() {
        let captured_list = fs::read_to_string(expected.join("_tables.txt")).unwrap_or_default();
        let live_list: String = args.iter().map(|a| format!("{a}\n")).collect();
        if captured_list != live_list {
            corpus_problems.push(format!(
                "expected/_tables.txt is stale (run scripts/capture-corpus.sh {}):\n{}",
                set.name,
                unified_diff(&captured_list, &live_list)
            ));
        } else {
            for ((_, q), live) in tables.iter().zip(&live) {
                let raw = if q.schema == "public" { q.name.to_string() } else { qual(q) };
                let file: String = raw
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' })
                    .collect();
                let captured = fs::read_to_string(expected.join(format!("{file}.txt"))).unwrap_or_default();
                if &captured != live {
                    corpus_problems.push(format!(
                        "expected/{file}.txt is stale (run scripts/capture-corpus.sh {}):\n{}",
                        set.name,
                        unified_diff(&captured, live)
                    ));
                }
            }
        }
    }

    // What \d does not show.
    let eng_cat = engine_catalog(&analysis.catalog);
    for cat in ["sequences", "enums", "composites", "functions", "views", "comments"] {
        let join = |m: &BTreeMap<String, Vec<String>>| -> String {
            m.get(cat).map(|v| v.iter().map(|l| format!("{l}\n")).collect()).unwrap_or_default()
        };
        let p = join(&pg_cat);
        counts.catalog_lines += p.lines().count();
        checks.push(check(cat, &p, &join(&eng_cat)));
    }

    // rerun: every file that applied, a second time.
    let applied = pg_stop.as_ref().map_or(fwd.len(), |s| s.forward);
    let prefix = &fwd[..applied];
    lap(&mut counts, 0, &mut clock);
    let base = if pg_stop.is_some() && mode == Mode::Psql {
        // The failing file left part of its statements behind: rebuild the state before it.
        let base = format!("{db}_p");
        let made = pg.psql_query("postgres", &format!("CREATE DATABASE \"{base}\" TEMPLATE template0"));
        assert!(made.success, "CREATE DATABASE {base} failed:\n{}", made.stderr);
        let again = apply_all(pg, &base, prefix, mode, tmp);
        assert!(again.is_none(), "{}: the files before the failing one fail on a second database: {again:?}", set.name);
        base
    } else {
        db.to_string()
    };
    let mut pg_rr = String::new();
    let mut eng_rr = String::new();
    lap(&mut counts, 1, &mut clock);
    let pg_results = pg_reruns(pg, &base, prefix, mode, tmp, &format!("{db}_r"));
    lap(&mut counts, 4, &mut clock);
    for (f, (pg_fails, pg_msg)) in prefix.iter().zip(pg_results) {
        let (eng_fails, eng_msg) = engine_rerun(set, prefix, f, mode);
        counts.reruns += 1;
        counts.reruns_failing += pg_fails as usize;
        counts.rerun_copies += needs_copy(&f.runnable, mode) as usize;
        let verdict = |fails: bool, msg: &str| if fails { format!("fails: {msg}") } else { "applies".to_string() };
        if pg_fails != eng_fails {
            let _ = writeln!(pg_rr, "{} again: {}", f.name, verdict(pg_fails, &pg_msg));
            let _ = writeln!(eng_rr, "{} again: {}", f.name, verdict(eng_fails, &eng_msg));
        }
    }
    checks.push(check("rerun", &pg_rr, &eng_rr));
    lap(&mut counts, 0, &mut clock);

    let drop = tmp.join("drop.sql");
    fs::write(&drop, format!("DROP DATABASE IF EXISTS \"{db}\";\nDROP DATABASE IF EXISTS \"{db}_p\";\n")).unwrap();
    let _ = pg.psql_file("postgres", &drop, false);
    lap(&mut counts, 5, &mut clock);
    RunReport { set: set.name.clone(), mode, checks, corpus_problems, counts }
}

// ---------------------------------------------------------------------------------------------
// A small unified diff (longest common subsequence on lines; the texts here are short).

fn unified_diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    // Edit script: (' ' | '-' | '+', line).
    let mut ops: Vec<(char, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', a[i]));
            i += 1;
        } else {
            ops.push(('+', b[j]));
            j += 1;
        }
    }
    const CONTEXT: usize = 3;
    let mut out = String::from("--- postgres\n+++ engine\n");
    let changed: Vec<usize> = ops.iter().enumerate().filter(|(_, o)| o.0 != ' ').map(|(k, _)| k).collect();
    let mut k = 0;
    while k < changed.len() {
        let start = changed[k].saturating_sub(CONTEXT);
        let mut end = (changed[k] + CONTEXT + 1).min(ops.len());
        while k + 1 < changed.len() && changed[k + 1] <= end + CONTEXT {
            k += 1;
            end = (changed[k] + CONTEXT + 1).min(ops.len());
        }
        let old_start = ops[..start].iter().filter(|o| o.0 != '+').count();
        let new_start = ops[..start].iter().filter(|o| o.0 != '-').count();
        let old_len = ops[start..end].iter().filter(|o| o.0 != '+').count();
        let new_len = ops[start..end].iter().filter(|o| o.0 != '-').count();
        let _ = writeln!(out, "@@ -{},{old_len} +{},{new_len} @@", old_start + 1, new_start + 1);
        for (c, line) in &ops[start..end] {
            let _ = writeln!(out, "{c}{line}");
        }
        k += 1;
    }
    if !old.is_empty() && !new.is_empty() && old.ends_with('\n') != new.ends_with('\n') {
        out.push_str("(the texts differ in their final newline)\n");
    }
    if changed.is_empty() && old != new {
        out.push_str("(the texts differ only in whitespace at line ends)\n");
    }
    out
}

// ---------------------------------------------------------------------------------------------

fn read_known() -> BTreeSet<(String, String, String)> {
    let text = fs::read_to_string(corpus().join(KNOWN_FILE)).unwrap_or_default();
    let mut known = BTreeSet::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        assert!(
            parts.len() == 3 && matches!(parts[1], "psql" | "transaction") && CHECKS.contains(&parts[2]),
            "{KNOWN_FILE}:{}: expected `set psql|transaction check` (checks: {}), found {line:?}",
            n + 1,
            CHECKS.join(", ")
        );
        known.insert((parts[0].to_string(), parts[1].to_string(), parts[2].to_string()));
    }
    known
}

fn write_known(differences: &BTreeSet<(String, String, String)>) {
    let mut text = String::from(
        "# `set runner check` triples in which the engine is known to differ from a live PostgreSQL 15\n\
         # (tests/fidelity_live.rs; see docs/fidelity.md). The test fails on a difference not listed here and on\n\
         # a listed triple that agrees again. Regenerate with:\n\
         #   FIDELITY_LIVE_UPDATE=1 cargo test --test fidelity_live -- --nocapture\n\
         # Checks: describe, stop, message, sequences, enums, composites, functions, views, comments, rerun, order.\n",
    );
    let width = differences.iter().map(|d| d.0.len()).max().unwrap_or(0);
    for (set, mode, check) in differences {
        let _ = writeln!(text, "{set:width$} {mode:11} {check}");
    }
    fs::write(corpus().join(KNOWN_FILE), text).unwrap();
}

#[test]
fn corpus_against_live_postgres() {
    let started = Instant::now();
    let filter: Option<BTreeSet<String>> = std::env::var("FIDELITY_LIVE_SETS")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect());
    let verbose = std::env::var_os("FIDELITY_LIVE_VERBOSE").is_some();
    let update = std::env::var_os("FIDELITY_LIVE_UPDATE").is_some();
    let jobs: usize = std::env::var("FIDELITY_LIVE_JOBS").ok().and_then(|j| j.parse().ok()).unwrap_or(6).max(1);

    let sets = load_sets(filter.as_ref());
    if let Some(f) = &filter {
        let found: BTreeSet<String> = sets.iter().map(|s| s.name.clone()).collect();
        let missing: Vec<&String> = f.difference(&found).collect();
        assert!(missing.is_empty(), "FIDELITY_LIVE_SETS names sets that do not exist: {missing:?}");
    } else {
        assert!(sets.len() >= 50, "the corpus should have at least 50 sets, found {}", sets.len());
    }

    let pg = TempPostgres::start();
    let tmp_root = std::env::temp_dir().join(format!("fidelity-live-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp_root);
    fs::create_dir_all(&tmp_root).unwrap();

    let work: Vec<(usize, Mode)> = (0..sets.len()).flat_map(|i| [(i, Mode::Psql), (i, Mode::Transaction)]).collect();
    let next = AtomicUsize::new(0);
    let reports: Mutex<Vec<RunReport>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(work.len()) {
            scope.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Ordering::SeqCst);
                    let Some(&(i, mode)) = work.get(k) else { break };
                    let tmp = tmp_root.join(format!("{k}"));
                    fs::create_dir_all(&tmp).unwrap();
                    let db = format!("live_{i:03}_{}", &mode.name()[..1]);
                    let report = run_set(&pg, &sets[i], mode, &db, &tmp);
                    reports.lock().unwrap().push(report);
                }
            });
        }
    });
    let _ = fs::remove_dir_all(&tmp_root);
    drop(pg);
    let mut reports = reports.into_inner().unwrap();
    reports.sort_by(|a, b| (&a.set, a.mode).cmp(&(&b.set, b.mode)));

    // Tally.
    let known = read_known();
    let mut totals = Counts::default();
    let mut per_check: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut differences: BTreeSet<(String, String, String)> = BTreeSet::new();
    let mut new_differences = Vec::new();
    let mut corpus_problems = Vec::new();
    let mut per_set: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in &reports {
        totals += r.counts;
        for p in &r.corpus_problems {
            corpus_problems.push(format!("{} ({}): {p}", r.set, r.mode.name()));
        }
        let mut failed = Vec::new();
        for c in &r.checks {
            let entry = per_check.entry(c.check).or_default();
            entry.1 += 1;
            if c.ok {
                entry.0 += 1;
                continue;
            }
            failed.push(c.check);
            let key = (r.set.clone(), r.mode.name().to_string(), c.check.to_string());
            let is_known = known.contains(&key);
            if !is_known || verbose {
                let header = format!(
                    "=== {} {} {}{}",
                    r.set,
                    r.mode.name(),
                    c.check,
                    if is_known { " (known)" } else { " (NEW DIFFERENCE)" }
                );
                if is_known {
                    eprintln!("{header}\n{}", c.diff);
                } else {
                    new_differences.push(format!("{header}\n{}", c.diff));
                }
            }
            differences.insert(key);
        }
        per_set.entry(r.set.clone()).or_default().push(format!(
            "{}: {}",
            r.mode.name(),
            if failed.is_empty() { "all agree".to_string() } else { format!("differs in {}", failed.join(", ")) }
        ));
    }
    let evaluated: BTreeSet<&String> = reports.iter().map(|r| &r.set).collect();
    let fixed: Vec<String> = known
        .iter()
        .filter(|k| evaluated.contains(&k.0) && !differences.contains(*k))
        .map(|(s, m, c)| format!("{s} {m} {c}"))
        .collect();
    let stale: Vec<String> = if filter.is_none() {
        known.iter().filter(|k| !evaluated.contains(&k.0)).map(|(s, m, c)| format!("{s} {m} {c}")).collect()
    } else {
        Vec::new()
    };

    for (set, lines) in &per_set {
        eprintln!("fidelity-live: {set:34} {}", lines.join("; "));
    }
    eprintln!(
        "fidelity-live: {} sets x 2 runners, {} statements, {} tables compared with \\d ({} identical), \
         {} runs where PostgreSQL stopped, {} catalog lines, {} re-runs ({} fail in PostgreSQL, {} on a database copy)",
        evaluated.len(),
        totals.statements,
        totals.tables,
        totals.tables_identical,
        totals.pg_stops,
        totals.catalog_lines,
        totals.reruns,
        totals.reruns_failing,
        totals.rerun_copies
    );
    let phases: Vec<String> = PHASES.iter().zip(totals.time).map(|(p, t)| format!("{p} {t:.1}s")).collect();
    eprintln!("fidelity-live: time per phase, summed over {jobs} threads: {}", phases.join(", "));
    for check in CHECKS {
        if let Some((ok, all)) = per_check.get(check) {
            eprintln!("fidelity-live: {check:10} {ok:4} of {all:4} set-runs agree");
        }
    }
    eprintln!(
        "fidelity-live: {} differences ({} known, {} new), {} known differences now agree; {:.1}s",
        differences.len(),
        differences.iter().filter(|d| known.contains(*d)).count(),
        new_differences.len(),
        fixed.len(),
        started.elapsed().as_secs_f64()
    );

    assert!(corpus_problems.is_empty(), "problems with the corpus itself:\n{}", corpus_problems.join("\n"));
    if update {
        if filter.is_some() {
            let mut all = known.clone();
            all.retain(|k| !evaluated.contains(&k.0));
            all.extend(differences.iter().cloned());
            write_known(&all);
        } else {
            write_known(&differences);
        }
        eprintln!("fidelity-live: rewrote tests/corpus/{KNOWN_FILE}");
        return;
    }
    for d in &new_differences {
        eprintln!("{d}");
    }
    assert!(
        new_differences.is_empty(),
        "{} new differences from PostgreSQL (diffs above; known ones are in tests/corpus/{KNOWN_FILE})",
        new_differences.len()
    );
    assert!(
        fixed.is_empty() && stale.is_empty(),
        "remove these from tests/corpus/{KNOWN_FILE}: they agree with PostgreSQL now (or the set is gone):\n{}",
        fixed.iter().chain(&stale).cloned().collect::<Vec<_>>().join("\n")
    );
}
