//! Tables with an `updated_at` column that no trigger keeps current.

use super::{Check, Family, Finding, FolderCx, Rule};
use crate::analysis::Analysis;
use crate::catalog::model::{Catalog, Table, Trigger, TriggerEnabled, TriggerEvent, TriggerTiming};
use crate::catalog::names::{self, quote_ident, relation_name};
use crate::diagnostic::Severity;
use crate::migrations::Role;
use crate::span::Span;

pub const RULE: Rule = Rule {
    id: "updated-at-without-trigger",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Convention,
    summary: "A table with an updated_at column that no trigger keeps current",
    why: "By the team's convention `updated_at` is kept by the database, not by each query: a BEFORE UPDATE \
          row trigger named `update_<table>_updated_at` runs the shared function `update_updated_at_column()`, \
          which sets NEW.updated_at. A table that has the column but not the trigger keeps the creation time \
          in it forever, and whatever reads it (sync, caches, \"recently changed\" lists) silently goes wrong. \
          The rule looks at the schema the migrations end with, so a trigger added in a later migration \
          counts, and a trigger dropped later is missed. Any enabled BEFORE UPDATE row trigger whose function \
          assigns updated_at counts (or calls `update_updated_at_column()` or `moddatetime(updated_at)`); \
          a trigger on the partitioned parent counts for its partitions. It reports once per table, at the \
          statement that added the column, and not for columns added by deployed migrations.",
    setup: "CREATE OR REPLACE FUNCTION update_updated_at_column() RETURNS trigger LANGUAGE plpgsql AS $$\n\
            BEGIN\n    NEW.updated_at = now();\n    RETURN NEW;\nEND $$;",
    bad: "CREATE TABLE IF NOT EXISTS notifications (\n    \
              id bigint PRIMARY KEY,\n    \
              message text NOT NULL,\n    \
              created_at timestamptz NOT NULL DEFAULT now(),\n    \
              updated_at timestamptz NOT NULL DEFAULT now()\n\
          );\n",
    good: "CREATE TABLE IF NOT EXISTS notifications (\n    \
               id bigint PRIMARY KEY,\n    \
               message text NOT NULL,\n    \
               created_at timestamptz NOT NULL DEFAULT now(),\n    \
               updated_at timestamptz NOT NULL DEFAULT now()\n\
           );\n\
           DROP TRIGGER IF EXISTS update_notifications_updated_at ON notifications;\n\
           CREATE TRIGGER update_notifications_updated_at BEFORE UPDATE ON notifications\n    \
               FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();\n",
    fix: "Add the SOP's trigger right after the table (or the column): `DROP TRIGGER IF EXISTS \
          update_<table>_updated_at ON <table>; CREATE TRIGGER update_<table>_updated_at BEFORE UPDATE ON \
          <table> FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();`, creating the function first if \
          the folder does not have it yet. `check` shows it as a diff.",
    check: Check::Folder(check),
};

const COLUMN: &str = "updated_at";
const FUNCTION: &str = "update_updated_at_column";

fn check(cx: &FolderCx<'_>, out: &mut Vec<Finding>) {
    let a = cx.analysis;
    let catalog = &a.catalog;
    for table in catalog.tables.values().filter(|t| cx.judges(t.oid)) {
        let Some(col) = table.column(COLUMN) else { continue };
        if col.generated.is_some() || kept(catalog, table) {
            continue;
        }
        let created = col.origin.created;
        // Only columns that a migration of this folder added, and that is not deployed yet.
        let Some(m) =
            a.plan.forward.iter().find(|m| {
                m.role == Role::Forward && m.file == created.file && m.body.contains(&(created.start as usize))
            })
        else {
            continue;
        };
        if super::not_idempotent::deployed(cx.options, m.version.as_ref()) {
            continue;
        }
        let shown = relation_name(&table.name);
        let trigger = names::truncate(format!("update_{}_updated_at", table.name.name));
        let mut f = Finding::new(format!(
            "{shown} has an updated_at column but no trigger keeps it current: rows keep the time they were inserted after every UPDATE"
        ))
        .help(format!(
            "Add `CREATE TRIGGER {} BEFORE UPDATE ON {shown} FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();` (after DROP TRIGGER IF EXISTS).",
            quote_ident(&trigger)
        ))
        .at(created);
        if let Some((at, text)) = fix(a, created, table, &trigger) {
            f = f.fix("Add the updated_at trigger", at, text);
        }
        out.push(f.on_table(table));
    }
}

/// Whether an enabled BEFORE UPDATE row trigger of the table (or of its partitioned parent) sets updated_at.
fn kept(catalog: &Catalog, table: &Table) -> bool {
    let keeps = |t: &Trigger| {
        t.timing == TriggerTiming::Before
            && t.for_each_row
            && t.events.contains(&TriggerEvent::Update)
            && t.enabled != TriggerEnabled::Disabled
            && (t.function.name == FUNCTION
                || (t.function.name == "moddatetime" && t.args.iter().any(|a| a.contains(COLUMN)))
                || catalog
                    .functions
                    .get(&t.function)
                    .is_some_and(|l| l.iter().any(|f| f.body.to_ascii_lowercase().contains(COLUMN))))
    };
    let mut current = Some(table);
    let mut depth = 0;
    while let Some(t) = current {
        if t.triggers.iter().any(keeps) {
            return true;
        }
        depth += 1;
        current = t.partition_of.as_ref().and_then(|(parent, _)| catalog.table(parent)).filter(|_| depth < 16);
    }
    false
}

