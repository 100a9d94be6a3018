//! New constraints, NOT NULL and unique indexes on tables in use: writes that used to work start failing.

use sqlparser::ast::{AlterColumnOperation, AlterTableOperation, ColumnOption, Statement, TableConstraint};

use super::domains;
use super::removals;
use super::sql_text::Action;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::{fold, quote_ident, relation_name};
use crate::catalog::{ConstraintKind, QualName, Table};
use crate::diagnostic::Severity;
use crate::span::Span;
use crate::sql::alter_table::ManualAction;
use crate::sql::objects::DomainAction;

pub const RULE: Rule = Rule {
    id: "ban-new-write-restriction",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "a new constraint, NOT NULL or unique index makes writes that used to succeed fail",
    why: "Clients deployed before the migration keep writing what they always wrote. A new CHECK, foreign \
          key, UNIQUE, PRIMARY KEY or EXCLUDE constraint, SET NOT NULL, a unique index, or making a \
          constraint NOT DEFERRABLE / INITIALLY IMMEDIATE, turns some of those writes into errors from the \
          moment it commits — NOT VALID only skips checking the rows already there, and CONCURRENTLY only \
          avoids the lock. ALTER DOMAIN … ADD CHECK and SET NOT NULL do the same to every column of the \
          domain. The rule is more precise than a keyword match: tables and domains created earlier in the \
          migration, SET NOT NULL on a column or domain that already is, UNIQUE … USING INDEX (the unique \
          index already enforces it), a unique index that duplicates an existing one, and constraints on a new \
          column (old clients never write it) are not reported — except NOT NULL without a default on a new \
          column, which makes old clients' inserts fail.",
    setup: "CREATE TABLE orders (id bigint PRIMARY KEY, quantity integer);",
    bad: "ALTER TABLE orders ADD CONSTRAINT orders_quantity_positive CHECK (quantity > 0) NOT VALID;",
    good: "CREATE TABLE order_notes (id bigint PRIMARY KEY, body text NOT NULL CHECK (body <> ''));",
    fix: "Deploy clients that never write the rejected values first, then add the restriction; check the \
          logs of the old clients for writes it would reject.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    if let Some((domain, action)) = cx.alter_domain() {
        domain_restriction(cx, domain, action, out);
        return;
    }
    if let Some(Statement::CreateIndex(index)) = cx.statement() {
        unique_index(cx, index, out);
        return;
    }
    let Some(at) = cx.alter_table() else { return };
    let Some(table) = cx.existing_table(&at.name) else { return };
    let name = relation_name(&table.name);
    for (action, range) in &at.actions {
        let span = at.span(cx, *range);
        let written = collapse(cx.text_of(span));
        let message = match action {
            Action::Op(AlterTableOperation::AddConstraint { constraint, not_valid }) => {
                let not_valid = if *not_valid { " (NOT VALID skips only the rows already there)" } else { "" };
                match constraint {
                    TableConstraint::Check(_) => Some(format!(
                        "{written}: inserts and updates of {name} that break the check fail from now on{not_valid}"
                    )),
                    TableConstraint::ForeignKey(fk) => Some(format!(
                        "{written}: writes to {name} that point at missing rows of {} fail from now on, and so do deletes there that leave rows of {name} behind{not_valid}",
                        relation_name(&cx.resolve(&fk.foreign_table))
                    )),
                    TableConstraint::Unique(_) | TableConstraint::PrimaryKey(_) => {
                        Some(format!("{written}: inserts and updates of {name} that duplicate a key fail from now on"))
                    }
                    TableConstraint::Exclude(_) => Some(format!(
                        "{written}: inserts and updates of {name} that conflict with a row fail from now on"
                    )),
                    // The unique index already enforces the key; a primary key adds NOT NULL.
                    TableConstraint::PrimaryKeyUsingIndex(c) => {
                        let index = QualName::new(table.name.schema.clone(), fold(&c.index_name));
                        let nullable = cx
                            .before
                            .indexes
                            .get(&index)
                            .map(|i| {
                                i.columns
                                    .iter()
                                    .filter(|col| table.column(col).is_some_and(|c| !c.not_null))
                                    .cloned()
                                    .collect::<Vec<_>>()
                            })
                            .unwrap_or_default();
                        (!nullable.is_empty()).then(|| {
                            format!(
                                "{written}: the key columns become NOT NULL ({}), so writes of NULL to them fail from now on",
                                nullable.join(", ")
                            )
                        })
                    }
                    _ => None,
                }
            }
            Action::Op(AlterTableOperation::AlterColumn { column_name, op: AlterColumnOperation::SetNotNull }) => {
                let column = fold(column_name);
                table.column(&column).is_some_and(|c| !c.not_null).then(|| {
                    format!("SET NOT NULL on {name}.{}: writes of NULL to it fail from now on", quote_ident(&column))
                })
            }
            Action::Op(AlterTableOperation::AddColumn { column_def, .. }) => {
                let has = |f: fn(&ColumnOption) -> bool| column_def.options.iter().any(|o| f(&o.option));
                let not_null = has(|o| matches!(o, ColumnOption::NotNull | ColumnOption::PrimaryKey(_)));
                let filled = has(|o| {
                    matches!(o, ColumnOption::Default(_) | ColumnOption::Generated { .. } | ColumnOption::Identity(_))
                });
                (not_null && !filled && table.column(&fold(&column_def.name)).is_none()).then(|| {
                    format!(
                        "new column {} of {name} is NOT NULL without a default: INSERTs from clients that do not know the column fail",
                        quote_ident(&fold(&column_def.name))
                    )
                })
            }
            Action::Manual(ManualAction::AlterConstraint { name: constraint, deferrable, initially_deferred }) => {
                let Some(old) = table.constraint(constraint) else { continue };
                let stricter = (*deferrable == Some(false) && old.deferrable)
                    || (*initially_deferred == Some(false) && old.initially_deferred);
                stricter.then(|| {
                    format!(
                        "{written}: {} is checked at each statement from now on, so transactions that relied on checking it at commit fail",
                        quote_ident(constraint)
                    )
                })
            }
            _ => None,
        };
        if let Some(message) = message {
            out.push(Finding::new(message).help("Deploy clients that never make the rejected writes first.").at(span));
        }
    }
}

