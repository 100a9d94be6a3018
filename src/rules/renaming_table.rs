//! `ALTER TABLE … RENAME TO` breaks every client that uses the old name.

use sqlparser::ast::{AlterTableOperation, RenameTableNameKind, Statement};

use super::removals::{self, Action, Replaced};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::QualName;
use crate::catalog::names::{self, quote_ident, relation_name};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "renaming-table",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "RENAME TO on a table breaks clients that still use the old name",
    why: "Clients name tables in their SQL. The moment a table is renamed, every query that uses the old name \
          fails with `relation does not exist`, and code deployed before the migration keeps sending them. \
          Views, foreign keys and column defaults refer to the table by OID and follow the rename; function \
          bodies are SQL text and do not, so the message lists the functions that mention the old name. A \
          table created in the same file is not reported, and neither is a rename whose old name is given \
          back to a view or table later in the same transaction (a compatibility view).",
    setup: "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL);",
    bad: "ALTER TABLE orders RENAME TO purchases;",
    good: "-- Old clients keep using the old name through a view until they are gone.\n\
           ALTER TABLE orders RENAME TO purchases;\n\
           CREATE VIEW orders AS SELECT * FROM purchases;\n",
    fix: "Rename in steps: create the new name as a view (or rename and create a view under the old name in \
          the same transaction), move every client to the new name, then drop the old one in a later \
          migration. When the rename is intended, silence the rule on that statement with \
          `-- schema-playground:ignore renaming-table`.",
    check: Check::Statement(check),
};

/// Whether `stmt` creates a table or view named `old`.
fn gives_back(cx: &StatementCx<'_>, stmt: &Statement, old: &QualName) -> bool {
    match stmt {
        Statement::CreateView(cv) => &cx.resolve(&cv.name) == old,
        Statement::CreateTable(ct) => &cx.resolve(&ct.name) == old,
        _ => false,
    }
}

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some((q, actions)) = removals::alter_table(cx) else { return };
    for action in actions {
        let Action::Op(AlterTableOperation::RenameTable { table_name }) = action else { continue };
        let (RenameTableNameKind::To(new) | RenameTableNameKind::As(new)) = table_name;
        let new = names::parts(new).last().cloned().unwrap_or_default();
        let Some(table) = removals::existing_table(cx, &q) else { continue };
        if new == table.name.name {
            continue;
        }
        let replaced = removals::replaced(cx, |s| gives_back(cx, s, &table.name));
        if replaced == Replaced::InTransaction {
            continue;
        }
        let functions = removals::functions_mentioning(cx.before, &[&table.name.name]);
        let mut message = format!(
            "ALTER TABLE {} RENAME TO {}: clients that still use {} fail",
            relation_name(&table.name),
            quote_ident(&new),
            relation_name(&table.name)
        );
        message.push_str(&removals::named_in_functions(&functions));
        if replaced == Replaced::WithGap {
            message.push_str(removals::GAP);
        }
        let at = removals::find_seq(cx, &["RENAME", "?TO", "?AS", &new], 0).unwrap_or(cx.span);
        out.push(
            Finding::new(message).at(at).help(
                "Move every client to the new name first, or keep the old name as a view in the same transaction.",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::tests::findings;

    #[test]
    fn functions_that_name_the_table_are_listed() {
        let sql = "-- file: 002_f.sql\nCREATE FUNCTION order_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM orders $$;\n\
                   CREATE FUNCTION other() RETURNS int LANGUAGE sql AS $$ SELECT 1 AS orders_total $$;\n\
                   -- file: 003_r.sql\nALTER TABLE orders RENAME TO purchases;";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("function order_count() names it"), "{}", found[0].message);
        assert!(!found[0].message.contains("other()"), "{}", found[0].message);
    }

    #[test]
    fn new_tables_are_not_reported() {
        let sql = "CREATE TABLE scratch (id int);\nALTER TABLE scratch RENAME TO scratch2;";
        assert!(findings(&RULE, sql).is_empty());
    }

    #[test]
    fn a_compatibility_view_outside_a_transaction_leaves_a_gap() {
        let sql = "-- no-transaction\nALTER TABLE orders RENAME TO purchases;\nCREATE VIEW orders AS SELECT * FROM purchases;";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("clients fail in between"), "{}", found[0].message);
    }
}