/// The SOP's trigger, inserted right after the statement that added the column, with the function when
/// it does not exist by then. `None` when the statement does not name the table as it is called now.
fn fix(a: &Analysis, created: Span, table: &Table, trigger: &str) -> Option<(Span, String)> {
    let text = &a.files.get(created.file as usize)?.text;
    let statement = text.get(created.range())?;
    let named = super::prefer_robust_stmts::Toks::new(statement)
        .0
        .iter()
        .any(|t| t.ident().as_deref() == Some(&table.name.name));
    if !named {
        return None;
    }
    let rest = text.get(created.end as usize..)?;
    let semicolon = rest.len() - rest.trim_start().len();
    let end =
        if rest[semicolon..].starts_with(';') { created.end as usize + semicolon + 1 } else { created.end as usize };
    let terminator = if end == created.end as usize { ";" } else { "" };
    let order = |span: Span| a.statements.iter().position(|s| s.span == span);
    let function_exists = a
        .catalog
        .functions
        .get(&crate::catalog::QualName::public(FUNCTION))
        .and_then(|l| l.iter().find(|f| f.arg_types.is_empty()))
        .is_some_and(|f| matches!((order(f.origin.created), order(created)), (Some(x), Some(y)) if x < y));
    let shown = relation_name(&table.name);
    let mut out = format!("{terminator}\n");
    if !function_exists {
        out.push_str(&format!(
            "\nCREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$\nBEGIN\n    NEW.updated_at = now();\n    RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\n"
        ));
    }
    out.push_str(&format!(
        "\nDROP TRIGGER IF EXISTS {t} ON {shown};\nCREATE TRIGGER {t} BEFORE UPDATE ON {shown}\n    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();",
        t = quote_ident(trigger)
    ));
    Some((Span::new(created.file, end, end), out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(sql: &str) -> Vec<crate::Diagnostic> {
        super::super::tests::findings(&RULE, sql)
    }

    #[test]
    fn the_fix_is_the_sops_trigger_and_it_applies() {
        let got = found(RULE.bad);
        assert_eq!(got.len(), 1);
        let fix = got[0].fix.clone().unwrap();
        assert!(
            fix.replacement.contains("CREATE TRIGGER update_notifications_updated_at BEFORE UPDATE ON notifications")
        );
        assert!(!fix.replacement.contains("CREATE OR REPLACE FUNCTION"), "the setup has the function");
        let mut text = RULE.bad.to_string();
        text.replace_range(fix.span.range(), &fix.replacement);
        assert!(found(&text).is_empty(), "{text}");
    }

    #[test]
    fn the_function_comes_with_the_fix_when_the_folder_lacks_it() {
        let files =
            vec![crate::analysis::SourceFile::new("001_t.sql", "CREATE TABLE t (id int, updated_at timestamptz)")];
        let options = crate::analysis::Options { rules: crate::rules::RuleConfig::only(RULE.id), ..Default::default() };
        let a = crate::analysis::analyze(files, &options);
        let d: Vec<_> = a.diagnostics.iter().filter(|d| d.rule == RULE.id).collect();
        let fix = d[0].fix.clone().unwrap();
        assert!(
            fix.replacement.starts_with(";\n\nCREATE OR REPLACE FUNCTION update_updated_at_column()"),
            "{}",
            fix.replacement
        );
        let mut text = "CREATE TABLE t (id int, updated_at timestamptz)".to_string();
        text.replace_range(fix.span.range(), &fix.replacement);
        let a = crate::analysis::analyze(vec![crate::analysis::SourceFile::new("001_t.sql", text.clone())], &options);
        assert!(
            a.diagnostics.iter().all(|d| d.severity != Severity::Error && d.rule != RULE.id),
            "{text}\n{:?}",
            a.diagnostics
        );
    }

    #[test]
    fn a_later_trigger_or_a_generic_function_counts() {
        let later = format!(
            "{}-- file: 003_trigger.sql\nCREATE TRIGGER touch BEFORE UPDATE ON notifications FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();",
            RULE.bad
        );
        assert!(found(&later).is_empty());
        let own = format!(
            "{}CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := clock_timestamp(); RETURN NEW; END $$;\n\
             CREATE TRIGGER touch BEFORE UPDATE ON notifications FOR EACH ROW EXECUTE FUNCTION touch();",
            RULE.bad
        );
        assert!(found(&own).is_empty());
        let after = format!(
            "{}CREATE TRIGGER touch AFTER UPDATE ON notifications FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();",
            RULE.bad
        );
        assert_eq!(found(&after).len(), 1, "an AFTER trigger cannot change the row");
    }
}
