//! `varchar(n)`: changing the limit later takes an ACCESS EXCLUSIVE lock.

use super::column_types::How;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "prefer-text-field",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "varchar(n) columns: use text with a CHECK constraint on the length",
    why: "A varchar(n) column stores exactly what a text column stores; the limit is all it adds, and \
          changing the limit is an ALTER COLUMN TYPE that takes an ACCESS EXCLUSIVE lock on the table (and \
          rewrites it when the limit shrinks), blocking every read and write meanwhile. A text column with a \
          CHECK (length(col) <= n) constraint enforces the same limit, and the constraint can be replaced \
          without blocking: add the new one NOT VALID, VALIDATE it, drop the old one. varchar without a \
          length is text under another name and is not reported; arrays and domains over varchar(n) are.",
    setup: "",
    bad: "CREATE TABLE customers (\n    id bigint PRIMARY KEY,\n    email varchar(255) NOT NULL\n);",
    good: "CREATE TABLE customers (\n    id bigint PRIMARY KEY,\n    email text NOT NULL CHECK (length(email) <= 255)\n);",
    fix: "Declare the column text and put the limit in a CHECK constraint: \
          `email text NOT NULL CHECK (length(email) <= 255)`.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    for col in cx.typed_columns() {
        if col.base.name != "varchar" || col.base.is_user() {
            continue;
        }
        let Some(limit) = col.base.mods.first() else { continue };
        let what = col.describe(&format!("character varying({limit})"));
        let message = match col.how {
            How::AlterType => format!(
                "column {} becomes {what}: this ALTER COLUMN TYPE, and every later change of the limit, takes an ACCESS EXCLUSIVE lock on {}",
                col.name(),
                col.table
            ),
            _ => format!(
                "column {} is {what}: changing the limit later takes an ACCESS EXCLUSIVE lock on {} and blocks all reads and writes",
                col.name(),
                col.table
            ),
        };
        out.push(
            Finding::new(message)
                .help(format!(
                    "Use text with CHECK (length({}) <= {limit}); a constraint can be replaced without blocking.",
                    crate::catalog::names::quote_ident(&col.column)
                ))
                .at(col.at(cx)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn spellings_with_a_limit_only() {
        let sql = "CREATE TABLE t (a varchar(5), b character varying(5), c varchar, d text, e varchar(3)[], f char varying(2));";
        assert_eq!(findings(&RULE, sql).len(), 4);
    }

    #[test]
    fn domains_and_alter_type() {
        let sql = "CREATE DOMAIN code AS varchar(10);\nCREATE TABLE t (a code, b text);\nALTER TABLE t ALTER COLUMN b TYPE varchar(20);";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 2);
        assert!(found[0].message.contains("domain code"));
        assert!(found[1].message.contains("this ALTER COLUMN TYPE"));
    }
}
