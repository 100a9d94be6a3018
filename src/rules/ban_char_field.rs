//! `char(n)` pads with spaces.

use super::column_types::How;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-char-field",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "char(n) / character(n) columns: use text (or varchar)",
    why: "`char(n)` (`character(n)`, `bpchar`, and plain `char`, which means char(1)) pads every value with \
          spaces to n characters, ignores trailing spaces when comparing, and strips them when casting to \
          text: 'ab' and 'ab ' are equal, length() disagrees with octet_length(), and values read back are \
          not the ones written. It is not faster or smaller than text. The single-byte internal type \
          `\"char\"` (quoted) is a different type and is not reported.",
    setup: "",
    bad: "CREATE TABLE countries (\n    code char(2) PRIMARY KEY,\n    name text NOT NULL\n);",
    good: "CREATE TABLE countries (\n    code text PRIMARY KEY CHECK (length(code) = 2),\n    name text NOT NULL\n);",
    fix: "Declare the column text, with a CHECK constraint when the length matters.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    for col in cx.typed_columns() {
        if col.base.name != "bpchar" || col.base.is_user() {
            continue;
        }
        let spelled = match col.base.mods.first() {
            Some(n) => format!("character({n})"),
            None => "bpchar".to_string(),
        };
        let verb = if col.how == How::AlterType { "becomes" } else { "is" };
        out.push(
            Finding::new(format!(
                "column {} {verb} {}: values are padded with spaces and trailing spaces are ignored when compared",
                col.name(),
                col.describe(&spelled)
            ))
            .help("Use text, with a CHECK constraint on the length if it matters.")
            .at(col.at(cx)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn spellings() {
        let sql =
            "CREATE TABLE t (a char, b char(2), c character(3), d bpchar, e \"char\", f varchar(2), g char(2)[]);";
        assert_eq!(findings(&RULE, sql).len(), 5);
    }
}
