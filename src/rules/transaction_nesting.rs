//! BEGIN / COMMIT in a file the runner already runs in a transaction, or that do not match the file's own
//! transaction blocks.

use super::table_ops::{open_begin, tokens};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::analysis::Runner;
use crate::diagnostic::Severity;
use crate::span::Span;
use crate::sql::parse::Parsed;

pub const RULE: Rule = Rule {
    id: "transaction-nesting",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "BEGIN or COMMIT in a migration the runner already wraps in a transaction, or that matches no transaction",
    why: "Most runners (the default `--runner transaction`: psql -1, Flyway, sqlx, a Go runner executing the file) \
          run each migration file in a transaction of their own. A BEGIN inside it does nothing but warn \
          (`there is already a transaction in progress`), and a COMMIT ends the runner's transaction early: \
          every statement after it runs on its own, so a failure later leaves the migration half-applied and the \
          runner's bookkeeping out of step. The rule knows how each file runs (the folder's runner, and markers \
          such as `-- no-transaction`); in files run statement by statement it reports a BEGIN inside an open \
          BEGIN and a COMMIT or ROLLBACK with no transaction open.",
    setup: "",
    bad: "BEGIN;\nCREATE TABLE audit_log (id bigint PRIMARY KEY, entry text NOT NULL);\nCOMMIT;\n",
    good: "CREATE TABLE audit_log (id bigint PRIMARY KEY, entry text NOT NULL);\n",
    fix: "Remove the BEGIN and COMMIT: the runner's transaction already makes the file all-or-nothing. When the \
          file must not run in a transaction, mark it (`-- no-transaction`, `-- +goose NO TRANSACTION`, \
          `-- migrate:up transaction:false`) and manage the transaction yourself.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Parsed::NoEffect { .. } = cx.parsed else { return };
    let toks = tokens(cx.text);
    let Some(first) = toks.first() else { return };
    let opens = first.is("BEGIN") || (first.is("START") && toks.get(1).is_some_and(|t| t.is("TRANSACTION")));
    let rollback = first.is("ROLLBACK") || first.is("ABORT");
    let closes = first.is("COMMIT") || first.is("END") || rollback;
    if rollback && (toks.get(1).is_some_and(|t| t.is("TO")) || toks.iter().any(|t| t.is("PREPARED"))) {
        return;
    }
    if !opens && !closes {
        return;
    }
    let word = match first {
        super::table_ops::Tok::Word(w) => w.clone(),
        _ => return,
    };
    // Not `cx.file.explicit_transaction`: ROLLBACK TO SAVEPOINT keeps the transaction open.
    let explicit = open_begin(cx).is_some();
    if cx.file.runner == Runner::Transaction {
        let message = if opens {
            format!(
                "{word} inside the transaction the runner wraps this file in: PostgreSQL only warns \"there is \
                 already a transaction in progress\", and the statements still run in the runner's transaction"
            )
        } else if rollback {
            format!(
                "{word} ends the runner's transaction: everything before it is undone, and every statement after it \
                 runs on its own, outside any transaction"
            )
        } else {
            format!(
                "{word} commits the runner's transaction early: every statement after it runs on its own, so a \
                 failure later leaves this migration half-applied"
            )
        };
        out.push(Finding::new(message).help("Remove it: the runner already runs the file in one transaction.").fix(
            format!("Remove {word}"),
            with_terminator(cx),
            "",
        ));
    } else if opens && explicit {
        out.push(
            Finding::new(format!(
                "{word} inside a transaction this file already opened: PostgreSQL only warns \"there is already a \
                 transaction in progress\", and the first COMMIT ends both"
            ))
            .help("Remove the inner BEGIN, or COMMIT the first transaction before it."),
        );
    } else if closes && !explicit {
        out.push(
            Finding::new(format!(
                "{word} with no transaction open: the statements before it already ran on their own (PostgreSQL \
                 warns \"there is no transaction in progress\")"
            ))
            .help("Add the matching BEGIN, or remove this statement."),
        );
    }
}

/// The statement with its `;` and the rest of its line, when only whitespace follows.
fn with_terminator(cx: &StatementCx<'_>) -> Span {
    let text = cx.file.text;
    let mut end = cx.span.end as usize;
    let rest = text.get(end..).unwrap_or("");
    let trimmed = rest.trim_start_matches([' ', '\t']);
    if trimmed.starts_with(';') {
        end += rest.len() - trimmed.len() + 1;
        let after = text.get(end..).unwrap_or("");
        let line_rest = after.trim_start_matches([' ', '\t']);
        if line_rest.starts_with('\n') {
            end += after.len() - line_rest.len() + 1;
        } else if line_rest.starts_with("\r\n") {
            end += after.len() - line_rest.len() + 2;
        }
    }
    Span::new(cx.span.file, cx.span.start as usize, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::findings;

    #[test]
    fn the_fix_removes_the_whole_line() {
        let found = findings(&RULE, "BEGIN;\nSELECT 1;\n");
        assert_eq!(found.len(), 1);
        let fix = found[0].fix.as_ref().map(|f| (f.span.start, f.span.end));
        assert_eq!(fix, Some((0, 7)));
    }

    #[test]
    fn statement_by_statement_only_mismatches_count() {
        assert!(findings(&RULE, "-- no-transaction\nBEGIN;\nSELECT 1;\nCOMMIT;\nBEGIN;\nROLLBACK;").is_empty());
        assert_eq!(findings(&RULE, "-- no-transaction\nBEGIN;\nBEGIN;\nCOMMIT;\nCOMMIT;").len(), 2);
    }

    #[test]
    fn savepoints_are_fine() {
        let sql = "-- no-transaction\nBEGIN;\nSAVEPOINT s;\nROLLBACK TO SAVEPOINT s;\nCOMMIT;";
        assert!(findings(&RULE, sql).is_empty());
    }
}
