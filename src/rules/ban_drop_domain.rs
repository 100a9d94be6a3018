//! `DROP DOMAIN` breaks what uses the domain, and with CASCADE drops the columns of that domain.

use sqlparser::ast::Statement;

use super::removals;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::qualified_type_name;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-drop-domain",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "DROP DOMAIN breaks what uses the domain; with CASCADE it drops the columns of that domain",
    why: "Columns, function arguments and client casts use a domain by name. Dropping it makes them fail, and \
          DROP DOMAIN … CASCADE drops every column of that domain, with its data. The message lists what \
          CASCADE takes, from the schema. A domain created earlier in the same file is not reported.",
    setup: "CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');\n\
            CREATE TABLE customers (id bigint PRIMARY KEY, contact email NOT NULL);\n",
    bad: "DROP DOMAIN email CASCADE;",
    good: "-- Move the column off the domain first; then a plain DROP DOMAIN fails loudly if anything still uses it.\n\
           ALTER TABLE customers ALTER COLUMN contact TYPE text;\n",
    fix: "Move every column and function off the domain first (ALTER COLUMN … TYPE to its base type), then \
          drop it without CASCADE. When the drop is intended, silence the rule on that statement with \
          `-- schema-playground:ignore ban-drop-domain`.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(stmt @ Statement::DropDomain(dd)) = cx.statement() else { return };
    let q = cx.resolve(&dd.name);
    if !cx.before.types.contains_key(&q) || !cx.file.start.types.contains_key(&q) {
        return;
    }
    let label = qualified_type_name(&q.schema, &q.name);
    let others = removals::gone_with(cx, stmt, |g| matches!(g.kind, "domain" | "type") && g.name == label);
    out.push(
        Finding::new(format!(
            "DROP DOMAIN {label} removes the domain: columns, casts and functions that use it fail{}",
            removals::also_drops(&others)
        ))
        .at(removals::name_span(cx, &dd.name, 0))
        .help("Move every column and function off the domain first, then drop it without CASCADE."),
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::tests::findings;

    #[test]
    fn cascade_names_the_columns_it_drops() {
        let found = findings(&RULE, RULE.bad);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("it also drops column customers.contact"), "{}", found[0].message);
    }

    #[test]
    fn domains_new_in_the_file_are_not_reported() {
        let sql =
            "CREATE DOMAIN positive AS int CHECK (VALUE > 0);\nDROP DOMAIN positive;\nDROP DOMAIN IF EXISTS nothing;";
        assert!(findings(&RULE, sql).is_empty());
    }
}
