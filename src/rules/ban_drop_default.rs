//! `ALTER COLUMN … DROP DEFAULT` breaks inserts that rely on the default.

use sqlparser::ast::{AlterColumnOperation, AlterTableOperation};

use super::domains;
use super::removals::{self, Action};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::{self, quote_ident, relation_name};
use crate::diagnostic::Severity;
use crate::sql::objects::DomainAction;

pub const RULE: Rule = Rule {
    id: "ban-drop-default",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "DROP DEFAULT breaks inserts that leave the column out",
    why: "Clients that insert rows without naming a column rely on its default. Once the default is dropped \
          those inserts store NULL instead, or fail outright when the column is NOT NULL; a default that \
          calls nextval() stops handing out ids. The message names the default being removed, from the \
          schema. ALTER DOMAIN … DROP DEFAULT does the same to every column of the domain that has no default \
          of its own. A column or domain without a default (nothing changes), or added in the same file, is not \
          reported.",
    setup: "CREATE TABLE orders (\n    id bigint PRIMARY KEY,\n    status text NOT NULL DEFAULT 'new',\n    \
            note text\n);\n",
    bad: "ALTER TABLE orders ALTER COLUMN status DROP DEFAULT;",
    good: "-- note has no default: inserts that leave it out behave as before.\n\
           ALTER TABLE orders ALTER COLUMN note DROP DEFAULT;\n",
    fix: "Keep the default until every client sets the column itself; to change it, SET DEFAULT the new value \
          instead of dropping it. When the drop is intended, silence the rule on that statement with \
          `-- schema-playground:ignore ban-drop-default`.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    if let Some((domain, DomainAction::DropDefault)) = cx.alter_domain() {
        domain_default(cx, domain, out);
        return;
    }
    let Some((q, actions)) = removals::alter_table(cx) else { return };
    for action in actions {
        let Action::Op(AlterTableOperation::AlterColumn { column_name, op: AlterColumnOperation::DropDefault }) =
            action
        else {
            continue;
        };
        let col = names::fold(column_name);
        let Some((table, column)) = removals::existing_column(cx, &q, &col) else { continue };
        let Some(default) = &column.default else { continue };
        let result = if column.not_null { "fail, as the column is NOT NULL" } else { "store NULL in it" };
        let at = removals::find_seq(cx, &["ALTER", "?COLUMN", &col, "DROP", "DEFAULT"], 0).unwrap_or(cx.span);
        out.push(
            Finding::new(format!(
                "ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT removes the default {default} of {}: inserts that \
                 leave the column out now {result}",
                relation_name(&table.name),
                quote_ident(&col),
                removals::column_label(&table.name, &col),
            ))
            .at(at)
            .help("Keep the default until every writer sets the column itself."),
        );
    }
}

/// `ALTER DOMAIN d DROP DEFAULT`: the columns of the domain without a default of their own lose it.
fn domain_default(cx: &StatementCx<'_>, parts: &[String], out: &mut Vec<Finding>) {
    let Some(domain) = domains::existing(cx, parts) else { return };
    let Some(default) = domain.now.default else { return };
    let result = if domain.now.not_null { "fail, as the domain is NOT NULL" } else { "store NULL in it" };
    let columns = domains::columns(cx.before, &domain.name, |c| c.default.is_none() && !c.ty.array);
    let at = removals::find_seq(cx, &["DROP", "DEFAULT"], 0).unwrap_or(cx.span);
    out.push(
        Finding::new(format!(
            "ALTER DOMAIN {} DROP DEFAULT removes the default {default} of the domain: inserts that leave out a \
             column of the domain with no default of its own{} now {result}",
            domain.label(),
            domains::in_parens(&columns),
        ))
        .at(at)
        .help("Keep the default until every writer sets the columns of the domain itself."),
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::tests::findings;

    #[test]
    fn the_message_names_the_default_and_the_consequence() {
        let found = findings(&RULE, RULE.bad);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("'new'::text"), "{}", found[0].message);
        assert!(found[0].message.contains("fail, as the column is NOT NULL"), "{}", found[0].message);
    }

    #[test]
    fn domain_defaults() {
        let sql = "-- file: 002_domain.sql\nCREATE DOMAIN state AS text DEFAULT 'open' NOT NULL;\n\
                   CREATE DOMAIN note AS text;\nALTER TABLE orders ADD COLUMN state state;\n\
                   -- file: 003_drop.sql\nALTER DOMAIN state DROP DEFAULT;\nALTER DOMAIN note DROP DEFAULT;";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1, "{found:?}");
        let m = &found[0].message;
        assert!(m.contains("default 'open'::text") && m.contains("(orders.state)"), "{m}");
        assert!(m.contains("fail, as the domain is NOT NULL"), "{m}");
        let new = "CREATE DOMAIN state AS text DEFAULT 'open';\nALTER DOMAIN state DROP DEFAULT;";
        assert!(findings(&RULE, new).is_empty());
    }

    #[test]
    fn columns_new_in_the_file_are_not_reported() {
        let sql = "ALTER TABLE orders ADD COLUMN paid boolean DEFAULT false;\n\
                   ALTER TABLE orders ALTER COLUMN paid DROP DEFAULT;";
        assert!(findings(&RULE, sql).is_empty());
    }
}
