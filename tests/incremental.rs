//! `analyze_with` re-uses the runs of unchanged leading migrations: after any edit, its analysis must
//! equal a fresh `analyze` of the same files, and it must actually skip the unchanged runs.

use std::fs;
use std::path::{Path, PathBuf};

use schema_playground::render::json;
use schema_playground::{Analysis, Memory, Options, Runner, SourceFile, analyze, analyze_with};

use support::folder::sql_files as read_folder;

mod support;

fn example() -> Vec<SourceFile> {
    read_folder(&Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations"))
}

/// Asserts that two analyses report the same: the JSON dump (migrations, diagnostics with positions), each
/// migration's schema and second run, where the run stops, the plan, the statements and the diagnostics.
fn assert_same(label: &str, got: &Analysis, fresh: &Analysis) {
    assert_eq!(json::analysis(got).unwrap(), json::analysis(fresh).unwrap(), "{label}: the reports differ");
    assert_eq!(got.migrations, fresh.migrations, "{label}: the migrations' schemas differ");
    assert!(got.catalog == fresh.catalog && got.initial == fresh.initial, "{label}: the schemas differ");
    assert_eq!(got.stopped_at, fresh.stopped_at, "{label}");
    assert_eq!(got.plan, fresh.plan, "{label}: the plans differ");
    assert_eq!(got.statements, fresh.statements, "{label}: the statements differ");
    assert_eq!(got.diagnostics, fresh.diagnostics, "{label}: the diagnostics differ");
}

/// Analyses `steps` one after another with one memory, comparing each with a fresh analysis.
fn check_steps(label: &str, options: &Options, steps: &[Vec<SourceFile>]) -> Vec<usize> {
    let mut memory = Memory::default();
    let mut reused = Vec::new();
    for (i, files) in steps.iter().enumerate() {
        let fresh = analyze(files.clone(), options);
        let again = analyze_with(files.clone(), options, &mut memory);
        assert_same(&format!("{label}: step {i}"), &again, &fresh);
        reused.push(memory.reused());
    }
    reused
}

fn edited(files: &[SourceFile], index: usize, edit: impl Fn(&str) -> String) -> Vec<SourceFile> {
    let mut files = files.to_vec();
    files[index].text = edit(&files[index].text).into();
    files
}

fn forward_indexes(files: &[SourceFile]) -> Vec<usize> {
    (0..files.len()).filter(|&i| !files[i].name.contains("rollback")).collect()
}

#[test]
fn typing_in_the_newest_migration_re_runs_only_it() {
    let files = example();
    let forward = forward_indexes(&files);
    let last = *forward.last().unwrap();
    let mut steps = vec![files.clone()];
    // Character by character, a statement appears at the end of the newest file, broken on the way.
    let statement = "\nCREATE TABLE audit (id bigint PRIMARY KEY, actor uuid REFERENCES users(id));";
    for n in (1..=statement.len()).step_by(7).chain([statement.len()]) {
        steps.push(edited(&files, last, |t| format!("{t}{}", &statement[..n])));
    }
    let reused = check_steps("example", &Options::default(), &steps);
    assert_eq!(reused[0], 0, "nothing to re-use at first");
    for r in &reused[1..] {
        assert_eq!(*r, forward.len() - 1, "every migration before the edited one is re-used: {reused:?}");
    }
}

#[test]
fn edits_anywhere_give_the_fresh_analysis() {
    let files = example();
    let forward = forward_indexes(&files);
    let mut steps = vec![files.clone()];
    for &i in &forward {
        // A comment (nothing changes), a failing statement, then the file back as it was.
        steps.push(edited(&files, i, |t| format!("-- note\n{t}")));
        steps.push(edited(&files, i, |t| format!("{t}\nALTER TABLE no_such_table ADD COLUMN x int;")));
        steps.push(files.clone());
    }
    // A file renamed, removed, added; a rollback changed.
    let mut renamed = files.clone();
    renamed[forward[2]].name = renamed[forward[2]].name.replacen('0', "9", 1);
    steps.push(renamed);
    let mut removed = files.clone();
    removed.remove(forward[3]);
    steps.push(removed);
    let mut added = files.clone();
    added.push(SourceFile::new("099_more.sql", "CREATE TABLE more (id int);"));
    steps.push(added);
    if let Some(rb) = files.iter().position(|f| f.name.contains("rollback")) {
        steps.push(edited(&files, rb, |t| format!("{t}\nDROP TABLE IF EXISTS more;")));
    }
    steps.push(files.clone());
    let reused = check_steps("example edits", &Options::default(), &steps);
    // Going back to an unchanged folder after editing migration i re-uses the runs before i only.
    assert!(reused.iter().any(|&r| r > 0) && reused.iter().any(|&r| r < forward.len()), "{reused:?}");
}

#[test]
fn changed_options_start_over() {
    let files = example();
    let mut memory = Memory::default();
    analyze_with(files.clone(), &Options::default(), &mut memory);
    let psql = Options { runner: Runner::Psql, ..Options::default() };
    let again = analyze_with(files.clone(), &psql, &mut memory);
    assert_eq!(memory.reused(), 0);
    assert_same("runner changed", &again, &analyze(files, &psql));
}

#[test]
fn every_corpus_set_edited_file_by_file() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut sets: Vec<PathBuf> =
        fs::read_dir(&corpus).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    sets.sort();
    assert!(sets.len() >= 50, "the corpus has {} sets", sets.len());
    for (n, set) in sets.iter().enumerate() {
        let files = read_folder(set);
        let mut steps = vec![files.clone()];
        // From the last file to the first: drop the file's last statement.
        for i in (0..files.len()).rev() {
            steps.push(edited(&files, i, |t| {
                let body = t.trim_end().trim_end_matches(';');
                body.rfind(';').map_or_else(String::new, |at| body[..=at].to_string())
            }));
        }
        steps.push(files.clone());
        // Both runners, on alternate sets.
        let runner = if n % 2 == 0 { Runner::Transaction } else { Runner::Psql };
        check_steps(&set.display().to_string(), &Options { runner, ..Options::default() }, &steps);
    }
}

