//! `DROP INDEX` without `CONCURRENTLY` on a table in use blocks every query on the table.

use sqlparser::ast::{ObjectType, Statement};

use super::table_ops::{Env, after, word_span};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::quote_ident;
use crate::diagnostic::Severity;
use crate::sql::parse::Parsed;

pub const RULE: Rule = Rule {
    id: "require-concurrent-index-deletion",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the index's table",
    why: "A plain DROP INDEX locks the table it belongs to in ACCESS EXCLUSIVE mode. The drop itself is quick, but \
          it first waits for every transaction using the table to finish, and meanwhile every new query on the \
          table queues behind it. DROP INDEX CONCURRENTLY waits for those transactions without blocking anyone. \
          Indexes of tables created earlier in the same file are not reported.",
    setup: "CREATE TABLE orders (id bigint PRIMARY KEY, status text);\n\
            CREATE INDEX orders_status_idx ON orders (status);",
    bad: "DROP INDEX orders_status_idx;",
    good: "-- no-transaction\n\
           DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;\n",
    fix: "Write DROP INDEX CONCURRENTLY (one index per statement, no CASCADE), in a migration that does not run \
          inside a transaction: mark the file `-- no-transaction` (sqlx), `-- +goose NO TRANSACTION` or \
          `-- migrate:up transaction:false` (dbmate), or run the folder with `--runner psql`.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Parsed::Statement(stmt, extras) = cx.parsed else { return };
    let Statement::Drop { object_type: ObjectType::Index, names, cascade, .. } = &**stmt else { return };
    if extras.concurrently {
        return;
    }
    let env = Env::of(cx);
    for name in names {
        let Some((index, on)) = env.existing_index(name) else { continue };
        let at = word_span(cx, "INDEX", 0).unwrap_or(cx.span);
        let mut finding = Finding::new(format!(
            "DROP INDEX {} takes an ACCESS EXCLUSIVE lock on {on}: every query on it waits for the drop, and the drop \
             waits for every open transaction that uses it",
            quote_ident(&index.name),
        ))
        .help("Use DROP INDEX CONCURRENTLY, outside a transaction.");
        if names.len() == 1 && !cascade {
            finding = finding.fix("Add CONCURRENTLY", after(at), " CONCURRENTLY");
        }
        out.push(finding.at(at));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::findings;

    #[test]
    fn indexes_created_in_the_file_are_fine() {
        let sql = "CREATE INDEX orders_id_idx ON orders (id);\nDROP INDEX orders_id_idx;";
        assert!(findings(&RULE, sql).is_empty());
        let sql = "CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);\nDROP INDEX t_a;";
        assert!(findings(&RULE, sql).is_empty());
    }

    #[test]
    fn an_index_of_a_materialized_view_in_use() {
        let sql = "-- file: 002_totals.sql\n\
                   CREATE MATERIALIZED VIEW totals AS SELECT status, count(*) AS n FROM orders GROUP BY status;\n\
                   CREATE INDEX totals_status ON totals (status);\n\
                   -- file: 003_drop.sql\n\
                   DROP INDEX totals_status;\n";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("lock on materialized view totals"), "{}", found[0].message);
    }

    #[test]
    fn the_fix_adds_concurrently() {
        let found = findings(&RULE, RULE.bad);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].fix.as_ref().map(|f| f.replacement.as_str()), Some(" CONCURRENTLY"));
    }
}
