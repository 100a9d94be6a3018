//! Adding a stored generated column (or changing its expression) on a table in use.

use sqlparser::ast::{AlterTableOperation, ColumnOption};

use super::sql_text::{self, Action};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::{fold, quote_ident, relation_name};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-alter-generated-expression",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "a generated column added to (or its expression changed on) a table in use",
    why: "A stored generated column is computed by the database: clients can no longer write it, so an \
          INSERT or UPDATE that names it fails, and so does copying rows with INSERT … SELECT * between \
          tables of the same shape. Changing the expression (ALTER COLUMN … SET EXPRESSION, PostgreSQL 17) \
          rewrites every row and changes the values clients read. Adding such a column also rewrites the \
          table under an ACCESS EXCLUSIVE lock. Tables created earlier in the migration are not reported.",
    setup: "CREATE TABLE order_lines (id bigint PRIMARY KEY, quantity integer NOT NULL, unit_price numeric NOT NULL);",
    bad: "ALTER TABLE order_lines ADD COLUMN total numeric GENERATED ALWAYS AS (quantity * unit_price) STORED;",
    good: "CREATE VIEW order_line_totals AS SELECT id, quantity * unit_price AS total FROM order_lines;",
    fix: "Compute the value in a view or in the query until every client is ready for the column; when it \
          must be a column, add it in a migration deployed after the clients stop writing it.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(at) = cx.alter_table() else { return };
    let Some(table) = cx.existing_table(&at.name) else { return };
    for (action, range) in &at.actions {
        let span = at.span(cx, *range);
        match action {
            Action::Op(AlterTableOperation::AddColumn { column_def, .. }) => {
                let generated = column_def
                    .options
                    .iter()
                    .any(|o| matches!(&o.option, ColumnOption::Generated { generation_expr: Some(_), .. }));
                if !generated {
                    continue;
                }
                out.push(
                    Finding::new(format!(
                        "generated column {} added to {}: clients can no longer write it, and the table is rewritten to compute it",
                        quote_ident(&fold(&column_def.name)),
                        relation_name(&table.name)
                    ))
                    .help("Compute the value in a view until the clients are ready for a generated column.")
                    .at(span),
                );
            }
            _ => {
                // ALTER COLUMN … SET EXPRESSION AS (…), when the statement reached the rules.
                let toks = &at.toks[range.0..range.1];
                if sql_text::find_words(toks, 0, &["SET", "EXPRESSION"]).is_some() {
                    out.push(
                        Finding::new(format!(
                            "SET EXPRESSION on {} rewrites every row and changes the values clients read",
                            relation_name(&table.name)
                        ))
                        .help("Add a new column (or a view) with the new expression and move the clients to it.")
                        .at(span),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn plain_and_identity_columns_are_not_generated_expressions() {
        assert!(findings(&RULE, "ALTER TABLE order_lines ADD COLUMN note text;").is_empty());
        assert!(
            findings(&RULE, "ALTER TABLE order_lines ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY;").is_empty()
        );
        let sql = "CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int GENERATED ALWAYS AS (a * 2) STORED;";
        assert!(findings(&RULE, sql).is_empty());
    }
}
