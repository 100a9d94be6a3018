//! A btree index whose keys are the leading keys of another btree index of the same table.

use super::schema_facts;
use super::{Check, Family, Finding, FolderCx, Rule};
use crate::catalog::model::Index;
use crate::catalog::names::relation_name;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "redundant-index",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Schema,
    summary: "A btree index whose keys are the leading keys of another btree index on the same table",
    why: "A btree index on (a, b) answers every lookup and ordering an index on (a) alone answers: its first \
          key is a. The narrower index costs a write on every INSERT, UPDATE of a and DELETE, and disk and \
          cache space, for little gain.\n\n\
          The rule reports on the statement that creates the second index of such a pair, when both still \
          exist at the end of the history: a new index that an existing one covers, or an existing index that \
          the new one makes redundant. Both must be btree indexes with the same predicate (or none), and the \
          keys are compared with their ordering, operator classes and collations. A unique index, an index \
          that enforces a constraint, or one chosen for CLUSTER or the replica identity is never reported: it \
          does more than speed up lookups. Two identical indexes are the business of `duplicate-index`.",
    setup: "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, created_at timestamptz NOT NULL);\n\
            CREATE INDEX orders_customer_id_created_at_idx ON orders (customer_id, created_at);",
    bad: "CREATE INDEX orders_customer_id_idx ON orders (customer_id);",
    good: "CREATE INDEX orders_created_at_idx ON orders (created_at);",
    fix: "Drop the narrower index (`DROP INDEX CONCURRENTLY orders_customer_id_idx;` in a migration that runs \
          outside a transaction), or do not create it. When the wider index was meant to replace it, drop the \
          old one in the same change.",
    check: Check::Folder(check),
};

