//! `ALTER COLUMN … DROP EXPRESSION` turns a generated column into a plain one: it stops being computed.

use super::removals::{self, Action};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::{quote_ident, relation_name};
use crate::diagnostic::Severity;
use crate::sql::alter_table::ManualAction;

pub const RULE: Rule = Rule {
    id: "ban-drop-generated-expression",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "DROP EXPRESSION stops computing a generated column: new rows get NULL unless clients set it",
    why: "A stored generated column is computed by PostgreSQL on every insert and update, and clients read \
          it trusting that it matches its expression. DROP EXPRESSION keeps the values already stored but turns \
          the column into a plain one: rows written afterwards get NULL (or whatever clients write), and rows \
          updated afterwards keep a stale value. The message names the expression that stops applying. A column \
          that is not generated (with IF EXISTS nothing changes) or that was added in the same file is not \
          reported.",
    setup: "CREATE TABLE order_lines (\n    id bigint PRIMARY KEY,\n    price numeric NOT NULL,\n    \
            quantity integer NOT NULL,\n    \
            total numeric GENERATED ALWAYS AS (price * quantity) STORED\n);\n",
    bad: "ALTER TABLE order_lines ALTER COLUMN total DROP EXPRESSION;",
    good: "-- Keep the column computed; readers that need another figure get a new column.\n\
           ALTER TABLE order_lines ADD COLUMN total_with_tax numeric GENERATED ALWAYS AS (price * quantity * 1.2) STORED;\n",
    fix: "Keep the expression while clients rely on the column being computed. If the column must become \
          writable, first deploy writers that set it, then drop the expression. When the change is intended, \
          silence the rule on that statement with `-- schema-playground:ignore ban-drop-generated-expression`.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some((q, actions)) = removals::alter_table(cx) else { return };
    for action in actions {
        let Action::Manual(ManualAction::DropExpression { column: col, .. }) = action else { continue };
        let Some((table, column)) = removals::existing_column(cx, &q, col) else { continue };
        let Some(expr) = &column.generated else { continue };
        let at = removals::find_seq(cx, &["ALTER", "?COLUMN", col, "DROP", "EXPRESSION"], 0).unwrap_or(cx.span);
        out.push(
            Finding::new(format!(
                "ALTER TABLE {} ALTER COLUMN {} DROP EXPRESSION stops computing {} from ({expr}): it keeps the \
                 values stored today, but rows written from now on get NULL unless clients set it",
                relation_name(&table.name),
                quote_ident(col),
                removals::column_label(&table.name, col),
            ))
            .at(at)
            .help("Keep the column generated until every writer sets it and no reader relies on the expression."),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::tests::findings;

    #[test]
    fn the_message_names_the_expression() {
        let found = findings(&RULE, RULE.bad);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("from (price * quantity"), "{}", found[0].message);
    }

    #[test]
    fn plain_columns_and_new_tables_are_not_reported() {
        let sql = "ALTER TABLE order_lines ALTER COLUMN price DROP EXPRESSION IF EXISTS;\n\
                   CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a + 1) STORED);\n\
                   ALTER TABLE t ALTER COLUMN b DROP EXPRESSION;";
        assert!(findings(&RULE, sql).is_empty());
    }
}
