//! DELETE without WHERE on a table that existed before the migration: every row goes.

use sqlparser::ast::{Delete, FromTable, SetExpr, Statement, TableFactor};

use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::relation_name;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "delete-without-where",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Schema,
    summary: "DELETE without WHERE on a table that existed before the migration",
    why: "A DELETE without WHERE removes every row of the table. In a migration that is almost always a \
          forgotten condition (a cleanup of stale or duplicate rows that was meant to keep the others), and \
          the data is gone for good once the migration commits: a rollback file cannot bring it back. Even \
          when emptying the table is intended, it runs in one transaction that locks every row, and the \
          space comes back only after VACUUM.\n\n\
          A table created earlier in the same migration is empty and unseen by others: it is not reported. \
          UPDATE has its own rule, `update-without-where`: a full-table UPDATE is often a deliberate \
          backfill, a full-table DELETE rarely is, and the two can be configured apart.",
    setup: "CREATE TABLE sessions (id bigint PRIMARY KEY, user_id bigint NOT NULL, expires_at timestamptz NOT NULL);",
    bad: "DELETE FROM sessions;",
    good: "DELETE FROM sessions WHERE expires_at < now();",
    fix: "Add the WHERE clause that selects the rows to delete. When emptying the table is what you want, \
          silence the rule on the statement with `-- schema-playground:ignore delete-without-where`, so the \
          intent is on record.",
    check: Check::Statement(check),
};

/// The DELETE of a statement, plain or under WITH.
fn delete_of(stmt: &Statement) -> Option<&Delete> {
    match stmt {
        Statement::Delete(d) => Some(d),
        Statement::Query(q) => match &*q.body {
            SetExpr::Delete(Statement::Delete(d)) => Some(d),
            _ => None,
        },
        _ => None,
    }
}

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(del) = cx.statement().and_then(delete_of) else { return };
    if del.selection.is_some() {
        return;
    }
    let (FromTable::WithFromKeyword(tables) | FromTable::WithoutKeyword(tables)) = &del.from;
    let Some(TableFactor::Table { name, .. }) = tables.first().map(|t| &t.relation) else { return };
    let Some(table) = cx.existing_table(name) else { return };
    let shown = relation_name(&table.name);
    out.push(
        Finding::new(format!(
            "DELETE FROM {shown} without WHERE deletes every row of {shown}, a table that existed before this migration"
        ))
        .help("Add a WHERE clause that selects the rows to delete; if emptying the table is intended, silence this rule on the statement.")
        .at(cx.find("DELETE")),
    );
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    fn messages(sql: &str) -> Vec<String> {
        findings(&RULE, sql).into_iter().map(|d| String::from(d.message)).collect()
    }

    #[test]
    fn every_form_without_where() {
        assert_eq!(
            messages(RULE.bad),
            vec![
                "DELETE FROM sessions without WHERE deletes every row of sessions, a table that existed before this migration"
            ]
        );
        assert_eq!(messages("DELETE FROM sessions s USING sessions o;").len(), 1);
        assert_eq!(messages("WITH x AS (SELECT 1) DELETE FROM sessions;").len(), 1);
    }

    #[test]
    fn new_tables_and_filtered_deletes_are_quiet() {
        assert!(messages("CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\nDELETE FROM t;\n").is_empty());
        assert!(messages("DELETE FROM sessions WHERE user_id = 0;").is_empty());
        let suppressed = "-- schema-playground:ignore delete-without-where\nDELETE FROM sessions;";
        assert!(messages(suppressed).is_empty());
    }
}
