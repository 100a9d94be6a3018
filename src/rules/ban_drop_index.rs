//! `DROP INDEX` can turn fast queries into table scans, and drops the uniqueness a unique index
//! enforced (opt-in).

use sqlparser::ast::{ObjectType, Statement};

use super::removals::{self, Replaced};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::{self, quote_ident, relation_name};
use crate::diagnostic::Severity;
use crate::render::psql;

pub const RULE: Rule = Rule {
    id: "ban-drop-index",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "DROP INDEX can turn fast queries into table scans, and drops the uniqueness a unique index enforced",
    why: "Queries that used the index fall back to another plan, often a scan of the whole table, and nothing \
          reports it until they are slow in production. A unique index also enforces a guarantee: once it is \
          dropped, duplicates are accepted. The message says what the index covered and whether it was unique, \
          from the schema. An index created earlier in the same file is not reported, and neither is DROP INDEX \
          followed by CREATE INDEX of the same name in the same transaction (a rebuild). Off by default: enable \
          it with `--include ban-drop-index`.",
    setup: "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n\
            CREATE UNIQUE INDEX users_email_idx ON users (email);\n",
    bad: "DROP INDEX users_email_idx;",
    good: "-- Rebuilt under the same name in the same transaction: queries and uniqueness never go without it.\n\
           DROP INDEX users_email_idx;\n\
           CREATE UNIQUE INDEX users_email_idx ON users (lower(email));\n",
    fix: "Check that no query needs the index (pg_stat_user_indexes.idx_scan) and that no guarantee depends on \
          it before dropping it; to replace it, create the new index first. When the drop is intended, silence \
          the rule on that statement with `-- schema-playground:ignore ban-drop-index`.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(Statement::Drop { object_type: ObjectType::Index, names, .. }) = cx.statement() else { return };
    for (i, name) in names.iter().enumerate() {
        // A name listed twice is one object.
        if names[..i].contains(name) {
            continue;
        }
        let q = cx.resolve(name);
        let Some(idx) = cx.before.indexes.get(&q) else { continue };
        // A constraint's index cannot be dropped on its own: PostgreSQL refuses, and says so.
        if idx.constraint.is_some() || !cx.file.start.indexes.contains_key(&q) {
            continue;
        }
        let replaced = removals::replaced(cx, |s| {
            matches!(s, Statement::CreateIndex(ci)
                if ci.name.as_ref().is_some_and(|n| names::parts(n).last().is_some_and(|l| *l == q.name))
                    && cx.resolve(&ci.table_name).schema == q.schema)
        });
        if replaced == Replaced::InTransaction {
            continue;
        }
        let mut message = format!(
            "DROP INDEX {} removes {} on {}: queries that use it fall back to other plans, often a scan of the table",
            relation_name(&q),
            psql::index_using(idx),
            relation_name(&idx.table)
        );
        if idx.unique {
            let cols = idx.columns.iter().map(|c| quote_ident(c)).collect::<Vec<_>>().join(", ");
            message.push_str(&format!(", and duplicate values in ({cols}) are accepted"));
        }
        if idx.replica_identity {
            message.push_str(", and logical replication loses the table's replica identity");
        }
        if replaced == Replaced::WithGap {
            message.push_str(removals::GAP);
        }
        out.push(
            Finding::new(message)
                .at(removals::name_span(cx, name, 0))
                .help("Make sure no query or guarantee depends on the index, or create its replacement first."),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::tests::findings;

    #[test]
    fn a_unique_index_takes_its_guarantee() {
        let found = findings(&RULE, RULE.bad);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("btree (email) on users"), "{}", found[0].message);
        assert!(found[0].message.contains("duplicate values in (email)"), "{}", found[0].message);
    }

    #[test]
    fn concurrently_is_reported_too() {
        let sql = "-- no-transaction\nDROP INDEX CONCURRENTLY users_email_idx;";
        assert_eq!(findings(&RULE, sql).len(), 1);
    }

    #[test]
    fn indexes_new_in_the_file_are_not_reported() {
        let sql = "CREATE INDEX users_id_email_idx ON users (id, email);\nDROP INDEX users_id_email_idx;";
        assert!(findings(&RULE, sql).is_empty());
    }
}
