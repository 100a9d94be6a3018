//! `DROP TABLE` deletes the table and its data.

use sqlparser::ast::{ObjectType, Statement};

use super::removals;
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
    let Some(stmt @ Statement::Drop { object_type: ObjectType::Table, names, .. }) = cx.statement() else { return };
    for (i, name) in names.iter().enumerate() {
        // A name listed twice is one object.
        if names[..i].contains(name) {
            continue;
        }
        // A table created earlier in this file holds nothing yet.
        let Some(table) = cx.existing_table(name) else { continue };
        let label = crate::catalog::names::relation_name(&table.name);
        // What CASCADE takes along: foreign keys of other tables, views.
        let others = removals::gone_with(cx, &removals::drop_one(stmt, name), |g| g.kind == "table" && g.name == label);
        out.push(
            Finding::new(format!(
                "DROP TABLE {label} deletes the table and all its rows; clients that still use it fail{}",
                removals::also_drops(&others)
            ))
            .at(removals::name_span(cx, name, 0))
            .help("Make sure nothing reads or writes the table any more and its data is saved, then silence this rule on the statement."),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::tests::findings;

    #[test]
    fn cascade_lists_the_foreign_keys_and_views_it_takes() {
        let sql = "-- file: 002_refs.sql\n\
                   CREATE TABLE events (id bigint PRIMARY KEY, legacy_id bigint REFERENCES legacy_events);\n\
                   CREATE VIEW recent_legacy AS SELECT id FROM legacy_events;\n\
                   -- file: 003_drop.sql\nDROP TABLE legacy_events CASCADE;";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1);
        let m = &found[0].message;
        assert!(m.contains("it also drops foreign key events_legacy_id_fkey on events and view recent_legacy"), "{m}");
    }

    #[test]
    fn each_table_is_reported_at_its_name() {
        let sql = "-- file: 002_t.sql\nCREATE TABLE other_events (id int);\n\
                   -- file: 003_drop.sql\nDROP TABLE legacy_events, other_events;";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].span.start, found[0].span.end), (11, 24));
    }
}
