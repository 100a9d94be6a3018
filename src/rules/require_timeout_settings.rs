//! squawk's `require-timeout-settings`: both timeouts, reported together.

use super::require_lock_timeout::{Setting, article, first_unguarded, start_of, statement_kind};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "require-timeout-settings",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "A statement that locks an existing table, with lock_timeout or statement_timeout missing: one finding for both",
    why: "squawk accepts `require-timeout-settings` as a name for require-lock-timeout and require-statement-timeout \
          together: `-- squawk-ignore require-timeout-settings` silences both here as well. Turned on, this rule \
          reports the two missing settings as one finding, at the first statement of a file that takes a lock \
          blocking reads or writes on a table in use — for teams that prefer one finding per file (turn the two \
          others off then). See require-lock-timeout and require-statement-timeout for why both matter.",
    setup: "CREATE TABLE orders (id bigint PRIMARY KEY, status text);",
    bad: "SET lock_timeout = '1s';\nALTER TABLE orders ADD COLUMN shipped_at timestamptz;\n",
    good: "SET lock_timeout = '1s';\n\
           SET statement_timeout = '5s';\n\
           ALTER TABLE orders ADD COLUMN shipped_at timestamptz;\n",
    fix: "Start the migration with `SET lock_timeout = '1s';` and `SET statement_timeout = '5s';`.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let lock = first_unguarded(cx, Setting::LockTimeout);
    let statement = first_unguarded(cx, Setting::StatementTimeout);
    let (missing, insert) = match (&lock, &statement) {
        (Some(_), Some(_)) => {
            ("lock_timeout nor statement_timeout", "SET lock_timeout = '1s';\nSET statement_timeout = '5s';\n")
        }
        (Some(_), None) => ("lock_timeout", "SET lock_timeout = '1s';\n"),
        (None, Some(_)) => ("statement_timeout", "SET statement_timeout = '5s';\n"),
        (None, None) => return,
    };
    let Some(taken) = lock.or(statement) else { return };
    let neither = if missing.contains("nor") { "neither " } else { "no " };
    out.push(
        Finding::new(format!(
            "{} takes {} {} lock on {} with {neither}{missing} set in this file: it can queue {} behind it, or \
             hold them for as long as it runs",
            statement_kind(cx),
            article(taken.mode),
            taken.mode.name(),
            taken.relation,
            taken.traffic
        ))
        .help("Set the missing timeouts at the top of the migration.")
        .fix("Set the missing timeouts", start_of(cx), insert),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::findings;

    #[test]
    fn both_missing_make_one_finding() {
        let found = findings(&RULE, "ALTER TABLE orders ADD COLUMN a text;\nALTER TABLE orders ADD COLUMN b text;");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("neither lock_timeout nor statement_timeout"), "{}", found[0].message);
    }
}
