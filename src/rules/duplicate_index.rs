//! A second index identical to one the table already has (a unique constraint's index included).

use super::schema_facts;
use super::{Check, Family, Finding, FolderCx, Rule};
use rustc_hash::FxHashMap as HashMap;

use crate::catalog::model::{Catalog, Index, QualName};
use crate::catalog::names::{quote_ident, relation_name};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "duplicate-index",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Schema,
    summary: "An index identical to another index of the same table",
    why: "Two indexes with the same keys, method, predicate and uniqueness serve exactly the same queries, \
          but every INSERT, every UPDATE of an indexed column and every DELETE maintains both, the table's \
          disk and cache footprint grows, and VACUUM has twice the work. It usually happens by accident: a \
          CREATE UNIQUE INDEX on columns a UNIQUE constraint or the primary key already covers (PostgreSQL \
          builds an index for every primary key and unique constraint), or an index created again under \
          another name.\n\n\
          The rule compares the keys with their operator classes, collations and ordering, the INCLUDE \
          columns, the partial-index predicate, the method and uniqueness. It reports on the statement that \
          creates the second index, naming the first, when both still exist at the end of the history: \
          building a new index before dropping the old one (the way to replace an index without blocking \
          writes, often over two migrations) is not reported. Indexes of partitions are judged on their \
          partitioned table. An index with the same leading keys but more columns is the business of \
          `redundant-index`.",
    setup: "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL UNIQUE);",
    bad: "CREATE UNIQUE INDEX users_email_idx ON users (email);",
    good: "CREATE UNIQUE INDEX users_lower_email_idx ON users (lower(email));",
    fix: "Remove the second index: the first already does its job. When a new constraint duplicates an \
          existing unique index, build the constraint on that index instead: \
          `ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;`.",
    check: Check::Folder(check),
};

fn label(index: &Index) -> String {
    schema_facts::index_label(index)
}

/// Whether the index takes part in the comparison.
/// The indexes compared, by table: not those on a partition, nor a deferrable constraint's (each
/// table looked up once).
fn compared<'c>(
    catalog: &'c Catalog,
    mut by_table: HashMap<&'c QualName, Vec<&'c Index>>,
) -> HashMap<&'c QualName, Vec<&'c Index>> {
    by_table.retain(|table, indexes| {
        let t = catalog.table(table);
        if t.is_some_and(|t| t.partition_of.is_some()) {
            return false;
        }
        let deferrable = |i: &Index| {
            let constraint = i.constraint.as_ref().and_then(|c| t.and_then(|t| t.constraint(c)));
            constraint.is_some_and(|c| c.deferrable)
        };
        indexes.retain(|i| !deferrable(i));
        true
    });
    by_table
}

fn check(cx: &FolderCx<'_>, out: &mut Vec<Finding>) {
    let steps = schema_facts::steps(cx);
    let positions = schema_facts::Positions::new(&steps);
    let last = schema_facts::final_catalog(cx);
    let judged = schema_facts::judged_indexes(cx, last);
    let create_indexes = schema_facts::CreateIndexes::new(cx);
    let by_table = compared(last, judged.by_table);
    for (x, table) in judged.list {
        let on_table = |f: Finding| match table {
            Some(t) => f.on_table(t),
            None => f,
        };
        let Some(group) = by_table.get(&x.table).filter(|g| g.iter().any(|y| std::ptr::eq(*y, x))) else {
            continue;
        };
        let Some(at) = positions.of(x.origin.created) else { continue };
        if steps[at.0].deployed {
            continue;
        }
        // The first of the pair: created earlier (or by the prelude), or by the same statement with a name
        // that sorts first.
        let first = group
            .iter()
            .copied()
            .filter(|y| schema_facts::duplicates(x, y))
            .filter(|y| positions.of(y.origin.created).is_none_or(|p| p < at || (p == at && y.name < x.name)))
            .min_by_key(|y| positions.of(y.origin.created));
        let Some(y) = first else { continue };
        out.push(on_table(finding(cx, &create_indexes, x, y)));
    }
}

