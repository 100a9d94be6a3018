//! `DROP VIEW` / `DROP MATERIALIZED VIEW` breaks the clients that query the view.

use sqlparser::ast::{ObjectType, Statement};

use super::removals::{self, Replaced};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::relation_name;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-drop-view",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "DROP VIEW breaks clients that still query the view",
    why: "A view is an interface: clients and reports select from it by name. Once it is dropped their queries \
          fail, and with CASCADE every view built on it goes too; the message lists them, from the schema. A \
          view created earlier in the same file is not reported, and neither is the usual way of changing a \
          view's columns, DROP VIEW followed by CREATE VIEW of the same name in the same transaction (outside a \
          transaction clients see it missing in between, and that is reported).",
    setup: "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL, paid boolean NOT NULL);\n\
            CREATE VIEW paid_orders AS SELECT id, total FROM orders WHERE paid;\n",
    bad: "DROP VIEW paid_orders;",
    good: "-- Redefined in the same transaction: clients never see it missing.\n\
           DROP VIEW paid_orders;\n\
           CREATE VIEW paid_orders AS SELECT id, total, total * 0.2 AS tax FROM orders WHERE paid;\n",
    fix: "Keep the view while anything queries it; to change it, use CREATE OR REPLACE VIEW, or DROP and CREATE \
          it in the same transaction. When the drop is intended, silence the rule on that statement with \
          `-- schema-playground:ignore ban-drop-view`.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(stmt @ Statement::Drop { object_type, names, .. }) = cx.statement() else { return };
    let materialized = match object_type {
        ObjectType::View => false,
        ObjectType::MaterializedView => true,
        _ => return,
    };
    for (i, name) in names.iter().enumerate() {
        // A name listed twice is one object.
        if names[..i].contains(name) {
            continue;
        }
        let q = cx.resolve(name);
        let Some(view) = cx.before.views.get(&q) else { continue };
        if view.materialized != materialized || !cx.file.start.views.contains_key(&q) {
            continue;
        }
        let label = relation_name(&q);
        let others =
            removals::gone_with(cx, &removals::drop_one(stmt, name), |g| g.kind.ends_with("view") && g.name == label);
        let replaced = removals::replaced(cx, |s| matches!(s, Statement::CreateView(cv) if cx.resolve(&cv.name) == q));
        // Recreating it does not bring back what CASCADE took.
        if replaced == Replaced::InTransaction && others.is_empty() {
            continue;
        }
        let kind = if materialized { "MATERIALIZED VIEW" } else { "VIEW" };
        out.push(
            Finding::new(format!(
                "DROP {kind} {label} removes the view: clients that still query it fail{}{}",
                removals::also_drops(&others),
                if replaced == Replaced::WithGap { removals::GAP } else { "" }
            ))
            .at(removals::name_span(cx, name, 0))
            .help("Make sure nothing queries the view any more, or recreate it in the same transaction."),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::tests::findings;

    #[test]
    fn cascade_lists_the_views_built_on_it() {
        let sql = "-- file: 002_v.sql\nCREATE VIEW big_paid_orders AS SELECT id FROM paid_orders WHERE total > 100;\n\
                   -- file: 003_d.sql\nDROP VIEW paid_orders CASCADE;";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("it also drops view big_paid_orders"), "{}", found[0].message);
    }

    #[test]
    fn a_redefinition_outside_a_transaction_is_reported() {
        let sql = format!("-- no-transaction\n{}", RULE.good.lines().skip(1).collect::<Vec<_>>().join("\n"));
        let found = findings(&RULE, &sql);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("clients fail in between"), "{}", found[0].message);
    }

    #[test]
    fn views_new_in_the_file_are_not_reported() {
        let sql = "CREATE VIEW scratch AS SELECT 1 AS one;\nDROP VIEW scratch;\nDROP VIEW IF EXISTS nothing_here;";
        assert!(findings(&RULE, sql).is_empty());
    }
}
