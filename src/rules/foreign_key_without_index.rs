//! A foreign key whose columns lead no index of the referencing table: deleting a referenced row (or
//! changing its key) scans the whole referencing table.

use super::schema_facts::{self, Step};
use super::{Check, Family, Finding, FolderCx, Rule};
use crate::catalog::QualName;
use crate::catalog::model::{Catalog, ConstraintKind, FkAction, ForeignKey, Index, Table};
use crate::catalog::names::{self, quote_ident, relation_name};
use crate::diagnostic::Severity;
use crate::span::Span;

pub const RULE: Rule = Rule {
    id: "foreign-key-without-index",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Schema,
    summary: "A foreign key whose columns are not the leading columns of any index on the referencing table",
    why: "PostgreSQL requires an index on the referenced side of a foreign key (its primary key or unique \
          constraint) but creates none on the referencing side. Every DELETE of a referenced row, and every \
          UPDATE of its key, must look for the rows that reference it: without an index whose leading columns \
          are the foreign key's columns, that is a sequential scan of the whole referencing table, once per \
          deleted row, while the referenced row stays locked. ON DELETE CASCADE and SET NULL do the same scan \
          to find the rows to change, and joins from the parent to its children scan too.\n\n\
          The rule judges each migration as a whole: an index created later in the same migration, or in a \
          later migration, settles it. It reports where the foreign key is created, or where the last index \
          that served it is dropped, and only when no index serves the foreign key at the end of the history. \
          A btree index whose first columns are the foreign key's columns, in any order, serves it (a primary \
          key or unique constraint counts); a partial index does not, unless its condition only leaves out \
          rows where the foreign key's columns are NULL (`WHERE customer_id IS NOT NULL`).",
    setup: "CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);",
    bad: "CREATE TABLE orders (\n    id bigint PRIMARY KEY,\n    customer_id bigint NOT NULL REFERENCES customers (id),\n    \
          total numeric NOT NULL\n);\n",
    good: "CREATE TABLE orders (\n    id bigint PRIMARY KEY,\n    customer_id bigint NOT NULL REFERENCES customers (id),\n    \
           total numeric NOT NULL\n);\nCREATE INDEX orders_customer_id_idx ON orders (customer_id);\n",
    fix: "Create an index whose leading columns are the foreign key's columns, e.g. \
          `CREATE INDEX orders_customer_id_idx ON orders (customer_id);` (the finding's help gives the exact \
          statement). Put it right after the table when the migration creates the table; on a table already in \
          use, write CREATE INDEX CONCURRENTLY in a migration that runs outside a transaction (it may be the \
          next migration). An index on (customer_id, created_at) serves too. When rows of the referenced table \
          are never deleted and their keys never change (a small lookup table), silence the rule on the \
          statement with `-- schema-playground:ignore foreign-key-without-index`.",
    check: Check::Folder(check),
};

/// Whether `catalog` has the foreign key `name` of the table `oid`, with no index serving it.
fn unserved(catalog: &Catalog, oid: u32, name: &str) -> bool {
    schema_facts::foreign_key(catalog, oid, name)
        .is_some_and(|(t, fk)| schema_facts::covering_indexes(catalog, t, &fk.columns).is_empty())
}

