//! `DROP TABLE` deletes the table and its data.

use sqlparser::ast::{ObjectType, Statement};

use super::{Check, Family, Finding, Rule, StatementCx};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-drop-table",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "DROP TABLE deletes a table and every row in it",
    why: "Dropping a table loses its data for good, and every client that still reads or writes it starts \
          failing the moment the migration runs. A rollback can recreate the table, not its rows.",
    setup: "CREATE TABLE legacy_events (id bigint PRIMARY KEY, payload jsonb);",
    bad: "DROP TABLE legacy_events;",
    good: "ALTER TABLE legacy_events RENAME TO legacy_events_deprecated;",
    fix: "Stop every reader and writer first, and keep a copy of the data (or rename the table and drop it in a \
          later release). When the drop is intended, silence the rule on that statement with \
          `-- schema-playground:ignore ban-drop-table`.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(Statement::Drop { object_type: ObjectType::Table, names, .. }) = cx.statement() else { return };
    for name in names {
        // A table created earlier in this file holds nothing yet.
        let Some(table) = cx.existing_table(name) else { continue };
        out.push(
            Finding::new(format!(
                "DROP TABLE {} deletes the table and all its rows; clients that still use it fail",
                crate::catalog::names::relation_name(&table.name)
            ))
            .help("Make sure nothing reads or writes the table any more and its data is saved, then silence this rule on the statement."),
        );
    }
}
