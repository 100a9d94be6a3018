//! `schema-playground check --explain-locks`: the locks each statement takes and how long each file holds them.

use std::path::PathBuf;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schema-playground")).args(args).output().expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A migration folder in a fresh temporary directory.
struct Folder(PathBuf);

impl Folder {
    fn new(name: &str, files: &[(&str, &str)]) -> Folder {
        let dir = std::env::temp_dir().join(format!("sp-cli-locks-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (file, text) in files {
            std::fs::write(dir.join(file), text).unwrap();
        }
        Folder(dir)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const INIT: &str = "CREATE TABLE customers (id bigint PRIMARY KEY);\n\
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, note text);\n";

const CHANGE: &str = "-- Orders get a total.\n\
ALTER TABLE orders ADD COLUMN total numeric DEFAULT 0;\n\
CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));\n\
CREATE INDEX refunds_order ON refunds (order_id);\n\
CREATE INDEX orders_customer ON orders (customer_id);\n\
\n\
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);\n";

fn folder(name: &str) -> Folder {
    Folder::new(name, &[("001_init.sql", INIT), ("002_totals.sql", CHANGE)])
}

#[test]
fn text_report_lists_locks_and_what_the_file_holds() {
    let f = folder("text");
    let out = run(&["check", f.path(), "--explain-locks"]);
    let text = stdout(&out);
    assert!(text.contains("Locks (PostgreSQL 15, --runner transaction):"), "{text}");
    let file = format!("\n{}/002_totals.sql\n", f.path());
    let section = text.split(&file).nth(1).unwrap_or_else(|| panic!("no section for 002_totals.sql:\n{text}"));
    assert!(section.contains("  line 2: ALTER TABLE orders ADD COLUMN total numeric DEFAULT 0\n"), "{section}");
    assert!(section.contains("    ACCESS EXCLUSIVE on orders: blocks reads and writes; catalog only\n"), "{section}");
    assert!(section.contains("(before PostgreSQL 11, ADD COLUMN with a DEFAULT rewrote the whole table)"), "{section}");
    assert!(section.contains("    SHARE on orders: blocks writes; scans the table\n"), "{section}");
    assert!(section.contains("SHARE ROW EXCLUSIVE on customers: blocks writes"), "{section}");
    // The new table's own index is not listed: it blocks nobody.
    assert!(!section.contains("line 4:"), "{section}");
    // The new table's foreign key locks the existing orders table.
    assert!(section.contains("  line 3: CREATE TABLE refunds"), "{section}");
    assert!(
        section.contains(
            "with --runner transaction, ACCESS EXCLUSIVE on orders is held from line 2 to the end of the file (line 7)"
        ),
        "{section}"
    );
    assert!(
        section.contains("with --runner transaction, SHARE ROW EXCLUSIVE on customers is held from line 7"),
        "{section}"
    );
    // The first migration creates its tables: nothing existing is locked there.
    assert!(!text.contains("001_init.sql\n"), "{text}");
    // Diagnostics come first, the summary line of check still there.
    let summary = text.find("migrations checked").expect("summary line");
    assert!(summary < text.find("Locks (").unwrap());
}

#[test]
fn psql_runner_releases_locks_at_each_statement() {
    let f = folder("psql");
    let out = run(&["check", f.path(), "--explain-locks", "--runner", "psql"]);
    let text = stdout(&out);
    assert!(text.contains("--runner psql"), "{text}");
    assert!(!text.contains("held from line"), "{text}");
    assert!(text.contains("no transaction: each lock is released when its statement ends"), "{text}");
}

#[test]
fn pg_version_changes_the_answer() {
    let f = folder("version");
    let out = run(&["check", f.path(), "--explain-locks", "--pg-version", "10"]);
    let text = stdout(&out);
    assert!(text.contains("Locks (PostgreSQL 10"), "{text}");
    assert!(text.contains("ACCESS EXCLUSIVE on orders: blocks reads and writes; rewrites the table"), "{text}");
}

#[test]
fn explicit_transactions_hold_until_commit() {
    let f = Folder::new(
        "commit",
        &[
            ("001_init.sql", INIT),
            (
                "002_split.sql",
                "BEGIN;\nALTER TABLE orders ADD COLUMN total numeric;\nCOMMIT;\nCREATE INDEX CONCURRENTLY orders_total ON orders (total);\n",
            ),
        ],
    );
    let out = run(&["check", f.path(), "--explain-locks", "--runner", "psql"]);
    let text = stdout(&out);
    assert!(
        text.contains(
            "in the file's own transaction, ACCESS EXCLUSIVE on orders is held from line 2 until the COMMIT on line 3"
        ),
        "{text}"
    );
    assert!(text.contains("SHARE UPDATE EXCLUSIVE on orders: blocks neither reads nor writes"), "{text}");
}

#[test]
fn json_is_an_object_with_diagnostics_and_locks_only_when_asked() {
    let f = folder("json");
    let plain = run(&["check", f.path(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&plain.stdout).expect("valid JSON");
    assert!(v.is_array(), "without --explain-locks the output stays an array");

    let out = run(&["check", f.path(), "--format", "json", "--explain-locks"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert!(v["diagnostics"].is_array());
    let files = v["locks"].as_array().expect("locks array");
    assert_eq!(files.len(), 2);
    let second = &files[1];
    assert_eq!(second["file"], "002_totals.sql");
    assert_eq!(second["runner"], "transaction");
    assert_eq!(second["pg_version"], 15);
    let first = &second["statements"][0];
    assert_eq!(first["line"], 2);
    assert_eq!(first["statement"], "ALTER TABLE orders ADD COLUMN total numeric DEFAULT 0");
    let lock = &first["locks"][0];
    assert_eq!(lock["relation"], "orders");
    assert_eq!(lock["mode"], "ACCESS EXCLUSIVE");
    assert_eq!(lock["work"], "catalog-only");
    assert_eq!(lock["blocks_reads"], true);
    assert_eq!(lock["changed_in"], 11);
    assert_eq!(lock["new_in_file"], false);
    // The index on the new table is listed, marked new, blocking nobody.
    let idx = second["statements"].as_array().unwrap().iter().find(|s| s["line"] == 4).expect("line 4");
    assert_eq!(idx["locks"][0]["new_in_file"], true);
    assert_eq!(idx["locks"][0]["blocks_writes"], false);
    let hold = second["holds"].as_array().unwrap().iter().find(|h| h["relation"] == "orders").expect("orders hold");
    assert_eq!(hold["mode"], "ACCESS EXCLUSIVE");
    assert_eq!(hold["from_line"], 2);
    assert_eq!(hold["until"], "end-of-file");
    assert_eq!(hold["until_line"], 7);
}

/// The lock-timeout rule and `--explain-locks` read the same lock analysis: on every migration set of the
/// test corpus, a file that never sets `lock_timeout` gets `require-lock-timeout` exactly at its first
/// statement that `--explain-locks` says blocks reads or writes of a relation in use, and nowhere else.
#[test]
fn the_lock_timeout_rule_agrees_with_explain_locks() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut sets: Vec<PathBuf> = std::fs::read_dir(root.join("corpus"))
        .expect("tests/corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    sets.push(root.join("parity"));
    sets.sort();
    let mut checked = 0;
    let mut reported = 0;
    let mut failures = Vec::new();
    for set in &sets {
        let dir = set.to_str().expect("UTF-8 path");
        let out = run(&[
            "check",
            dir,
            "--format",
            "json",
            "--explain-locks",
            "--include",
            "require-lock-timeout",
            "--exclude",
            "all",
        ]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{dir}: not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
        for file in v["locks"].as_array().expect("locks array") {
            let name = file["file"].as_str().expect("file name");
            let text = std::fs::read_to_string(set.join(name)).expect("the file reads");
            // Files that set the timeout, or silence rules, are judged by the rule's own tests.
            if text.contains("lock_timeout") || text.contains("-ignore") {
                continue;
            }
            checked += 1;
            let expected: Vec<u64> = file["statements"]
                .as_array()
                .expect("statements")
                .iter()
                .filter(|s| !s["statement"].as_str().is_some_and(|t| t.contains("NOWAIT")))
                .filter(|s| {
                    s["locks"]
                        .as_array()
                        .is_some_and(|ls| ls.iter().any(|l| l["blocks_reads"] == true || l["blocks_writes"] == true))
                })
                .filter_map(|s| s["line"].as_u64())
                .take(1)
                .collect();
            let found: Vec<u64> = v["diagnostics"]
                .as_array()
                .expect("diagnostics")
                .iter()
                .filter(|d| d["rule"] == "require-lock-timeout")
                .filter(|d| d["file"].as_str().is_some_and(|f| f.ends_with(&format!("/{name}")) || f == name))
                .filter_map(|d| d["line"].as_u64())
                .collect();
            reported += found.len();
            if found != expected {
                failures.push(format!(
                    "{}/{name}: --explain-locks' first blocking statement is at {expected:?}, the rule reports {found:?}",
                    set.file_name().and_then(|n| n.to_str()).unwrap_or("?")
                ));
            }
        }
    }
    eprintln!("{checked} files checked, {reported} findings");
    assert!(reported > 20, "too few findings to compare: {reported}");
    assert!(failures.is_empty(), "the rule and --explain-locks disagree:\n{}", failures.join("\n"));
}
