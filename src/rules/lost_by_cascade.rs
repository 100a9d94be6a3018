//! Objects a statement removes without naming them: the dependents DROP … CASCADE takes along, the
//! indexes, constraints and triggers DROP COLUMN takes with the column.

use sqlparser::ast::{AlterColumnOperation, AlterTableOperation, ObjectName, ObjectType, Statement};

use super::{Check, Family, Finding, Rule, StatementCx};
use super::{removals, schema_facts};
use imbl::ordmap::DiffItem;

use crate::catalog::QualName;
use crate::catalog::model::Catalog;
use crate::catalog::names::{self, quote_ident, relation_name};
use crate::diagnostic::Severity;
use crate::sql::alter_table::AlterPart;
use crate::sql::parse::Parsed;

pub const RULE: Rule = Rule {
    id: "lost-by-cascade",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Schema,
    summary: "A statement that silently removes objects besides the one it names",
    why: "Some statements remove more than they say. DROP … CASCADE drops every object that depends on \
          its target: the foreign keys of other tables that reference a dropped table, the views that read it, \
          the triggers that call a dropped function, the columns of a dropped type. DROP COLUMN removes, \
          without CASCADE, every index and constraint of the table that involves the column, including an \
          index on (tenant_id, old_column) that other queries relied on for tenant_id, and with CASCADE the \
          views and foreign keys that use it. Nothing in the migration lists what went, and reviewers see \
          one line.\n\n\
          The rule compares the schema before and after the statement and names every index, constraint, \
          trigger, policy, view, column and column default that disappeared besides the statement's own \
          target: the dropped table with its own indexes, constraints and triggers; the dropped column with \
          the indexes and constraints on that column alone. ALTER COLUMN … TYPE is compared too, though \
          PostgreSQL rebuilds the column's indexes and constraints rather than dropping them (and refuses \
          the change while a view uses the column), so it normally loses nothing.",
    setup: "CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);\n\
            CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));\n\
            CREATE VIEW customer_names AS SELECT id, name FROM customers;",
    bad: "DROP TABLE customers CASCADE;",
    good: "DROP VIEW customer_names;\nALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey;\nDROP TABLE customers;\n",
    fix: "Drop the dependent objects explicitly before the statement (and drop CASCADE), so that the migration \
          says what it removes; recreate after it the ones still needed, such as an index on the columns that \
          remain.",
    check: Check::Statement(check),
};

/// What the statement names: the objects it is meant to remove.
#[derive(Default)]
struct Target {
    what: String,
    tables: Vec<u32>,
    schemas: Vec<String>,
    views: Vec<QualName>,
    indexes: Vec<QualName>,
    /// ALTER TABLE: the table, and the columns and constraints it drops.
    table: Option<u32>,
    columns: Vec<String>,
    constraints: Vec<String>,
}

fn list(names: &[ObjectName]) -> String {
    names.iter().map(names::object_name).collect::<Vec<_>>().join(", ")
}

fn target(cx: &StatementCx<'_>) -> Option<Target> {
    let before = cx.before;
    match cx.parsed {
        Parsed::Statement(stmt, _) => match &**stmt {
            Statement::Drop { object_type, names: objects, .. } => {
                let mut t = Target { what: format!("DROP {object_type} {}", list(objects)), ..Target::default() };
                for n in objects {
                    let q = before.resolve(n);
                    match object_type {
                        ObjectType::Table => t.tables.extend(before.table(&q).map(|x| x.oid)),
                        ObjectType::View | ObjectType::MaterializedView => t.views.push(q),
                        ObjectType::Index => t.indexes.push(q),
                        ObjectType::Schema => t.schemas.extend(names::parts(n).last().cloned()),
                        ObjectType::Sequence | ObjectType::Type => {}
                        _ => return None,
                    }
                }
                Some(t)
            }
            Statement::DropFunction(df) => {
                let fns: Vec<String> = df.func_desc.iter().map(|d| names::object_name(&d.name)).collect();
                Some(Target { what: format!("DROP FUNCTION {}", fns.join(", ")), ..Target::default() })
            }
            Statement::DropDomain(dd) => {
                Some(Target { what: format!("DROP DOMAIN {}", names::object_name(&dd.name)), ..Target::default() })
            }
            Statement::AlterTable(at) => alter_target(before, &at.name, at.operations.iter()),
            _ => None,
        },
        Parsed::AlterTableParts { parts, .. } => {
            let mut name = None;
            let mut ops = Vec::new();
            for p in parts {
                if let AlterPart::Parsed(s) = p
                    && let Statement::AlterTable(at) = &**s
                {
                    name.get_or_insert(&at.name);
                    ops.extend(at.operations.iter());
                }
            }
            alter_target(before, name?, ops.into_iter())
        }
        _ => None,
    }
}

