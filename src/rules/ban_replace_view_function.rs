//! `CREATE OR REPLACE` of a view, function, procedure or trigger in use.

use sqlparser::ast::Statement;

use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::{fold, quote_ident, relation_name};
use crate::catalog::{Function, Origin, Trigger};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-replace-view-function",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "CREATE OR REPLACE changes a view, function, procedure or trigger that clients already use",
    why: "OR REPLACE swaps the definition in place: every query on the view, every call of the function, \
          every write that fires the trigger behaves differently from the moment the migration commits, \
          while the clients (and their tests) were written against the old behaviour, and there is no old \
          version to fall back to. The rule only reports a real replacement: an object that existed before \
          this migration and whose definition the statement changes. OR REPLACE that creates the object, \
          or that writes the same definition again (a re-run, an idempotent migration), is not reported.",
    setup: "CREATE FUNCTION vat_rate() RETURNS numeric LANGUAGE sql AS $$ SELECT 0.20 $$;",
    bad: "CREATE OR REPLACE FUNCTION vat_rate() RETURNS numeric LANGUAGE sql AS $$ SELECT 0.21 $$;",
    good: "CREATE OR REPLACE FUNCTION vat_rate_2025() RETURNS numeric LANGUAGE sql AS $$ SELECT 0.21 $$;",
    fix: "Create the new behaviour under a new name (vat_rate_v2, orders_view_v2) and move the clients to \
          it, then drop the old one.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let message = match cx.statement() {
        Some(Statement::CreateView(view)) if view.or_replace => {
            let qual = cx.resolve(&view.name);
            let (Some(old), Some(new)) = (cx.before.views.get(&qual), cx.after.views.get(&qual)) else { return };
            if !cx.file.start.views.contains_key(&qual)
                || (old.definition == new.definition && old.columns == new.columns)
            {
                return;
            }
            format!(
                "CREATE OR REPLACE VIEW {} replaces its definition: every client reading it gets the new result",
                relation_name(&qual)
            )
        }
        Some(Statement::CreateFunction(f)) if f.or_replace => {
            let qual = cx.resolve(&f.name);
            let (Some(old), Some(new), Some(start)) =
                (cx.before.functions.get(&qual), cx.after.functions.get(&qual), cx.file.start.functions.get(&qual))
            else {
                return;
            };
            let changed = new.iter().find(|n| {
                start.iter().any(|s| s.arg_types == n.arg_types)
                    && old.iter().any(|o| o.arg_types == n.arg_types && plain(o) != plain(n))
            });
            let Some(changed) = changed else { return };
            let kind = if changed.procedure { "PROCEDURE" } else { "FUNCTION" };
            format!(
                "CREATE OR REPLACE {kind} {}({}) replaces its body: every caller gets the new behaviour",
                relation_name(&qual),
                changed.arg_types.join(", ")
            )
        }
        Some(Statement::CreateTrigger(t)) if t.or_replace => {
            let Some(table) = cx.existing_table(&t.table_name) else { return };
            let Some(name) = t.name.0.last().and_then(|p| p.as_ident()).map(fold) else { return };
            let old = table.triggers.iter().find(|tr| tr.name == name);
            let new = cx.after.table(&table.name).and_then(|a| a.triggers.iter().find(|tr| tr.name == name));
            let (Some(old), Some(new)) = (old, new) else { return };
            if trigger_plain(old) == trigger_plain(new) {
                return;
            }
            format!(
                "CREATE OR REPLACE TRIGGER {} on {} replaces it: every client's writes get the new behaviour",
                quote_ident(&name),
                relation_name(&table.name)
            )
        }
        _ => return,
    };
    out.push(Finding::new(message).help("Create it under a new name and move the clients to it."));
}

fn plain(f: &Function) -> Function {
    Function { origin: Origin::default(), comment: None, ..f.clone() }
}

fn trigger_plain(t: &Trigger) -> Trigger {
    Trigger { origin: Origin::default(), ..t.clone() }
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn same_definition_or_new_object() {
        let same = "CREATE OR REPLACE FUNCTION vat_rate() RETURNS numeric LANGUAGE sql AS $$ SELECT 0.20 $$;";
        assert!(findings(&RULE, same).is_empty());
        let new = "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';\nCREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 2';";
        assert!(findings(&RULE, new).is_empty());
    }

    #[test]
    fn views() {
        let rule =
            Rule { setup: "CREATE TABLE t (id bigint, name text);\nCREATE VIEW names AS SELECT id FROM t;", ..RULE };
        let found = findings(&rule, "CREATE OR REPLACE VIEW names AS SELECT id, name FROM t;");
        assert_eq!(found.len(), 1);
        assert!(findings(&rule, "CREATE OR REPLACE VIEW names AS SELECT id FROM t;").is_empty());
    }
}
