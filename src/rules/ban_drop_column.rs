//! `ALTER TABLE … DROP COLUMN` deletes the column's data, and the indexes and constraints that use it.

use sqlparser::ast::{AlterTableOperation, DropBehavior};

use super::removals::{self, Action};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::{self, quote_ident, relation_name};
use crate::diagnostic::Severity;
use crate::sql::objects::AttributeAction;

pub const RULE: Rule = Rule {
    id: "ban-drop-column",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "DROP COLUMN deletes a column, its data, and the indexes and constraints that use it",
    why: "Dropping a column loses its data for good, and every client that still selects, inserts or updates \
          the column fails as soon as the migration runs (`SELECT *` readers may break on the changed shape \
          too). PostgreSQL also drops, without asking, every index and constraint of the table that uses the \
          column: a composite unique constraint or index that merely includes it disappears with it. The \
          message lists them from the schema. A column added earlier in the same file is not in use yet and \
          is not reported.",
    setup: "CREATE TABLE orders (\n    id bigint PRIMARY KEY,\n    customer_id bigint NOT NULL,\n    \
            coupon text,\n    UNIQUE (customer_id, coupon)\n);\n\
            CREATE INDEX orders_coupon_idx ON orders (coupon);\n",
    bad: "ALTER TABLE orders DROP COLUMN coupon;",
    good: "-- Release 41 stopped reading and writing orders.coupon; the data was archived.\n\
           -- schema-playground:ignore ban-drop-column\n\
           ALTER TABLE orders DROP COLUMN coupon;\n",
    fix: "Drop a column in steps: deploy code that no longer reads or writes it, keep its data if it may be \
          needed, and only then drop it in a later migration, recreating any index or constraint that should \
          outlive it. When the drop is intended, silence the rule on that statement with \
          `-- schema-playground:ignore ban-drop-column`.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    if let Some(ty) = super::composites::altered(cx) {
        for action in ty.actions {
            let AttributeAction::Drop { name, .. } = action else { continue };
            if !ty.had(name) {
                continue;
            }
            let at = removals::find_seq(cx, &["DROP", "ATTRIBUTE", "?IF", "?EXISTS", name], 0).unwrap_or(cx.span);
            out.push(
                Finding::new(format!(
                    "ALTER TYPE {} DROP ATTRIBUTE {} deletes the attribute from every value of the type{}: clients \
                     that still read or write it fail",
                    ty.label(),
                    quote_ident(name),
                    ty.columns(cx)
                ))
                .at(at)
                .help("Deploy code that no longer uses the attribute first, then drop it and silence this rule on the statement."),
            );
        }
        return;
    }
    let Some((q, actions)) = removals::alter_table(cx) else { return };
    for action in actions {
        let Action::Op(AlterTableOperation::DropColumn { column_names, drop_behavior, .. }) = action else {
            continue;
        };
        let cascade = matches!(drop_behavior, Some(DropBehavior::Cascade));
        for ident in column_names {
            let col = names::fold(ident);
            // A column of a table created in this file, or added in it, holds no data clients use yet.
            let Some((table, column)) = removals::existing_column(cx, &q, &col) else { continue };
            let label = removals::column_label(&table.name, &col);
            let sql = format!(
                "ALTER TABLE {} DROP COLUMN {}{}",
                removals::qualified(&table.name),
                quote_ident(&col),
                if cascade { " CASCADE" } else { "" }
            );
            let others = removals::parse_one(&sql)
                .map(|stmt| removals::gone_with(cx, &stmt, |g| g.kind == "column" && g.name == label))
                .unwrap_or_default();
            let at = removals::find_seq(cx, &["DROP", "?COLUMN", "?IF", "?EXISTS", &col], 0).unwrap_or(cx.span);
            out.push(
                Finding::new(format!(
                    "ALTER TABLE {} DROP COLUMN {} deletes the column ({}) and its data: clients that still read or \
                     write it fail{}",
                    relation_name(&table.name),
                    quote_ident(&col),
                    column.ty.display(),
                    removals::also_drops(&others)
                ))
                .at(at)
                .help("Deploy code that no longer uses the column first, then drop it and silence this rule on the statement."),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::tests::findings;

    #[test]
    fn attributes_of_a_composite_type_in_use() {
        let sql = "-- file: 002_address.sql\n\
                   CREATE TYPE address AS (street text, city text);\n\
                   ALTER TABLE orders ADD COLUMN ship_to address;\n\
                   -- file: 003_drop.sql\n\
                   ALTER TYPE address DROP ATTRIBUTE city;\n";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].message.contains("DROP ATTRIBUTE city") && found[0].message.contains("orders.ship_to"),
            "{}",
            found[0].message
        );
        // The same in the file that creates the type: no value of it is stored yet.
        let same_file = "CREATE TYPE address AS (street text, city text);\nALTER TYPE address DROP ATTRIBUTE city;\n";
        assert!(findings(&RULE, same_file).is_empty());
    }

    #[test]
    fn lists_the_indexes_and_constraints_that_go_with_the_column() {
        let found = findings(&RULE, RULE.bad);
        assert_eq!(found.len(), 1);
        let m = &found[0].message;
        assert!(m.contains("index orders_coupon_idx"), "{m}");
        assert!(m.contains("unique constraint orders_customer_id_coupon_key on orders"), "{m}");
        assert!(!m.contains("orders_pkey"), "{m}");
    }

    #[test]
    fn columns_new_in_the_file_are_not_reported() {
        let sql = "ALTER TABLE orders ADD COLUMN note text;\nALTER TABLE orders DROP COLUMN note;\n\
                   CREATE TABLE scratch (a int, b int);\nALTER TABLE scratch DROP COLUMN b;";
        assert!(findings(&RULE, sql).is_empty());
    }

    #[test]
    fn every_column_of_a_statement_is_reported_at_its_own_action() {
        let sql = "ALTER TABLE orders DROP COLUMN coupon, DROP COLUMN customer_id;";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 2);
        assert!(found[1].message.contains("customer_id"));
        assert!(found[0].span.start < found[1].span.start);
    }

    #[test]
    fn cascade_lists_views_elsewhere() {
        let sql = "-- file: 002_view.sql\nCREATE VIEW coupons AS SELECT coupon FROM orders;\n\
                   -- file: 003_drop.sql\nALTER TABLE orders DROP COLUMN coupon CASCADE;";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("view coupons"), "{}", found[0].message);
    }

    #[test]
    fn the_split_alter_table_shape_is_read_too() {
        let sql = "ALTER TABLE orders ALTER COLUMN id SET STATISTICS 100, DROP COLUMN coupon;";
        assert_eq!(findings(&RULE, sql).len(), 1);
    }
}
