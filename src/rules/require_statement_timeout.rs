//! A statement that may run long while it holds a lock that blocks traffic, in a file that set no
//! `statement_timeout`.

use super::require_lock_timeout::{Setting, alias_ignored, article, first_unguarded, start_of, statement_kind};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "require-statement-timeout",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "A statement that locks an existing table, with no SET statement_timeout earlier in the file",
    why: "A lock held by a migration lasts as long as the statement: a scan, a table rewrite or an index build on \
          a large table can hold it for minutes, and reads or writes of the table wait all that time. \
          `SET statement_timeout = '5s'` at the top of the migration bounds the damage: the statement is \
          cancelled, the migration fails and can be reworked (or the timeout raised on purpose for it). The rule \
          reports the first statement of a file that takes a lock blocking reads or writes on a table that \
          existed before the file, with no statement_timeout in force; like require-lock-timeout it follows \
          SET … = 0, DEFAULT, RESET and SET LOCAL outside a transaction, and \
          `-- squawk-ignore require-timeout-settings` silences it too.",
    setup: "CREATE TABLE orders (id bigint PRIMARY KEY, status text);",
    bad: "CREATE INDEX orders_status_idx ON orders (status);",
    good: "SET lock_timeout = '1s';\n\
           SET statement_timeout = '5s';\n\
           ALTER TABLE orders ADD COLUMN shipped_at timestamptz;\n",
    fix: "Start the migration with `SET statement_timeout = '5s';` (or what the migration may take), next to \
          `SET lock_timeout`.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(lock) = first_unguarded(cx, Setting::StatementTimeout) else { return };
    if alias_ignored(cx) {
        return;
    }
    out.push(
        Finding::new(format!(
            "{} holds {} {} lock on {} with no statement_timeout set in this file: if it runs long, {} wait for \
             as long as it takes",
            statement_kind(cx),
            article(lock.mode),
            lock.mode.name(),
            lock.relation,
            lock.traffic
        ))
        .help("Set statement_timeout before it, e.g. SET statement_timeout = '5s'.")
        .fix("Set a statement timeout", start_of(cx), "SET statement_timeout = '5s';\n"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::findings;

    #[test]
    fn lock_timeout_alone_is_not_enough() {
        let sql = "SET lock_timeout = '1s';\nALTER TABLE orders ADD COLUMN a text;";
        assert_eq!(findings(&RULE, sql).len(), 1);
        let sql = "SET statement_timeout = '5s';\nALTER TABLE orders ADD COLUMN a text;";
        assert!(findings(&RULE, sql).is_empty());
    }
}
