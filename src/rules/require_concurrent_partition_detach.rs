//! `DETACH PARTITION` without `CONCURRENTLY` locks the whole partitioned table.

use sqlparser::ast::AlterTableOperation;

use super::table_ops::{alter_ops, end_of, word_span};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::relation_name;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "require-concurrent-partition-detach",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "DETACH PARTITION without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the partitioned table",
    why: "ALTER TABLE parent DETACH PARTITION child locks the parent in ACCESS EXCLUSIVE mode: queries on every \
          partition wait, and the statement itself waits for every open transaction on the parent. Since \
          PostgreSQL 14, DETACH PARTITION … CONCURRENTLY takes only a SHARE UPDATE EXCLUSIVE lock on the parent \
          (it cannot run inside a transaction, nor when the parent has a DEFAULT partition — the finding says so \
          when the schema has one). Before PostgreSQL 14 (`pg-version`) there is no alternative and nothing is \
          reported. Tables created earlier in the same file are not reported.",
    setup: "CREATE TABLE measurements (taken_on date NOT NULL, value numeric) PARTITION BY RANGE (taken_on);\n\
            CREATE TABLE measurements_2023 PARTITION OF measurements\n    \
            FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');",
    bad: "ALTER TABLE measurements DETACH PARTITION measurements_2023;",
    good: "-- no-transaction\n\
           ALTER TABLE measurements DETACH PARTITION measurements_2023 CONCURRENTLY;\n",
    fix: "Write DETACH PARTITION … CONCURRENTLY in a migration that does not run inside a transaction (mark the file \
          `-- no-transaction`, `-- +goose NO TRANSACTION` or `-- migrate:up transaction:false`, or run the folder \
          with `--runner psql`). If it is interrupted, finish it with DETACH PARTITION … FINALIZE.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    if cx.settings.pg_version < 14 {
        return;
    }
    let Some((name, ops)) = alter_ops(cx.parsed) else { return };
    let Some(parent) = cx.existing_table(&name) else { return };
    let single = ops.len() == 1;
    for op in ops {
        let AlterTableOperation::DetachPartitionOf { partition, mode: None } = op else { continue };
        let parent_name = relation_name(&parent.name);
        let child = cx
            .table_before(partition)
            .map_or_else(|| crate::catalog::names::object_name(partition), |t| relation_name(&t.name));
        let default_partition = cx.before.tables.values().find(|t| {
            t.partition_of.as_ref().is_some_and(|(p, bound)| *p == parent.name && bound.eq_ignore_ascii_case("DEFAULT"))
        });
        let at = word_span(cx, "DETACH", 0).unwrap_or(cx.span);
        let message = format!(
            "DETACH PARTITION {child} takes an ACCESS EXCLUSIVE lock on {parent_name}: queries on every partition \
             wait until it ends, and it waits for every open transaction on {parent_name}"
        );
        let finding = match default_partition {
            Some(d) => Finding::new(message).help(format!(
                "{parent_name} has a DEFAULT partition ({}), so CONCURRENTLY is not allowed: run this at a quiet time with a short lock_timeout.",
                relation_name(&d.name)
            )),
            None => {
                let f = Finding::new(message).help("Use DETACH PARTITION … CONCURRENTLY, outside a transaction.");
                if single { f.fix("Add CONCURRENTLY", end_of(cx), " CONCURRENTLY") } else { f }
            }
        };
        out.push(finding.at(at));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::findings;

    #[test]
    fn a_default_partition_rules_out_concurrently() {
        let sql = "CREATE TABLE measurements_other PARTITION OF measurements DEFAULT;\n\
                   ALTER TABLE measurements DETACH PARTITION measurements_2023;";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
        assert!(found[0].help.as_deref().unwrap_or("").contains("DEFAULT partition"));
    }

    #[test]
    fn the_fix_appends_concurrently() {
        let found = findings(&RULE, RULE.bad);
        assert_eq!(found[0].fix.as_ref().map(|f| f.replacement.as_str()), Some(" CONCURRENTLY"));
    }
}
