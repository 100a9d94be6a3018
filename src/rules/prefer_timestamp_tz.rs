//! `timestamp without time zone` loses the offset of the moments it stores.

use super::column_types::How;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "prefer-timestamp-tz",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "timestamp without time zone columns: use timestamptz",
    why: "A `timestamp` column stores a wall-clock reading with no zone: PostgreSQL drops the offset of \
          what it is given, so 2024-03-01 09:00+01 and 2024-03-01 09:00-05 are stored as the same value \
          although they are six hours apart, and what `now()` writes depends on the session's TimeZone. \
          `timestamptz` stores the instant (in UTC) and converts on output. It takes the same eight bytes. \
          Arrays and domains over timestamp are reported too.",
    setup: "",
    bad: "CREATE TABLE events (\n    id bigint PRIMARY KEY,\n    happened_at timestamp NOT NULL DEFAULT now()\n);",
    good: "CREATE TABLE events (\n    id bigint PRIMARY KEY,\n    happened_at timestamptz NOT NULL DEFAULT now()\n);",
    fix: "Declare the column timestamptz (`timestamp with time zone`). Converting an existing column \
          rewrites the table unless the session time zone is UTC (PostgreSQL 12+ then skips the rewrite).",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    for col in cx.typed_columns() {
        if col.base.name != "timestamp" || col.base.is_user() {
            continue;
        }
        let verb = if col.how == How::AlterType { "becomes" } else { "is" };
        let mut finding = Finding::new(format!(
            "column {} {verb} {}: the UTC offset of every value written is dropped",
            col.name(),
            col.describe("timestamp without time zone")
        ))
        .help("Use timestamptz, which stores the instant.")
        .at(col.at(cx));
        if col.direct()
            && let Some(span) = col.span
        {
            let precision = col.base.mods.first().map(|p| format!("({p})")).unwrap_or_default();
            let dims = "[]".repeat(col.written.matches('[').count().max(usize::from(col.array)));
            finding = finding.fix("Use timestamptz", span, format!("timestamptz{precision}{dims}"));
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
        let sql = "CREATE TABLE t (a timestamp, b timestamp(3) without time zone, c timestamptz, d timestamp with time zone, e timestamp[], f time, g date);";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 3);
        let fixes: Vec<&str> = found.iter().filter_map(|d| d.fix.as_ref()).map(|f| f.replacement.as_str()).collect();
        assert_eq!(fixes, ["timestamptz", "timestamptz(3)", "timestamptz[]"]);
    }

    #[test]
    fn domains() {
        let sql = "CREATE DOMAIN moment AS timestamp;\nCREATE TABLE t (a moment);";
        assert_eq!(findings(&RULE, sql).len(), 1);
    }
}
