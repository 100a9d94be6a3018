//! `REINDEX` without `CONCURRENTLY` blocks writes to the table and reads that use the index.

use super::table_ops::{Env, after, object_name, reindex_target, tokens, word_span};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::{quote_ident, relation_name};
use crate::diagnostic::Severity;
use crate::sql::parse::Parsed;

pub const RULE: Rule = Rule {
    id: "require-concurrent-reindex",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "REINDEX without CONCURRENTLY blocks writes to the table, and reads that use the index, until it ends",
    why: "A plain REINDEX locks the index in ACCESS EXCLUSIVE mode and its table in SHARE mode while it rebuilds: \
          INSERT, UPDATE and DELETE wait, and so does every query that would use the index. Since PostgreSQL 12, \
          REINDEX … CONCURRENTLY builds the new index alongside the old one and swaps them, blocking neither \
          (it cannot run inside a transaction). Before PostgreSQL 12 (`pg-version`) nothing is reported. Indexes \
          and tables created earlier in the same file are not reported.",
    setup: "CREATE TABLE orders (id bigint PRIMARY KEY, status text);\n\
            CREATE INDEX orders_status_idx ON orders (status);",
    bad: "-- no-transaction\nREINDEX INDEX orders_status_idx;\n",
    good: "-- no-transaction\nREINDEX INDEX CONCURRENTLY orders_status_idx;\n",
    fix: "Write REINDEX … CONCURRENTLY, in a migration that does not run inside a transaction (`-- no-transaction`, \
          `-- +goose NO TRANSACTION`, `-- migrate:up transaction:false`, or `--runner psql`).",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    if cx.settings.pg_version < 12 {
        return;
    }
    let Parsed::NoEffect { what } = cx.parsed else { return };
    if what != "REINDEX" {
        return;
    }
    let toks = tokens(cx.text);
    if toks.iter().any(|t| t.is("CONCURRENTLY")) {
        return;
    }
    let Some((kind, parts)) = reindex_target(&toks) else { return };
    let env = Env::of(cx);
    let target = match kind.as_str() {
        "INDEX" => match env.existing_index(&object_name(&parts)) {
            Some((index, on)) => format!("index {} of {on}", quote_ident(&index.name)),
            None => return,
        },
        "TABLE" => match env.existing_table(&object_name(&parts)) {
            Some(table) => format!("every index of {}", relation_name(&table.name)),
            None => return,
        },
        "SCHEMA" | "DATABASE" => format!("every index of the {}", kind.to_lowercase()),
        _ => return,
    };
    let at = word_span(cx, &kind, 0).unwrap_or(cx.span);
    out.push(
        Finding::new(format!(
            "REINDEX rebuilds {target} under an ACCESS EXCLUSIVE lock on the index and a SHARE lock on the table: \
             writes, and reads that use the index, wait until it ends"
        ))
        .help("Use REINDEX … CONCURRENTLY, outside a transaction.")
        .fix("Add CONCURRENTLY", after(at), " CONCURRENTLY")
        .at(at),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::findings;

    #[test]
    fn tables_and_options() {
        assert_eq!(findings(&RULE, "-- no-transaction\nREINDEX TABLE orders;").len(), 1);
        assert!(findings(&RULE, "-- no-transaction\nREINDEX (VERBOSE, CONCURRENTLY) TABLE orders;").is_empty());
        let sql = "CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);\nREINDEX INDEX t_a;";
        assert!(findings(&RULE, sql).is_empty());
    }
}
