//! `ALTER COLUMN … SET NOT NULL` on a table in use: a full scan under an ACCESS EXCLUSIVE lock, unless a
//! validated `CHECK (col IS NOT NULL)` already proves it (PostgreSQL 12+).

use sqlparser::ast::{AlterColumnOperation, AlterTableOperation};

use super::table_ops::{alter_ops, column_label, find_word, word_span};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::model::{ConstraintKind, Table};
use crate::catalog::names::{quote_ident, relation_name};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "adding-not-nullable-field",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "SET NOT NULL on an existing table scans every row under an ACCESS EXCLUSIVE lock, unless a validated CHECK (col IS NOT NULL) proves it",
    why: "ALTER COLUMN … SET NOT NULL reads the whole table to make sure no row holds NULL, and holds an ACCESS \
          EXCLUSIVE lock meanwhile: every read and write of the table waits for the scan. Since PostgreSQL 12 the \
          scan is skipped when a valid CHECK constraint already proves the column is never NULL. So the safe \
          sequence is: add `CHECK (col IS NOT NULL) NOT VALID` (instant), `VALIDATE CONSTRAINT` (scans, but \
          under a lock that lets reads and writes go on), then SET NOT NULL (instant) and drop the CHECK. The rule \
          reads the table's constraints as the schema holds them before the statement, so the pattern is \
          recognised even when the CHECK was added and validated in earlier migrations. A constraint that is still \
          NOT VALID does not count, nor does any before PostgreSQL 12 (`pg-version`). Tables created earlier in \
          the same file are empty and are not reported.",
    setup: "CREATE TABLE users (id bigint PRIMARY KEY, email text);",
    bad: "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
    good: "-- file: 002_check_email.sql\n\
           ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;\n\
           -- file: 003_validate_email.sql\n\
           ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;\n\
           -- file: 004_email_not_null.sql\n\
           ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n\
           ALTER TABLE users DROP CONSTRAINT users_email_not_null;\n",
    fix: "Add `CONSTRAINT name CHECK (col IS NOT NULL) NOT VALID`, validate it in a later migration, then SET NOT \
          NULL (PostgreSQL 12 and later skip the scan) and drop the CHECK constraint.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some((name, ops)) = alter_ops(cx.parsed) else { return };
    let Some(table) = cx.existing_table(&name) else { return };
    for op in ops {
        let AlterTableOperation::AlterColumn { column_name, op: AlterColumnOperation::SetNotNull } = op else {
            continue;
        };
        let column = crate::catalog::names::fold(column_name);
        // Already NOT NULL: nothing to check.
        if table.column(&column).is_some_and(|c| c.not_null) {
            continue;
        }
        let proof = not_null_check(table, &column);
        let label = column_label(table, &column);
        let (message, help) = match proof {
            Some((_, false)) if cx.settings.pg_version >= 12 => continue,
            Some((name, true)) => (
                format!(
                    "SET NOT NULL on {label} scans every row of {} under an ACCESS EXCLUSIVE lock: constraint {} \
                     would prove it, but it is still NOT VALID",
                    relation_name(&table.name),
                    quote_ident(name)
                ),
                format!(
                    "Run ALTER TABLE {} VALIDATE CONSTRAINT {} in an earlier migration first.",
                    relation_name(&table.name),
                    quote_ident(name)
                ),
            ),
            Some((_, false)) => (
                format!(
                    "SET NOT NULL on {label} scans every row of {} under an ACCESS EXCLUSIVE lock: PostgreSQL {} \
                     does not use the CHECK constraint to skip the scan (12 and later do)",
                    relation_name(&table.name),
                    cx.settings.pg_version
                ),
                "Keep the CHECK (col IS NOT NULL) constraint instead of SET NOT NULL until you run PostgreSQL 12 or later."
                    .to_string(),
            ),
            None => (
                format!(
                    "SET NOT NULL on {label} scans every row of {} under an ACCESS EXCLUSIVE lock: reads and \
                     writes wait until it ends",
                    relation_name(&table.name)
                ),
                format!(
                    "Add CHECK ({} IS NOT NULL) NOT VALID, validate it in a later migration, then SET NOT NULL.",
                    quote_ident(&column)
                ),
            ),
        };
        let from = find_word(cx.text, &column_name.value, 0).unwrap_or(0);
        let at = word_span(cx, "SET", from)
            .and_then(|set| word_span(cx, "NULL", set.start as usize - cx.span.start as usize).map(|n| (set, n)))
            .map_or(cx.span, |(set, null)| crate::span::Span::new(set.file, set.start as usize, null.end as usize));
        out.push(Finding::new(message).help(help).at(at));
    }
}

/// A CHECK constraint of `table` that says exactly `column IS NOT NULL`: its name and whether it is
/// still NOT VALID (a valid one is preferred).
pub(super) fn not_null_check<'t>(table: &'t Table, column: &str) -> Option<(&'t str, bool)> {
    let wanted = format!("{} IS NOT NULL", quote_ident(column));
    let mut found: Option<(&str, bool)> = None;
    for c in &table.constraints {
        let ConstraintKind::Check { expr, .. } = &c.kind else { continue };
        if strip_parens(expr) != wanted {
            continue;
        }
        if found.is_none_or(|(_, not_valid)| not_valid && !c.not_valid) {
            found = Some((&c.name, c.not_valid));
        }
    }
    found
}

fn strip_parens(mut s: &str) -> &str {
    loop {
        let t = s.trim();
        match t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
            // Only when the parentheses enclose the whole expression: `(a) AND (b)` stays.
            Some(inner) if balanced(inner) => s = inner,
            _ => return t,
        }
    }
}

fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::findings;

    #[test]
    fn the_safe_pattern_in_one_file_is_recognised() {
        let sql = "ALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL) NOT VALID;\n\
                   ALTER TABLE users VALIDATE CONSTRAINT c;\n\
                   ALTER TABLE users ALTER COLUMN email SET NOT NULL;";
        assert!(findings(&RULE, sql).is_empty());
    }

    #[test]
    fn a_check_not_yet_validated_is_named() {
        let sql = "ALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL) NOT VALID;\n\
                   ALTER TABLE users ALTER COLUMN email SET NOT NULL;";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("NOT VALID"), "{}", found[0].message);
    }

    #[test]
    fn a_check_on_another_column_does_not_count() {
        let sql = "ALTER TABLE users ADD CONSTRAINT c CHECK (id IS NOT NULL);\n\
                   ALTER TABLE users ALTER COLUMN email SET NOT NULL;";
        assert_eq!(findings(&RULE, sql).len(), 1);
    }

    #[test]
    fn new_tables_and_columns_already_not_null_are_fine() {
        assert!(findings(&RULE, "ALTER TABLE users ALTER COLUMN id SET NOT NULL;").is_empty());
        let sql = "CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a SET NOT NULL;";
        assert!(findings(&RULE, sql).is_empty());
    }

    #[test]
    fn the_finding_points_at_set_not_null() {
        let found = findings(&RULE, RULE.bad);
        let files = crate::rules::tests::example_files(RULE.setup, RULE.bad);
        let text = &files[1].text;
        assert_eq!(&text[found[0].span.start as usize..found[0].span.end as usize], "SET NOT NULL");
    }

    #[test]
    fn parentheses() {
        assert_eq!(strip_parens("((a IS NOT NULL))"), "a IS NOT NULL");
        assert_eq!(strip_parens("(a) AND (b)"), "(a) AND (b)");
    }
}
