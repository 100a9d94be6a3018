//! Names as PostgreSQL handles them: case folding, 63-byte truncation, quoting for output, and the
//! names it invents for implicit objects (`users_pkey`, `tasks_user_id_fkey`, `orders_id_seq`).

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;
use sqlparser::ast::{Ident, ObjectName};

use crate::catalog::derived::{Derive, Derived};
use crate::catalog::model::{Catalog, Index, Name, QualName, Table};

/// NAMEDATALEN - 1: the longest identifier PostgreSQL keeps, in bytes.
pub const MAX_IDENT_BYTES: usize = 63;

/// Folds an identifier as PostgreSQL does: unquoted names are lower-cased, and every name is
/// truncated to 63 bytes.
pub fn fold(ident: &Ident) -> String {
    // PostgreSQL's downcase_identifier: in a multibyte encoding (UTF-8) only ASCII letters are folded.
    let name = if ident.quote_style.is_some() { ident.value.clone() } else { ident.value.to_ascii_lowercase() };
    truncate(name)
}

pub fn truncate(mut name: String) -> String {
    if name.len() > MAX_IDENT_BYTES {
        let mut cut = MAX_IDENT_BYTES;
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        name.truncate(cut);
    }
    name
}

/// The parts of a dotted name, folded.
pub fn parts(name: &ObjectName) -> Vec<String> {
    name.0.iter().filter_map(|p| p.as_ident()).map(fold).collect()
}

/// A relation name as written, folded and qualified with `public` when no schema is given.
pub fn qualify(name: &ObjectName) -> QualName {
    let parts = parts(name);
    match parts.as_slice() {
        [] => QualName::public(""),
        [name] => QualName::public(name.clone()),
        [.., schema, name] => QualName::new(schema.clone(), name.clone()),
    }
}

/// The name as the user wrote it, for messages (`users`, `app.users`).
pub fn object_name(name: &ObjectName) -> String {
    parts(name).join(".")
}

/// Words that `quote_ident` quotes: every keyword that is not unreserved in PostgreSQL 15.
const QUOTED_KEYWORDS: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
];

/// `quote_ident`: quotes a name unless it is a lower-case identifier that is not a keyword.
pub fn quote_ident(name: &str) -> String {
    let safe = !name.is_empty()
        && name.bytes().next().is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && QUOTED_KEYWORDS.binary_search(&name).is_err();
    if safe { name.to_string() } else { format!("\"{}\"", name.replace('"', "\"\"")) }
}

/// A relation name as ruleutils prints it: schema-qualified unless it is in `public`.
pub fn relation_name(name: &QualName) -> String {
    if name.schema == "public" {
        quote_ident(&name.name)
    } else {
        format!("{}.{}", quote_ident(&name.schema), quote_ident(&name.name))
    }
}

/// A type name as `format_type` prints it: qualified unless its schema is on the search path.
pub fn qualified_type_name(schema: &str, name: &str) -> String {
    if schema == "public" || schema == "pg_catalog" {
        quote_ident(name)
    } else {
        format!("{}.{}", quote_ident(schema), quote_ident(name))
    }
}

/// `makeObjectName`: `name1_name2_label`, with name1 and name2 shortened (the longer one first) so
/// that the whole fits in 63 bytes.
pub fn make_object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let overhead = if label.is_empty() { 0 } else { label.len() + 1 } + usize::from(name2.is_some());
    let avail = MAX_IDENT_BYTES.saturating_sub(overhead);
    let mut n1 = name1.len();
    let mut n2 = name2.map_or(0, str::len);
    while n1 + n2 > avail {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    let clip = |s: &str, mut n: usize| {
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        s[..n].to_string()
    };
    let mut out = clip(name1, n1);
    if let Some(name2) = name2 {
        out.push('_');
        out.push_str(&clip(name2, n2));
    }
    if !label.is_empty() {
        out.push('_');
        out.push_str(label);
    }
    out
}

/// `ChooseRelationName`: the first of `t_c_label`, `t_c_label1`, `t_c_label2`… that no relation in the
/// schema uses (and, for constraint indexes, no constraint either).
pub fn choose_relation_name(
    catalog: &Catalog,
    schema: &str,
    name1: &str,
    name2: Option<&str>,
    label: &str,
    is_constraint: bool,
    taken: &[String],
) -> String {
    first_free(name1, name2, label, |candidate| {
        catalog.relation_exists(&QualName::new(schema, candidate))
            || taken.iter().any(|t| t == candidate)
            || (is_constraint && constraint_name_used(catalog, schema, candidate))
    })
}

