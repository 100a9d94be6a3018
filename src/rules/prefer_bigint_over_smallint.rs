//! 16-bit integer columns run out of values.

use super::column_types::{How, bigint_spelling};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "prefer-bigint-over-smallint",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "smallint (int2, smallserial) columns run out of values quickly; use bigint",
    why: "A smallint column holds values up to 32,767: a counter, an id or a quantity reaches that in \
          production long before anyone expects it, and then every write of a larger value fails. Widening \
          the column later rewrites the table under an ACCESS EXCLUSIVE lock. The rule reads the type \
          PostgreSQL resolves: `int2`, `smallserial`, arrays and domains over smallint are seen too.",
    setup: "",
    bad: "CREATE TABLE products (\n    id bigint PRIMARY KEY,\n    stock smallint NOT NULL\n);",
    good: "CREATE TABLE products (\n    id bigint PRIMARY KEY,\n    stock bigint NOT NULL\n);",
    fix: "Declare the column bigint (bigserial for smallserial). When the range really is small, say so \
          with a CHECK constraint instead of relying on the type.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    for col in cx.typed_columns() {
        if col.base.name != "int2" || col.base.is_user() {
            continue;
        }
        let what = if col.serial { "smallserial (a 16-bit integer)".to_string() } else { col.describe("smallint") };
        let verb = if col.how == How::AlterType { "becomes" } else { "is" };
        let mut finding =
            Finding::new(format!("column {} {verb} {what}: it holds values up to 32,767 only", col.name()))
                .help("Use bigint; add a CHECK constraint if the range must stay small.")
                .at(col.at(cx));
        if col.direct()
            && let Some(span) = col.span
        {
            finding = finding.fix("Use bigint", span, bigint_spelling(col));
        }
        out.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn spellings() {
        let sql = "CREATE TABLE t (a smallint, b int2, c smallserial, d serial2, e int2[], f int, g bigint);";
        assert_eq!(findings(&RULE, sql).len(), 5);
    }

    #[test]
    fn domains_and_alter_type() {
        let sql = "CREATE DOMAIN qty AS smallint;\nCREATE TABLE t (a qty, b text);\nALTER TABLE t ALTER COLUMN b TYPE int2 USING 0;";
        assert_eq!(findings(&RULE, sql).len(), 2);
    }
}
