//! `ALTER TABLE … REPLICA IDENTITY` on a table in use, and `ALTER PUBLICATION … DROP / SET` on a
//! publication in use: both change what logical replication sends to its consumers.

use sqlparser::ast::AlterTableOperation;

use super::sql_text::Action;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::Publication;
use crate::catalog::names::relation_name;
use crate::diagnostic::Severity;
use crate::sql::alter_table::ManualAction;
use crate::sql::objects::{AlterObjectAction, ObjectStmt, PublicationOp};
use crate::sql::parse::Parsed;

pub const RULE: Rule = Rule {
    id: "ban-replica-identity",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "ALTER TABLE … REPLICA IDENTITY and ALTER PUBLICATION … DROP / SET change what logical replication sends",
    why: "The replica identity decides which old values logical replication and change-data-capture tools \
          (Debezium, publications to other databases) receive for UPDATE and DELETE: the primary key, an \
          index's columns, the whole row (FULL) or nothing. Changing it on a published table changes the \
          messages every consumer gets, and NOTHING makes a published table reject UPDATE and DELETE \
          altogether. In the same way, ALTER PUBLICATION … DROP and … SET take tables or schemas out of a \
          publication, or change its filters, column lists or options: its subscribers silently stop \
          receiving changes they relied on. Adding to a publication is not reported. Tables and \
          publications created earlier in the migration are not reported.",
    setup: "CREATE TABLE payments (id bigint PRIMARY KEY, amount numeric NOT NULL);",
    bad: "ALTER TABLE payments REPLICA IDENTITY FULL;",
    good: "CREATE TABLE refunds (id bigint PRIMARY KEY, amount numeric NOT NULL);\nALTER TABLE refunds REPLICA IDENTITY FULL;",
    fix: "Agree the change with the owners of the replication consumers and deploy it with them; set the \
          replica identity when the table is created.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    if let Parsed::Object { stmt, .. } = cx.parsed {
        publication(cx, stmt, out);
        return;
    }
    let Some(at) = cx.alter_table() else { return };
    let Some(table) = cx.existing_table(&at.name) else { return };
    for (action, range) in &at.actions {
        let is_identity = matches!(action, Action::Op(AlterTableOperation::ReplicaIdentity { .. }))
            || matches!(action, Action::Manual(ManualAction::ReplicaIdentityIndex(_)))
            || matches!(action, Action::Manual(ManualAction::NoEffect(what)) if what == "REPLICA IDENTITY");
        if !is_identity {
            continue;
        }
        let span = at.span(cx, *range);
        let written = cx.text_of(span).split_whitespace().collect::<Vec<_>>().join(" ");
        let mut message = format!(
            "{written} on {} changes the old values logical replication sends for its updates and deletes",
            relation_name(&table.name)
        );
        if written.to_ascii_uppercase().ends_with("NOTHING") {
            message.push_str("; with NOTHING, UPDATE and DELETE fail on the table once it is published");
        }
        out.push(
            Finding::new(message).help("Change the replica identity together with the replication consumers.").at(span),
        );
    }
}

/// `ALTER PUBLICATION … DROP`, `… SET` tables or schemas, `… SET (options)` on a publication that existed
/// before the migration.
fn publication(cx: &StatementCx<'_>, stmt: &ObjectStmt, out: &mut Vec<Finding>) {
    let (name, what) = match stmt {
        ObjectStmt::AlterPublicationObjects { name, op: PublicationOp::Drop | PublicationOp::Set, .. } => (name, None),
        // `SET (publish = …)`: the options are read and not modelled (OWNER TO is the other no-effect form).
        ObjectStmt::AlterPublication { name, action: AlterObjectAction::NoEffect }
            if cx
                .text
                .split_whitespace()
                .any(|w| w.eq_ignore_ascii_case("SET") || w.to_ascii_uppercase().starts_with("SET(")) =>
        {
            (name, Some("its options"))
        }
        _ => return,
    };
    let (Some(before), Some(after)) = (cx.before.publications.get(name), cx.after.publications.get(name)) else {
        return;
    };
    // Created in this migration (under any name it has had since): no subscriber relies on it yet.
    if !cx.applied || before.origin.created.file == cx.span.file {
        return;
    }
    let label = crate::catalog::names::quote_ident(name);
    let message = match what {
        Some(what) => {
            format!("ALTER PUBLICATION {label} changes {what}: what its subscribers receive changes with them")
        }
        None => {
            let gone = removed(before, after);
            if gone.is_empty() {
                // Only additions: nothing its subscribers receive now goes away.
                if !narrowed(before, after) {
                    return;
                }
                format!(
                    "ALTER PUBLICATION {label} changes the filters or column lists of the tables it publishes: its \
                     subscribers receive other rows or columns"
                )
            } else {
                format!(
                    "ALTER PUBLICATION {label} stops publishing {}: its subscribers no longer receive their changes",
                    gone.join(", ")
                )
            }
        }
    };
    out.push(Finding::new(message).help("Change the publication together with its subscribers.").at(cx.span));
}

