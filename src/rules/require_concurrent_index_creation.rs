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
    let Some(table) = cx.existing_table(&index.table_name) else { return };
    let at = cx.find("INDEX");
    let insert_at = crate::span::Span::new(at.file, at.end as usize, at.end as usize);
    out.push(
        Finding::new(format!(
            "CREATE INDEX on {} takes a SHARE lock: writes to the table wait until the index is built",
            crate::catalog::names::relation_name(&table.name)
        ))
        .help("Use CREATE INDEX CONCURRENTLY, outside a transaction.")
        .fix("Add CONCURRENTLY", insert_at, " CONCURRENTLY"),
    );
}
