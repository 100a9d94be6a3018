//! `CREATE INDEX` without `CONCURRENTLY` on a table that is in use blocks its writes.

use sqlparser::ast::Statement;

use super::{Check, Family, Finding, Rule, StatementCx};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "require-concurrent-index-creation",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "CREATE INDEX without CONCURRENTLY blocks writes to the table while the index builds",
    why: "A plain CREATE INDEX takes a SHARE lock: reads go on, but every INSERT, UPDATE and DELETE on the \
          table waits until the whole index is built, which takes minutes on a large table. \
          CREATE INDEX CONCURRENTLY builds it without blocking writes. Tables created earlier in the same file \
          are empty and unseen by other sessions, so they are not reported.",
    setup: "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL);",
    bad: "CREATE INDEX orders_customer_id_idx ON orders (customer_id);",
    good: "-- no-transaction\n\
           CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);\n",
    fix: "Write CREATE INDEX CONCURRENTLY, in a migration of its own that does not run inside a transaction \
          (CONCURRENTLY cannot): mark the file `-- no-transaction` (sqlx), `-- +goose NO TRANSACTION` or \
          `-- migrate:up transaction:false` (dbmate), or run the folder with `--runner psql`.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(Statement::CreateIndex(index)) = cx.statement() else { return };
    if index.concurrently {
        return;
    }
    let message = if let Some(table) = cx.existing_table(&index.table_name) {
        format!(
            "CREATE INDEX on {} takes a SHARE lock: writes to the table wait until the index is built",
            crate::catalog::names::relation_name(&table.name)
        )
    } else {
        let q = cx.resolve(&index.table_name);
        let in_use = cx.before.views.get(&q).is_some_and(|v| v.materialized) && cx.file.start.views.contains_key(&q);
        if !in_use {
            return;
        }
        format!(
            "CREATE INDEX on materialized view {} takes a SHARE lock: REFRESH MATERIALIZED VIEW waits until the \
             index is built",
            crate::catalog::names::relation_name(&q)
        )
    };
    let at = cx.find("INDEX");
    let insert_at = crate::span::Span::new(at.file, at.end as usize, at.end as usize);
    out.push(Finding::new(message).help("Use CREATE INDEX CONCURRENTLY, outside a transaction.").fix(
        "Add CONCURRENTLY",
        insert_at,
        " CONCURRENTLY",
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::findings;

    #[test]
    fn a_table_created_earlier_in_the_same_file_is_not_reported() {
        let same_file = "CREATE TABLE invoices (id bigint PRIMARY KEY, customer_id bigint);\n\
                         CREATE INDEX invoices_customer_id_idx ON invoices (customer_id);\n";
        assert!(findings(&RULE, same_file).is_empty(), "{:?}", findings(&RULE, same_file));
        // `orders` comes from the setup, an earlier migration: it is in use, so the index is reported.
        let found = findings(&RULE, "CREATE INDEX orders_customer_id_idx ON orders (customer_id);\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("orders"), "{}", found[0].message);
        let earlier = "-- file: 002_invoices.sql\n\
                       CREATE TABLE invoices (id bigint PRIMARY KEY, customer_id bigint);\n\
                       -- file: 003_index.sql\n\
                       CREATE INDEX invoices_customer_id_idx ON invoices (customer_id);\n";
        let found = findings(&RULE, earlier);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("invoices"), "{}", found[0].message);
    }

    #[test]
    fn materialized_views_in_use_too() {
        let view = "CREATE MATERIALIZED VIEW totals AS \
                    SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id;\n";
        let same_file = format!("{view}CREATE UNIQUE INDEX totals_customer ON totals (customer_id);\n");
        assert!(findings(&RULE, &same_file).is_empty());
        let earlier = format!(
            "-- file: 002_totals.sql\n{view}-- file: 003_index.sql\nCREATE UNIQUE INDEX totals_customer ON totals (customer_id);\n"
        );
        let found = findings(&RULE, &earlier);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("materialized view totals"), "{}", found[0].message);
    }
}
