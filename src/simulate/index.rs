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
    if !catalog.tables.contains_key(&table_q) {
        if let Some(kind) = super::relation_kind(catalog, &table_q)
            && kind != "materialized view"
        {
            return Err(SimError::new(format!("cannot create index on relation \"{}\"", table_q.name))
                .help(format!("\"{}\" is a {kind}; indexes go on tables and materialized views.", table_q.name)));
        }
        return Err(super::missing_relation(catalog, &table_q));
    }
    if ci.concurrently && ctx.in_transaction {
        return Err(SimError::new("CREATE INDEX CONCURRENTLY cannot run inside a transaction block").help(
            "Put it in a migration of its own that the runner does not wrap in a transaction, or drop CONCURRENTLY.",
        ));
    }
    let cols: Vec<(String, crate::catalog::types::TypeRef)> = super::table::table_columns(catalog, &table_q);
    let scope = Scope { catalog, columns: &cols, trigger_rows: false };
    let mut keys = Vec::new();
    let mut used: Vec<String> = Vec::new();
    let mut name_parts: Vec<String> = Vec::new();
    for ic in &ci.columns {
        let e = &ic.column.expr;
        let (text, cols_used, fig) = match e {
            Expr::Identifier(id) => {
                let c = names::fold(id);
                if !cols.iter().any(|(n, _)| n == &c) {
                    return Err(SimError::new(format!("column \"{c}\" does not exist")));
                }
                (names::quote_ident(&c), vec![c.clone()], c)
            }
            Expr::Collate { expr: inner, collation } => {
                let (t, u, _) = expr::index_expr(inner, &scope)?;
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
                let (t, u, _) = expr::index_expr(other, &scope)?;
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
        if !cols.iter().any(|(n, _)| n == c) {
            return Err(SimError::new(format!("column \"{c}\" does not exist")));
        }
    }
    used.extend(include.iter().cloned());
    let predicate = match &ci.predicate {
        Some(p) => {
            let (text, u) = expr::condition(p, &scope, "WHERE")?;
            used.extend(u);
            Some(text)
        }
        None => None,
    };
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
            q.name
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

fn partitions_of(catalog: &Catalog, table: &QualName) -> Vec<QualName> {
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

pub(crate) fn alter_index(catalog: &mut Catalog, name: &ObjectName, op: &AlterIndexOperation) -> SimResult {
    let q = catalog.resolve(name);
    let AlterIndexOperation::RenameIndex { index_name } = op;
    let new_q = QualName::new(q.schema.clone(), names::parts(index_name).last().cloned().unwrap_or_default());
    let Some(idx) = catalog.indexes.get(&q).cloned() else {
        if let Some(kind) = super::relation_kind(catalog, &q) {
            return Err(SimError::new(format!("\"{}\" is not an index", q.name)).help(format!("It is a {kind}.")));
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
        idx.constraint = Some(new_q.name.clone());
        if let Some(t) = catalog.table_mut(&idx.table)
            && let Some(con) = t.constraints.iter_mut().find(|k| k.name == old)
        {
            con.name = new_q.name.clone();
        }
    }
    catalog.indexes.insert(new_q, Arc::new(idx));
    Ok(())
}
