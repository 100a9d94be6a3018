//! `ALTER COLUMN … DROP DEFAULT` breaks inserts that rely on the default.

use sqlparser::ast::{AlterColumnOperation, AlterTableOperation};

use super::removals::{self, Action};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::{self, quote_ident, relation_name};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-drop-default",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "DROP DEFAULT breaks inserts that leave the column out",
    why: "Clients that insert rows without naming a column rely on its default. Once the default is dropped \
          those inserts store NULL instead, or fail outright when the column is NOT NULL; a default that \
          calls nextval() stops handing out ids. The message names the default being removed, from the \
          schema. A column without a default (nothing changes) or added in the same file is not reported.",
    setup: "CREATE TABLE orders (\n    id bigint PRIMARY KEY,\n    status text NOT NULL DEFAULT 'new',\n    \
            note text\n);\n",
    bad: "ALTER TABLE orders ALTER COLUMN status DROP DEFAULT;",
    good: "-- note has no default: inserts that leave it out behave as before.\n\
           ALTER TABLE orders ALTER COLUMN note DROP DEFAULT;\n",
    fix: "Keep the default until every client sets the column itself; to change it, SET DEFAULT the new value \
          instead of dropping it. When the drop is intended, silence the rule on that statement with \
          `-- schema-playground:ignore ban-drop-default`.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some((q, actions)) = removals::alter_table(cx) else { return };
    for action in actions {
        let Action::Op(AlterTableOperation::AlterColumn { column_name, op: AlterColumnOperation::DropDefault }) =
            action
        else {
            continue;
        };
        let col = names::fold(column_name);
        let Some((table, column)) = removals::existing_column(cx, &q, &col) else { continue };
        let Some(default) = &column.default else { continue };
        let result = if column.not_null { "fail, as the column is NOT NULL" } else { "store NULL in it" };
        let at = removals::find_seq(cx, &["ALTER", "?COLUMN", &col, "DROP", "DEFAULT"], 0).unwrap_or(cx.span);
        out.push(
            Finding::new(format!(
                "ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT removes the default {default} of {}: inserts that \
                 leave the column out now {result}",
                relation_name(&table.name),
                quote_ident(&col),
                removals::column_label(&table.name, &col),
            ))
            .at(at)
            .help("Keep the default until every writer sets the column itself."),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::tests::findings;

    #[test]
    fn the_message_names_the_default_and_the_consequence() {
        let found = findings(&RULE, RULE.bad);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("'new'::text"), "{}", found[0].message);
        assert!(found[0].message.contains("fail, as the column is NOT NULL"), "{}", found[0].message);
    }

    #[test]
    fn columns_new_in_the_file_are_not_reported() {
        let sql = "ALTER TABLE orders ADD COLUMN paid boolean DEFAULT false;\n\
                   ALTER TABLE orders ALTER COLUMN paid DROP DEFAULT;";
        assert!(findings(&RULE, sql).is_empty());
    }
}
