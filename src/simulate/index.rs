//! CREATE INDEX and ALTER INDEX … RENAME.

use std::sync::Arc;

use sqlparser::ast::{AlterIndexOperation, CreateIndex, Expr, IndexType, ObjectName};

use super::{Ctx, SimError, SimResult, relation_exists_error};
use crate::catalog::expr::{self, Scope};
use crate::catalog::model::*;
use crate::catalog::names;

fn method(using: &Option<IndexType>) -> String {
    match using {
        None => "btree".into(),
        Some(IndexType::BTree) => "btree".into(),
        Some(IndexType::Hash) => "hash".into(),
        Some(IndexType::GIN) => "gin".into(),
        Some(IndexType::GiST) => "gist".into(),
        Some(IndexType::SPGiST) => "spgist".into(),
        Some(IndexType::BRIN) => "brin".into(),
        Some(IndexType::Bloom) => "bloom".into(),
        Some(IndexType::Custom(name)) => name.value.to_lowercase(),
    }
}

pub(crate) fn create_index(catalog: &mut Catalog, ci: &CreateIndex, ctx: &mut Ctx) -> SimResult {
    let table_q = catalog.resolve(&ci.table_name);
    // A materialized view's columns: those of known type, the others by name only; `None` for a table.
    let matview = catalog.views.get(&table_q).filter(|v| v.materialized).map(|v| v.output.clone());
    if !catalog.tables.contains_key(&table_q) && matview.is_none() {
        if let Some(kind) = super::relation_kind(catalog, &table_q) {
            return Err(SimError::new(format!("cannot create index on relation \"{}\"", table_q.name)).help(format!(
                "This operation is not supported for {kind}s. Indexes go on tables and materialized views."
            )));
        }
        return Err(super::missing_relation(catalog, &table_q));
    }
    if ci.concurrently && ctx.in_transaction {
        return Err(SimError::new("CREATE INDEX CONCURRENTLY cannot run inside a transaction block").help(
            "Put it in a migration of its own that the runner does not wrap in a transaction, or drop CONCURRENTLY.",
        ));
    }
    if ci.concurrently && catalog.table(&table_q).is_some_and(|t| t.kind.is_partitioned()) {
        return Err(SimError::new(format!("cannot create index on partitioned table \"{}\" concurrently", table_q.name))
            .help("Create the index on the parent without CONCURRENTLY (ON ONLY), create each partition's index CONCURRENTLY, then ATTACH them."));
    }
    let (cols, untyped): (Vec<(String, crate::catalog::types::TypeRef)>, Vec<String>) = match &matview {
        None => (super::table::table_columns(catalog, &table_q), Vec::new()),
        Some(output) => (
            output.iter().filter_map(|(n, t)| Some((n.clone(), t.clone()?))).collect(),
            output.iter().filter(|(_, t)| t.is_none()).map(|(n, _)| n.clone()).collect(),
        ),
    };
    // The engine could not list the materialized view's columns (a `*` over a view it cannot expand).
    let unchecked = matview.as_ref().is_some_and(|o| o.is_empty());
    let is_column = |c: &str| unchecked || cols.iter().any(|(n, _)| n == c) || untyped.contains(&c.to_string());
    // An expression over materialized-view columns of unknown type cannot be typed: it is kept as written,
    // its column names checked.
    let lenient = |e: &Expr, err: String| -> Result<(String, Vec<String>), SimError> {
        if matview.is_none() {
            return Err(SimError::new(err));
        }
        let used = identifiers(e);
        if !unchecked && !used.iter().any(|c| untyped.contains(c)) {
            return Err(SimError::new(err));
        }
        if let Some(c) = used.iter().find(|c| !is_column(c)) {
            return Err(SimError::new(format!("column \"{c}\" does not exist")));
        }
        Ok((e.to_string(), used))
    };
    let scope = Scope { catalog, columns: &cols, trigger_rows: false };
    let mut keys = Vec::new();
    let mut used: Vec<String> = Vec::new();
    let mut name_parts: Vec<String> = Vec::new();
    for ic in &ci.columns {
        let e = &ic.column.expr;
        let (text, cols_used, fig) = match e {
            Expr::Identifier(id) => {
                let c = names::fold(id);
                if !is_column(&c) {
                    return Err(SimError::new(format!("column \"{c}\" does not exist")));
                }
                (names::quote_ident(&c), vec![c.clone()], c)
            }
            Expr::Collate { expr: inner, collation } => {
                let (t, u) = match expr::index_expr(inner, &scope) {
                    Ok((t, u, _)) => (t, u),
                    Err(err) => lenient(inner, err).map(|(t, u)| (parenthesised(inner, t), u))?,
                };
                let fig = match &**inner {
                    Expr::Identifier(id) => names::fold(id),
                    _ => "expr".into(),
                };
                let coll = names::parts(collation).join(".");
                keys.push(IndexKey {
                    expr: format!("{t} COLLATE {}", names::quote_ident(&coll)),
                    opclass: ic.operator_class.as_ref().map(|o| names::parts(o).join(".")),
                    collation: Some(coll),
                    desc: matches!(ic.column.options.sort, Some(sqlparser::ast::OrderBySort::Desc)),
                    nulls_first: ic.column.options.nulls_first,
                });
                used.extend(u);
                name_parts.push(fig);
                continue;
            }
            other => {
                let (t, u) = match expr::index_expr(other, &scope) {
                    Ok((t, u, _)) => (t, u),
                    Err(err) => lenient(other, err).map(|(t, u)| (parenthesised(other, t), u))?,
                };
                let fig = match other {
                    Expr::Function(f) => names::parts(&f.name).last().cloned().unwrap_or_else(|| "expr".into()),
                    _ => "expr".into(),
                };
                (t, u, fig)
            }
        };
        used.extend(cols_used);
        name_parts.push(fig);
        keys.push(IndexKey {
            expr: text,
            opclass: ic.operator_class.as_ref().map(|o| names::parts(o).join(".")),
            collation: None,
            desc: matches!(ic.column.options.sort, Some(sqlparser::ast::OrderBySort::Desc)),
            nulls_first: ic.column.options.nulls_first,
        });
    }
    let include: Vec<String> = ci.include.iter().map(names::fold).collect();
    for c in &include {
        if !is_column(c) {
            return Err(SimError::new(format!("column \"{c}\" does not exist")));
        }
    }
    used.extend(include.iter().cloned());
    let predicate = match &ci.predicate {
        Some(p) => {
            let (text, u) = match expr::condition(p, &scope, "WHERE") {
                Ok(v) => v,
                Err(err) => lenient(p, err)?,
            };
            used.extend(u);
            Some(text)
        }
        None => None,
    };
    if ci.unique {
        let plain: Vec<String> = ci
            .columns
            .iter()
            .filter_map(|ic| match &ic.column.expr {
                Expr::Identifier(id) => Some(names::fold(id)),
                _ => None,
            })
            .collect();
        super::table::check_unique_on_partitioned(catalog, &table_q, &plain, "UNIQUE")?;
    }
    let name = match &ci.name {
        Some(n) => {
            let q = QualName::new(table_q.schema.clone(), names::parts(n).last().cloned().unwrap_or_default());
            if catalog.relation_exists(&q) {
                if ci.if_not_exists {
                    ctx.notes.push(format!("relation \"{}\" already exists, skipping", q.name));
                    return Ok(());
                }
                return Err(relation_exists_error(&q));
            }
            q.name.to_string()
        }
        None => {
            let addition = names::index_name_addition(&name_parts);
            names::choose_relation_name(catalog, &table_q.schema, &table_q.name, Some(&addition), "idx", false, &[])
        }
    };
    let mut dedup = Vec::new();
    for u in used {
        if !dedup.contains(&u) {
            dedup.push(u);
        }
    }
    let index = Index {
        name: QualName::new(table_q.schema.clone(), name),
        table: table_q,
        unique: ci.unique,
        primary: false,
        constraint: None,
        method: method(&ci.using),
        keys,
        include,
        predicate,
        nulls_not_distinct: ci.nulls_distinct == Some(false),
        options: ci.with.iter().map(storage_option).collect(),
        clustered: false,
        replica_identity: false,
        columns: dedup,
        comment: None,
        origin: Origin::at(ctx.span),
    };
    let partitions = partitions_of(catalog, &index.table);
    catalog.indexes.insert(index.name.clone(), Arc::new(index.clone()));
    for part in partitions {
        clone_index_to_partition(catalog, &index, &part, ctx);
    }
    Ok(())
}

