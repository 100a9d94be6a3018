//! `ALTER TABLE … DROP CONSTRAINT` removes a guarantee clients rely on (and, for a primary key or unique
//! constraint, the index that enforces it).

use sqlparser::ast::{AlterTableOperation, DropBehavior, Statement};

use super::domains::{self, Domain};
use super::removals::{self, Action, Replaced};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::QualName;
use crate::catalog::model::{Constraint, ConstraintKind};
use crate::catalog::names::{self, quote_ident, relation_name};
use crate::diagnostic::Severity;
use crate::render::psql;
use crate::sql::objects::{DomainAction, ObjectStmt};
use crate::sql::parse::Parsed;

pub const RULE: Rule = Rule {
    id: "ban-drop-constraint",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "DROP CONSTRAINT removes a guarantee existing clients rely on, and a key's index with it",
    why: "Clients and reports assume what a constraint guarantees: that ids are unique, that a reference \
          points to a row that exists, that a CHECK holds. Once it is dropped, rows that break the rule are \
          accepted and the code built on it goes wrong in quiet ways. Dropping a primary key or unique \
          constraint also drops the index that enforces it, so lookups by those columns turn into table scans, \
          and with CASCADE the foreign keys of other tables that reference it go too. The message says which, \
          from the schema. ALTER DOMAIN … DROP CONSTRAINT is judged the same way: the domain's CHECK stops \
          guarding every column of that type. A constraint added earlier in the same file (or on a domain \
          created there), or dropped and added again later in the same transaction, is not reported.",
    setup: "CREATE TABLE customers (\n    id bigint PRIMARY KEY,\n    email text NOT NULL,\n    \
            CONSTRAINT customers_email_key UNIQUE (email),\n    \
            CONSTRAINT customers_email_check CHECK (email LIKE '%@%')\n);\n",
    bad: "ALTER TABLE customers DROP CONSTRAINT customers_email_key;",
    good: "-- A stricter check replaces the old one in the same transaction: no moment without it.\n\
           ALTER TABLE customers DROP CONSTRAINT customers_email_check;\n\
           ALTER TABLE customers ADD CONSTRAINT customers_email_check CHECK (email LIKE '_%@_%');\n",
    fix: "Keep the constraint until nothing depends on its guarantee. To change a constraint, add the new one \
          (NOT VALID, then VALIDATE, for CHECK and foreign keys) before dropping the old, or drop and add it \
          again in the same transaction. When the drop is intended, silence the rule on that statement with \
          `-- schema-playground:ignore ban-drop-constraint`.",
    check: Check::Statement(check),
};

const HELP: &str = "Keep the constraint, or replace it in the same transaction; when the drop is intended, silence \
                    this rule on the statement.";

/// What clients lose with the constraint.
fn consequence(c: &Constraint) -> String {
    let cols = |cols: &[String]| cols.iter().map(|c| quote_ident(c)).collect::<Vec<_>>().join(", ");
    match &c.kind {
        ConstraintKind::PrimaryKey { columns, .. } => format!(
            "duplicate or NULL values in ({}) are accepted, and its index {} goes with it, so lookups by \
             those columns scan the table",
            cols(columns),
            quote_ident(&c.name)
        ),
        ConstraintKind::Unique { columns, .. } => format!(
            "duplicate values in ({}) are accepted, and its index {} goes with it, so lookups by those columns \
             scan the table",
            cols(columns),
            quote_ident(&c.name)
        ),
        ConstraintKind::ForeignKey(fk) => {
            format!("rows may now point to {} rows that do not exist", relation_name(&fk.ref_table))
        }
        ConstraintKind::Check { .. } => format!("rows that break {} are accepted", psql::constraint_def(c)),
        ConstraintKind::Exclude { .. } => {
            format!("rows that conflict under {} are accepted, and its index goes with it", psql::constraint_def(c))
        }
    }
}

