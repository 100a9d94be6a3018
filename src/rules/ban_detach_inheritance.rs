//! `NO INHERIT` and `DETACH PARTITION` on tables in use.

use sqlparser::ast::AlterTableOperation;

use super::sql_text::Action;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::relation_name;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-detach-inheritance",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "ALTER TABLE … NO INHERIT or DETACH PARTITION removes rows from what the parent table returns",
    why: "Queries on a parent table read its children and partitions too. Detaching one makes its rows \
          vanish from every query on the parent, and inserts routed through a partitioned parent fail for \
          the values the detached partition held (or land in the default partition). Clients see less \
          data, or errors, without any change on their side. Children created or attached earlier in the \
          same migration have no rows anyone read through the parent and are not reported.",
    setup: "CREATE TABLE measurements (taken_on date NOT NULL, value numeric) PARTITION BY RANGE (taken_on);\n\
            CREATE TABLE measurements_2023 PARTITION OF measurements FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');",
    bad: "ALTER TABLE measurements DETACH PARTITION measurements_2023;",
    good: "CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');",
    fix: "Keep the partition attached until no client needs its rows through the parent (archive them \
          elsewhere first), then detach it in a migration of its own.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(at) = cx.alter_table() else { return };
    let Some(table) = cx.existing_table(&at.name) else { return };
    for (action, range) in &at.actions {
        let Action::Op(op) = action else { continue };
        let message = match op {
            AlterTableOperation::NoInherit { parent } => {
                let Some(parent) = cx.existing_table(parent) else { continue };
                let was_child =
                    cx.file.start.tables.values().any(|c| c.oid == table.oid && c.inherits.contains(&parent.name));
                if !was_child {
                    continue;
                }
                format!(
                    "NO INHERIT {}: the rows of {} stop appearing in queries on {}",
                    relation_name(&parent.name),
                    relation_name(&table.name),
                    relation_name(&parent.name)
                )
            }
            AlterTableOperation::DetachPartitionOf { partition, .. } => {
                let Some(child) = cx.existing_table(partition) else { continue };
                // A partition attached earlier in this migration: nobody read its rows through the parent.
                let was_partition = cx
                    .file
                    .start
                    .tables
                    .values()
                    .any(|c| c.oid == child.oid && c.partition_of.as_ref().is_some_and(|(p, _)| *p == table.name));
                if !was_partition {
                    continue;
                }
                format!(
                    "DETACH PARTITION {}: its rows stop appearing in queries on {}, and inserts of values in its range no longer have a partition",
                    relation_name(&child.name),
                    relation_name(&table.name)
                )
            }
            _ => continue,
        };
        out.push(
            Finding::new(message)
                .help("Detach it only once no client needs its rows through the parent.")
                .at(at.span(cx, *range)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn new_children_are_fine() {
        let sql = "CREATE TABLE m_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');\n\
                   ALTER TABLE measurements DETACH PARTITION m_2025;";
        assert!(findings(&RULE, sql).is_empty());
    }

    #[test]
    fn no_inherit() {
        let rule = Rule {
            setup: "CREATE TABLE parent (id bigint);\nCREATE TABLE child (extra text) INHERITS (parent);",
            ..RULE
        };
        let found = findings(&rule, "ALTER TABLE child NO INHERIT parent;");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("rows of child"), "{}", found[0].message);
    }
}
