//! UPDATE without WHERE on a table that existed before the migration: every row is changed, locked and
//! rewritten in one transaction.

use sqlparser::ast::{AssignmentTarget, SetExpr, Statement, TableFactor, Update};

use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::model::Table;
use crate::catalog::names::{self, quote_ident, relation_name};
use crate::diagnostic::Severity;
use crate::sql::parse::Parsed;

pub const RULE: Rule = Rule {
    id: "update-without-where",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Schema,
    summary: "UPDATE without WHERE on a table that existed before the migration",
    why: "An UPDATE without WHERE changes every row of the table. On a table in use that is either a mistake \
          (a forgotten condition overwrites data in every row, and no rollback file brings it back) or a \
          backfill of the whole table in one statement: PostgreSQL writes a new version of every row, the \
          table and its indexes grow to twice their size until VACUUM catches up, and every row stays locked \
          against concurrent UPDATE and DELETE until the migration commits. When the same transaction altered \
          the table first, its ACCESS EXCLUSIVE lock is held throughout, and even reads of the table wait.\n\n\
          A table created earlier in the same migration is empty and unseen by others: it is not reported. \
          DELETE has its own rule, `delete-without-where`, so that a team that backfills whole small tables on \
          purpose can turn this one off and keep the other.",
    setup: "CREATE TABLE users (id bigint PRIMARY KEY, first_name text, last_name text);",
    bad: "ALTER TABLE users ADD COLUMN full_name text;\nUPDATE users SET full_name = first_name || ' ' || last_name;\n",
    good: "ALTER TABLE users ADD COLUMN full_name text;\n\
           UPDATE users SET full_name = first_name || ' ' || last_name WHERE full_name IS NULL;\n",
    fix: "Add a WHERE clause that selects the rows to change; for a backfill, `WHERE new_column IS NULL` also \
          makes a re-run cheap. On a large table, backfill in batches (`… WHERE id IN (SELECT id FROM users \
          WHERE full_name IS NULL LIMIT 10000)`) from a migration that runs outside a transaction, or from a \
          job, rather than in the migration that alters the table.",
    check: Check::Statement(check),
};

/// The UPDATE of a statement, plain or under WITH.
fn update_of(stmt: &Statement) -> Option<&Update> {
    match stmt {
        Statement::Update(u) => Some(u),
        Statement::Query(q) => match &*q.body {
            SetExpr::Update(Statement::Update(u)) => Some(u),
            _ => None,
        },
        _ => None,
    }
}

/// Whether an earlier statement of this file altered the table (its ACCESS EXCLUSIVE lock is still held
/// when the file is one transaction).
fn altered_earlier(cx: &StatementCx<'_>, table: &Table) -> bool {
    cx.file.earlier.iter().filter(|e| e.applied).any(|e| {
        let name = match &*e.parsed {
            Parsed::Statement(s, _) => match &**s {
                Statement::AlterTable(at) => Some(cx.resolve(&at.name)),
                _ => None,
            },
            Parsed::AlterTableParts { target, .. } => match target.name.as_slice() {
                [.., schema, name] => Some(crate::catalog::QualName::new(schema.clone(), name.clone())),
                [name] => Some(cx.before.resolve_unqualified(name)),
                [] => None,
            },
            _ => None,
        };
        name.and_then(|q| cx.before.table(&q)).is_some_and(|t| t.oid == table.oid)
    })
}

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(up) = cx.statement().and_then(update_of) else { return };
    if up.selection.is_some() {
        return;
    }
    let TableFactor::Table { name, .. } = &up.table.relation else { return };
    let Some(table) = cx.existing_table(name) else { return };
    let shown = relation_name(&table.name);
    let mut assigned: Vec<String> = Vec::new();
    for a in &up.assignments {
        match &a.target {
            AssignmentTarget::ColumnName(n) => assigned.extend(names::parts(n).last().cloned()),
            AssignmentTarget::Tuple(ns) => assigned.extend(ns.iter().filter_map(|n| names::parts(n).last().cloned())),
        }
    }
    // Columns added by this migration hold nothing yet: setting them all is a backfill.
    let old = cx.file.start.table_with_oid(table.oid, &table.name);
    let added = |c: &String| {
        let attnum = table.column(c).map(|c| c.attnum);
        old.is_some_and(|o| attnum.is_some_and(|n| !o.columns.iter().any(|oc| oc.attnum == n)))
    };
    let cols: Vec<String> = assigned.iter().map(|c| quote_ident(c)).collect();
    let mut message = if !assigned.is_empty() && assigned.iter().all(added) {
        format!(
            "UPDATE {shown} without WHERE rewrites every row of {shown} (a backfill of {}) in one transaction: \
             each row stays locked until the migration commits and the table grows to twice its size until VACUUM",
            cols.join(", ")
        )
    } else {
        format!(
            "UPDATE {shown} without WHERE sets {} in every row of {shown}, a table that existed before this migration, \
             and locks every row until the migration commits",
            cols.join(", ")
        )
    };
    if cx.in_transaction() && altered_earlier(cx, table) {
        message.push_str(&format!(
            "; the earlier ALTER TABLE's ACCESS EXCLUSIVE lock is held all along, so even reads of {shown} wait"
        ));
    }
    out.push(
        Finding::new(message)
            .help("Add a WHERE clause that selects the rows to change, and backfill a large table in batches outside the migration's transaction.")
            .at(cx.find("UPDATE")),
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
    fn a_backfill_in_the_altering_transaction() {
        let m = messages(RULE.bad);
        assert_eq!(m.len(), 1);
        assert!(
            m[0].starts_with("UPDATE users without WHERE rewrites every row of users (a backfill of full_name)"),
            "{}",
            m[0]
        );
        assert!(m[0].ends_with("so even reads of users wait"), "{}", m[0]);
        let outside = format!("-- no-transaction\n{}", RULE.bad);
        let m = messages(&outside);
        assert_eq!(m.len(), 1);
        assert!(!m[0].contains("ACCESS EXCLUSIVE"), "{}", m[0]);
    }

    #[test]
    fn overwriting_existing_data() {
        let m = messages("UPDATE users SET first_name = upper(first_name);");
        assert_eq!(
            m,
            vec![
                "UPDATE users without WHERE sets first_name in every row of users, a table that existed before this migration, and locks every row until the migration commits"
            ]
        );
        assert_eq!(messages("WITH x AS (SELECT 1) UPDATE users SET last_name = NULL;").len(), 1);
        assert_eq!(messages("UPDATE users u SET last_name = o.last_name FROM users o;").len(), 1);
    }

    #[test]
    fn new_tables_and_filtered_updates_are_quiet() {
        assert!(messages("CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\nUPDATE t SET a = 2;\n").is_empty());
        assert!(messages("UPDATE users SET first_name = '' WHERE first_name IS NULL;").is_empty());
        assert!(messages("UPDATE missing SET a = 1;").is_empty());
    }
}
