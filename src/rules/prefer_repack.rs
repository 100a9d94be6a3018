//! `VACUUM FULL` and `CLUSTER` rewrite a table under an ACCESS EXCLUSIVE lock.

use super::table_ops::tokens;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::relation_name;
use crate::diagnostic::Severity;
use crate::locks::{self, Work};
use crate::sql::parse::Parsed;

pub const RULE: Rule = Rule {
    id: "prefer-repack",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "VACUUM FULL and CLUSTER rewrite the table under an ACCESS EXCLUSIVE lock",
    why: "VACUUM FULL and CLUSTER copy the whole table into new files and rebuild its indexes while they hold an \
          ACCESS EXCLUSIVE lock: nothing can read or write the table until they finish, which on a large table \
          means minutes or hours. PostgreSQL 19 adds REPACK, which does the same work and can run concurrently; \
          before it, the pg_repack extension's command-line tool does it online. Either way this is maintenance to \
          run outside the migrations. The finding names the PostgreSQL version of the project (`pg-version`). \
          Tables created earlier in the same file are not reported.",
    setup: "CREATE TABLE events (id bigint PRIMARY KEY, payload jsonb);",
    bad: "CLUSTER events USING events_pkey;",
    good: "-- Compact the table online, outside the migrations:\n\
           --   PostgreSQL 19 and later: REPACK (CONCURRENTLY) events;\n\
           --   before: pg_repack --table=events\n\
           ANALYZE events;\n",
    fix: "Remove the statement from the migration and compact the table online: REPACK with CONCURRENTLY on \
          PostgreSQL 19 and later, the pg_repack tool before.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Parsed::NoEffect { what } = cx.parsed else { return };
    let command = match what.as_str() {
        "VACUUM" if tokens(cx.text).iter().any(|t| t.is("FULL")) => "VACUUM FULL",
        "CLUSTER" => "CLUSTER",
        _ => return,
    };
    // The tables it rewrites that were in use before the file (`check --explain-locks`' analysis).
    let mut rewritten = locks::analyze(cx.parsed, cx.text, cx.before, cx.settings.pg_version);
    locks::mark_new(&mut rewritten, &cx.file.start);
    rewritten.retain(|l| l.blocks_anyone() && l.work == Work::Rewrite);
    let relation = match rewritten.as_slice() {
        [] => return,
        [one] => relation_name(&one.relation),
        [first, rest @ ..] => {
            let s = if rest.len() == 1 { "" } else { "s" };
            format!("{} and {} other table{s}", relation_name(&first.relation), rest.len())
        }
    };
    let help = if cx.settings.pg_version >= 19 {
        "Use REPACK (CONCURRENTLY) instead, outside the migration."
    } else {
        "Compact the table online with the pg_repack tool, outside the migrations (PostgreSQL 19 adds REPACK)."
    };
    out.push(
        Finding::new(format!(
            "{command} rewrites {relation} under an ACCESS EXCLUSIVE lock: reads and writes wait until it ends"
        ))
        .help(help)
        .at(super::table_ops::word_span(cx, what, 0).unwrap_or(cx.span)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::findings;

    #[test]
    fn vacuum_full_but_not_plain_vacuum() {
        assert_eq!(findings(&RULE, "-- no-transaction\nVACUUM (FULL, VERBOSE) events;").len(), 1);
        assert_eq!(findings(&RULE, "-- no-transaction\nVACUUM FULL;").len(), 1);
        assert!(findings(&RULE, "-- no-transaction\nVACUUM events;").is_empty());
    }

    #[test]
    fn new_tables_are_fine() {
        let sql = "CREATE TABLE t (id bigint PRIMARY KEY);\nCLUSTER t USING t_pkey;";
        assert!(findings(&RULE, sql).is_empty());
    }
}
