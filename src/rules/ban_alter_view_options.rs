//! `ALTER VIEW … SET / RESET (options)` on a view in use.

use sqlparser::ast::{AlterViewOperation, Statement};

use super::sql_text;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::relation_name;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-alter-view-options",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "ALTER VIEW … SET / RESET (security_barrier, security_invoker, check_option) on a view in use",
    why: "A view's options change what its clients get: security_invoker makes the view check the \
          caller's privileges (and row-level security) instead of the owner's, so queries that worked can \
          fail or see fewer rows; security_barrier changes which conditions may run before the view's own \
          filter; check_option makes inserts and updates through the view that fall outside it fail. Views \
          created earlier in the same migration are not reported.",
    setup: "CREATE TABLE accounts (id bigint PRIMARY KEY, active boolean NOT NULL);\n\
            CREATE VIEW active_accounts AS SELECT id FROM accounts WHERE active;",
    bad: "ALTER VIEW active_accounts SET (security_invoker = true);",
    good: "CREATE VIEW active_accounts_v2 WITH (security_invoker = true) AS SELECT id FROM accounts WHERE active;",
    fix: "Create a new view with the options and move the clients to it, or change the option together with \
          the clients (and grants) that expect it.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(Statement::AlterView(view)) = cx.statement() else { return };
    // A materialized view's options are storage parameters (fillfactor, autovacuum): clients see no change.
    if view.materialized {
        return;
    }
    let options: Vec<String> = match &view.operation {
        AlterViewOperation::SetOptions { options } => options.iter().map(|o| o.to_string()).collect(),
        AlterViewOperation::ResetOptions { options } => options.iter().map(|o| format!("RESET {o}")).collect(),
        _ => return,
    };
    let qual = cx.resolve(&view.name);
    if !cx.file.start.views.contains_key(&qual) {
        return;
    }
    let toks = cx.tokens();
    let word = if matches!(view.operation, AlterViewOperation::SetOptions { .. }) { "SET" } else { "RESET" };
    let end = sql_text::end(toks);
    let at =
        sql_text::find_words(toks, 2, &[word]).map_or(cx.span, |k| sql_text::span(cx, toks, k, end.max(k + 1) - 1));
    out.push(
        Finding::new(format!(
            "changing {} on view {} changes what its clients get back or may write through it",
            options.join(", "),
            relation_name(&qual)
        ))
        .help("Create a new view with the options and move the clients to it.")
        .at(at),
    );
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn reset_and_new_views() {
        assert_eq!(findings(&RULE, "ALTER VIEW active_accounts RESET (security_barrier);").len(), 1);
        assert!(findings(&RULE, "ALTER VIEW active_accounts RENAME TO live_accounts;").is_empty());
        let sql = "CREATE MATERIALIZED VIEW m AS SELECT 1 AS x;";
        let rule = Rule { setup: sql, ..RULE };
        assert!(findings(&rule, "ALTER MATERIALIZED VIEW m SET (fillfactor = 70);").is_empty());
        let sql = "CREATE VIEW v AS SELECT 1 AS x;\nALTER VIEW v SET (security_barrier = true);";
        assert!(findings(&RULE, sql).is_empty());
    }
}
