//! A BEGIN with no COMMIT by the end of a migration that runs statement by statement: psql rolls the open
//! transaction back when it exits.

use super::table_ops::{forward_migrations, tokens};
use super::{Check, Family, Finding, FolderCx, Rule};
use crate::analysis::Runner;
use crate::diagnostic::Severity;
use crate::span::Span;
use crate::sql::split::{PieceKind, split_range};

pub const RULE: Rule = Rule {
    id: "ban-uncommitted-transaction",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "BEGIN without a COMMIT before the end of the migration",
    why: "A migration that opens a transaction and never commits it loses everything after the BEGIN: when psql \
          (or any session) ends with a transaction open, PostgreSQL rolls it back — silently, after the migration \
          reported success. The rule looks at the statements of each migration as it runs: a BEGIN or START \
          TRANSACTION must be followed by COMMIT, END or ROLLBACK before the end of the file. In files the runner \
          wraps in its own transaction the runner's COMMIT ends it; transaction-nesting reports the BEGIN there.",
    setup: "CREATE TABLE orders (id bigint PRIMARY KEY, status text);",
    bad: "-- no-transaction\n\
          BEGIN;\n\
          ALTER TABLE orders ADD COLUMN shipped_at timestamptz;\n",
    good: "-- no-transaction\n\
           BEGIN;\n\
           ALTER TABLE orders ADD COLUMN shipped_at timestamptz;\n\
           COMMIT;\n",
    fix: "End the transaction with COMMIT at the end of the migration.",
    check: Check::Folder(check),
};

fn check(cx: &FolderCx<'_>, out: &mut Vec<Finding>) {
    // The runner each migration ran under, as the analysis decided it (once per file, not per check).
    let runners: rustc_hash::FxHashMap<u32, Runner> =
        cx.analysis.migrations.iter().map(|m| (m.file, m.runner)).collect();
    for (migration, _) in forward_migrations(cx) {
        let Some(file) = cx.analysis.files.get(migration.file as usize) else { continue };
        if runners.get(&migration.file) == Some(&Runner::Transaction) {
            continue;
        }
        let mut open: Option<Span> = None;
        for piece in split_range(&file.text, migration.body.clone()) {
            if piece.kind != PieceKind::Statement {
                continue;
            }
            let toks = tokens(file.text.get(piece.start..piece.end).unwrap_or(""));
            let Some(first) = toks.first() else { continue };
            let second = toks.get(1);
            if first.is("BEGIN") || (first.is("START") && second.is_some_and(|t| t.is("TRANSACTION"))) {
                open.get_or_insert(Span::new(migration.file, piece.start, piece.end));
            } else if first.is("COMMIT")
                || first.is("END")
                || first.is("ABORT")
                || (first.is("ROLLBACK") && !second.is_some_and(|t| t.is("TO")))
                || (first.is("PREPARE") && second.is_some_and(|t| t.is("TRANSACTION")))
            {
                open = None;
            }
        }
        if let Some(begin) = open {
            out.push(
                Finding::new(format!(
                    "the transaction opened here is never committed: when the session ends, PostgreSQL rolls back \
                     everything {} did after this BEGIN",
                    migration.name
                ))
                .help("Add COMMIT at the end of the migration.")
                .at(begin),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::findings;

    #[test]
    fn files_the_runner_wraps_are_left_to_transaction_nesting() {
        let sql = "BEGIN;\nALTER TABLE orders ADD COLUMN a text;\n";
        assert!(findings(&RULE, sql).is_empty());
    }

    #[test]
    fn rollback_ends_it_but_not_rollback_to_savepoint() {
        let sql = "-- no-transaction\nBEGIN;\nSAVEPOINT s;\nROLLBACK TO SAVEPOINT s;\n";
        assert_eq!(findings(&RULE, sql).len(), 1);
        let sql = "-- no-transaction\nBEGIN;\nROLLBACK;\n";
        assert!(findings(&RULE, sql).is_empty());
    }
}