/// Whether `stmt` adds a constraint named `name` to the table named `table`.
fn adds(cx: &StatementCx<'_>, stmt: &Statement, table: &crate::catalog::QualName, name: &str) -> bool {
    use sqlparser::ast::TableConstraint as T;
    let Statement::AlterTable(at) = stmt else { return false };
    &cx.resolve(&at.name) == table
        && at.operations.iter().any(|op| {
            let AlterTableOperation::AddConstraint { constraint, .. } = op else { return false };
            let ident = match constraint {
                T::Unique(c) => c.name.as_ref(),
                T::PrimaryKey(c) => c.name.as_ref(),
                T::ForeignKey(c) => c.name.as_ref(),
                T::Check(c) => c.name.as_ref(),
                T::Index(c) => c.name.as_ref(),
                T::PrimaryKeyUsingIndex(c) | T::UniqueUsingIndex(c) => c.name.as_ref(),
                T::Exclude(c) => c.name.as_ref(),
                T::FulltextOrSpatial(_) => None,
            };
            ident.is_some_and(|i| names::fold(i) == name)
        })
}

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    if let Some((domain, DomainAction::DropConstraint { name, .. })) = cx.alter_domain() {
        domain_constraint(cx, domain, name, out);
        return;
    }
    let Some((q, actions)) = removals::alter_table(cx) else { return };
    for action in actions {
        let Action::Op(AlterTableOperation::DropConstraint { name, drop_behavior, .. }) = action else { continue };
        let cname = names::fold(name);
        let Some(table) = removals::existing_table(cx, &q) else { continue };
        let Some(constraint) = table.constraint(&cname) else { continue };
        // Added earlier in this file: not relied on yet.
        let at_start = removals::at_start(cx, table).and_then(|t| t.constraint(&cname));
        if at_start.is_none() {
            continue;
        }
        let cascade = matches!(drop_behavior, Some(DropBehavior::Cascade));
        let sql = format!(
            "ALTER TABLE {} DROP CONSTRAINT {}{}",
            removals::qualified(&table.name),
            quote_ident(&cname),
            if cascade { " CASCADE" } else { "" }
        );
        let label = format!("{} on {}", quote_ident(&cname), relation_name(&table.name));
        let others = removals::parse_one(&sql)
            .map(|stmt| removals::gone_with(cx, &stmt, |g| g.name == label))
            .unwrap_or_default();
        let replaced = removals::replaced(cx, |s| adds(cx, s, &table.name, &cname));
        // Adding it again does not bring back the foreign keys CASCADE took.
        if replaced == Replaced::InTransaction && others.is_empty() {
            continue;
        }
        let at = removals::find_seq(cx, &["DROP", "CONSTRAINT", "?IF", "?EXISTS", &cname], 0).unwrap_or(cx.span);
        out.push(
            Finding::new(format!(
                "ALTER TABLE {} DROP CONSTRAINT {} removes the {}: {}{}{}",
                relation_name(&table.name),
                quote_ident(&cname),
                removals::constraint_kind(&constraint.kind),
                consequence(constraint),
                removals::also_drops(&others),
                if replaced == Replaced::WithGap { removals::GAP } else { "" }
            ))
            .at(at)
            .help(HELP),
        );
    }
}

/// Whether `parsed` adds a CHECK named `name` to the domain `domain`.
fn adds_to_domain(cx: &StatementCx<'_>, parsed: &Parsed, domain: &QualName, name: &str) -> bool {
    let Parsed::Object { stmt, .. } = parsed else { return false };
    let ObjectStmt::AlterDomain { name: target, action } = &**stmt else { return false };
    let DomainAction::AddCheck { name: Some(added), .. } = &**action else { return false };
    added == name && domains::resolve(cx.before, target).as_ref() == Some(domain)
}

