//! 32-bit integer columns run out of values.

use super::column_types::{How, bigint_spelling};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "prefer-bigint-over-int",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "integer (int, int4, serial) columns can run out of values; use bigint",
    why: "An integer column holds values up to 2,147,483,647. Ids, counters and foreign keys to them reach \
          that sooner than expected, and then every INSERT fails. Widening the column later is an \
          ALTER COLUMN TYPE that rewrites the table and its indexes under an ACCESS EXCLUSIVE lock. bigint \
          costs four more bytes per value and does not run out. The rule reads the type PostgreSQL \
          resolves, so `serial`, `int4`, `pg_catalog.int4`, integer arrays and domains over integer are all \
          seen.",
    setup: "",
    bad: "CREATE TABLE orders (\n    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    customer_id int NOT NULL\n);",
    good: "CREATE TABLE orders (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    customer_id bigint NOT NULL\n);",
    fix: "Declare the column bigint (bigserial for serial). For a column that already exists and holds data, \
          plan the change: add a bigint column, backfill it in batches, then swap.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    for col in cx.typed_columns() {
        if col.base.name != "int4" || col.base.is_user() {
            continue;
        }
        let what = if col.serial { "serial (a 32-bit integer)".to_string() } else { col.describe("integer") };
        let limit = if col.identity || col.serial {
            "its sequence stops at 2,147,483,647 and every INSERT fails after that"
        } else {
            "it holds values up to 2,147,483,647 only"
        };
        let verb = match col.how {
            How::AlterType => "becomes",
            _ => "is",
        };
        let mut finding = Finding::new(format!("column {} {verb} {what}: {limit}", col.name()))
            .help("Use bigint, which does not run out.")
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

    fn count(sql: &str) -> usize {
        findings(&RULE, sql).len()
    }

    #[test]
    fn every_spelling_of_integer_is_seen_once() {
        let sql = "CREATE TABLE t (a int, b integer, c int4, d serial, e serial4, f pg_catalog.int4, g \"int4\", h int[], i bigint, j smallint, k bigserial);";
        assert_eq!(count(sql), 8);
    }

    #[test]
    fn domains_over_integer_are_seen() {
        let sql = "CREATE DOMAIN cents AS integer CHECK (VALUE >= 0);\nCREATE TABLE t (price cents, total bigint);";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("domain cents"), "{}", found[0].message);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn add_column_and_alter_type() {
        let sql = "CREATE TABLE t (id bigint);\nALTER TABLE t ADD COLUMN n int, ALTER COLUMN id TYPE integer;";
        assert_eq!(count(sql), 2);
        // Retyped twice in one statement: the last type counts.
        let sql = "CREATE TABLE t (id bigint, n text);\nALTER TABLE t ALTER COLUMN n TYPE int USING 0, ALTER COLUMN n TYPE bigint;";
        assert_eq!(count(sql), 0);
    }

    #[test]
    fn the_fix_keeps_arrays_and_serial() {
        let found = findings(&RULE, "CREATE TABLE t (a serial, b int[] NOT NULL);");
        let fixes: Vec<&str> = found.iter().filter_map(|d| d.fix.as_ref()).map(|f| f.replacement.as_str()).collect();
        assert_eq!(fixes, ["bigserial", "bigint[]"]);
    }
}
