//! `ALTER TABLE … RENAME COLUMN` breaks every client that uses the old column name.

use sqlparser::ast::{AlterTableOperation, AlterViewOperation, Statement};

use super::removals::{self, Action};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::{self, quote_ident, relation_name};
use crate::diagnostic::Severity;
use crate::sql::objects::AttributeAction;

pub const RULE: Rule = Rule {
    id: "renaming-column",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "RENAME COLUMN breaks clients that still use the old column name",
    why: "Clients name columns in their SQL and map them to fields by name. The moment a column is renamed, \
          every query that selects, inserts or filters on the old name fails, and code deployed before the \
          migration keeps sending them. Views, indexes and constraints refer to the column by number and follow \
          the rename; function bodies are SQL text and do not, so the message lists the functions that mention \
          the table and the old column name. A column added in the same file, or of a table created in it, is \
          not reported. Also checked: RENAME COLUMN on a view or materialized view.",
    setup: "CREATE TABLE users (id bigint PRIMARY KEY, phone_number text);",
    bad: "ALTER TABLE users RENAME COLUMN phone_number TO phone;",
    good: "-- Expand, migrate, contract: add the new column now, copy and switch clients, drop the old one later.\n\
           ALTER TABLE users ADD COLUMN phone text;\n\
           UPDATE users SET phone = phone_number;\n",
    fix: "Rename in steps: add the new column and keep both in sync (or write both from the application), \
          move every reader to the new column, then drop the old one in a later migration. When the rename is \
          intended, silence the rule on that statement with `-- schema-playground:ignore renaming-column`.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    if let Some(ty) = super::composites::altered(cx) {
        for action in ty.actions {
            let AttributeAction::Rename { from, to, .. } = action else { continue };
            if from == to || !ty.had(from) {
                continue;
            }
            let at = removals::find_seq(cx, &["RENAME", "ATTRIBUTE", from], 0).unwrap_or(cx.span);
            out.push(
                Finding::new(format!(
                    "ALTER TYPE {} RENAME ATTRIBUTE {} TO {}: clients that still use {} in values of the type{} fail",
                    ty.label(),
                    quote_ident(from),
                    quote_ident(to),
                    quote_ident(from),
                    ty.columns(cx)
                ))
                .at(at)
                .help(
                    "Move every client to the new name first; or add the new attribute and keep both during the move.",
                ),
            );
        }
        return;
    }
    if let Some(Statement::AlterView(av)) = cx.statement() {
        let AlterViewOperation::RenameColumn { old_column_name, new_column_name } = &av.operation else { return };
        let q = cx.resolve(&av.name);
        let old = names::fold(old_column_name);
        let new = names::fold(new_column_name);
        // The model lists a view's columns only when CREATE VIEW names them.
        let existed = cx.file.start.views.get(&q).is_some_and(|v| v.columns.is_empty() || v.columns.contains(&old));
        if old == new || !existed || !cx.before.views.contains_key(&q) {
            return;
        }
        let kind = if av.materialized { "MATERIALIZED VIEW" } else { "VIEW" };
        let functions = removals::functions_mentioning(cx.before, &[&q.name, &old]);
        let at = removals::find_seq(cx, &["RENAME", "?COLUMN", &old], 0).unwrap_or(cx.span);
        out.push(
            Finding::new(format!(
                "ALTER {kind} {} RENAME COLUMN {} TO {}: clients that still use {} fail{}",
                relation_name(&q),
                quote_ident(&old),
                quote_ident(&new),
                removals::column_label(&q, &old),
                removals::named_in_functions(&functions)
            ))
            .at(at)
            .help("Move every client to the new name first; keep both names during the move."),
        );
        return;
    }
    let Some((q, actions)) = removals::alter_table(cx) else { return };
    for action in actions {
        let Action::Op(AlterTableOperation::RenameColumn { old_column_name, new_column_name }) = action else {
            continue;
        };
        let old = names::fold(old_column_name);
        let new = names::fold(new_column_name);
        let Some((table, column)) = removals::existing_column(cx, &q, &old) else { continue };
        if old == new {
            continue;
        }
        let functions = removals::functions_mentioning(cx.before, &[&table.name.name, &old]);
        let at = removals::find_seq(cx, &["RENAME", "?COLUMN", &old], 0).unwrap_or(cx.span);
        out.push(
            Finding::new(format!(
                "ALTER TABLE {} RENAME COLUMN {} TO {}: clients that still read or write {} ({}) fail{}",
                relation_name(&table.name),
                quote_ident(&old),
                quote_ident(&new),
                removals::column_label(&table.name, &old),
                column.ty.display(),
                removals::named_in_functions(&functions)
            ))
            .at(at)
            .help("Add the new column beside the old one and move clients over before removing the old name."),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::tests::findings;

    #[test]
    fn functions_that_use_the_column_are_listed() {
        let sql = "-- file: 002_f.sql\nCREATE FUNCTION phones() RETURNS SETOF text LANGUAGE sql AS $$ SELECT phone_number FROM users $$;\n\
                   -- file: 003_r.sql\nALTER TABLE users RENAME COLUMN phone_number TO phone;";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("function phones() names it"), "{}", found[0].message);
    }

    #[test]
    fn new_columns_are_not_reported() {
        let sql = "ALTER TABLE users ADD COLUMN nick text;\nALTER TABLE users RENAME COLUMN nick TO nickname;";
        assert!(findings(&RULE, sql).is_empty());
    }

    #[test]
    fn view_columns_are_reported() {
        let sql = "-- file: 002_v.sql\nCREATE VIEW contacts AS SELECT id, phone_number FROM users;\n\
                   -- file: 003_r.sql\nALTER VIEW contacts RENAME COLUMN phone_number TO phone;";
        assert_eq!(findings(&RULE, sql).len(), 1);
    }

    #[test]
    fn attributes_of_a_composite_type_in_use() {
        let sql = "-- file: 002_address.sql\n\
                   CREATE TYPE address AS (street text, city text);\n\
                   ALTER TABLE users ADD COLUMN home address;\n\
                   -- file: 003_rename.sql\n\
                   ALTER TYPE address RENAME ATTRIBUTE street TO line1;\n";
        let found = crate::rules::tests::findings(&super::RULE, sql);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("users.home"), "{}", found[0].message);
    }
}
