//! The `schema-playground` binary on fixture folders: output, exit codes and error messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schema-playground")).args(args).output().expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn describe_prints_what_psql_prints_for_the_example() {
    let dir = repo("migrations");
    for entry in std::fs::read_dir(repo("tests/fixtures/example-psql")).unwrap() {
        let path = entry.unwrap().path();
        let table = path.file_stem().unwrap().to_string_lossy().into_owned();
        let out = run(&["describe", dir.to_str().unwrap(), &table]);
        assert!(out.status.success(), "describe {table} failed: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(stdout(&out), std::fs::read_to_string(&path).unwrap(), "\\d {table}");
    }
}

#[test]
fn describe_without_tables_prints_every_table_in_name_order() {
    let out = run(&["describe", repo("migrations").to_str().unwrap()]);
    assert!(out.status.success());
    let text = stdout(&out);
    let titles: Vec<&str> = text.lines().filter(|l| l.trim_start().starts_with("Table \"")).map(str::trim).collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(titles, sorted);
    assert_eq!(titles.len(), 7);
}

#[test]
fn describe_unknown_table_says_so_like_psql() {
    let out = run(&["describe", repo("migrations").to_str().unwrap(), "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "Did not find any relation named \"nope\".\n");
}

#[test]
fn describe_names_the_kind_of_a_relation_it_does_not_print() {
    let dir = folder(
        "describe-kinds",
        &[(
            "001_a.sql",
            "CREATE TABLE t (a int);\nCREATE VIEW v AS SELECT a FROM t;\nCREATE INDEX t_a_idx ON t (a);\n",
        )],
    );
    for (name, kind) in [("v", "a view"), ("public.t_a_idx", "an index")] {
        let out = run(&["describe", dir.to_str().unwrap(), name]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!(
                "\"{name}\" is {kind}: describe prints tables only (`schema-playground dump` has every relation).\n"
            )
        );
    }
}

#[test]
fn check_on_the_example_is_clean() {
    let out = run(&["check", repo("migrations").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("11 migrations checked (NNN_name.sql scheme): 0 errors"), "{}", stdout(&out));
}

#[test]
fn check_reports_errors_at_file_line_col_and_goes_on() {
    let dir = repo("tests/fixtures/cli/broken");
    let out = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let prefix = format!("{}/002_add_orders.sql", dir.display());
    assert!(
        text.contains(&format!("{prefix}:2:1: error[postgres-error]: relation \"customers\" does not exist")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{prefix}:7:43: error[syntax-error]: syntax error: Expected: column name or constraint definition, found: ,"
        )),
        "{text}"
    );
    assert!(text.contains("\nhelp: "), "snippets carry a help line:\n{text}");
}

#[test]
fn check_json_has_the_documented_fields() {
    let out = run(&["check", repo("tests/fixtures/cli/broken").to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let all = v.as_array().expect("an array");
    for d in all {
        for field in ["file", "line", "column", "severity", "rule", "message"] {
            assert!(d.get(field).is_some(), "missing {field} in {d}");
        }
    }
    // Warnings of the default rules come first (001_init.sql uses bigserial); the first error is the
    // missing table of 002.
    let first = all.iter().find(|d| d["severity"] == "error").expect("an error");
    assert_eq!(first["file"], "002_add_orders.sql");
    assert_eq!(first["line"], 2);
    assert_eq!(first["severity"], "error");
}

#[test]
fn psql_runner_keeps_statements_before_the_error() {
    let dir = repo("tests/fixtures/cli/broken");
    let tx = run(&["describe", dir.to_str().unwrap(), "--runner", "transaction"]);
    let psql = run(&["describe", dir.to_str().unwrap(), "--runner", "psql"]);
    // Both stop at the failing statement; neither has applied the later index.
    assert!(!stdout(&tx).contains("idx_users_email"));
    assert!(!stdout(&psql).contains("idx_users_email"));
    assert!(stdout(&tx).contains("Table \"public.users\""));
}

#[test]
fn missing_folder_and_non_utf8_files_exit_2_with_a_clear_message() {
    let out = run(&["check", "/nonexistent/migrations"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read migration folder /nonexistent/migrations"));

    let dir = std::env::temp_dir().join(format!("sp-cli-utf8-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("001_bad.sql"), b"CREATE TABLE t (a text DEFAULT '\xff');").unwrap();
    let out = run(&["check", dir.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("001_bad.sql is not UTF-8 text"));
}

#[test]
fn linked_migrations_are_read_and_linked_folders_are_not_migrations() {
    let dir = folder("links", &[("001_users.sql", "CREATE TABLE users (id bigint PRIMARY KEY);")]);
    let outside = folder("links-target", &[("orders.sql", "CREATE TABLE orders (user_id bigint REFERENCES users);")]);
    std::os::unix::fs::symlink(outside.join("orders.sql"), dir.join("002_orders.sql")).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("003_folder.sql")).unwrap();
    let out = run(&["describe", dir.to_str().unwrap(), "orders"]);
    std::fs::remove_dir_all(&dir).ok();
    std::fs::remove_dir_all(&outside).ok();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("\"orders_user_id_fkey\" FOREIGN KEY (user_id) REFERENCES users(id)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn new_creates_the_next_numbered_file_from_the_template() {
    let dir = std::env::temp_dir().join(format!("sp-cli-new-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["009_a.sql", "010_b.sql"] {
        std::fs::write(dir.join(name), "SELECT 1;").unwrap();
    }
    let out = run(&["new", dir.to_str().unwrap(), "add notifications table"]);
    let created = dir.join("011_add_notifications_table.sql");
    let text = std::fs::read_to_string(&created);
    std::fs::remove_dir_all(&dir).ok();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.unwrap().starts_with("-- Migration: add notifications table\n"));
}

#[test]
fn project_file_sets_the_runner_and_a_prelude_of_platform_objects() {
    let dir = repo("tests/fixtures/cli/supabase");
    let out = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(!stdout(&out).contains("platform.sql is not a migration"), "{}", stdout(&out));
    let out = run(&["describe", dir.to_str().unwrap(), "profiles"]);
    assert!(stdout(&out).contains("REFERENCES auth.users(id) ON DELETE CASCADE"), "{}", stdout(&out));
}

#[test]
fn unknown_keys_in_the_project_file_are_errors() {
    let out = run(&["check", repo("tests/fixtures/cli/bad-config").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out)
            .contains("schema-playground.toml:1:1: error[config-error]: schema-playground.toml: unknown field `runer`"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn changes_tells_the_history_migration_by_migration() {
    let out = run(&["changes", repo("migrations").to_str().unwrap()]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.starts_with("001_initial_schema.sql\n  + table projects\n"), "{text}");
    assert!(
        text.contains("002_remove_title_from_tasks.sql\n  ~ column title_deprecated on tasks (renamed from title)\n"),
        "{text}"
    );
    let json = run(&["changes", repo("migrations").to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("valid JSON");
    assert_eq!(v[1]["changes"][0]["kind"], "renamed");
}

#[test]
fn dump_prints_the_whole_analysis_as_json() {
    let out = run(&["dump", repo("migrations").to_str().unwrap()]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(v["scheme"], "seed");
    assert_eq!(v["migrations"].as_array().map(Vec::len), Some(11));
    let users = &v["schema"]["tables"].as_object().expect("tables")["public.users"];
    assert_eq!(users["columns"][0]["name"], "id");
}

/// A throwaway migration folder holding `files`, unique to this test.
fn folder(test: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sp-cli-{test}-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn rules_lists_every_rule_in_text_and_json() {
    let out = run(&["rules"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let line = text.lines().find(|l| l.starts_with("prefer-robust-stmts ")).expect("a line per rule");
    assert!(line.contains("warning") && line.contains(" on "), "{line}");
    assert!(text.lines().any(|l| l.starts_with("ban-new-write-restriction ") && l.contains(" opt ")), "{text}");
    assert!(text.contains("of them opt-in (turn them on with --include ID"), "{text}");
    assert!(text.contains("`schema-playground explain ID` prints a rule's documentation."), "{text}");

    let out = run(&["rules", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let rules = rules.as_array().expect("an array of rules");
    assert!(text.contains(&format!("\n{} rules, ", rules.len())), "{text}");
    let robust = rules.iter().find(|r| r["id"] == "prefer-robust-stmts").expect("prefer-robust-stmts");
    assert_eq!(robust["severity"], "warning");
    assert_eq!(robust["default_on"], true);
    assert_eq!(robust["family"], "convention");
    assert!(robust["summary"].as_str().is_some_and(|s| !s.is_empty()));
}

#[test]
fn explain_prints_a_rule_and_points_to_the_list_for_an_unknown_id() {
    let out = run(&["explain", "prefer-robust-stmts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("prefer-robust-stmts (warning, on by default, convention;"), "{text}");
    for section in ["Why it matters\n", "Bad\n", "Good\n", "How to fix\n"] {
        assert!(text.contains(section), "{section:?} missing:\n{text}");
    }

    let out = run(&["explain", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    assert_eq!(stderr(&out), "schema-playground: no rule named \"nope\": `schema-playground rules` lists them\n");
    let out = run(&["explain", "timeout"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("(did you mean require-lock-timeout, require-statement-timeout"), "{}", stderr(&out));
}

#[test]
fn include_and_exclude_check_their_ids_and_turn_rules_on_and_off() {
    let dir = folder("flags", &[("001_a.sql", "CREATE TABLE t (id int);\n")]);
    let path = dir.to_str().unwrap();

    let out = run(&["check", "--include", "nope", path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out)
            .contains("unknown rule \"nope\" in --include/--exclude: `schema-playground rules` lists the rule ids, and squawk, convention and schema name their families"),
        "{}",
        stderr(&out)
    );

    let out = run(&["check", path]);
    assert!(stdout(&out).contains("warning[prefer-bigint-over-int]"), "{}", stdout(&out));
    let out = run(&["check", "--exclude", "prefer-bigint-over-int", path]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stdout(&out).contains("prefer-bigint-over-int"), "{}", stdout(&out));
    assert!(stdout(&out).contains("warning[prefer-robust-stmts]"), "{}", stdout(&out));

    // A family: squawk's rules off, the conventions (idempotency among them) still on.
    let out = run(&["check", "--exclude", "squawk", path]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stdout(&out).contains("prefer-bigint-over-int"), "{}", stdout(&out));
    assert!(stdout(&out).contains("warning[prefer-robust-stmts]"), "{}", stdout(&out));
    let out = run(&["check", "--exclude", "all", "--include", "squawk", path]);
    assert!(stdout(&out).contains("warning[prefer-bigint-over-int]"), "{}", stdout(&out));
    assert!(!stdout(&out).contains("prefer-robust-stmts"), "{}", stdout(&out));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn squawk_ids_work_in_flags_and_in_squawk_toml() {
    let sql = "ALTER TABLE t ADD COLUMN created timestamp;\n";
    let setup = "CREATE TABLE IF NOT EXISTS t (id bigint);\n";
    let dir = folder("squawk-ids", &[("001_t.sql", setup), ("002_a.sql", sql)]);
    let path = dir.to_str().unwrap();
    let out = run(&["check", path]);
    for id in ["require-lock-timeout", "require-statement-timeout", "prefer-timestamp-tz"] {
        assert!(stdout(&out).contains(&format!("[{id}]")), "{id} missing:\n{}", stdout(&out));
    }

    let out = run(&["check", "--exclude", "require-timeout-settings,prefer-timestamptz", path]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for id in ["require-lock-timeout", "require-statement-timeout", "prefer-timestamp-tz"] {
        assert!(!stdout(&out).contains(&format!("[{id}]")), "{id} still on:\n{}", stdout(&out));
    }

    std::fs::write(
        dir.join(".squawk.toml"),
        "excluded_rules = [\"require-timeout-settings\", \"prefer-timestamptz\"]\n",
    )
    .unwrap();
    let out = run(&["check", path]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stdout(&out).contains("unknown rule"), "{}", stdout(&out));
    for id in ["require-lock-timeout", "require-statement-timeout", "prefer-timestamp-tz"] {
        assert!(!stdout(&out).contains(&format!("[{id}]")), "{id} still on:\n{}", stdout(&out));
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn check_shows_a_mechanical_fix_as_a_diff() {
    let dir = folder("fix-diff", &[("001_a.sql", "CREATE TABLE t (id bigint);\n")]);
    let out = run(&["check", dir.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).ok();
    let text = stdout(&out);
    assert!(
        text.contains("warning[prefer-robust-stmts]: CREATE TABLE t fails when the migration runs again"),
        "{text}"
    );
    let fix =
        "help: Add IF NOT EXISTS\n  |\n1 | CREATE TABLE IF NOT EXISTS t (id bigint);\n  |              +++++++++++++\n";
    assert!(text.contains(fix), "{text}");
}
