//! `CREATE DOMAIN … CHECK (…)` / `NOT NULL`: constraints that are hard to change once tables use the domain.

use sqlparser::ast::Statement;

use super::table_ops::word_span;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::object_name;
use crate::diagnostic::Severity;
use crate::sql::parse::Parsed;

pub const RULE: Rule = Rule {
    id: "ban-create-domain-with-constraint",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "CREATE DOMAIN with a CHECK or NOT NULL constraint is hard to change once tables use it",
    why: "A domain's constraint applies to every column of that type, in every table. Changing it later is \
          costly: ALTER DOMAIN … ADD CONSTRAINT checks every such column of every table while holding locks, \
          there is no way to add it NOT VALID to one table at a time, and dropping the constraint affects all of \
          them at once. A domain's NOT NULL is also not enforced everywhere (an outer join or a composite value \
          can still hold NULL). CHECK constraints on the tables' columns can be added NOT VALID, validated and \
          changed table by table.",
    setup: "",
    bad: "CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');",
    good: "CREATE DOMAIN email AS text;\n\
           CREATE TABLE users (id bigint PRIMARY KEY, email email CHECK (email LIKE '%@%'));\n",
    fix: "Create the domain without constraints (or use the base type) and put the CHECK or NOT NULL on the columns \
          that use it.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Parsed::Statement(stmt, extras) = cx.parsed else { return };
    let Statement::CreateDomain(domain) = &**stmt else { return };
    let what = match (domain.constraints.is_empty(), extras.domain_not_null) {
        (false, true) => "CHECK and NOT NULL constraints",
        (false, false) => "a CHECK constraint",
        (true, true) => "a NOT NULL constraint",
        (true, false) => return,
    };
    let at = if domain.constraints.is_empty() { word_span(cx, "NOT", 0) } else { word_span(cx, "CHECK", 0) };
    out.push(
        Finding::new(format!(
            "domain {} carries {what}: once columns use the domain, changing it locks and checks all of them at once",
            object_name(&domain.name)
        ))
        .help("Create the domain without constraints and put them on the columns, where they can be added NOT VALID.")
        .at(at.unwrap_or(cx.span)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::findings;

    #[test]
    fn not_null_counts_and_a_plain_domain_does_not() {
        assert_eq!(findings(&RULE, "CREATE DOMAIN positive AS int NOT NULL;").len(), 1);
        assert!(findings(&RULE, "CREATE DOMAIN plain AS int DEFAULT 0;").is_empty());
    }
}
