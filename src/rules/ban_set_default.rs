//! `ALTER COLUMN … SET DEFAULT` on a table (or view) in use.

use sqlparser::ast::{AlterColumnOperation, AlterTableOperation, AlterViewOperation, Statement};

use super::domains;
use super::sql_text::Action;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::model::UserTypeKind;
use crate::catalog::names::{fold, quote_ident, relation_name};
use crate::diagnostic::Severity;
use crate::sql::objects::DomainAction;

pub const RULE: Rule = Rule {
    id: "ban-set-default",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "ALTER COLUMN … SET DEFAULT changes the value clients get when they omit the column",
    why: "Clients that insert rows without naming a column rely on its default. Changing the default changes \
          the data those clients write from the moment the migration commits, while the code that runs \
          is still the old one — a silent change of behaviour rather than an error. ALTER DOMAIN … SET DEFAULT \
          changes it for every column of the domain that has no default of its own. Tables and domains created \
          earlier in the same migration have no such clients and are not reported, nor is a SET DEFAULT that \
          sets the default the column or domain already has; the message says what the default was.",
    setup: "CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL DEFAULT 'new');",
    bad: "ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'pending';",
    good: "ALTER TABLE orders ADD COLUMN source text DEFAULT 'web';",
    fix: "Deploy the application change that writes the value explicitly first, then change the default in a \
          later migration (or keep the old default).",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    if let Some((domain, DomainAction::SetDefault(value))) = cx.alter_domain() {
        domain_default(cx, domain, value, out);
        return;
    }
    if let Some(Statement::AlterView(view)) = cx.statement()
        && let AlterViewOperation::AlterColumn { column_name, op: AlterColumnOperation::SetDefault { value } } =
            &view.operation
    {
        let qual = cx.resolve(&view.name);
        if cx.before.views.contains_key(&qual) && cx.file.start.views.contains_key(&qual) {
            out.push(
                Finding::new(format!(
                    "ALTER VIEW {} ALTER COLUMN {} SET DEFAULT {value}: inserts through the view that omit the column now write this value",
                    relation_name(&qual),
                    quote_ident(&fold(column_name))
                ))
                .help("Make the clients write the value explicitly before changing the default."),
            );
        }
        return;
    }
    let Some(at) = cx.alter_table() else { return };
    let Some(table) = cx.existing_table(&at.name) else { return };
    let after = cx.after.table(&table.name).or_else(|| cx.after.table_by_oid(table.oid).map(|t| &**t));
    for (action, range) in &at.actions {
        let Action::Op(AlterTableOperation::AlterColumn {
            column_name,
            op: AlterColumnOperation::SetDefault { value },
        }) = action
        else {
            continue;
        };
        let column = fold(column_name);
        let Some(old) = table.column(&column) else { continue };
        let new = after.and_then(|t| t.column(&column)).and_then(|c| c.default.clone());
        if cx.applied && new.is_some() && new == old.default {
            continue;
        }
        let was = match &old.default {
            Some(d) => format!("it was {d}"),
            None => "it had none".to_string(),
        };
        out.push(
            Finding::new(format!(
                "SET DEFAULT {} on {}.{} changes what clients that omit the column write ({was})",
                new.unwrap_or_else(|| value.to_string()),
                relation_name(&table.name),
                quote_ident(&column)
            ))
            .help("Make the clients write the value explicitly before changing the default.")
            .at(at.span(cx, *range)),
        );
    }
}

/// The default of the domain `name` after the statement.
fn default_after(cx: &StatementCx<'_>, name: &crate::catalog::QualName) -> Option<String> {
    match &cx.after.types.get(name)?.kind {
        UserTypeKind::Domain { default, .. } => default.clone(),
        _ => None,
    }
}

/// `ALTER DOMAIN d SET DEFAULT v`: the columns of the domain without a default of their own get `v`.
fn domain_default(cx: &StatementCx<'_>, parts: &[String], value: &sqlparser::ast::Expr, out: &mut Vec<Finding>) {
    let Some(domain) = domains::existing(cx, parts) else { return };
    let new = default_after(cx, &domain.name);
    if cx.applied && new.is_some() && new.as_deref() == domain.now.default {
        return;
    }
    let was = match domain.now.default {
        Some(d) => format!("it was {d}"),
        None => "it had none".to_string(),
    };
    let columns = domains::columns(cx.before, &domain.name, |c| c.default.is_none() && !c.ty.array);
    out.push(
        Finding::new(format!(
            "SET DEFAULT {} on domain {} changes what inserts that leave out its columns without a default of \
             their own{} write ({was})",
            new.unwrap_or_else(|| value.to_string()),
            domain.label(),
            domains::in_parens(&columns),
        ))
        .help("Make the clients write the value explicitly before changing the default.")
        .at(cx.find("SET DEFAULT")),
    );
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn says_what_the_default_was() {
        let found = findings(&RULE, RULE.bad);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("it was 'new'::text"), "{}", found[0].message);
    }

    #[test]
    fn same_default_and_new_tables_are_fine() {
        assert!(findings(&RULE, "ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'new';").is_empty());
        assert!(findings(&RULE, "CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a SET DEFAULT 1;").is_empty());
    }

    #[test]
    fn domains() {
        let sql = "-- file: 002_domain.sql\nCREATE DOMAIN state AS text DEFAULT 'new';\n\
                   ALTER TABLE orders ADD COLUMN state state, ADD COLUMN stage state DEFAULT 'x';\n\
                   -- file: 003_set.sql\nALTER DOMAIN state SET DEFAULT 'open';\n\
                   ALTER DOMAIN state SET DEFAULT 'open';";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1, "{found:?}");
        let m = &found[0].message;
        assert!(m.contains("SET DEFAULT 'open'::text on domain state"), "{m}");
        assert!(m.contains("(orders.state)") && m.contains("it was 'new'::text"), "{m}");
        let new = "CREATE DOMAIN state AS text;\nALTER DOMAIN state SET DEFAULT 'open';";
        assert!(findings(&RULE, new).is_empty());
    }

    #[test]
    fn views() {
        let rule = Rule {
            setup: "CREATE TABLE orders (id bigint, status text);\nCREATE VIEW v AS SELECT * FROM orders;",
            ..RULE
        };
        assert_eq!(findings(&rule, "ALTER VIEW v ALTER COLUMN status SET DEFAULT 'x';").len(), 1);
    }
}