/// An ALTER TABLE that drops columns or constraints or changes a column's type; `None` for the others
/// (they remove nothing, and a rename would look like a loss).
fn alter_target<'a>(
    before: &Catalog,
    name: &ObjectName,
    ops: impl Iterator<Item = &'a AlterTableOperation>,
) -> Option<Target> {
    let table = before.table(&before.resolve(name))?;
    let mut t = Target { table: Some(table.oid), ..Target::default() };
    let mut pieces = Vec::new();
    for op in ops {
        match op {
            AlterTableOperation::DropColumn { column_names, .. } => {
                let cols: Vec<String> = column_names.iter().map(names::fold).collect();
                pieces.push(format!(
                    "DROP COLUMN {}",
                    cols.iter().map(|c| quote_ident(c)).collect::<Vec<_>>().join(", ")
                ));
                t.columns.extend(cols);
            }
            AlterTableOperation::DropConstraint { name, .. } => {
                let c = names::fold(name);
                pieces.push(format!("DROP CONSTRAINT {}", quote_ident(&c)));
                t.constraints.push(c);
            }
            AlterTableOperation::DropPrimaryKey { .. } => {
                pieces.push("DROP PRIMARY KEY".into());
                t.constraints.extend(table.primary_key().map(|c| c.name.to_string()));
            }
            AlterTableOperation::AlterColumn { column_name, op: AlterColumnOperation::SetDataType { .. } } => {
                pieces.push(format!("ALTER COLUMN {} TYPE", quote_ident(&names::fold(column_name))));
            }
            _ => {}
        }
    }
    if pieces.is_empty() {
        return None;
    }
    t.what = format!("ALTER TABLE {} {}", relation_name(&table.name), pieces.join(", "));
    Some(t)
}

/// The old value of an entry that a diff removed or changed.
fn removed<'a, K, V>(item: DiffItem<'a, '_, K, V>) -> Option<&'a V> {
    removals::old(item).map(|(_, v)| v)
}

/// Whether `table` is the statement's target table or one of its partitions, which PostgreSQL changes
/// with it (a column dropped from a partitioned table is dropped from every partition).
fn is_target(before: &Catalog, t: &Target, table: &crate::catalog::model::Table) -> bool {
    let Some(target) = t.table else { return false };
    std::iter::once(table).chain(before.partition_ancestors(table)).any(|tb| tb.oid == target)
}