/// A small project whose last file changes step by step, for the folder rules that judge the schema at
/// the end table by table: their findings on the tables an edit does not reach are kept from the analysis
/// before, and must still equal a fresh analysis's.
fn project(last: &str) -> Vec<SourceFile> {
    vec![
        SourceFile::new(
            "001_base.sql",
            "CREATE TABLE parent (id bigint PRIMARY KEY, code text UNIQUE);\n\
             CREATE TABLE child (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent (id), note text);\n\
             CREATE TABLE other (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent (id));\n\
             CREATE INDEX other_parent_id_idx ON other (parent_id);\n\
             CREATE TABLE plain (a int, b int);\n\
             CREATE INDEX plain_a_b ON plain (a, b);\n\
             CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at = now(); RETURN NEW; END $$;\n\
             CREATE TABLE stamped (id bigint PRIMARY KEY, updated_at timestamptz);\n\
             CREATE TRIGGER stamped_touch BEFORE UPDATE ON stamped FOR EACH ROW EXECUTE FUNCTION touch();\n",
        ),
        SourceFile::new(
            "002_more.sql",
            "CREATE INDEX plain_b ON plain (b);\nCREATE INDEX plain_b_again ON plain (b);\n",
        ),
        SourceFile::new("003_last.sql", last),
    ]
}

