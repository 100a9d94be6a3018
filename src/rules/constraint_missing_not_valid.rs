//! CHECK and FOREIGN KEY constraints added to a table in use without NOT VALID, and NOT VALID undone by a
//! VALIDATE CONSTRAINT in the same transaction.

use sqlparser::ast::{AlterTableOperation, TableConstraint};

use super::table_ops::{alter_ops, end_of, find_word, word_span};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::analysis::Runner;
use crate::catalog::model::ConstraintKind;
use crate::catalog::names::{quote_ident, relation_name};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "constraint-missing-not-valid",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "CHECK or FOREIGN KEY added to an existing table without NOT VALID, or validated in the transaction that added it",
    why: "Adding a CHECK or FOREIGN KEY constraint checks every existing row while the table is locked (ACCESS \
          EXCLUSIVE for a CHECK: no reads or writes; SHARE ROW EXCLUSIVE for a foreign key: no writes). With \
          NOT VALID the constraint is added at once and only new rows are checked; `VALIDATE CONSTRAINT` later \
          checks the old rows under a SHARE UPDATE EXCLUSIVE lock, which lets reads and writes go on. That only \
          helps when the VALIDATE runs in another transaction: in the same one, the lock the ADD took is still \
          held during the scan. The rule knows how the runner runs the file (one transaction, or statement by \
          statement with your own BEGIN/COMMIT). Tables created earlier in the same file are empty and are not \
          reported. (UNIQUE and PRIMARY KEY cannot be NOT VALID: see disallowed-unique-constraint.)",
    setup: "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL);",
    bad: "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);",
    good: "-- file: 002_check_total.sql\n\
           ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;\n\
           -- file: 003_validate_total.sql\n\
           ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;\n",
    fix: "Add the constraint with NOT VALID, and run `ALTER TABLE … VALIDATE CONSTRAINT name` in a later migration \
          (a separate transaction).",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some((name, ops)) = alter_ops(cx.parsed) else { return };
    let Some(table) = cx.existing_table(&name) else { return };
    let table_name = relation_name(&table.name);
    let single = ops.len() == 1;
    for op in ops {
        match op {
            AlterTableOperation::AddConstraint { constraint, not_valid: false } => {
                let (kind, lock, blocks) = match constraint {
                    TableConstraint::Check(_) => ("CHECK", "an ACCESS EXCLUSIVE", "reads and writes"),
                    TableConstraint::ForeignKey(_) => ("FOREIGN KEY", "a SHARE ROW EXCLUSIVE", "writes"),
                    _ => continue,
                };
                let at = word_span(cx, kind.split(' ').next().unwrap_or(kind), 0).unwrap_or(cx.span);
                let mut finding = Finding::new(format!(
                    "adding a {kind} constraint to {table_name} without NOT VALID checks every existing row under \
                     {lock} lock: {blocks} on {table_name} wait until the scan ends"
                ))
                .help("Add it NOT VALID, then VALIDATE CONSTRAINT in a later migration.")
                .at(at);
                if single {
                    finding = finding.fix("Add NOT VALID", end_of(cx), " NOT VALID");
                }
                out.push(finding);
            }
            AlterTableOperation::ValidateConstraint { name } => {
                let constraint_name = crate::catalog::names::fold(name);
                let Some(constraint) = table.constraint(&constraint_name) else { continue };
                if !constraint.not_valid || !added_in_this_transaction(cx, constraint.origin.created) {
                    continue;
                }
                let (lock, blocks) = match constraint.kind {
                    ConstraintKind::ForeignKey(_) => ("SHARE ROW EXCLUSIVE", "writes"),
                    _ => ("ACCESS EXCLUSIVE", "reads and writes"),
                };
                let from = find_word(cx.text, "VALIDATE", 0).unwrap_or(0);
                let at = word_span(cx, "VALIDATE", from).unwrap_or(cx.span);
                out.push(
                    Finding::new(format!(
                        "constraint {} is validated in the same transaction that added it NOT VALID: the {lock} \
                         lock the ADD took on {table_name} is held during the scan, so {blocks} wait as if NOT VALID \
                         were not there",
                        quote_ident(&constraint_name)
                    ))
                    .help("Move VALIDATE CONSTRAINT to a later migration.")
                    .at(at),
                );
            }
            _ => {}
        }
    }
}

/// Whether the statement at `created` (earlier in this file) runs in the same transaction as this one.
fn added_in_this_transaction(cx: &StatementCx<'_>, created: crate::span::Span) -> bool {
    if created.file != cx.span.file || created.start >= cx.span.start {
        return false;
    }
    if cx.file.runner == Runner::Transaction {
        return true;
    }
    // The BEGIN that opened the current transaction must come before the ADD.
    super::table_ops::open_begin(cx).is_some_and(|begin| begin.start < created.start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::findings;

    #[test]
    fn not_valid_then_validate_in_one_transaction() {
        let sql = "ALTER TABLE orders ADD CONSTRAINT c CHECK (total >= 0) NOT VALID;\n\
                   ALTER TABLE orders VALIDATE CONSTRAINT c;";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("same transaction"), "{}", found[0].message);
    }

    #[test]
    fn statement_by_statement_they_are_separate_transactions() {
        let sql = "-- no-transaction\n\
                   ALTER TABLE orders ADD CONSTRAINT c CHECK (total >= 0) NOT VALID;\n\
                   ALTER TABLE orders VALIDATE CONSTRAINT c;";
        assert!(findings(&RULE, sql).is_empty());
        let sql = "-- no-transaction\nBEGIN;\n\
                   ALTER TABLE orders ADD CONSTRAINT c CHECK (total >= 0) NOT VALID;\n\
                   ALTER TABLE orders VALIDATE CONSTRAINT c;\nCOMMIT;";
        assert_eq!(findings(&RULE, sql).len(), 1);
    }

    #[test]
    fn foreign_keys_and_new_tables() {
        let sql = "CREATE TABLE refunds (id bigint, order_id bigint);\n\
                   ALTER TABLE refunds ADD FOREIGN KEY (order_id) REFERENCES orders (id);\n\
                   ALTER TABLE orders ADD CONSTRAINT self_fk FOREIGN KEY (id) REFERENCES orders (id);";
        assert_eq!(findings(&RULE, sql).len(), 1);
    }

    #[test]
    fn unique_constraints_are_left_to_their_rule() {
        assert!(findings(&RULE, "ALTER TABLE orders ADD CONSTRAINT u UNIQUE (total);").is_empty());
    }
}
