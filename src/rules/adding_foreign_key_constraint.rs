//! A foreign key added to a table in use, checked against every row while both tables are locked.

use sqlparser::ast::{AlterTableOperation, ColumnOption, TableConstraint};

use super::table_ops::{alter_ops, end_of, find_word, word_span};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::relation_name;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "adding-foreign-key-constraint",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "A foreign key added to an existing table without NOT VALID blocks writes to both tables while every row is checked",
    why: "ALTER TABLE … ADD FOREIGN KEY takes a SHARE ROW EXCLUSIVE lock on the table and on the table it \
          references, then reads every row to check that its key exists. Until that scan ends, INSERT, UPDATE and \
          DELETE on both tables wait — and so does every query queued behind them. Adding the constraint \
          NOT VALID skips the scan (new rows are still checked); `VALIDATE CONSTRAINT` in a later migration then \
          checks the old rows under a SHARE UPDATE EXCLUSIVE lock, which lets reads and writes go on. A foreign \
          key on a table created earlier in the same file is not reported: that table is empty.",
    setup: "CREATE TABLE customers (id bigint PRIMARY KEY);\n\
            CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);",
    bad: "ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey\n    \
          FOREIGN KEY (customer_id) REFERENCES customers (id);",
    good: "-- file: 002_add_fk.sql\n\
           ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey\n    \
           FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;\n\
           -- file: 003_validate_fk.sql\n\
           ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey;\n",
    fix: "Add the foreign key with NOT VALID, then run `ALTER TABLE … VALIDATE CONSTRAINT name` in a later \
          migration (not in the same transaction: it would hold the first lock during the scan).",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some((name, ops)) = alter_ops(cx.parsed) else { return };
    let Some(table) = cx.existing_table(&name) else { return };
    let single = ops.len() == 1;
    for op in ops {
        let (referenced, not_valid, new_column) = match op {
            AlterTableOperation::AddConstraint { constraint: TableConstraint::ForeignKey(fk), not_valid } => {
                (&fk.foreign_table, *not_valid, None)
            }
            AlterTableOperation::AddColumn { column_def, .. } => {
                let Some(fk) = column_def.options.iter().find_map(|o| match &o.option {
                    ColumnOption::ForeignKey(fk) => Some(fk),
                    _ => None,
                }) else {
                    continue;
                };
                (&fk.foreign_table, false, Some(column_def.name.value.as_str()))
            }
            _ => continue,
        };
        if not_valid {
            continue;
        }
        let target = cx
            .table_before(referenced)
            .map_or_else(|| crate::catalog::names::object_name(referenced), |t| relation_name(&t.name));
        let from = new_column.and_then(|c| find_word(cx.text, c, 0)).unwrap_or(0);
        let at = word_span(cx, "REFERENCES", from).or_else(|| word_span(cx, "FOREIGN", 0)).unwrap_or(cx.span);
        let mut finding = Finding::new(format!(
            "adding a foreign key on {} to {target} locks both tables in SHARE ROW EXCLUSIVE mode and checks every \
             row of {}: writes to both wait until the scan ends",
            relation_name(&table.name),
            relation_name(&table.name),
        ))
        .at(at);
        if new_column.is_some() {
            finding = finding.help(
                "Add the column first, then the foreign key as a separate ADD CONSTRAINT … NOT VALID, and VALIDATE it in a later migration.",
            );
        } else {
            finding = finding.help("Add it NOT VALID, and VALIDATE CONSTRAINT in a later migration.");
            if single {
                finding = finding.fix("Add NOT VALID", end_of(cx), " NOT VALID");
            }
        }
        out.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::findings;

    #[test]
    fn a_foreign_key_on_a_new_table_is_fine() {
        let sql = "CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint);\n\
                   ALTER TABLE refunds ADD FOREIGN KEY (order_id) REFERENCES orders (id);";
        assert!(findings(&RULE, sql).is_empty());
    }

    #[test]
    fn a_new_column_with_references_is_reported() {
        let sql = "ALTER TABLE orders ADD COLUMN referrer_id bigint REFERENCES customers (id);";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn the_fix_appends_not_valid() {
        let found = findings(&RULE, RULE.bad);
        let fix = found[0].fix.as_ref().map(|f| f.replacement.as_str());
        assert_eq!(fix, Some(" NOT VALID"));
    }
}
