//! `ALTER TABLE … REPLICA IDENTITY` on a table in use.

use sqlparser::ast::AlterTableOperation;

use super::sql_text::Action;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::relation_name;
use crate::diagnostic::Severity;
use crate::sql::alter_table::ManualAction;

pub const RULE: Rule = Rule {
    id: "ban-replica-identity",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "ALTER TABLE … REPLICA IDENTITY changes what logical replication sends for updates and deletes",
    why: "The replica identity decides which old values logical replication and change-data-capture tools \
          (Debezium, publications to other databases) receive for UPDATE and DELETE: the primary key, an \
          index's columns, the whole row (FULL) or nothing. Changing it on a published table changes the \
          messages every consumer gets, and NOTHING makes a published table reject UPDATE and DELETE \
          altogether. Tables created earlier in the migration are not reported.",
    setup: "CREATE TABLE payments (id bigint PRIMARY KEY, amount numeric NOT NULL);",
    bad: "ALTER TABLE payments REPLICA IDENTITY FULL;",
    good: "CREATE TABLE refunds (id bigint PRIMARY KEY, amount numeric NOT NULL);\nALTER TABLE refunds REPLICA IDENTITY FULL;",
    fix: "Agree the change with the owners of the replication consumers and deploy it with them; set the \
          replica identity when the table is created.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
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
}
