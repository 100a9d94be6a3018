//! `ALTER COLUMN … DROP NOT NULL` lets a column that clients read as always set hold NULL.

use sqlparser::ast::{AlterColumnOperation, AlterTableOperation};

use super::domains;
use super::removals::{self, Action};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::{self, quote_ident, relation_name};
use crate::diagnostic::Severity;
use crate::sql::objects::DomainAction;

pub const RULE: Rule = Rule {
    id: "ban-drop-not-null",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "DROP NOT NULL lets a column that clients read as always set hold NULL",
    why: "Code written against a NOT NULL column takes its value for granted: generated models declare the \
          field non-optional, reports sum it, joins use it. After DROP NOT NULL the first NULL that is written \
          breaks those readers, possibly far from the migration and long after it ran. ALTER DOMAIN … DROP NOT \
          NULL does it to every column of the domain that is not NOT NULL itself. The rule looks at the schema: a \
          column or domain that is already nullable (the statement changes nothing), or that was added in the \
          same file, is not reported.",
    setup: "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL, note text);",
    bad: "ALTER TABLE orders ALTER COLUMN total DROP NOT NULL;",
    good: "-- note is nullable already: nothing changes for its readers.\n\
           ALTER TABLE orders ALTER COLUMN note DROP NOT NULL;\n",
    fix: "Keep the column NOT NULL until every client handles a missing value; if writers cannot always \
          supply one, give the column a DEFAULT instead. When the change is intended, silence the rule on that \
          statement with `-- schema-playground:ignore ban-drop-not-null`.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    if let Some((domain, DomainAction::DropNotNull)) = cx.alter_domain() {
        domain_not_null(cx, domain, out);
        return;
    }
    let Some((q, actions)) = removals::alter_table(cx) else { return };
    for action in actions {
        let Action::Op(AlterTableOperation::AlterColumn { column_name, op: AlterColumnOperation::DropNotNull }) =
            action
        else {
            continue;
        };
        let col = names::fold(column_name);
        let Some((table, column)) = removals::existing_column(cx, &q, &col) else { continue };
        if !column.not_null {
            continue;
        }
        let at = removals::find_seq(cx, &["ALTER", "?COLUMN", &col, "DROP", "NOT", "NULL"], 0).unwrap_or(cx.span);
        out.push(
            Finding::new(format!(
                "ALTER TABLE {} ALTER COLUMN {} DROP NOT NULL lets {} ({}) hold NULL: clients that read it as \
                 always set break on the first NULL written",
                relation_name(&table.name),
                quote_ident(&col),
                removals::column_label(&table.name, &col),
                column.ty.display(),
            ))
            .at(at)
            .help("Keep the column NOT NULL until every reader handles NULL, or give it a DEFAULT instead."),
        );
    }
}

/// `ALTER DOMAIN d DROP NOT NULL`: the columns of the domain that are not NOT NULL themselves accept NULL.
fn domain_not_null(cx: &StatementCx<'_>, parts: &[String], out: &mut Vec<Finding>) {
    let Some(domain) = domains::existing(cx, parts) else { return };
    if !domain.now.not_null {
        return;
    }
    let columns = domains::columns(cx.before, &domain.name, |c| !c.not_null && !c.ty.array);
    let at = removals::find_seq(cx, &["DROP", "NOT", "NULL"], 0).unwrap_or(cx.span);
    out.push(
        Finding::new(format!(
            "ALTER DOMAIN {} DROP NOT NULL lets the columns of the domain hold NULL{}: clients that read them as \
             always set break on the first NULL written",
            domain.label(),
            domains::in_parens(&columns),
        ))
        .at(at)
        .help("Keep the domain NOT NULL until every reader handles NULL, or give it a DEFAULT instead."),
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::tests::findings;

    #[test]
    fn new_columns_are_not_reported() {
        let sql = "ALTER TABLE orders ADD COLUMN paid boolean NOT NULL DEFAULT false;\n\
                   ALTER TABLE orders ALTER COLUMN paid DROP NOT NULL;";
        assert!(findings(&RULE, sql).is_empty());
    }

    #[test]
    fn domain_columns_accept_null() {
        let sql = "-- file: 002_domain.sql\nCREATE DOMAIN amount AS numeric NOT NULL;\nCREATE DOMAIN note AS text;\n\
                   ALTER TABLE orders ADD COLUMN paid amount;\n\
                   -- file: 003_drop.sql\nALTER DOMAIN amount DROP NOT NULL;\nALTER DOMAIN note DROP NOT NULL;";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("ALTER DOMAIN amount DROP NOT NULL"), "{}", found[0].message);
        assert!(found[0].message.contains("(orders.paid)"), "{}", found[0].message);
        let new = "CREATE DOMAIN amount AS numeric NOT NULL;\nALTER DOMAIN amount DROP NOT NULL;";
        assert!(findings(&RULE, new).is_empty());
    }

    #[test]
    fn the_span_is_the_action() {
        let sql = "ALTER TABLE orders ALTER COLUMN note TYPE varchar(200), ALTER COLUMN total DROP NOT NULL;";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1);
        let start = found[0].span.start as usize;
        assert!(sql[start..].starts_with("ALTER COLUMN total DROP NOT NULL"), "{found:?}");
    }
}
