//! What the engine knowingly does not simulate (docs/fidelity.md, "PostgreSQL behaviours not simulated
//! yet"), one test each: the current behaviour is a `not-simulated` warning on the statement (the schema
//! shown may differ from PostgreSQL's there), never an error and never a silently wrong schema.

use schema_playground::rules::RuleConfig;
use schema_playground::{Options, Severity, SourceFile, analyze};

/// The engine's own diagnostics for one migration (no style rules).
fn engine(sql: &str) -> Vec<(Severity, &'static str, String)> {
    let options =
        Options { rules: RuleConfig { only: Some(Vec::new()), ..RuleConfig::default() }, ..Options::default() };
    let a = analyze(vec![SourceFile::new("001_case.sql", sql)], &options);
    a.diagnostics.into_iter().map(|d| (d.severity, d.rule, String::from(d.message))).collect()
}

fn assert_not_simulated(sql: &str, what: &str) {
    let diags = engine(sql);
    assert!(diags.iter().all(|d| d.0 != Severity::Error), "{sql}\n{diags:?}");
    assert!(
        diags.iter().any(|d| d.1 == "not-simulated" && d.2.contains(what)),
        "{sql}\nexpected a not-simulated warning mentioning {what:?}: {diags:?}"
    );
}

const TABLES: &str = "CREATE TABLE t (id int PRIMARY KEY, note text);\nCREATE TABLE t_log (id int, note text);\n";

#[test]
fn rules_with_actions_other_than_nothing_or_an_update_of_their_table() {
    assert_not_simulated(
        &format!("{TABLES}CREATE RULE t_copy AS ON INSERT TO t DO ALSO INSERT INTO t_log VALUES (new.id, new.note);"),
        "CREATE RULE",
    );
}

#[test]
fn rules_that_are_reproduced_give_no_warning() {
    let diags = engine(&format!("{TABLES}CREATE RULE t_keep AS ON DELETE TO t DO INSTEAD NOTHING;"));
    assert!(diags.is_empty(), "{diags:?}");
}

/// `USING` expressions the analysis cannot type are let through (only sure verdicts are errors).
#[test]
fn alter_column_type_using_an_unknown_function_is_accepted() {
    let diags = engine(&format!("{TABLES}ALTER TABLE t ALTER COLUMN note TYPE text USING my_own_function(note);"));
    assert!(diags.iter().all(|d| d.0 != Severity::Error), "{diags:?}");
}

#[test]
fn alter_type_attribute_cascade_to_typed_tables() {
    assert_not_simulated(
        "CREATE TYPE pair AS (a int);\nCREATE TABLE t OF pair;\nALTER TYPE pair ADD ATTRIBUTE b int CASCADE;",
        "ALTER TYPE … CASCADE",
    );
}