fn check(cx: &FolderCx<'_>, out: &mut Vec<Finding>) {
    let steps = schema_facts::steps(cx);
    let touched = schema_facts::touched_tables(cx, &steps);
    let last = schema_facts::final_catalog(cx);
    for table in last.tables.values().filter(|t| cx.judges(t.oid)) {
        let mut on_table: Option<Vec<&Index>> = None;
        for c in &table.constraints {
            let ConstraintKind::ForeignKey(fk) = &c.kind else { continue };
            // A partition's copy of its parent's key is judged with the parent's.
            if c.parent.is_some() {
                continue;
            }
            // The table's indexes at the end, read once per table that has a foreign key.
            let on_table = on_table.get_or_insert_with(|| last.indexes_of(&table.name).collect());
            if on_table.iter().any(|i| schema_facts::index_covers(i, &fk.columns)) {
                continue;
            }
            let unserved_in = |cat: &Catalog| unserved(cat, table.oid, &c.name);
            let Some(step) = schema_facts::became_true_on(&steps, &touched, table.oid, unserved_in) else {
                continue;
            };
            if step.deployed {
                continue;
            }
            let finding = match schema_facts::foreign_key(step.before, table.oid, &c.name) {
                None => created(cx, step, last, table.oid, &c.name),
                Some((old_table, old_fk)) => index_dropped(cx, step, last, old_table, &c.name, old_fk),
            };
            out.extend(finding.map(|f| f.on_table(table)));
        }
    }
}

/// `(a, b)`.
fn column_list(columns: &[String]) -> String {
    let cols: Vec<String> = columns.iter().map(|c| quote_ident(c)).collect();
    format!("({})", cols.join(", "))
}

/// What the referenced table's writes do to find the referencing rows.
fn consequence(table: &Table, fk: &ForeignKey) -> String {
    let target = relation_name(&table.name);
    let referenced = relation_name(&fk.ref_table);
    let what = match fk.on_delete {
        FkAction::Cascade => "to find the rows to delete with it",
        FkAction::SetNull | FkAction::SetDefault => "to find the rows to reset",
        FkAction::NoAction | FkAction::Restrict => "for rows that reference it",
    };
    let key = match fk.ref_columns.as_slice() {
        [one] => format!("{referenced}.{}", quote_ident(one)),
        many => format!("{referenced} {}", column_list(many)),
    };
    format!("every DELETE on {referenced} (and UPDATE of {key}) scans all of {target} {what}")
}

/// `CREATE INDEX name ON table (cols);` with a name free both where it would go and at the end of the
/// history. `looked_up` receives the names looked up at the end of the history.
fn index_sql(
    at: &Catalog,
    last: &Catalog,
    table: &Table,
    columns: &[String],
    concurrently: bool,
    looked_up: &mut Vec<QualName>,
) -> String {
    let addition = names::index_name_addition(columns);
    let mut taken = Vec::new();
    let name = loop {
        let n = names::choose_relation_name(
            at,
            &table.name.schema,
            &table.name.name,
            Some(&addition),
            "idx",
            false,
            &taken,
        );
        let candidate = QualName::new(table.name.schema.clone(), n.clone());
        let free = !last.relation_exists(&candidate);
        looked_up.push(candidate);
        if free {
            break n;
        }
        taken.push(n);
    };
    let how = if concurrently { "INDEX CONCURRENTLY IF NOT EXISTS" } else { "INDEX IF NOT EXISTS" };
    format!("CREATE {how} {} ON {} {};", quote_ident(&name), relation_name(&table.name), column_list(columns))
}

/// The foreign key is new in this migration and nothing in it (or after it) indexes its columns.
fn created(cx: &FolderCx<'_>, step: &Step<'_>, last: &Catalog, oid: u32, name: &str) -> Option<Finding> {
    let (table, fk) = schema_facts::foreign_key(step.after, oid, name)?;
    let origin = table.constraint(name)?.origin.created;
    // A foreign key renamed in this migration is not new: leave it to the migration that made it.
    if origin.file != step.file || origin.end <= origin.start {
        return None;
    }
    let text = schema_facts::text_of(cx, origin);
    let at = schema_facts::fk_span(origin, text, name, fk);
    let message = format!(
        "foreign key {} on {} {} has no index on its columns: {}",
        quote_ident(name),
        relation_name(&table.name),
        column_list(&fk.columns),
        consequence(table, fk)
    );
    let new_table = !step.before.had_table_oid(oid);
    let mut looked_up = Vec::new();
    let finding = if new_table {
        let sql = index_sql(step.after, last, table, &fk.columns, false, &mut looked_up);
        let file_text = cx.analysis.files.get(step.file as usize).map_or("", |f| f.text.as_ref());
        let insert = schema_facts::after_statement(file_text, origin);
        Finding::new(message).help(format!("Create the index in the same migration: {sql}")).fix(
            "Create the index",
            insert,
            format!("\n{sql}"),
        )
    } else {
        let sql = index_sql(step.after, last, table, &fk.columns, true, &mut looked_up);
        Finding::new(message).help(format!(
            "Create the index without blocking writes, in a migration that runs outside a transaction: {sql}"
        ))
    };
    Some(Finding { free_names: looked_up, ..finding.at(at) })
}

