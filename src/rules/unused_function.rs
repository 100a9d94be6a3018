//! A trigger function that no trigger uses at the end of the history.

use std::collections::BTreeSet;

use sqlparser::ast::Statement;

use super::schema_facts;
use super::{Check, Family, Finding, FolderCx, Rule};
use crate::catalog::QualName;
use crate::catalog::model::Function;
use crate::catalog::names::{self, relation_name};
use crate::diagnostic::Severity;
use crate::sql::parse::{self, Parsed};

pub const RULE: Rule = Rule {
    id: "unused-function",
    severity: Severity::Info,
    default_on: true,
    family: Family::Schema,
    summary: "A trigger function that no trigger uses by the end of the migrations",
    why: "A function that returns `trigger` can only run from a trigger. When no trigger uses it once every \
          migration has run, either the CREATE TRIGGER that should call it is missing (a bug: the behaviour \
          it implements never happens) or it is left over from a trigger that was dropped or replaced (dead \
          code that readers of the schema take for live). The finding is reported at the function's latest \
          definition.\n\n\
          Only trigger functions are reported: other functions are called by the application, by views and \
          defaults or by other functions, which the migrations do not show, so their absence of callers here \
          proves nothing. A trigger function whose name appears in a DO block or in another function's body \
          (a trigger created with dynamic SQL), or in a CREATE TRIGGER the simulator cannot model (on a \
          view), counts as used.",
    setup: "CREATE TABLE accounts (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL DEFAULT now());",
    bad: "CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$\n\
          BEGIN\n    NEW.updated_at = now();\n    RETURN NEW;\nEND\n$$;\n",
    good: "CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$\n\
           BEGIN\n    NEW.updated_at = now();\n    RETURN NEW;\nEND\n$$;\n\
           CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts\n    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();\n",
    fix: "Create the trigger that should call the function, or drop the function \
          (`DROP FUNCTION touch_updated_at();`) when nothing needs it any more.",
    check: Check::Folder(check),
};

fn check(cx: &FolderCx<'_>, out: &mut Vec<Finding>) {
    let last = schema_facts::final_catalog(cx);
    let steps = schema_facts::steps(cx);
    let used: BTreeSet<&QualName> =
        last.tables.values().flat_map(|t| t.triggers.iter().map(|tr| &tr.function)).collect();
    for (q, list) in last.functions.iter() {
        if used.contains(q) {
            continue;
        }
        for f in list.iter().filter(|f| f.returns == "trigger" && !f.procedure) {
            let at = f.origin.changed;
            // Defined by a migration that can still change (not the prelude, not a deployed one).
            if !steps.iter().any(|s| s.file == at.file && !s.deployed) || at.end <= at.start {
                continue;
            }
            if used_dynamically(cx, q, f) {
                continue;
            }
            let text = schema_facts::text_of(cx, at);
            let span = schema_facts::word_in(at, text, &q.name).unwrap_or(at);
            let shown = format!("{}()", relation_name(q));
            out.push(
                Finding::new(format!(
                    "trigger function {shown} is not used by any trigger: no trigger calls it once every migration has run"
                ))
                .help(format!("Create the trigger that should call it, or drop it: DROP FUNCTION {shown};"))
                .at(span),
            );
        }
    }
}

/// Whether a statement the schema model cannot follow may use the function: a DO block or another
/// function that mentions it (dynamic SQL), or a CREATE TRIGGER that was not simulated.
fn used_dynamically(cx: &FolderCx<'_>, q: &QualName, f: &Function) -> bool {
    let failed = |m: Option<usize>| m.and_then(|m| cx.analysis.migrations.get(m)).is_some_and(|m| !m.ok);
    for s in &cx.analysis.statements {
        if s.span == f.origin.created || s.span == f.origin.changed {
            continue;
        }
        let text = schema_facts::text_of(cx, s.span);
        if !schema_facts::mentions(text, &q.name) {
            continue;
        }
        if &*s.kind == "DO" {
            return true;
        }
        let Some(file) = cx.analysis.files.get(s.span.file as usize) else { continue };
        let parsed = parse::parse(&file.text, s.span.start as usize, s.span.end as usize);
        let Ok(Parsed::Statement(stmt, _)) = parsed else { continue };
        match &*stmt {
            // Not simulated (on a view), or in a migration that failed and was rolled back: the trigger
            // is meant to exist, the error is the finding.
            Statement::CreateTrigger(_) if !s.applied || failed(s.migration) => return true,
            Statement::CreateFunction(cf) => {
                let own = names::parts(&cf.name).last().is_some_and(|n| *n == q.name);
                if !own {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    fn messages(sql: &str) -> Vec<String> {
        findings(&RULE, sql).into_iter().map(|d| String::from(d.message)).collect()
    }

    #[test]
    fn reported_at_the_name_in_the_latest_definition() {
        let d = findings(&RULE, RULE.bad);
        assert_eq!(d.len(), 1);
        assert_eq!(&RULE.bad[d[0].span.range()], "touch_updated_at");
        assert_eq!(d[0].severity, Severity::Info);
        let twice = format!(
            "{}CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n",
            RULE.bad
        );
        let d = findings(&RULE, &twice);
        assert_eq!(d.len(), 1);
        assert!(d[0].span.start as usize > RULE.bad.len());
    }

    #[test]
    fn a_trigger_dropped_later_leaves_it_unused() {
        let sql = format!("{}\nDROP TRIGGER accounts_touch ON accounts;\n", RULE.good);
        assert_eq!(messages(&sql).len(), 1);
        let dropped = format!("{}\nDROP TABLE accounts;\n", RULE.good);
        assert_eq!(messages(&dropped).len(), 1);
        let gone = format!("{}\nDROP FUNCTION touch_updated_at();\n", RULE.bad);
        assert!(messages(&gone).is_empty());
    }

    #[test]
    fn other_functions_are_not_reported() {
        let sql = "CREATE FUNCTION add_one(i integer) RETURNS integer LANGUAGE sql AS $$ SELECT i + 1 $$;\n";
        assert!(messages(sql).is_empty());
    }

    #[test]
    fn dynamic_sql_counts_as_use() {
        let sql = format!(
            "{}CREATE FUNCTION install_touch(t text) RETURNS void LANGUAGE plpgsql AS $$\n\
             BEGIN EXECUTE format('CREATE TRIGGER touch BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION touch_updated_at()', t); END\n$$;\n",
            RULE.bad
        );
        assert!(messages(&sql).is_empty());
    }

    #[test]
    fn a_trigger_in_a_failed_migration_counts() {
        let sql = format!(
            "-- file: 002_fn.sql\n{}-- file: 003_trigger.sql\nCREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts\n    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();\nALTER TABLE missing ADD COLUMN x int;\n",
            RULE.bad
        );
        assert!(messages(&sql).is_empty());
    }

    #[test]
    fn a_later_migration_that_adds_the_trigger_settles_it() {
        let sql = format!(
            "-- file: 002_fn.sql\n{}-- file: 003_trigger.sql\nCREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts\n    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();\n",
            RULE.bad
        );
        assert!(messages(&sql).is_empty());
    }
}