fn finding(cx: &FolderCx<'_>, create_indexes: &schema_facts::CreateIndexes<'_>, x: &Index, y: &Index) -> Finding {
    let origin = x.origin.created;
    let text = schema_facts::text_of(cx, origin);
    let message = format!(
        "{} duplicates {} on {}: both index {} the same way, so every write maintains two identical indexes",
        label(x),
        label(y),
        relation_name(&x.table),
        schema_facts::index_keys(x),
    );
    let name = x.constraint.as_deref().unwrap_or(&x.name.name);
    let at = schema_facts::word_in(origin, text, name).unwrap_or(origin);
    let file_text = cx.analysis.files.get(origin.file as usize).map_or("", |f| f.text.as_ref());
    let mut f = Finding::new(message).at(at);
    match (&x.constraint, &y.constraint) {
        (None, _) => {
            f = f.help(format!("Remove this index: {} already serves the same lookups.", label(y)));
            if create_indexes.at(origin) {
                f = f.fix("Remove the duplicate index", schema_facts::whole_statement(file_text, origin), "");
            }
        }
        (Some(c), None) if y.unique && !x.primary => {
            f = f.help(format!(
                "Build the constraint on the existing index instead: ALTER TABLE {} ADD CONSTRAINT {} UNIQUE USING INDEX {};",
                relation_name(&x.table),
                quote_ident(c),
                quote_ident(&y.name.name)
            ));
        }
        _ => {
            f = f.help(format!("Keep one of the two: drop {} or do without the new one.", label(y)));
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    fn messages(sql: &str) -> Vec<String> {
        findings(&RULE, sql).into_iter().map(|d| String::from(d.message)).collect()
    }

    #[test]
    fn the_bad_example_names_the_constraint() {
        let d = findings(&RULE, RULE.bad);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].message,
            "index users_email_idx duplicates unique constraint users_email_key on users: both index (email) the \
             same way, so every write maintains two identical indexes"
        );
        assert_eq!(&RULE.bad[d[0].span.range()], "users_email_idx");
        let fix = d[0].fix.clone().expect("a CREATE INDEX can go");
        assert_eq!(fix.span.range(), 0..RULE.bad.len());
    }

    #[test]
    fn differences_that_matter() {
        for sql in [
            "CREATE INDEX users_email_idx ON users (email);",
            "CREATE UNIQUE INDEX users_email_idx ON users (email) WHERE id > 0;",
            "CREATE UNIQUE INDEX users_email_idx ON users (email DESC);",
            "CREATE UNIQUE INDEX users_email_idx ON users (email text_pattern_ops);",
            "CREATE UNIQUE INDEX users_email_idx ON users USING btree (email) INCLUDE (id);",
            "CREATE INDEX users_email_hash ON users USING hash (email);",
        ] {
            assert!(messages(sql).is_empty(), "{sql}");
        }
    }

    #[test]
    fn the_second_index_is_reported_once() {
        // PostgreSQL itself keeps one index for `PRIMARY KEY UNIQUE` in a CREATE TABLE.
        assert!(messages("CREATE TABLE t (id int PRIMARY KEY UNIQUE);").is_empty());
        let m = messages("CREATE TABLE t (id int PRIMARY KEY);\nALTER TABLE t ADD CONSTRAINT t_id_key UNIQUE (id);\n");
        assert_eq!(
            m,
            vec![
                "unique constraint t_id_key duplicates primary key t_pkey on t: both index (id) the same way, so every write maintains two identical indexes"
            ]
        );
        let m = messages(
            "CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);\nCREATE INDEX IF NOT EXISTS t_a ON t (a);\nCREATE INDEX t_b ON t (a);\n",
        );
        assert_eq!(m.len(), 1);
        assert!(m[0].starts_with("index t_b duplicates index t_a"), "{}", m[0]);
    }

    #[test]
    fn a_constraint_over_an_existing_index_is_told_to_use_it() {
        let d = findings(
            &RULE,
            "CREATE UNIQUE INDEX users_id_email ON users (id, email);\nALTER TABLE users ADD CONSTRAINT users_id_email_key UNIQUE (id, email);\n",
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].help.as_deref().unwrap_or("").contains("UNIQUE USING INDEX users_id_email"));
        assert!(d[0].fix.is_none());
    }

    #[test]
    fn replacing_an_index_is_not_a_duplicate() {
        let swap = "-- file: 002_build.sql\n-- no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY users_email_new ON users (email);\n\
                    -- file: 003_swap.sql\nALTER TABLE users DROP CONSTRAINT users_email_key, \
                    ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_new;\n";
        assert!(messages(swap).is_empty());
        let same_file =
            "CREATE INDEX a1 ON users (id, email);\nCREATE INDEX a2 ON users (id, email);\nDROP INDEX a1;\n";
        assert!(messages(same_file).is_empty());
    }

    #[test]
    fn deployed_migrations_are_left_alone() {
        use crate::analysis::{Options, analyze};
        let files = super::super::tests::example_files(RULE.setup, RULE.bad);
        let mut options = Options { rules: super::super::RuleConfig::only(RULE.id), ..Options::default() };
        options.rules.deployed = Some("002".into());
        assert!(analyze(files, &options).diagnostics.iter().all(|d| d.rule != RULE.id));
    }

    #[test]
    fn renames_and_partitions_are_not_new_indexes() {
        assert!(messages("ALTER INDEX users_email_key RENAME TO users_email_uq;").is_empty());
        let sql = "CREATE TABLE m (id int, at date) PARTITION BY RANGE (at);\nCREATE INDEX m_at ON m (at);\n\
                   CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n";
        assert!(messages(sql).is_empty());
    }
}