/// Everything that was in `before` and is not in `after`, besides the target.
fn lost(before: &Catalog, after: &Catalog, t: &Target) -> Vec<String> {
    let mut out = Vec::new();
    let mut lost_constraints: Vec<(u32, String)> = Vec::new();
    // Only what differs is visited: the catalogs share everything the statement left alone.
    for v in before.views.diff(&after.views).filter_map(removed) {
        if !after.views.contains_key(&v.name)
            && !t.views.contains(&v.name)
            && !t.schemas.iter().any(|s| *s == v.name.schema)
        {
            let kind = if v.materialized { "materialized view" } else { "view" };
            out.push(format!("{kind} {}", relation_name(&v.name)));
        }
    }
    let mut columns = Vec::new();
    let mut details = Vec::new();
    for tb in before.tables.diff(&after.tables).filter_map(removed) {
        let owned = t.tables.contains(&tb.oid) || t.schemas.iter().any(|s| *s == tb.name.schema);
        let Some(ta) = after.table_with_oid(tb.oid, &tb.name) else {
            if !owned {
                out.push(format!("table {}", relation_name(&tb.name)));
            }
            continue;
        };
        let target = is_target(before, t, tb);
        // Objects on the dropped columns alone belong to the target.
        let on_target_columns =
            |cols: &[String]| target && !cols.is_empty() && cols.iter().all(|c| t.columns.contains(c));
        let on = relation_name(&ta.name);
        for c in tb.constraints.iter().filter(|c| ta.constraint(&c.name).is_none()) {
            lost_constraints.push((tb.oid, c.name.to_string()));
            let named = target && t.constraints.iter().any(|n| *n == c.name);
            // A partition's copy of a foreign key goes with the key, which is reported itself.
            if !named && !on_target_columns(c.kind.columns()) && c.parent.is_none() {
                out.push(format!("constraint {} on {on}", quote_ident(&c.name)));
            }
        }
        for tr in tb.triggers.iter().filter(|tr| !ta.triggers.iter().any(|x| x.name == tr.name)) {
            details.push(format!("trigger {} on {on}", quote_ident(&tr.name)));
        }
        for p in tb.policies.iter().filter(|p| !ta.policies.iter().any(|x| x.name == p.name)) {
            details.push(format!("policy {} on {on}", quote_ident(&p.name)));
        }
        for col in &tb.columns {
            match ta.column(&col.name) {
                None if target && t.columns.iter().any(|c| *c == col.name) => {}
                None => columns.push(format!("column {on}.{}", quote_ident(&col.name))),
                Some(now) if col.default.is_some() && now.default.is_none() => details.push(format!(
                    "the default of {on}.{} ({})",
                    quote_ident(&col.name),
                    col.default.as_deref().unwrap_or("")
                )),
                Some(_) => {}
            }
        }
    }
    for i in before.indexes.diff(&after.indexes).filter_map(removed) {
        if after.indexes.contains_key(&i.name)
            || after.indexes_of(&i.table).any(|j| j.origin.created == i.origin.created && j.keys == i.keys)
        {
            continue;
        }
        let Some(tb) = before.table(&i.table) else { continue };
        let owned =
            t.tables.contains(&tb.oid) || t.schemas.iter().any(|s| *s == i.name.schema) || t.indexes.contains(&i.name);
        let on_target_columns =
            is_target(before, t, tb) && !i.columns.is_empty() && i.columns.iter().all(|c| t.columns.contains(c));
        // A constraint's index goes with its constraint, which is reported (or targeted) itself.
        let constraint_gone = i.constraint.as_ref().is_some_and(|c| lost_constraints.contains(&(tb.oid, c.clone())));
        if !owned && !on_target_columns && !constraint_gone {
            out.push(format!("index {} on {}", relation_name(&i.name), relation_name(&i.table)));
        }
    }
    out.extend(columns);
    out.extend(details);
    out
}

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    if !cx.applied {
        return;
    }
    let Some(t) = target(cx) else { return };
    let lost = lost(cx.before, cx.after, &t);
    if lost.is_empty() {
        return;
    }
    let at = schema_facts::word_in(cx.span, cx.text, "cascade").unwrap_or(cx.span);
    out.push(
        Finding::new(format!("{} also removes {}", t.what, lost.join(", ")))
            .help("Drop those objects explicitly before this statement, or recreate the ones still needed after it, so that the migration says what it removes.")
            .at(at),
    );
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    fn messages(sql: &str) -> Vec<String> {
        findings(&RULE, sql).into_iter().map(|d| String::from(d.message)).collect()
    }

    #[test]
    fn drop_table_cascade_names_the_foreign_key_and_the_view() {
        assert_eq!(
            messages(RULE.bad),
            vec!["DROP TABLE customers also removes view customer_names, constraint orders_customer_id_fkey on orders"]
        );
    }

    #[test]
    fn partitions_go_with_their_parent_unreported() {
        let sql = "CREATE TABLE shops (id int PRIMARY KEY);\n\
                   CREATE TABLE sales (at date, shop int REFERENCES shops, note text) PARTITION BY RANGE (at);\n\
                   CREATE INDEX sales_note_idx ON sales (note);\n\
                   CREATE TABLE sales_2024 PARTITION OF sales FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n\
                   ALTER TABLE sales DROP COLUMN note;\n\
                   DROP TABLE shops CASCADE;\n";
        assert_eq!(messages(sql), vec!["DROP TABLE shops also removes constraint sales_shop_fkey on sales"]);
    }

    #[test]
    fn drop_column_names_composite_indexes_and_constraints_only() {
        let sql = "CREATE TABLE t (id int PRIMARY KEY, tenant int, legacy text, note text,\n\
                   UNIQUE (tenant, legacy), CHECK (legacy <> ''));\n\
                   CREATE INDEX t_legacy_idx ON t (legacy);\nCREATE INDEX t_tenant_note_idx ON t (tenant) WHERE legacy IS NULL;\n\
                   CREATE INDEX t_note_idx ON t (note);\n\
                   ALTER TABLE t DROP COLUMN legacy;\n";
        assert_eq!(
            messages(sql),
            vec![
                "ALTER TABLE t DROP COLUMN legacy also removes constraint t_tenant_legacy_key on t, index t_tenant_note_idx on t"
            ]
        );
    }

    #[test]
    fn drop_function_cascade_names_triggers() {
        let sql = "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n\
                   CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();\n\
                   DROP FUNCTION touch() CASCADE;\n";
        let d = findings(&RULE, sql);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].message, "DROP FUNCTION touch also removes trigger orders_touch on orders");
        assert_eq!(&sql[d[0].span.range()], "CASCADE");
    }

    #[test]
    fn drop_type_cascade_names_columns_and_sequence_defaults() {
        let sql = "CREATE TYPE mood AS ENUM ('ok');\nCREATE TABLE p (id int PRIMARY KEY, m mood);\n\
                   DROP TYPE mood CASCADE;\n\
                   CREATE SEQUENCE p_seq;\nALTER TABLE p ALTER COLUMN id SET DEFAULT nextval('p_seq');\nDROP SEQUENCE p_seq CASCADE;\n";
        let m = messages(sql);
        assert_eq!(m.len(), 2, "{m:?}");
        assert_eq!(m[0], "DROP TYPE mood also removes column p.m");
        assert!(m[1].starts_with("DROP SEQUENCE p_seq also removes the default of p.id (nextval("), "{}", m[1]);
    }

    #[test]
    fn a_drop_of_exactly_its_target_is_quiet() {
        for sql in [
            "DROP VIEW customer_names;",
            "ALTER TABLE orders DROP COLUMN customer_id;",
            "ALTER TABLE orders DROP CONSTRAINT orders_pkey;",
            "DROP TABLE orders;",
            "CREATE INDEX o_idx ON orders (customer_id);\nALTER INDEX o_idx RENAME TO o2_idx;\nDROP INDEX o2_idx;",
            "ALTER TABLE orders ALTER COLUMN customer_id TYPE numeric;",
            "CREATE SCHEMA s;\nCREATE TABLE s.t (id int PRIMARY KEY);\nCREATE VIEW s.v AS SELECT id FROM s.t;\nDROP SCHEMA s CASCADE;",
        ] {
            assert!(messages(sql).is_empty(), "{sql}: {:?}", messages(sql));
        }
    }

    #[test]
    fn dropping_a_referenced_key_with_cascade_names_the_foreign_keys() {
        let m = messages("ALTER TABLE customers DROP CONSTRAINT customers_pkey CASCADE;");
        assert_eq!(
            m,
            vec![
                "ALTER TABLE customers DROP CONSTRAINT customers_pkey also removes constraint orders_customer_id_fkey on orders"
            ]
        );
    }
}
