//! CREATE, ALTER and DROP STATISTICS: extended statistics objects, shown in `\d` under
//! `Statistics objects:`.

use sqlparser::ast::Expr;

use super::{Ctx, SimError, SimResult};
use crate::catalog::expr::{self, Scope};
use crate::catalog::model::*;
use crate::catalog::names;
use crate::sql::objects::AlterObjectAction;

/// PostgreSQL's `STATS_MAX_DIMENSIONS`.
const MAX_DIMENSIONS: usize = 8;

/// A name as written: qualified as is, unqualified in the creation schema (the first existing schema
/// of the search path).
fn creation_name(catalog: &Catalog, parts: &[String]) -> Result<QualName, SimError> {
    match parts {
        [n] => {
            let schema = catalog.path().find(|s| catalog.schemas.contains_key(*s));
            match schema {
                Some(s) => Ok(QualName::new(s, n.clone())),
                None => Err(SimError::new("no schema has been selected to create in")),
            }
        }
        [s, n] => {
            if !catalog.schemas.contains_key(s) {
                return Err(SimError::new(format!("schema \"{s}\" does not exist")));
            }
            Ok(QualName::new(s.clone(), n.clone()))
        }
        _ => Err(SimError::new(format!("improper qualified name (too many dotted names): {}", parts.join(".")))),
    }
}

/// An existing statistics object: qualified as is, unqualified along the search path.
fn lookup(catalog: &Catalog, parts: &[String]) -> Option<QualName> {
    match parts {
        [n] => catalog.path().map(|s| QualName::new(s, n.clone())).find(|q| catalog.statistics.contains_key(q)),
        [s, n] => Some(QualName::new(s.clone(), n.clone())).filter(|q| catalog.statistics.contains_key(q)),
        _ => None,
    }
}

pub(crate) fn create(
    catalog: &mut Catalog,
    name: &[String],
    if_not_exists: bool,
    kinds: &[String],
    items: &[Expr],
    table: &[String],
    ctx: &mut Ctx,
) -> SimResult {
    let tq = match table {
        [n] => catalog.resolve_unqualified(n),
        [s, n] => QualName::new(s.clone(), n.clone()),
        _ => return Err(SimError::new("improper qualified name (too many dotted names)")),
    };
    if !catalog.tables.contains_key(&tq) {
        if let Some(v) = catalog.views.get(&tq) {
            if v.materialized {
                return Err(SimError::not_simulated("CREATE STATISTICS on a materialized view is not simulated"));
            }
            return Err(SimError::new(format!("cannot define statistics for relation \"{}\"", tq.name)));
        }
        if super::relation_kind(catalog, &tq).is_some() {
            return Err(SimError::new(format!("cannot define statistics for relation \"{}\"", tq.name)));
        }
        return Err(super::missing_relation(catalog, &tq));
    }
    let q = creation_name(catalog, name)?;
    if catalog.statistics.contains_key(&q) {
        if if_not_exists {
            ctx.notes.push(format!("statistics object \"{}\" already exists, skipping", q.name));
            return Ok(());
        }
        return Err(SimError::new(format!("statistics object \"{}\" already exists", q.name)));
    }
    if items.len() > MAX_DIMENSIONS {
        return Err(SimError::new(format!("cannot have more than {MAX_DIMENSIONS} columns in statistics")));
    }
    let Some(t) = catalog.table(&tq) else { return Ok(()) };
    let cols = super::table::table_columns(catalog, &tq);
    let scope = Scope { catalog, columns: &cols, trigger_rows: false };
    let mut columns: Vec<(u32, String)> = Vec::new();
    let mut exprs: Vec<String> = Vec::new();
    let mut expr_columns: Vec<String> = Vec::new();
    for item in items {
        if let Some(c) = plain_column(item) {
            let Some(col) = t.column(&c) else {
                return Err(SimError::new(format!("column \"{c}\" does not exist")));
            };
            if columns.iter().any(|(_, n)| n == &c) {
                return Err(SimError::new("duplicate column name in statistics definition"));
            }
            columns.push((col.attnum, c));
            continue;
        }
        let (text, used, _) = expr::index_expr(item, &scope).map_err(SimError::new)?;
        if exprs.contains(&text) {
            return Err(SimError::new("duplicate expression in statistics definition"));
        }
        exprs.push(text);
        for u in used {
            if !expr_columns.contains(&u) {
                expr_columns.push(u);
            }
        }
    }
    let single_expr = columns.is_empty() && exprs.len() == 1;
    if single_expr && !kinds.is_empty() {
        return Err(SimError::new(
            "when building statistics on a single expression, statistics kinds may not be specified",
        ));
    }
    let mut canonical = Vec::new();
    for k in kinds {
        if !matches!(k.as_str(), "ndistinct" | "dependencies" | "mcv") {
            return Err(SimError::new(format!("unrecognized statistics kind \"{k}\"")));
        }
    }
    for k in ["ndistinct", "dependencies", "mcv"] {
        if kinds.iter().any(|w| w == k) {
            canonical.push(k.to_string());
        }
    }
    if columns.len() + exprs.len() < 2 && !single_expr {
        return Err(SimError::new("extended statistics require at least 2 columns"));
    }
    columns.sort();
    catalog.statistics.insert(
        q.clone(),
        Statistics {
            name: q,
            table: tq,
            kinds: canonical,
            columns: columns.into_iter().map(|(_, c)| c).collect(),
            exprs,
            expr_columns,
            target: None,
            comment: None,
            origin: Origin::at(ctx.span),
        },
    );
    Ok(())
}