/// The foreign key had an index and this migration removed the last one.
fn index_dropped(
    cx: &FolderCx<'_>,
    step: &Step<'_>,
    last: &Catalog,
    old_table: &Table,
    name: &str,
    old_fk: &ForeignKey,
) -> Option<Finding> {
    let lost = schema_facts::covering_indexes(step.before, old_table, &old_fk.columns);
    let (table, fk) = schema_facts::foreign_key(step.after, old_table.oid, name)?;
    // The statement that removed it: the one naming a lost index, else one naming the table.
    let mut at: Option<(Span, String)> = None;
    for s in schema_facts::statements_of(cx, step).filter(|s| s.applied) {
        let text = schema_facts::text_of(cx, s.span);
        if let Some(idx) = lost.iter().find(|i| schema_facts::mentions(text, &i.name.name)) {
            let span = schema_facts::word_in(s.span, text, &idx.name.name).unwrap_or(s.span);
            at = Some((span, schema_facts::index_label(idx)));
            break;
        }
        if at.is_none() && schema_facts::mentions(text, &old_table.name.name) && s.kind.starts_with("ALTER") {
            let label = lost.first().map(|i| schema_facts::index_label(i)).unwrap_or_else(|| "its index".into());
            at = Some((s.span, label));
        }
    }
    let (span, label) = at?;
    let mut looked_up = Vec::new();
    let sql = index_sql(step.after, last, table, &fk.columns, true, &mut looked_up);
    Some(Finding {
        free_names: looked_up,
        ..Finding::new(format!(
            "this removes {label}, the last index serving foreign key {} on {} {}: {}",
            quote_ident(name),
            relation_name(&table.name),
            column_list(&fk.columns),
            consequence(table, fk)
        ))
        .help(format!("Keep an index whose leading columns are the foreign key's, e.g. {sql}"))
        .at(span)
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    fn messages(sql: &str) -> Vec<String> {
        findings(&RULE, sql).into_iter().map(|d| String::from(d.message)).collect()
    }

    #[test]
    fn an_index_later_in_the_migration_or_a_later_migration_settles_it() {
        let later = "ALTER TABLE customers ADD COLUMN referrer_id bigint REFERENCES customers (id);\n\
                     CREATE INDEX customers_referrer_idx ON customers (referrer_id, name);\n";
        assert!(messages(later).is_empty());
        let next = "-- file: 002_fk.sql\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers);\n\
                    -- file: 003_idx.sql\n-- no-transaction\nCREATE INDEX CONCURRENTLY orders_c_idx ON orders (customer_id);\n";
        assert!(messages(next).is_empty());
    }

    #[test]
    fn only_leading_full_indexes_serve() {
        let trailing = "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers, day date);\n\
                        CREATE INDEX orders_day_customer_idx ON orders (day, customer_id);\n";
        assert_eq!(messages(trailing).len(), 1);
        let partial = "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers);\n\
                       CREATE INDEX orders_c_idx ON orders (customer_id) WHERE customer_id IS NOT NULL;\n";
        assert_eq!(messages(partial.replace("IS NOT NULL", "> 0").as_str()).len(), 1);
        assert!(messages(partial).is_empty(), "a lookup by value never finds NULLs");
        let composite = "CREATE TABLE lines (order_id bigint, n int, customer_id bigint REFERENCES customers,\n\
                         PRIMARY KEY (customer_id, order_id, n));\n";
        assert!(messages(composite).is_empty());
    }

    #[test]
    fn composite_keys_match_in_any_order() {
        let sql = "CREATE TABLE regions (country text, code text, PRIMARY KEY (country, code));\n\
                   CREATE TABLE shops (id int PRIMARY KEY, country text, code text,\n\
                   FOREIGN KEY (country, code) REFERENCES regions);\n\
                   CREATE INDEX shops_region_idx ON shops (code, country);\n";
        assert!(messages(sql).is_empty());
    }

    #[test]
    fn reported_once_where_it_is_created_with_the_index_to_create() {
        let d = findings(&RULE, RULE.bad);
        assert_eq!(d.len(), 1);
        let text = RULE.bad;
        assert_eq!(
            &text[d[0].span.range()],
            "customer_id bigint NOT NULL REFERENCES customers (id),",
            "the line that declares it"
        );
        assert!(d[0].message.contains("orders_customer_id_fkey"), "{}", d[0].message);
        let help = d[0].help.clone().unwrap_or_default();
        assert!(help.contains("CREATE INDEX IF NOT EXISTS orders_customer_id_idx ON orders (customer_id);"), "{help}");
        let fix = d[0].fix.clone().expect("a fix for a new table");
        assert_eq!(fix.replacement, "\nCREATE INDEX IF NOT EXISTS orders_customer_id_idx ON orders (customer_id);");
        assert_eq!(fix.span.start as usize, text.find(");\n").unwrap_or(0) + 2);
    }

    #[test]
    fn on_a_table_in_use_the_help_says_concurrently() {
        let sql = "ALTER TABLE customers ADD COLUMN referrer_id bigint;\n\
                   ALTER TABLE customers ADD CONSTRAINT customers_referrer_fk FOREIGN KEY (referrer_id) REFERENCES customers;\n";
        let d = findings(&RULE, sql);
        assert_eq!(d.len(), 1);
        assert_eq!(&sql[d[0].span.range()], "customers_referrer_fk");
        assert!(d[0].fix.is_none());
        assert!(
            d[0].help
                .as_deref()
                .unwrap_or("")
                .contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS customers_referrer_id_idx")
        );
    }

    #[test]
    fn dropping_the_last_index_is_reported_at_the_drop() {
        let sql = "-- file: 002_fk.sql\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers);\n\
                   CREATE INDEX orders_c_idx ON orders (customer_id);\n\
                   -- file: 003_drop.sql\nDROP INDEX orders_c_idx;\n";
        let d = findings(&RULE, sql);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("removes index orders_c_idx"), "{}", d[0].message);
        assert_eq!(d[0].span.file, 2);
        let replaced = "-- file: 002_fk.sql\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers);\n\
                        CREATE INDEX orders_c_idx ON orders (customer_id);\n\
                        -- file: 003_swap.sql\nDROP INDEX orders_c_idx;\nCREATE INDEX orders_c2_idx ON orders (customer_id, id);\n";
        assert!(messages(replaced).is_empty());
    }

    #[test]
    fn a_foreign_key_dropped_later_is_not_reported() {
        let sql = "-- file: 002_fk.sql\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers);\n\
                   -- file: 003_drop.sql\nALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey;\n";
        assert!(messages(sql).is_empty());
    }

    #[test]
    fn deployed_migrations_are_left_alone() {
        use crate::analysis::{Options, analyze};
        let files = super::super::tests::example_files(RULE.setup, RULE.bad);
        let mut options = Options { rules: super::super::RuleConfig::only(RULE.id), ..Options::default() };
        options.rules.deployed = Some("002".into());
        let analysis = analyze(files, &options);
        assert!(analysis.diagnostics.iter().all(|d| d.rule != RULE.id));
    }
}