fn check(cx: &FolderCx<'_>, out: &mut Vec<Finding>) {
    let steps = schema_facts::steps(cx);
    let positions = schema_facts::Positions::new(&steps);
    let last = schema_facts::final_catalog(cx);
    let judged = schema_facts::judged_indexes(cx, last);
    let create_indexes = schema_facts::CreateIndexes::new(cx);
    let by_table = &judged.by_table;
    let pos = |i: &Index| positions.of(i.origin.created);
    for &(x, table) in &judged.list {
        // Indexes on a partition copy their parent's (judged there), or may be attached to one.
        if table.is_some_and(|t| t.partition_of.is_some()) {
            continue;
        }
        let on_table = |f: Finding| match table {
            Some(t) => f.on_table(t),
            None => f,
        };
        let Some(at) = pos(x) else { continue };
        if steps[at.0].deployed {
            continue;
        }
        let others: Vec<&Index> =
            by_table.get(&x.table).into_iter().flatten().copied().filter(|y| y.name != x.name).collect();
        // An index identical to an older one is duplicate-index's finding; one is enough.
        let first = |y: &Index| pos(y).is_none_or(|p| p < at || (p == at && y.name < x.name));
        if others.iter().any(|y| schema_facts::duplicates(x, y) && first(y)) {
            continue;
        }
        let origin = x.origin.created;
        let span = || {
            let text = schema_facts::text_of(cx, origin);
            schema_facts::word_in(origin, text, x.constraint.as_deref().unwrap_or(&x.name.name)).unwrap_or(origin)
        };
        // The new index is redundant given one that came before it (or with it).
        if let Some(y) = others.iter().find(|y| schema_facts::covered_by(x, y) && pos(y).is_none_or(|p| p <= at)) {
            let mut f = Finding::new(format!(
                "{} {} is redundant: {} {} starts with the same keys and serves the same lookups",
                schema_facts::index_label(x),
                schema_facts::index_keys(x),
                schema_facts::index_label(y),
                schema_facts::index_keys(y),
            ))
            .help("Do not create this index.")
            .at(span());
            if create_indexes.at(origin) {
                let file_text = cx.analysis.files.get(origin.file as usize).map_or("", |f| f.text.as_ref());
                f = f.fix("Remove the redundant index", schema_facts::whole_statement(file_text, origin), "");
            }
            out.push(on_table(f));
        }
        // An older index is redundant now (unless another older one already covered it: it was reported
        // when that one came).
        let older: Vec<&Index> = others.iter().copied().filter(|y| pos(y).is_none_or(|p| p < at)).collect();
        let already = |y: &Index| older.iter().any(|z| schema_facts::covered_by(y, z));
        for y in older.iter().filter(|y| schema_facts::covered_by(y, x) && !already(y)) {
            let help = if y.origin.created.file == origin.file {
                format!("Remove the CREATE INDEX of {} earlier in this migration.", relation_name(&y.name))
            } else {
                format!(
                    "Drop it once this index is built: DROP INDEX CONCURRENTLY {}; in a migration that runs outside a transaction.",
                    relation_name(&y.name)
                )
            };
            out.push(on_table(
                Finding::new(format!(
                    "{} {} on {} is now redundant: the new {} {} starts with the same keys and serves the same lookups",
                    schema_facts::index_label(y),
                    schema_facts::index_keys(y),
                    relation_name(&y.table),
                    schema_facts::index_label(x),
                    schema_facts::index_keys(x),
                ))
                .help(help)
                .at(span()),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    fn messages(sql: &str) -> Vec<String> {
        findings(&RULE, sql).into_iter().map(|d| String::from(d.message)).collect()
    }

    #[test]
    fn a_new_narrow_index_is_redundant() {
        let d = findings(&RULE, RULE.bad);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].message,
            "index orders_customer_id_idx (customer_id) is redundant: index orders_customer_id_created_at_idx \
             (customer_id, created_at) starts with the same keys and serves the same lookups"
        );
        assert!(d[0].fix.is_some());
    }

    #[test]
    fn a_new_wide_index_makes_an_old_one_redundant() {
        let d = findings(
            &RULE,
            "CREATE INDEX orders_c_idx ON orders (created_at, customer_id);\nCREATE INDEX orders_c2_idx ON orders (created_at, customer_id, id);\n",
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.starts_with(
                "index orders_c_idx (created_at, customer_id) on orders is now redundant: the new index orders_c2_idx"
            ),
            "{}",
            d[0].message
        );
        assert!(d[0].help.as_deref().unwrap_or("").contains("earlier in this migration"));
    }

    #[test]
    fn a_guarded_constraint_is_pointed_at_where_it_is_added() {
        // The setup's index (customer_id, created_at) is redundant now. The guard's string names the
        // constraint first; the finding points at the ADD CONSTRAINT.
        let sql = "DO $$\nBEGIN\n    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'orders_c_key') THEN\n        \
                   ALTER TABLE orders ADD CONSTRAINT orders_c_key UNIQUE (customer_id, created_at);\n    END IF;\nEND $$;\n";
        let d = findings(&RULE, sql);
        assert_eq!(d.len(), 1, "{d:?}");
        let at = sql.find("CONSTRAINT orders_c_key").map(|i| i + "CONSTRAINT ".len());
        assert_eq!(Some(d[0].span.start as usize), at, "{}", d[0].message);
    }

    #[test]
    fn what_is_not_redundant() {
        for sql in [
            // Unique: it enforces something.
            "CREATE UNIQUE INDEX orders_customer_id_key ON orders (customer_id);",
            // Not a prefix.
            "CREATE INDEX orders_created_at_idx ON orders (created_at);",
            // Other ordering, predicate, method, operator class.
            "CREATE INDEX orders_c_idx ON orders (customer_id DESC);",
            "CREATE INDEX orders_c_idx ON orders (customer_id) WHERE created_at > '2024-01-01';",
            "CREATE INDEX orders_c_idx ON orders USING hash (customer_id);",
            // Identical: duplicate-index reports it.
            "CREATE INDEX orders_c_idx ON orders (customer_id, created_at);",
            // INCLUDE of a column the wider index lacks.
            "CREATE INDEX orders_c_idx ON orders (customer_id) INCLUDE (id);",
        ] {
            assert!(messages(sql).is_empty(), "{sql}");
        }
        assert_eq!(messages("CREATE INDEX orders_c_idx ON orders (customer_id) INCLUDE (created_at);").len(), 1);
    }

    #[test]
    fn reported_once_per_pair() {
        // The new index duplicates an existing one: duplicate-index says so.
        assert!(messages("CREATE INDEX orders_c_idx ON orders (customer_id, created_at);").is_empty());
        // orders_a was redundant before orders_c came: it was reported then.
        let sql = "CREATE INDEX orders_a ON orders (customer_id, created_at, id);\n\
                   CREATE INDEX orders_c ON orders (customer_id, created_at, id DESC);\n";
        let m = messages(sql);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].contains("the new index orders_a"), "{}", m[0]);
    }

    #[test]
    fn an_index_dropped_later_is_not_reported() {
        let sql = "CREATE INDEX orders_c3 ON orders (customer_id, created_at, id);\n\
                   DROP INDEX orders_customer_id_created_at_idx;\n";
        assert!(messages(sql).is_empty());
        let later = "-- file: 002_a.sql\nCREATE INDEX orders_customer_id_idx ON orders (customer_id);\n\
                     -- file: 003_b.sql\nDROP INDEX orders_customer_id_idx;\n";
        assert!(messages(later).is_empty());
    }

    #[test]
    fn a_primary_key_covers_a_plain_index_on_its_columns() {
        let m = messages("CREATE INDEX orders_id_idx ON orders (id);");
        assert_eq!(m.len(), 1);
        assert!(m[0].contains("primary key orders_pkey (id)"), "{}", m[0]);
    }

    #[test]
    fn a_unique_constraint_over_a_plain_index_makes_it_redundant() {
        let m = messages(
            "ALTER TABLE orders ADD CONSTRAINT orders_customer_created_key UNIQUE (customer_id, created_at, id);",
        );
        assert_eq!(m.len(), 1);
        assert!(
            m[0].contains(
                "index orders_customer_id_created_at_idx (customer_id, created_at) on orders is now redundant"
            ),
            "{}",
            m[0]
        );
    }
}