/// The column names an expression mentions (the last part of a qualified name), in order, once each.
fn identifiers(e: &Expr) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let _ = sqlparser::ast::visit_expressions(e, |e| {
        let name = match e {
            Expr::Identifier(id) => Some(names::fold(id)),
            Expr::CompoundIdentifier(parts) => parts.last().map(names::fold),
            _ => None,
        };
        if let Some(n) = name
            && !out.contains(&n)
        {
            out.push(n);
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    out
}

/// An index expression kept as written, parenthesised as `pg_get_indexdef` prints it unless it is a function call.
fn parenthesised(e: &Expr, text: String) -> String {
    match e {
        Expr::Function(_) => text,
        Expr::Nested(_) => text,
        _ => format!("({text})"),
    }
}

fn partitions_of(catalog: &Catalog, table: &QualName) -> Vec<QualName> {
    // Only a partitioned table (one with a partition key) has partitions: most indexes need no look at
    // the other tables.
    if catalog.table(table).is_none_or(|t| t.partition_key.is_none()) {
        return Vec::new();
    }
    catalog
        .tables
        .values()
        .filter(|t| t.partition_of.as_ref().is_some_and(|(p, _)| p == table))
        .map(|t| t.name.clone())
        .collect()
}

/// A new index on a partitioned table is created on every partition too (and on theirs).
fn clone_index_to_partition(catalog: &mut Catalog, index: &Index, part: &QualName, ctx: &Ctx) {
    let mut parts_names = super::table::key_name_parts(index);
    parts_names.extend(index.include.iter().cloned());
    let addition = names::index_name_addition(&parts_names);
    let name = names::choose_relation_name(catalog, &part.schema, &part.name, Some(&addition), "idx", false, &[]);
    let clone = Index {
        name: QualName::new(part.schema.clone(), name),
        table: part.clone(),
        origin: Origin::at(ctx.span),
        ..index.clone()
    };
    catalog.indexes.insert(clone.name.clone(), Arc::new(clone.clone()));
    for sub in partitions_of(catalog, part) {
        clone_index_to_partition(catalog, &clone, &sub, ctx);
    }
}

/// `fillfactor = 70` → `fillfactor='70'`, as `pg_get_indexdef` prints reloptions.
fn storage_option(e: &Expr) -> String {
    match e {
        Expr::BinaryOp { left, right, .. } => {
            let value = match &**right {
                Expr::Value(v) => match &v.value {
                    sqlparser::ast::Value::SingleQuotedString(s) => s.clone(),
                    other => other.to_string().to_lowercase(),
                },
                other => other.to_string().to_lowercase(),
            };
            reloption(&left.to_string().to_lowercase(), &value)
        }
        other => other.to_string().to_lowercase(),
    }
}

/// One reloption as `flatten_reloptions` prints it: a value that is a plain identifier stays bare,
/// others are quoted (`fillfactor='70'`, `deduplicate_items=off`).
pub(crate) fn reloption(name: &str, value: &str) -> String {
    if names::quote_ident(value) == value {
        format!("{name}={value}")
    } else {
        format!("{name}='{}'", value.replace('\'', "''"))
    }
}

pub(crate) fn alter_index(
    catalog: &mut Catalog,
    name: &ObjectName,
    op: &AlterIndexOperation,
    ctx: &mut Ctx,
) -> SimResult {
    let q = catalog.resolve(name);
    let AlterIndexOperation::RenameIndex { index_name } = op;
    let new_q = QualName::new(q.schema.clone(), names::parts(index_name).last().cloned().unwrap_or_default());
    let Some(idx) = catalog.indexes.get(&q).cloned() else {
        if let Some(kind) = super::relation_kind(catalog, &q) {
            return Err(SimError::new(format!("\"{}\" is not an index", q.name)).help(format!("It is a {kind}.")));
        }
        if ctx.extras.if_exists {
            ctx.notes.push(format!("relation \"{}\" does not exist, skipping", q.name));
            return Ok(());
        }
        return Err(SimError::new(format!("relation \"{}\" does not exist", q.name)));
    };
    if catalog.relation_exists(&new_q) {
        return Err(relation_exists_error(&new_q));
    }
    catalog.indexes.remove(&q);
    let mut idx = (*idx).clone();
    idx.name = new_q.clone();
    if let Some(c) = &idx.constraint {
        let old = c.clone();
        idx.constraint = Some(new_q.name.to_string());
        if let Some(t) = catalog.table_mut(&idx.table)
            && let Some(con) = t.constraint_mut(&old)
        {
            con.name = new_q.name.clone();
        }
    }
    catalog.indexes.insert(new_q, Arc::new(idx));
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::catalog::model::QualName;
    use crate::render::facts::index_definition;
    use crate::{Options, Severity, SourceFile, analyze};

    const MATVIEW: &str = "CREATE TABLE t (a int, b text);
        CREATE MATERIALIZED VIEW m AS SELECT a, lower(b), count(*) AS n, b::varchar(3), 1 FROM t GROUP BY a, b;\n";

    /// The indexes of `m` after the script, as `pg_get_indexdef` prints them, or the first error's message.
    fn matview_indexes_after(sql: &str) -> String {
        let sql = format!("{MATVIEW}{sql}");
        let a = analyze(vec![SourceFile::new("001_a.sql", sql)], &Options::default());
        if let Some(d) = a.diagnostics.iter().find(|d| d.severity == Severity::Error) {
            return format!("error: {}", d.message);
        }
        let m = QualName::new("public", "m");
        a.catalog.indexes_of(&m).map(|i| index_definition(i, false)).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn indexes_on_materialized_views_are_created_named_checked_and_dropped() {
        let cases = [
            ("CREATE INDEX ON m (a);", "CREATE INDEX m_a_idx ON m USING btree (a)"),
            (
                "CREATE UNIQUE INDEX ON m (lower, a) WHERE n > 1;",
                "CREATE UNIQUE INDEX m_lower_a_idx ON m USING btree (lower, a) WHERE n > 1",
            ),
            ("CREATE INDEX ON m ((n + 1));", "CREATE INDEX m_expr_idx ON m USING btree ((n + 1))"),
            ("CREATE INDEX ON m (\"?column?\");", "CREATE INDEX \"m_?column?_idx\" ON m USING btree (\"?column?\")"),
            ("CREATE INDEX ON m (upper(b));", "CREATE INDEX m_upper_idx ON m USING btree (upper(b::text))"),
            ("CREATE INDEX m_a_idx ON t (a); CREATE INDEX ON m (a);", "CREATE INDEX m_a_idx1 ON m USING btree (a)"),
            ("CREATE INDEX i ON m (a); DROP INDEX i;", ""),
            ("CREATE INDEX i ON m (a); DROP MATERIALIZED VIEW m; CREATE INDEX i ON t (a);", ""),
            ("CREATE INDEX i ON m (a); DROP TABLE t CASCADE; CREATE TABLE t2 (a int); CREATE INDEX i ON t2 (a);", ""),
            ("CREATE INDEX ON m (zz);", "error: column \"zz\" does not exist"),
            ("CREATE INDEX ON m ((zz + n));", "error: column \"zz\" does not exist"),
            ("CREATE INDEX ON m (a) WHERE zz > 0;", "error: column \"zz\" does not exist"),
            ("CREATE INDEX m ON t (b);", "error: relation \"m\" already exists"),
            ("CREATE INDEX i ON m (a); CREATE INDEX i ON m (n);", "error: relation \"i\" already exists"),
            (
                "CREATE INDEX CONCURRENTLY i ON m (a);",
                "error: CREATE INDEX CONCURRENTLY cannot run inside a transaction block",
            ),
            (
                "CREATE VIEW v AS SELECT a FROM t; CREATE INDEX ON v (a);",
                "error: cannot create index on relation \"v\"",
            ),
        ];
        for (sql, expected) in cases {
            assert_eq!(matview_indexes_after(sql), expected, "{sql}");
        }
    }

    #[test]
    fn materialized_view_columns_are_named_as_postgres_names_them() {
        let sql = "CREATE TABLE t (a int, b text); CREATE VIEW v AS SELECT a FROM t;
            CREATE MATERIALIZED VIEW m (x) AS SELECT t.a, t.*, b::int AS c, 'k'::text, 2 AS two, (SELECT 1) FROM t;
            CREATE MATERIALIZED VIEW w AS SELECT * FROM v;";
        let a = analyze(vec![SourceFile::new("001_a.sql", sql.to_string())], &Options::default());
        assert!(!a.has_errors(), "{:?}", a.diagnostics);
        let output = |name: &str| -> Vec<String> {
            let v = &a.catalog.views[&QualName::new("public", name)];
            v.output.iter().map(|(n, t)| format!("{n} {}", t.as_ref().map_or("?".into(), |t| t.display()))).collect()
        };
        assert_eq!(
            output("m"),
            ["x integer", "a integer", "b text", "c integer", "text text", "two integer", "?column? ?"]
        );
        // A plain view's columns are not known: `*` over it leaves the names unchecked.
        assert!(output("w").is_empty());
    }
}