/// `ALTER DOMAIN d DROP CONSTRAINT c`: the CHECK stops guarding the columns of the domain's type.
fn domain_constraint(cx: &StatementCx<'_>, parts: &[String], name: &str, out: &mut Vec<Finding>) {
    let Some(domain) = domains::existing(cx, parts) else { return };
    let (Some(check), Some(_)) = (domain.now.check(name), domain.start.check(name)) else { return };
    let replaced = removals::replaced_parsed(cx, |p| adds_to_domain(cx, p, &domain.name, name));
    if replaced == Replaced::InTransaction {
        return;
    }
    let at = removals::find_seq(cx, &["DROP", "CONSTRAINT", "?IF", "?EXISTS", name], 0).unwrap_or(cx.span);
    out.push(
        Finding::new(format!(
            "ALTER DOMAIN {} DROP CONSTRAINT {} removes the check constraint: values that break {} are accepted \
             in every column of the domain{}{}",
            domain.label(),
            quote_ident(name),
            check.definition(),
            domain_columns(cx, &domain),
            if replaced == Replaced::WithGap { removals::GAP } else { "" }
        ))
        .at(at)
        .help(HELP),
    );
}

fn domain_columns(cx: &StatementCx<'_>, domain: &Domain<'_>) -> String {
    domains::in_parens(&domains::columns(cx.before, &domain.name, |_| true))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::tests::findings;

    fn one(sql: &str) -> String {
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1, "{found:?}");
        found[0].message.to_string()
    }

    #[test]
    fn a_unique_constraint_takes_its_index() {
        let m = one(RULE.bad);
        assert!(m.contains("unique constraint"), "{m}");
        assert!(m.contains("index customers_email_key"), "{m}");
    }

    #[test]
    fn cascade_lists_the_foreign_keys_of_other_tables() {
        let m = one(
            "-- file: 002_orders.sql\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers);\n\
             -- file: 003_drop.sql\nALTER TABLE customers DROP CONSTRAINT customers_pkey CASCADE;",
        );
        assert!(m.contains("primary key"), "{m}");
        assert!(m.contains("foreign key orders_customer_id_fkey on orders"), "{m}");
    }

    #[test]
    fn check_and_foreign_key_messages_say_what_is_accepted() {
        let m = one("ALTER TABLE customers DROP CONSTRAINT customers_email_check;");
        assert!(m.contains("rows that break CHECK"), "{m}");
    }

    #[test]
    fn constraints_added_in_the_file_are_not_reported() {
        let sql = "ALTER TABLE customers ADD CONSTRAINT email_at CHECK (email LIKE '%@%');\n\
                   ALTER TABLE customers DROP CONSTRAINT email_at;";
        assert!(findings(&RULE, sql).is_empty());
    }

    #[test]
    fn domain_checks() {
        let domain =
            "-- file: 002_domain.sql\nCREATE DOMAIN email AS text CONSTRAINT email_at CHECK (VALUE LIKE '%@%');\n";
        let sql = format!(
            "{domain}ALTER TABLE customers ADD COLUMN contact email;\n\
             -- file: 003_drop.sql\nALTER DOMAIN email DROP CONSTRAINT email_at;"
        );
        let m = one(&sql);
        assert!(m.contains("ALTER DOMAIN email DROP CONSTRAINT email_at"), "{m}");
        assert!(m.contains("CHECK (VALUE ~~ '%@%'::text)") && m.contains("(customers.contact)"), "{m}");
        let replaced = format!(
            "{domain}-- file: 003_drop.sql\nALTER DOMAIN email DROP CONSTRAINT email_at;\n\
             ALTER DOMAIN email ADD CONSTRAINT email_at CHECK (VALUE LIKE '_%@_%');"
        );
        assert!(findings(&RULE, &replaced).is_empty());
        let new = "CREATE DOMAIN code AS text CONSTRAINT code_set CHECK (VALUE <> '');\n\
                   ALTER DOMAIN code DROP CONSTRAINT code_set;\nALTER DOMAIN code DROP CONSTRAINT IF EXISTS code_set;";
        assert!(findings(&RULE, new).is_empty());
    }

    #[test]
    fn a_replacement_outside_a_transaction_has_a_gap() {
        let sql = "-- no-transaction\nALTER TABLE customers DROP CONSTRAINT customers_email_key;\n\
                   ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email);";
        assert!(one(sql).contains("clients fail in between"));
    }
}