/// Whether a table `before` publishes is published by `after` with another filter or column list.
fn narrowed(before: &Publication, after: &Publication) -> bool {
    before
        .tables
        .iter()
        .any(|b| after.tables.iter().any(|a| a.table == b.table && (a.columns != b.columns || a.filter != b.filter)))
}

/// The tables (and `schema.*` for schemas) `before` publishes and `after` does not.
fn removed(before: &Publication, after: &Publication) -> Vec<String> {
    let tables = before
        .tables
        .iter()
        .filter(|t| !after.tables.iter().any(|a| a.table == t.table))
        .map(|t| relation_name(&t.table));
    let schemas = before.schemas.iter().filter(|s| !after.schemas.contains(s)).map(|s| format!("{s}.*"));
    tables.chain(schemas).collect()
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn every_form() {
        assert_eq!(findings(&RULE, "ALTER TABLE payments REPLICA IDENTITY DEFAULT;").len(), 1);
        let found = findings(&RULE, "ALTER TABLE payments REPLICA IDENTITY NOTHING;");
        assert!(found[0].message.contains("fail"));
        assert_eq!(findings(&RULE, "ALTER TABLE payments REPLICA IDENTITY USING INDEX payments_pkey;").len(), 1);
    }

    #[test]
    fn publications_losing_tables_or_changing() {
        let setup = "CREATE TABLE refunds (id bigint PRIMARY KEY, amount numeric);
                     CREATE PUBLICATION billing FOR TABLE payments, refunds;";
        let with = |sql: &str| {
            findings(&RULE, &format!("-- file: 002_publish.sql\n{setup}\n-- file: 003_change.sql\n{sql}\n"))
        };
        let found = with("ALTER PUBLICATION billing DROP TABLE refunds;");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("stops publishing refunds"), "{}", found[0].message);
        let found = with("ALTER PUBLICATION billing SET TABLE payments;");
        assert!(found[0].message.contains("stops publishing refunds"), "{}", found[0].message);
        let found = with("ALTER PUBLICATION billing SET TABLE payments WHERE (amount > 0), refunds;");
        assert!(found[0].message.contains("filters or column lists"), "{}", found[0].message);
        assert_eq!(with("ALTER PUBLICATION billing SET (publish = 'insert');").len(), 1);
        // Adding, the owner, and a publication created in the same migration are fine.
        assert!(with("ALTER PUBLICATION billing OWNER TO CURRENT_USER;").is_empty());
        assert!(with("CREATE TABLE fees (id int); ALTER PUBLICATION billing ADD TABLE fees;").is_empty());
        assert!(
            with("CREATE PUBLICATION audit FOR TABLE payments; ALTER PUBLICATION audit DROP TABLE payments;")
                .is_empty()
        );
        // A change PostgreSQL rejects changes nothing, and neither does a SET that only adds.
        assert!(with("ALTER PUBLICATION billing DROP TABLE payments (id);").is_empty());
        assert!(with("ALTER PUBLICATION billing SET TABLE payments, refunds;").is_empty());
        assert!(
            with("CREATE TABLE fees (id int); ALTER PUBLICATION billing SET TABLE payments, refunds, fees;").is_empty()
        );
        // Known by what it is, not by its name: dropped and made again in the migration, it is new; renamed,
        // it is the same.
        assert!(
            with("DROP PUBLICATION billing; CREATE PUBLICATION billing FOR TABLE payments; ALTER PUBLICATION billing DROP TABLE payments;")
                .is_empty()
        );
        let found =
            with("ALTER PUBLICATION billing RENAME TO billing2; ALTER PUBLICATION billing2 DROP TABLE refunds;");
        assert_eq!(found.len(), 1, "{found:?}");
    }
}