#[test]
fn folder_findings_on_unchanged_tables_are_kept_and_stay_true() {
    let steps: Vec<Vec<SourceFile>> = [
        "",
        // A duplicate of an index an earlier file made, on a table this file does not otherwise change.
        "CREATE INDEX plain_a_b_copy ON plain (a, b);",
        // It disappears again.
        "-- nothing yet",
        // A redundant index, then the one that covers it dropped.
        "CREATE INDEX plain_a ON plain (a);",
        "CREATE INDEX plain_a ON plain (a);\nDROP INDEX plain_a_b;",
        // The earlier duplicate (002) resolved by dropping one of the pair.
        "DROP INDEX plain_b_again;",
        // The referenced table changes: child's foreign key (child itself untouched) now mismatches.
        "ALTER TABLE parent ALTER COLUMN id TYPE integer;",
        "ALTER TABLE parent ALTER COLUMN id TYPE bigint;",
        // The index name child's finding proposes is taken by a new relation, then free again.
        "CREATE TABLE child_parent_id_idx (id int);",
        "CREATE SEQUENCE child_parent_id_idx;",
        "",
        // The function the updated_at trigger calls no longer sets the column; then it does again.
        "CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;",
        "CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at = now(); RETURN NEW; END $$;",
        // The trigger goes; a table renamed; a table dropped with what references it.
        "DROP TRIGGER stamped_touch ON stamped;",
        "ALTER TABLE parent RENAME TO parent2;",
        "DROP TABLE parent CASCADE;",
        // A failing statement: the run stops in the last file.
        "CREATE INDEX plain_a_b_copy ON plain (a, b);\nALTER TABLE nope ADD COLUMN x int;",
        "CREATE INDEX child_parent_id_idx ON child (parent_id);",
        "",
    ]
    .iter()
    .map(|last| project(last))
    .collect();
    for runner in [Runner::Transaction, Runner::Psql] {
        let reused = check_steps("folder rules", &Options { runner, ..Options::default() }, &steps);
        assert!(reused[1..].iter().all(|&r| r == 2), "the first two runs are re-used: {reused:?}");
    }
    // A comment typed in the last file: no table is judged again.
    let mut memory = Memory::default();
    analyze_with(project(""), &Options::default(), &mut memory);
    assert_eq!(memory.tables_judged_again(), None, "the first analysis judges every table");
    analyze_with(project("-- x"), &Options::default(), &mut memory);
    assert_eq!(memory.tables_judged_again(), Some(0));
    // An index on plain: plain alone.
    analyze_with(project("CREATE INDEX plain_a ON plain (a);"), &Options::default(), &mut memory);
    assert_eq!(memory.tables_judged_again(), Some(1));
    // parent changes: parent, and child and other, whose foreign keys reference it.
    analyze_with(project("ALTER TABLE parent ADD COLUMN x int;"), &Options::default(), &mut memory);
    assert_eq!(memory.tables_judged_again(), Some(4), "plain (the index before) and parent, child, other");
    // The findings the steps are about are there.
    let fresh = |last: &str| analyze(project(last), &Options::default());
    let rules_of = |a: &Analysis| a.diagnostics.iter().map(|d| d.rule).collect::<Vec<_>>();
    assert!(rules_of(&fresh("")).contains(&"duplicate-index"));
    assert!(rules_of(&fresh("")).contains(&"foreign-key-without-index"));
    assert!(!rules_of(&fresh("DROP INDEX plain_b_again;")).contains(&"duplicate-index"));
    assert!(
        rules_of(&fresh("ALTER TABLE parent ALTER COLUMN id TYPE integer;")).contains(&"foreign-key-type-mismatch")
    );
    let taken = fresh("CREATE TABLE child_parent_id_idx (id int);");
    assert!(taken.diagnostics.iter().any(|d| d.help.as_deref().is_some_and(|h| h.contains("child_parent_id_idx1"))));
    let unset =
        fresh("CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;");
    assert!(rules_of(&unset).contains(&"updated-at-without-trigger"));
}

#[test]
fn indexes_of_materialized_views_are_judged_after_every_edit() {
    // A materialized view is not a table: its indexes have no table to scope them by, so every edit
    // judges them again, and a duplicate in an unchanged file stays reported.
    let files = |last: &str| {
        vec![
            SourceFile::new(
                "001_base.sql",
                "CREATE TABLE plain (a int, b int);\n\
                 CREATE MATERIALIZED VIEW plain_view AS SELECT a, b FROM plain;\n\
                 CREATE INDEX plain_view_a ON plain_view (a);\n\
                 CREATE INDEX plain_view_a_again ON plain_view (a);\n",
            ),
            SourceFile::new("002_last.sql", last),
        ]
    };
    let steps: Vec<Vec<SourceFile>> = [
        "",
        "-- x",
        "CREATE INDEX plain_a ON plain (a);",
        "CREATE INDEX plain_view_b ON plain_view (b);\nCREATE INDEX plain_view_b_again ON plain_view (b);",
        "DROP INDEX plain_view_a_again;",
        "",
    ]
    .iter()
    .map(|last| files(last))
    .collect();
    check_steps("materialized views", &Options::default(), &steps);
    let on_view = |last: &str| {
        analyze(files(last), &Options::default())
            .diagnostics
            .iter()
            .filter(|d| d.rule == "duplicate-index" && d.message.contains("plain_view"))
            .count()
    };
    assert_eq!(on_view("-- x"), 1);
    assert_eq!(
        on_view("CREATE INDEX plain_view_b ON plain_view (b);\nCREATE INDEX plain_view_b_again ON plain_view (b);"),
        2
    );
}

#[test]
fn folder_findings_after_edits_in_earlier_files() {
    // Edits in the middle file: the last one runs again too, and both files' tables are judged again.
    let base = project("CREATE INDEX plain_b_third ON plain (b);");
    let steps = vec![
        base.clone(),
        edited(&base, 1, |_| "CREATE INDEX plain_b ON plain (b);".into()),
        edited(&base, 1, |t| format!("{t}\nALTER TABLE child ALTER COLUMN parent_id TYPE integer;")),
        base.clone(),
    ];
    check_steps("middle file", &Options::default(), &steps);
}