/// A plain column reference, also in parentheses (PostgreSQL treats `(a)` as the column).
fn plain_column(e: &Expr) -> Option<String> {
    match e {
        Expr::Identifier(id) => Some(names::fold(id)),
        Expr::Nested(inner) => plain_column(inner),
        _ => None,
    }
}

fn missing(parts: &[String]) -> SimError {
    SimError::new(format!("statistics object \"{}\" does not exist", parts.join(".")))
}

pub(crate) fn alter(
    catalog: &mut Catalog,
    name: &[String],
    if_exists: bool,
    action: &AlterObjectAction,
    ctx: &mut Ctx,
) -> SimResult {
    let Some(q) = lookup(catalog, name) else {
        if if_exists {
            ctx.notes.push(format!("statistics object \"{}\" does not exist, skipping", name.join(".")));
            return Ok(());
        }
        return Err(missing(name));
    };
    match action {
        AlterObjectAction::NoEffect => Ok(()),
        AlterObjectAction::Other(what) => {
            Err(SimError::not_simulated(format!("ALTER STATISTICS … {what} is not simulated")))
        }
        AlterObjectAction::SetStatistics(n) => {
            if *n < -1 {
                return Err(SimError::new(format!("statistics target {n} is too low")));
            }
            if let Some(s) = catalog.statistics.get_mut(&q) {
                s.target = if *n == -1 { None } else { Some((*n).min(10000)) };
                s.origin.changed = ctx.span;
            }
            Ok(())
        }
        AlterObjectAction::RenameTo(new) => move_to(catalog, &q, QualName::new(q.schema.clone(), new.clone()), ctx),
        AlterObjectAction::SetSchema(schema) => {
            if !catalog.schemas.contains_key(schema) {
                return Err(SimError::new(format!("schema \"{schema}\" does not exist")));
            }
            move_to(catalog, &q, QualName::new(schema.clone(), q.name.clone()), ctx)
        }
    }
}

fn move_to(catalog: &mut Catalog, q: &QualName, new_q: QualName, ctx: &Ctx) -> SimResult {
    if &new_q == q {
        return Ok(());
    }
    if catalog.statistics.contains_key(&new_q) {
        return Err(SimError::new(format!(
            "statistics object \"{}\" already exists in schema \"{}\"",
            new_q.name, new_q.schema
        )));
    }
    if let Some(mut s) = catalog.statistics.remove(q) {
        s.name = new_q.clone();
        s.origin.changed = ctx.span;
        catalog.statistics.insert(new_q, s);
    }
    Ok(())
}

pub(crate) fn drop(catalog: &mut Catalog, names_: &[Vec<String>], if_exists: bool, ctx: &mut Ctx) -> SimResult {
    let mut work = catalog.clone();
    for parts in names_ {
        match lookup(&work, parts) {
            Some(q) => {
                work.statistics.remove(&q);
            }
            None if if_exists => {
                ctx.notes.push(format!("statistics object \"{}\" does not exist, skipping", parts.join(".")))
            }
            None => return Err(missing(parts)),
        }
    }
    *catalog = work;
    Ok(())
}

/// What a dropped column takes with it: statistics objects that use it go (PostgreSQL's dependency is
/// automatic), with no CASCADE needed.
pub(crate) fn drop_column(catalog: &mut Catalog, table: &QualName, column: &str) {
    catalog.statistics.retain(|_, s| !(&s.table == table && s.uses(column)));
}
