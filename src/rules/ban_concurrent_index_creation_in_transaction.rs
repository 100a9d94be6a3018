//! `CREATE INDEX CONCURRENTLY` inside a transaction block, which PostgreSQL rejects.

use sqlparser::ast::Statement;

use super::table_ops::{open_begin, word_span};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::analysis::Runner;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-concurrent-index-creation-in-transaction",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "CREATE INDEX CONCURRENTLY inside a transaction block fails",
    why: "CREATE INDEX CONCURRENTLY commits several transactions of its own while it builds, so PostgreSQL refuses \
          to run it inside a transaction block (`CREATE INDEX CONCURRENTLY cannot run inside a transaction \
          block`) and the migration fails. The rule knows how each file runs: in a file the runner wraps in a \
          transaction (the default `--runner transaction`, even for a one-statement file) the simulator also \
          reports PostgreSQL's error on the statement, and this finding tells how to fix it; in a file run \
          statement by statement it reports a CONCURRENTLY inside the file's own BEGIN … COMMIT, which a \
          linter that only sees the text cannot tell from a CONCURRENTLY after the COMMIT.",
    setup: "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);",
    bad: "-- no-transaction\n\
          BEGIN;\n\
          CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);\n\
          COMMIT;\n",
    good: "-- no-transaction\n\
           CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);\n",
    fix: "Remove the BEGIN/COMMIT around it, and make sure the runner does not wrap the file in a transaction \
          (`-- no-transaction`, `-- +goose NO TRANSACTION`, `-- migrate:up transaction:false`, or `--runner psql`). \
          Keep it in a migration of its own, so a failed build leaves nothing half-done but the invalid index to \
          drop.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(Statement::CreateIndex(index)) = cx.statement() else { return };
    if !index.concurrently {
        return;
    }
    let at = word_span(cx, "CONCURRENTLY", 0).unwrap_or(cx.span);
    if cx.file.runner == Runner::Transaction {
        // The simulator reports PostgreSQL's error on this statement too; this finding says why and what to do.
        out.push(
            Finding::new(
                "CREATE INDEX CONCURRENTLY in a file the runner runs in a transaction: PostgreSQL rejects it \
                 (\"cannot run inside a transaction block\") and the whole migration fails",
            )
            .help("Move it to a migration of its own marked to run outside a transaction (e.g. `-- no-transaction`).")
            .at(at),
        );
        return;
    }
    let Some(begin) = open_begin(cx) else { return };
    let line = cx
        .files
        .get(begin.file as usize)
        .map_or(0, |f| f.text.get(..begin.start as usize).map_or(0, |t| t.matches('\n').count()) + 1);
    out.push(
        Finding::new(format!(
            "CREATE INDEX CONCURRENTLY inside the transaction block opened by the BEGIN on line {line}: PostgreSQL \
             rejects it (\"cannot run inside a transaction block\")"
        ))
        .help("Remove the BEGIN/COMMIT around it, so it runs on its own.")
        .at(at),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Options, analyze};
    use crate::rules::tests::{example_files, findings};

    #[test]
    fn the_runner_s_transaction_is_reported_next_to_the_simulator_s_error() {
        let sql = "CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);";
        assert_eq!(findings(&RULE, sql).len(), 1);
        let analysis = analyze(example_files(RULE.setup, sql), &Options::default());
        assert!(
            analysis.diagnostics.iter().any(|d| d.rule == "postgres-error" && d.message.contains("transaction block")),
            "{:?}",
            analysis.diagnostics
        );
    }

    #[test]
    fn after_commit_it_is_fine() {
        let sql = "-- no-transaction\nBEGIN;\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON orders (customer_id);";
        assert!(findings(&RULE, sql).is_empty());
    }
}