/// The plan is patched after an edit that changes no name and no goose or dbmate marker (only the
/// edited files' bodies move); any other edit makes it again. Each step must equal a fresh analysis.
#[test]
fn the_plan_after_edits_equals_a_fresh_one() {
    let base = vec![
        SourceFile::new("001_a.sql", "CREATE TABLE a (id bigint PRIMARY KEY);\n"),
        SourceFile::new("002_b.sql", "CREATE TABLE b (id bigint PRIMARY KEY);\n"),
        SourceFile::new("002_b.rollback.sql", "DROP TABLE b;\n"),
        SourceFile::new("notes.txt", "not a migration\n"),
        SourceFile::new("003_c.sql", "CREATE TABLE c (id bigint PRIMARY KEY);\n"),
    ];
    let steps = vec![
        base.clone(),
        // Plain edits: the last file, a middle one, the rollback, a file that is not a migration.
        edited(&base, 4, |t| format!("{t}-- x\n")),
        edited(&base, 4, |t| format!("{t}-- xy\nCREATE TABLE d (id int);\n")),
        edited(&base, 1, |t| format!("-- moved\n{t}")),
        edited(&base, 2, |t| format!("{t}DROP TABLE IF EXISTS b;\n")),
        edited(&base, 3, |_| String::new()),
        // A file becomes a goose file, then a dbmate one, then plain again.
        edited(&base, 4, |t| format!("-- +goose Up\n{t}-- +goose Down\nDROP TABLE c;\n")),
        edited(&base, 4, |t| format!("-- +goose Up\n{t}-- +goose Down\nDROP TABLE c;\nDROP TABLE IF EXISTS c;\n")),
        edited(&base, 4, |t| format!("-- migrate:up\n{t}-- migrate:down\nDROP TABLE c;\n")),
        base.clone(),
        // A name changes; a file goes; one comes.
        {
            let mut renamed = base.clone();
            renamed[4].name = "004_c.sql".into();
            renamed
        },
        base[..4].to_vec(),
        base.clone(),
    ];
    for runner in [Runner::Transaction, Runner::Psql] {
        check_steps("plan", &Options { runner, ..Options::default() }, &steps);
    }
    // `Memory::unchanged` names the files that are as they were in the analysis before.
    let mut memory = Memory::default();
    analyze_with(base.clone(), &Options::default(), &mut memory);
    assert!((0..base.len()).all(|i| !memory.unchanged(i)), "nothing before the first analysis");
    analyze_with(steps[3].clone(), &Options::default(), &mut memory);
    let unchanged: Vec<bool> = (0..base.len()).map(|i| memory.unchanged(i)).collect();
    assert_eq!(unchanged, [true, false, true, true, true]);
    analyze_with(steps[3].clone(), &Options { runner: Runner::Psql, ..Options::default() }, &mut memory);
    assert!((0..base.len()).all(|i| !memory.unchanged(i)), "other options start over");
}

/// Suppression comments are read again only in the files that changed: a comment added to, moved in
/// and removed from a file, and the diagnostic it silences appearing in another file.
#[test]
fn suppression_comments_after_edits_equal_a_fresh_analysis() {
    let base = vec![
        SourceFile::new("001_a.sql", "CREATE TABLE a (id int);\n"),
        SourceFile::new("002_b.sql", "-- schema-playground:ignore ban-drop-table\nDROP TABLE a;\n"),
        SourceFile::new("003_c.sql", "CREATE TABLE c (id int);\n"),
    ];
    let steps = vec![
        base.clone(),
        edited(&base, 2, |t| format!("-- schema-playground:ignore prefer-robust-stmts\n{t}")),
        edited(&base, 2, |t| format!("-- schema-playground:ignore-file\n{t}")),
        edited(&base, 2, |t| format!("{t}-- schema-playground:ignore no-such-rule\n")),
        edited(&base, 1, |t| t.replace("ban-drop-table", "ban-drop-tabel")),
        edited(&base, 1, |t| format!("{t}-- squawk-ignore ban-drop-column\n")),
        edited(&base, 0, |t| format!("-- schema-playground:ignore-file prefer-bigint-over-int\n{t}")),
        base.clone(),
    ];
    check_steps("suppression comments", &Options::default(), &steps);
    let prelude = Options {
        prelude: Some(SourceFile::new("prelude.sql", "-- schema-playground:ignore-file\nCREATE TABLE p (id int);\n")),
        ..Options::default()
    };
    check_steps("suppression comments with a prelude", &prelude, &steps);
}