/// `ALTER DOMAIN d ADD CHECK …` and `ALTER DOMAIN d SET NOT NULL`: writes to the columns of the domain,
/// and casts to it, are checked from now on.
fn domain_restriction(cx: &StatementCx<'_>, parts: &[String], action: &DomainAction, out: &mut Vec<Finding>) {
    let Some(domain) = domains::existing(cx, parts) else { return };
    let written = collapse(cx.text);
    let (message, keyword) = match action {
        DomainAction::AddCheck { not_valid, .. } => {
            let columns = domains::columns(cx.before, &domain.name, |_| true);
            let not_valid = if *not_valid { " (NOT VALID skips only the values already there)" } else { "" };
            let message = format!(
                "{written}: inserts and updates of the columns of the domain{} that break the check fail from now \
                 on, and so do casts to it{not_valid}",
                domains::in_parens(&columns)
            );
            (message, "ADD")
        }
        DomainAction::SetNotNull if !domain.now.not_null => {
            let columns = domains::columns(cx.before, &domain.name, |c| !c.not_null && !c.ty.array);
            let message = format!(
                "SET NOT NULL on domain {}: writes of NULL to the columns of the domain{} fail from now on",
                domain.label(),
                domains::in_parens(&columns)
            );
            (message, "SET")
        }
        _ => return,
    };
    let at = removals::find_seq(cx, &[keyword], 0)
        .map_or(cx.span, |k| Span::new(cx.span.file, k.start as usize, cx.span.end as usize));
    out.push(Finding::new(message).help("Deploy clients that never make the rejected writes first.").at(at));
}

fn unique_index(cx: &StatementCx<'_>, index: &sqlparser::ast::CreateIndex, out: &mut Vec<Finding>) {
    if !index.unique {
        return;
    }
    let Some(table) = cx.existing_table(&index.table_name) else { return };
    if cx.applied && duplicates_a_unique_index(cx, table, index) {
        return;
    }
    out.push(
        Finding::new(format!(
            "unique index on {}: inserts and updates that duplicate its key fail from now on (CONCURRENTLY avoids the lock, not the errors)",
            relation_name(&table.name)
        ))
        .help("Deploy clients that never write duplicates first.")
        .at(cx.find("UNIQUE")),
    );
}