/// `ChooseConstraintName`: like [`choose_relation_name`], but only constraint names of the schema count.
pub fn choose_constraint_name(
    catalog: &Catalog,
    schema: &str,
    name1: &str,
    name2: Option<&str>,
    label: &str,
    taken: &[String],
) -> String {
    first_free(name1, name2, label, |candidate| {
        taken.iter().any(|t| t == candidate) || constraint_name_used(catalog, schema, candidate)
    })
}

/// The first of `label`, `label1`, `label2`… whose object name `used` does not reject.
fn first_free(name1: &str, name2: Option<&str>, label: &str, used: impl Fn(&str) -> bool) -> String {
    let mut pass = 0;
    loop {
        let label = if pass == 0 { label.to_string() } else { format!("{label}{pass}") };
        let candidate = make_object_name(name1, name2, &label);
        if !used(&candidate) {
            return candidate;
        }
        pass += 1;
    }
}

/// Whether any table or domain of the schema has a constraint with this name (`pg_constraint` is one
/// namespace for both).
pub fn constraint_name_used(catalog: &Catalog, schema: &str, name: &str) -> bool {
    let by_schema = |names: &ConstraintNames| names.0.get(schema).is_some_and(|names| names.contains_key(name));
    TABLE_CONSTRAINTS.with_borrow_mut(|derived| by_schema(derived.of(&catalog.tables)))
        || catalog.types.values().filter(|t| t.name.schema == schema).any(|t| match &t.kind {
            crate::catalog::model::UserTypeKind::Domain { checks, .. } => checks.iter().any(|c| c.name == name),
            _ => false,
        })
}

/// Whether a table of any schema has a constraint with this name.
pub fn table_constraint_named(catalog: &Catalog, name: &str) -> bool {
    let anywhere = |names: &ConstraintNames| names.0.values().any(|names| names.contains_key(name));
    TABLE_CONSTRAINTS.with_borrow_mut(|derived| anywhere(derived.of(&catalog.tables)))
}

/// The names of the indexes of `table`, in name order (what [`Catalog::indexes_of`] visits).
pub fn index_names_of(catalog: &Catalog, table: &QualName) -> Vec<QualName> {
    TABLE_INDEXES.with_borrow_mut(|derived| {
        derived.of(&catalog.indexes).0.get(table).map(|names| names.iter().cloned().collect()).unwrap_or_default()
    })
}

/// The relations that have indexes (tables and materialized views), in no particular order.
pub fn relations_with_indexes(catalog: &Catalog) -> Vec<QualName> {
    TABLE_INDEXES.with_borrow_mut(|derived| derived.of(&catalog.indexes).0.keys().cloned().collect())
}

thread_local! {
    static TABLE_CONSTRAINTS: RefCell<Derived<QualName, Arc<Table>, ConstraintNames>> = Default::default();
    static TABLE_INDEXES: RefCell<Derived<QualName, Arc<Index>, IndexesByTable>> = Default::default();
}

/// The constraint names of the tables, by schema, with how many tables use each.
#[derive(Default)]
struct ConstraintNames(HashMap<Name, HashMap<Name, u32>>);

impl ConstraintNames {
    fn count(&mut self, table: &Table, add: bool) {
        if table.constraints.is_empty() {
            return;
        }
        if !self.0.contains_key(table.name.schema.as_str()) {
            self.0.insert(table.name.schema.clone(), HashMap::default());
        }
        let Some(names) = self.0.get_mut(table.name.schema.as_str()) else { return };
        for c in &table.constraints {
            match names.get_mut(c.name.as_str()) {
                Some(n) if add => *n += 1,
                Some(n) => {
                    *n -= 1;
                    if *n == 0 {
                        names.remove(c.name.as_str());
                    }
                }
                None if add => {
                    names.insert(c.name.clone(), 1);
                }
                None => {}
            }
        }
    }
}

impl Derive<QualName, Arc<Table>> for ConstraintNames {
    fn add(&mut self, _: &QualName, table: &Arc<Table>) {
        self.count(table, true);
    }

    fn remove(&mut self, _: &QualName, table: &Arc<Table>) {
        self.count(table, false);
    }

    fn update(&mut self, _: &QualName, old: &Arc<Table>, new: &Arc<Table>) {
        // Most changes to a table (a column, a trigger, a comment) keep its constraints.
        if !old.same_constraints(new) {
            self.count(old, false);
            self.count(new, true);
        }
    }
}

/// The names of the indexes of each table.
#[derive(Default)]
struct IndexesByTable(HashMap<QualName, BTreeSet<QualName>>);

impl Derive<QualName, Arc<Index>> for IndexesByTable {
    fn add(&mut self, name: &QualName, index: &Arc<Index>) {
        self.0.entry(index.table.clone()).or_default().insert(name.clone());
    }

    fn update(&mut self, name: &QualName, old: &Arc<Index>, new: &Arc<Index>) {
        if old.table != new.table {
            self.remove(name, old);
            self.add(name, new);
        }
    }

    fn remove(&mut self, name: &QualName, index: &Arc<Index>) {
        if let Some(names) = self.0.get_mut(&index.table) {
            names.remove(name);
            if names.is_empty() {
                self.0.remove(&index.table);
            }
        }
    }
}

/// `ChooseIndexColumnNames` joined as `ChooseIndexNameAddition` does: `a_b_c`, cut at 63 bytes.
pub fn index_name_addition(columns: &[String]) -> String {
    let mut out = String::new();
    for col in columns {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(col);
        if out.len() >= MAX_IDENT_BYTES {
            break;
        }
    }
    truncate(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_sorted_for_binary_search() {
        assert!(QUOTED_KEYWORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn quoting() {
        assert_eq!(quote_ident("users"), "users");
        assert_eq!(quote_ident("Order"), "\"Order\"");
        assert_eq!(quote_ident("select"), "\"select\"");
        assert_eq!(quote_ident("name"), "name");
        assert_eq!(quote_ident("2fa"), "\"2fa\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn object_names_fit_63_bytes() {
        assert_eq!(make_object_name("users", Some("email"), "key"), "users_email_key");
        assert_eq!(make_object_name("users", None, "pkey"), "users_pkey");
        let long = "a".repeat(60);
        let name = make_object_name(&long, Some("email"), "key");
        assert_eq!(name.len(), 63);
        assert!(name.ends_with("_email_key"));
    }

    /// The catalogs after each migration of a history that adds, renames, moves and drops tables,
    /// constraints and indexes.
    fn snapshots() -> Vec<Catalog> {
        let steps = [
            "CREATE TABLE a (id int PRIMARY KEY, n int UNIQUE, CHECK (n > 0));\nCREATE INDEX ON a (n);",
            "CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a);\nCREATE INDEX b_a ON b (a_id);",
            "CREATE SCHEMA s;\nCREATE TABLE s.a (id int PRIMARY KEY, CONSTRAINT a_n_key UNIQUE (id));",
            "ALTER TABLE a RENAME TO c;\nALTER TABLE c RENAME CONSTRAINT a_n_check TO c_positive;",
            "ALTER TABLE b DROP COLUMN a_id;\nALTER TABLE c DROP COLUMN n;\nCREATE INDEX ON c (id);",
            "ALTER TABLE b SET SCHEMA s;\nDROP TABLE s.a;",
            "DROP TABLE c CASCADE;\nCREATE TABLE a (id int PRIMARY KEY);",
        ];
        crate::catalog::derived::snapshots(&steps)
    }

    #[test]
    fn the_index_of_constraint_names_agrees_with_a_scan() {
        let mut asked = 0;
        for catalog in snapshots() {
            let mut names: Vec<(String, String)> = catalog
                .tables
                .values()
                .flat_map(|t| t.constraints.iter().map(|c| (t.name.schema.to_string(), c.name.to_string())))
                .collect();
            names.extend([
                ("public".into(), "a_n_key".into()),
                ("s".into(), "a_pkey".into()),
                ("x".into(), "nope".into()),
            ]);
            for (schema, name) in names {
                let scan = catalog
                    .tables
                    .values()
                    .any(|t| t.name.schema == schema && t.constraints.iter().any(|c| c.name == name));
                assert_eq!(constraint_name_used(&catalog, &schema, &name), scan, "{schema}.{name}");
                let anywhere = catalog.tables.values().any(|t| t.constraints.iter().any(|c| c.name == name));
                assert_eq!(table_constraint_named(&catalog, &name), anywhere, "{name}");
                asked += usize::from(scan);
            }
        }
        assert!(asked > 20, "the history has constraints to find");
    }

    #[test]
    fn the_index_of_indexes_by_table_agrees_with_a_scan() {
        let mut found = 0;
        for catalog in snapshots() {
            let mut tables: Vec<QualName> = catalog.tables.keys().cloned().collect();
            tables.push(QualName::public("a"));
            tables.push(QualName::new("s", "b"));
            for table in tables {
                let scan: Vec<QualName> =
                    catalog.indexes.values().filter(|i| i.table == table).map(|i| i.name.clone()).collect();
                assert_eq!(index_names_of(&catalog, &table), scan, "{table:?}");
                found += scan.len();
            }
        }
        assert!(found > 20, "the history has indexes to find");
    }
}