/// Whether the new index enforces exactly what a unique index of the table already did.
fn duplicates_a_unique_index(cx: &StatementCx<'_>, table: &Table, index: &sqlparser::ast::CreateIndex) -> bool {
    let Some(name) = &index.name else { return false };
    let Some(last) = name.0.last().and_then(|p| p.as_ident()) else { return false };
    let qual = QualName::new(table.name.schema.clone(), fold(last));
    let Some(new) = cx.after.indexes.get(&qual) else { return false };
    cx.before
        .indexes_of(&table.name)
        .any(|old| old.unique && old.keys == new.keys && old.predicate == new.predicate && old.method == new.method)
        || table.constraints.iter().any(|c| {
            matches!(&c.kind, ConstraintKind::Unique { .. } | ConstraintKind::PrimaryKey { .. })
                && new.predicate.is_none()
                && new.keys.iter().map(|k| k.expr.trim_matches('"')).eq(c.kind.columns().iter().map(String::as_str))
        })
}

/// The statement text on one line, shortened.
fn collapse(text: &str) -> String {
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 90 { format!("{}…", one.chars().take(89).collect::<String>()) } else { one }
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    fn count(sql: &str) -> usize {
        findings(&RULE, sql).len()
    }

    #[test]
    fn constraints_not_null_and_unique_indexes() {
        assert_eq!(count("ALTER TABLE orders ALTER COLUMN quantity SET NOT NULL;"), 1);
        assert_eq!(count("ALTER TABLE orders ADD CONSTRAINT q UNIQUE (quantity);"), 1);
        assert_eq!(count("CREATE UNIQUE INDEX orders_q ON orders (quantity);"), 1);
        assert_eq!(count("CREATE INDEX orders_q ON orders (quantity);"), 0);
    }

    #[test]
    fn what_changes_nothing_is_not_reported() {
        assert_eq!(count("ALTER TABLE orders ALTER COLUMN id SET NOT NULL;"), 0);
        assert_eq!(count("CREATE UNIQUE INDEX orders_id_again ON orders (id);"), 0);
        assert_eq!(count("CREATE TABLE t (a int);\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);"), 0);
        let rule = Rule {
            setup: "CREATE TABLE orders (id bigint PRIMARY KEY, quantity integer);\nCREATE UNIQUE INDEX orders_q_idx ON orders (quantity);",
            ..RULE
        };
        assert!(
            findings(&rule, "ALTER TABLE orders ADD CONSTRAINT orders_q UNIQUE USING INDEX orders_q_idx;").is_empty()
        );
    }

    #[test]
    fn domains() {
        let rule = Rule {
            setup: "CREATE DOMAIN quantity AS integer;\n\
                    CREATE TABLE orders (id bigint PRIMARY KEY, quantity quantity);",
            ..RULE
        };
        let found = findings(&rule, "ALTER DOMAIN quantity ADD CHECK (VALUE > 0) NOT VALID;");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("(orders.quantity)"), "{}", found[0].message);
        assert!(found[0].message.contains("NOT VALID skips only"), "{}", found[0].message);
        assert_eq!(findings(&rule, "ALTER DOMAIN quantity SET NOT NULL;").len(), 1);
        let twice = "ALTER DOMAIN quantity SET NOT NULL;\nALTER DOMAIN quantity SET NOT NULL;";
        assert_eq!(findings(&rule, twice).len(), 1);
        let new =
            "CREATE DOMAIN code AS text;\nALTER DOMAIN code ADD CHECK (VALUE <> '');\nALTER DOMAIN code SET NOT NULL;";
        assert!(findings(&rule, new).is_empty());
    }

    #[test]
    fn new_columns() {
        assert_eq!(count("ALTER TABLE orders ADD COLUMN code text NOT NULL;"), 1);
        assert_eq!(count("ALTER TABLE orders ADD COLUMN code text NOT NULL DEFAULT 'x';"), 0);
        assert_eq!(count("ALTER TABLE orders ADD COLUMN code text UNIQUE CHECK (code <> '');"), 0);
    }

    #[test]
    fn constraint_timing() {
        let rule = Rule {
            setup: "CREATE TABLE a (id bigint PRIMARY KEY);\nCREATE TABLE b (a_id bigint CONSTRAINT b_a_fk REFERENCES a DEFERRABLE INITIALLY DEFERRED);",
            ..RULE
        };
        assert_eq!(findings(&rule, "ALTER TABLE b ALTER CONSTRAINT b_a_fk NOT DEFERRABLE;").len(), 1);
        assert!(findings(&rule, "ALTER TABLE b ALTER CONSTRAINT b_a_fk DEFERRABLE INITIALLY DEFERRED;").is_empty());
    }
}
