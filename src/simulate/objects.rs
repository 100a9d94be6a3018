//! Schemas, extensions, sequences, views and comments.

use sqlparser::ast::{CommentObject, CreateExtension, CreateView, DataType, DropExtension, ObjectName, SchemaName};

use super::{Ctx, SimError, SimResult, relation_exists_error};
use crate::catalog::model::*;
use crate::catalog::names;
use crate::catalog::types::{self, TypeRef};

/// Extensions that Debian's `postgresql-contrib` ships, which `CREATE EXTENSION` can load.
const CONTRIB: &[&str] = &[
    "adminpack",
    "amcheck",
    "autoinc",
    "bloom",
    "btree_gin",
    "btree_gist",
    "citext",
    "cube",
    "dblink",
    "dict_int",
    "dict_xsyn",
    "earthdistance",
    "file_fdw",
    "fuzzystrmatch",
    "hstore",
    "insert_username",
    "intagg",
    "intarray",
    "isn",
    "lo",
    "ltree",
    "moddatetime",
    "old_snapshot",
    "pageinspect",
    "pg_buffercache",
    "pg_freespacemap",
    "pg_prewarm",
    "pg_stat_statements",
    "pg_surgery",
    "pg_trgm",
    "pg_visibility",
    "pg_walinspect",
    "pgcrypto",
    "pgrowlocks",
    "pgstattuple",
    "plpgsql",
    "postgres_fdw",
    "refint",
    "seg",
    "sslinfo",
    "tablefunc",
    "tcn",
    "tsm_system_rows",
    "tsm_system_time",
    "unaccent",
    "uuid-ossp",
    "xml2",
];

pub(crate) fn create_schema(catalog: &mut Catalog, name: &SchemaName, if_not_exists: bool, ctx: &mut Ctx) -> SimResult {
    let schema = match name {
        SchemaName::Simple(n) | SchemaName::NamedAuthorization(n, _) => names::parts(n).join("."),
        SchemaName::UnnamedAuthorization(role) => names::fold(role),
    };
    if catalog.schemas.contains_key(&schema) {
        if if_not_exists {
            ctx.notes.push(format!("schema \"{schema}\" already exists, skipping"));
            return Ok(());
        }
        return Err(
            SimError::new(format!("schema \"{schema}\" already exists")).help("Use CREATE SCHEMA IF NOT EXISTS.")
        );
    }
    catalog.schemas.insert(schema.clone(), Schema { name: schema, comment: None, origin: Origin::at(ctx.span) });
    Ok(())
}

pub(crate) fn create_extension(catalog: &mut Catalog, ce: &CreateExtension, ctx: &mut Ctx) -> SimResult {
    let name = ce.name.value.clone();
    if catalog.extensions.contains_key(&name) {
        if ce.if_not_exists {
            ctx.notes.push(format!("extension \"{name}\" already exists, skipping"));
            return Ok(());
        }
        return Err(
            SimError::new(format!("extension \"{name}\" already exists")).help("Use CREATE EXTENSION IF NOT EXISTS.")
        );
    }
    if !CONTRIB.contains(&name.as_str()) {
        return Err(SimError::not_simulated(format!(
            "extension \"{name}\" is not known to the simulator: its objects are not modelled"
        )));
    }
    let schema = ce.schema.as_ref().map(names::fold).unwrap_or_else(|| "public".into());
    if !catalog.schemas.contains_key(&schema) {
        return Err(SimError::new(format!("schema \"{schema}\" does not exist")));
    }
    catalog.extensions.insert(name.clone(), Extension { name, schema, origin: Origin::at(ctx.span) });
    Ok(())
}

pub(crate) fn drop_extension(catalog: &mut Catalog, de: &DropExtension, ctx: &mut Ctx) -> SimResult {
    for n in &de.names {
        let name = n.value.clone();
        if catalog.extensions.remove(&name).is_none() && !de.if_exists {
            return Err(SimError::new(format!("extension \"{name}\" does not exist")));
        } else if !de.if_exists {
            continue;
        }
        ctx.notes.push(format!("extension \"{name}\" does not exist, skipping"));
    }
    Ok(())
}

pub(crate) fn create_sequence(
    catalog: &mut Catalog,
    name: &ObjectName,
    temporary: bool,
    if_not_exists: bool,
    data_type: Option<&DataType>,
    owned_by: Option<&ObjectName>,
    ctx: &mut Ctx,
) -> SimResult {
    let q = if temporary {
        let q = super::table::temporary_name(name)?;
        super::table::ensure_temp_schema(catalog, ctx);
        q
    } else {
        catalog.creation_name(name)
    };
    super::ensure_schema(catalog, &q)?;
    if catalog.relation_exists(&q) {
        if if_not_exists {
            ctx.notes.push(format!("relation \"{}\" already exists, skipping", q.name));
            return Ok(());
        }
        return Err(relation_exists_error(&q));
    }
    let ty = match data_type {
        Some(dt) => types::resolve(dt, catalog)?.0,
        None => TypeRef::builtin("int8"),
    };
    let owned = match owned_by {
        Some(o) => owner(catalog, &names::parts(o))?,
        None => None,
    };
    catalog.sequences.insert(q.clone(), Sequence { name: q, ty, owned_by: owned, origin: Origin::at(ctx.span) });
    Ok(())
}

fn owner(catalog: &Catalog, parts: &[String]) -> Result<Option<(QualName, String)>, SimError> {
    match parts {
        [none] if none == "none" => Ok(None),
        [.., table, col] => {
            let tq = if parts.len() == 3 {
                QualName::new(parts[0].clone(), table.clone())
            } else {
                catalog.resolve_unqualified(table)
            };
            let Some(t) = catalog.table(&tq) else {
                return Err(SimError::new(format!("relation \"{}\" does not exist", tq.name)));
            };
            if t.column(col).is_none() {
                return Err(SimError::new(format!("column \"{col}\" of relation \"{}\" does not exist", tq.name)));
            }
            Ok(Some((tq, col.clone())))
        }
        _ => Err(SimError::new("invalid OWNED BY option")),
    }
}

pub(crate) fn alter_sequence(
    catalog: &mut Catalog,
    name: &[String],
    owned_by: Option<&[String]>,
    rename_to: Option<&str>,
    if_exists: bool,
    ctx: &mut Ctx,
) -> SimResult {
    let q = match name {
        [n] => catalog.resolve_unqualified(n),
        [s, n] => QualName::new(s.clone(), n.clone()),
        _ => return Err(SimError::new("improper qualified name")),
    };
    if !catalog.sequences.contains_key(&q) {
        if if_exists {
            ctx.notes.push(format!("relation \"{}\" does not exist, skipping", q.name));
            return Ok(());
        }
        return Err(SimError::new(format!("relation \"{}\" does not exist", q.name)));
    }
    if let Some(o) = owned_by {
        let owned = owner(catalog, o)?;
        if let Some(s) = catalog.sequences.get_mut(&q) {
            s.owned_by = owned;
        }
    }
    if let Some(new) = rename_to {
        let new_q = QualName::new(q.schema.clone(), new.to_string());
        if catalog.relation_exists(&new_q) {
            return Err(relation_exists_error(&new_q));
        }
        if let Some(mut s) = catalog.sequences.remove(&q) {
            s.name = new_q.clone();
            catalog.sequences.insert(new_q.clone(), s);
        }
        // Defaults keep pointing at the same sequence, which now prints under its new name.
        let old_text = format!("nextval('{}'::regclass)", names::relation_name(&q).replace('\'', "''"));
        let new_text = format!("nextval('{}'::regclass)", names::relation_name(&new_q).replace('\'', "''"));
        catalog.tables.update_where(
            |t| t.columns.iter().any(|c| c.default.as_deref() == Some(old_text.as_str())),
            |t| {
                for c in &mut std::sync::Arc::make_mut(t).columns {
                    if c.default.as_deref() == Some(old_text.as_str()) {
                        std::sync::Arc::make_mut(c).default = Some(new_text.clone());
                    }
                }
            },
        );
    }
    Ok(())
}

pub(crate) fn create_view(catalog: &mut Catalog, cv: &CreateView, ctx: &mut Ctx) -> SimResult {
    // A view that reads a temporary table or view is temporary too (PostgreSQL says so in a notice).
    let mut reads_temporary = false;
    let _ = sqlparser::ast::visit_relations(&*cv.query, |rel| {
        let rq = catalog.resolve(rel);
        reads_temporary |= rq.schema == TEMP_SCHEMA && catalog.relation_exists(&rq);
        std::ops::ControlFlow::<()>::Continue(())
    });
    if reads_temporary && cv.materialized {
        return Err(SimError::new("materialized views must not use temporary tables or views"));
    }
    let temporary = cv.temporary || reads_temporary;
    let q = if temporary {
        if !cv.temporary {
            let name = names::parts(&cv.name).pop().unwrap_or_default();
            ctx.notes.push(format!("view \"{name}\" will be a temporary view"));
        }
        let q = super::table::temporary_name(&cv.name)?;
        super::table::ensure_temp_schema(catalog, ctx);
        q
    } else {
        catalog.creation_name(&cv.name)
    };
    super::ensure_schema(catalog, &q)?;
    let exists = catalog.relation_exists(&q);
    if exists && !(cv.or_replace && catalog.views.contains_key(&q)) {
        if cv.if_not_exists {
            ctx.notes.push(format!("relation \"{}\" already exists, skipping", q.name));
            return Ok(());
        }
        return Err(relation_exists_error(&q));
    }
    let mut depends_on = Vec::new();
    let mut missing = None;
    let _ = sqlparser::ast::visit_relations(&*cv.query, |rel| {
        let rq = catalog.resolve(rel);
        if catalog.tables.contains_key(&rq) || catalog.views.contains_key(&rq) {
            if !depends_on.contains(&rq) {
                depends_on.push(rq);
            }
        } else if missing.is_none() && !is_cte_like(&cv.query, &rq.name) {
            missing = Some(rq);
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    if let Some(m) = missing {
        return Err(super::missing_relation(catalog, &m));
    }
    // Columns used: every identifier that names a column of a relation read (and all of them for `*`).
    let mut idents: Vec<String> = Vec::new();
    let mut star = false;
    let _ = sqlparser::ast::visit_expressions(&*cv.query, |e| {
        match e {
            sqlparser::ast::Expr::Identifier(i) => idents.push(names::fold(i)),
            sqlparser::ast::Expr::CompoundIdentifier(parts) => idents.extend(parts.last().map(names::fold)),
            _ => {}
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    if let sqlparser::ast::SetExpr::Select(sel) = &*cv.query.body {
        star = sel.projection.iter().any(|p| {
            matches!(p, sqlparser::ast::SelectItem::Wildcard(_) | sqlparser::ast::SelectItem::QualifiedWildcard(..))
        });
        for item in &sel.projection {
            if let sqlparser::ast::SelectItem::UnnamedExpr(sqlparser::ast::Expr::Identifier(i))
            | sqlparser::ast::SelectItem::ExprWithAlias { expr: sqlparser::ast::Expr::Identifier(i), .. } = item
            {
                idents.push(names::fold(i));
            }
        }
    }
    let mut columns_used = Vec::new();
    for rel in &depends_on {
        let Some(t) = catalog.table(rel) else { continue };
        for c in &t.columns {
            if star || idents.iter().any(|i| *i == c.name) {
                columns_used.push((rel.clone(), c.name.to_string()));
            }
        }
    }
    let columns: Vec<String> = cv.columns.iter().map(|c| names::fold(&c.name)).collect();
    let output = if cv.materialized { output_columns(catalog, &cv.query, &columns) } else { Vec::new() };
    let triggers = catalog.views.get(&q).map(|v| v.triggers.clone()).unwrap_or_default();
    catalog.views.insert(
        q.clone(),
        View {
            name: q,
            materialized: cv.materialized,
            columns,
            output,
            definition: cv.query.to_string(),
            depends_on,
            columns_used,
            // CREATE OR REPLACE VIEW keeps the view's triggers.
            triggers,
            comment: None,
            origin: Origin::at(ctx.span),
        },
    );
    Ok(())
}

/// ALTER [MATERIALIZED] VIEW [IF EXISTS] name: RENAME TO, SET SCHEMA, RENAME COLUMN; column defaults,
/// options and the owner have no effect on the model. As PostgreSQL 15 checks it: the relation must be a
/// view of the kind named (`"m" is not a view`), a new name must be free in its schema, and a column it
/// names must be one of the view's where the engine knows them (a materialized view's output).
pub(crate) fn alter_view(catalog: &mut Catalog, av: &sqlparser::ast::AlterView, ctx: &mut Ctx) -> SimResult {
    use sqlparser::ast::AlterViewOperation as Op;
    let q = catalog.resolve(&av.name);
    let kind = if av.materialized { "materialized view" } else { "view" };
    let Some(view) = catalog.views.get(&q) else {
        if catalog.relation_exists(&q) {
            return Err(SimError::new(format!("\"{}\" is not a {kind}", q.name)));
        }
        if av.if_exists {
            ctx.notes.push(format!("relation \"{}\" does not exist, skipping", q.name));
            return Ok(());
        }
        return Err(super::missing_relation(catalog, &q));
    };
    if view.materialized != av.materialized {
        return Err(SimError::new(format!("\"{}\" is not a {kind}", q.name)));
    }
    // The view's column names, when the engine knows them (a materialized view's output); else empty.
    let known: Vec<String> = view.output.iter().map(|(n, _)| n.clone()).collect();
    match &av.operation {
        Op::RenameTo { new_name } => {
            let new_q = QualName::new(q.schema.clone(), names::parts(new_name).pop().unwrap_or_default());
            if catalog.relation_exists(&new_q) {
                return Err(relation_exists_error(&new_q));
            }
            move_view(catalog, &q, new_q, ctx);
        }
        Op::SetSchema { schema_name } => {
            let schema = names::parts(schema_name).pop().unwrap_or_default();
            if !catalog.schemas.contains_key(schema.as_str()) {
                return Err(SimError::new(format!("schema \"{schema}\" does not exist")));
            }
            if *schema == *q.schema {
                return Ok(());
            }
            let new_q = QualName::new(schema.clone(), q.name.clone());
            if catalog.relation_exists(&new_q) {
                return Err(SimError::new(format!("relation \"{}\" already exists in schema \"{schema}\"", q.name)));
            }
            move_view(catalog, &q, new_q.clone(), ctx);
            // A materialized view's indexes move with it.
            super::alter_table::move_indexes(catalog, &new_q);
        }
        Op::RenameColumn { old_column_name, new_column_name } => {
            let (old, new) = (names::fold(old_column_name), names::fold(new_column_name));
            if !known.is_empty() {
                if !known.contains(&old) {
                    return Err(SimError::new(format!("column \"{old}\" does not exist")));
                }
                if known.contains(&new) {
                    return Err(SimError::new(format!("column \"{new}\" of relation \"{}\" already exists", q.name)));
                }
            }
            if let Some(v) = catalog.views.get_mut(&q) {
                for name in v.columns.iter_mut().chain(v.output.iter_mut().map(|(n, _)| n)) {
                    if *name == old {
                        name.clone_from(&new);
                    }
                }
                v.origin.changed = ctx.span;
            }
            // A materialized view's indexes on the column print its new name.
            super::alter_table::rename_in_indexes(catalog, &q, &old, &new);
        }
        Op::AlterColumn { column_name, .. } => {
            let column = names::fold(column_name);
            if !known.is_empty() && !known.contains(&column) {
                return Err(SimError::new(format!("column \"{column}\" of relation \"{}\" does not exist", q.name)));
            }
        }
        Op::OwnerTo(_) | Op::SetOptions { .. } | Op::ResetOptions { .. } => {}
        // MySQL's form; PostgreSQL's grammar has no ALTER VIEW … AS.
        Op::As { .. } => {
            return Err(SimError::new("syntax error at or near \"AS\"")
                .help("Use CREATE OR REPLACE VIEW to change a view's query."));
        }
    }
    Ok(())
}

/// Renames a view or moves it to another schema: its triggers and comment go with it, the indexes and
/// statistics of a materialized view follow it, and so do the views that read it (PostgreSQL refers to it
/// by OID).
fn move_view(catalog: &mut Catalog, from: &QualName, to: QualName, ctx: &Ctx) {
    let Some(mut view) = catalog.views.remove(from) else { return };
    view.name = to.clone();
    view.origin.changed = ctx.span;
    catalog.views.insert(to.clone(), view);
    super::alter_table::follow_relation(catalog, from, &to);
}

/// A column of a query's output: its name, and its type when the engine can tell.
type OutputColumn = (String, Option<TypeRef>);

/// The columns of a relation a query reads, with their types where known; `None` when the engine does not
/// know them (a plain view without a column list).
fn relation_columns(catalog: &Catalog, q: &QualName) -> Option<Vec<OutputColumn>> {
    if let Some(t) = catalog.table(q) {
        return Some(t.columns.iter().map(|c| (c.name.to_string(), Some(c.ty.clone()))).collect());
    }
    let v = catalog.views.get(q)?;
    if !v.output.is_empty() {
        return Some(v.output.clone());
    }
    (!v.columns.is_empty()).then(|| v.columns.iter().map(|c| (c.clone(), None)).collect())
}

/// A materialized view's columns, as PostgreSQL's `FigureColname` names the select items of the query's
/// first SELECT (the column list renames the first ones), with the types the engine can tell. Empty when
/// a `*` expands over something whose columns the engine does not know: the names are not checked then.
fn output_columns(catalog: &Catalog, query: &sqlparser::ast::Query, explicit: &[String]) -> Vec<OutputColumn> {
    use sqlparser::ast::{SelectItem, SelectItemQualifiedWildcardKind, SetExpr, TableFactor};
    let mut body = &*query.body;
    let select = loop {
        match body {
            SetExpr::Select(sel) => break sel,
            SetExpr::Query(q) => body = &q.body,
            SetExpr::SetOperation { left, .. } => body = left,
            _ => return Vec::new(),
        }
    };
    // The relations of FROM: (the name a qualifier uses, their columns).
    let mut from: Vec<(String, Option<Vec<OutputColumn>>)> = Vec::new();
    for twj in &select.from {
        for factor in std::iter::once(&twj.relation).chain(twj.joins.iter().map(|j| &j.relation)) {
            match factor {
                TableFactor::Table { name, alias, .. } => {
                    let q = catalog.resolve(name);
                    let label = alias.as_ref().map_or_else(|| q.name.to_string(), |a| names::fold(&a.name));
                    from.push((label, relation_columns(catalog, &q)));
                }
                other => {
                    let label = match other {
                        TableFactor::Derived { alias: Some(a), .. } | TableFactor::Function { alias: Some(a), .. } => {
                            names::fold(&a.name)
                        }
                        _ => String::new(),
                    };
                    from.push((label, None));
                }
            }
        }
    }
    let column_type = |qualifier: Option<&str>, column: &str| -> Option<TypeRef> {
        from.iter()
            .filter(|(label, _)| qualifier.is_none_or(|q| q == label))
            .find_map(|(_, cols)| cols.as_ref()?.iter().find(|(n, _)| n == column).map(|(_, t)| t.clone()))
            .flatten()
    };
    // The columns of known type, for typing expressions over them.
    let flat: Vec<(String, TypeRef)> = from
        .iter()
        .flat_map(|(_, cols)| cols.iter().flatten())
        .filter_map(|(n, t)| Some((n.clone(), t.clone()?)))
        .collect();
    let typer = Typer { catalog, column_type: &column_type, columns: &flat };
    let mut out: Vec<OutputColumn> = Vec::new();
    for item in &select.projection {
        match item {
            SelectItem::UnnamedExpr(e) => out.push((figure_colname(catalog, e), typer.expr_type(e))),
            SelectItem::ExprWithAlias { expr, alias } => out.push((names::fold(alias), typer.expr_type(expr))),
            SelectItem::Wildcard(_) => {
                for (_, cols) in &from {
                    let Some(cols) = cols else { return Vec::new() };
                    out.extend(cols.iter().cloned());
                }
            }
            SelectItem::QualifiedWildcard(SelectItemQualifiedWildcardKind::ObjectName(n), _) => {
                let label = names::parts(n).last().cloned().unwrap_or_default();
                let Some((_, Some(cols))) = from.iter().find(|(l, _)| *l == label) else { return Vec::new() };
                out.extend(cols.iter().cloned());
            }
            _ => return Vec::new(),
        }
    }
    for (slot, name) in out.iter_mut().zip(explicit) {
        slot.0 = name.clone();
    }
    out
}

/// `FigureColname`: the name PostgreSQL gives a select item without an alias.
fn figure_colname(catalog: &Catalog, e: &sqlparser::ast::Expr) -> String {
    use sqlparser::ast::Expr;
    match e {
        Expr::Identifier(i) => names::fold(i),
        Expr::CompoundIdentifier(parts) => parts.last().map(names::fold).unwrap_or_else(|| "?column?".into()),
        Expr::Function(f) => names::parts(&f.name).last().cloned().unwrap_or_else(|| "?column?".into()),
        Expr::Nested(inner) => figure_colname(catalog, inner),
        Expr::Cast { expr, data_type, .. } => match figure_colname(catalog, expr).as_str() {
            "?column?" => {
                types::resolve(data_type, catalog).map_or_else(|_| "?column?".into(), |(t, _)| t.name.to_string())
            }
            name => name.to_string(),
        },
        Expr::Case { .. } => "case".into(),
        Expr::Exists { .. } => "exists".into(),
        Expr::Array(_) => "array".into(),
        _ => "?column?".into(),
    }
}

/// Types a materialized view's select items.
struct Typer<'a> {
    catalog: &'a Catalog,
    /// A column's type from its (qualifier, name).
    column_type: &'a dyn Fn(Option<&str>, &str) -> Option<TypeRef>,
    /// The columns of known type of the relations read.
    columns: &'a [(String, TypeRef)],
}

impl Typer<'_> {
    /// A select item's type: a column of a relation read, a cast, the usual aggregates, or an expression the
    /// engine can type over the columns read; `None` when it cannot tell.
    fn expr_type(&self, e: &sqlparser::ast::Expr) -> Option<TypeRef> {
        use sqlparser::ast::{Expr, FunctionArg, FunctionArgExpr, FunctionArguments};
        match e {
            Expr::Identifier(i) => (self.column_type)(None, &names::fold(i)),
            Expr::CompoundIdentifier(parts) => match parts.as_slice() {
                [.., qualifier, column] => (self.column_type)(Some(&names::fold(qualifier)), &names::fold(column)),
                _ => None,
            },
            Expr::Nested(inner) => self.expr_type(inner),
            Expr::Cast { data_type, .. } => types::resolve(data_type, self.catalog).ok().map(|(t, _)| t),
            Expr::Function(f) if f.over.is_none() => {
                let name = names::parts(&f.name).join(".");
                let arg = match &f.args {
                    FunctionArguments::List(list) => match list.args.as_slice() {
                        [FunctionArg::Unnamed(FunctionArgExpr::Expr(a))] => self.expr_type(a),
                        _ => None,
                    },
                    _ => None,
                };
                let arg_is =
                    |names: &[&str]| arg.as_ref().is_some_and(|t| !t.array && names.contains(&t.name.as_str()));
                let builtin = |n: &str| Some(TypeRef::builtin(n));
                match name.as_str() {
                    "count" => builtin("int8"),
                    "sum" if arg_is(&["int2", "int4"]) => builtin("int8"),
                    "sum" if arg_is(&["int8", "numeric"]) => builtin("numeric"),
                    "sum" if arg_is(&["float4", "float8", "money", "interval"]) => arg,
                    "avg" if arg_is(&["int2", "int4", "int8", "numeric"]) => builtin("numeric"),
                    "avg" if arg_is(&["float4", "float8"]) => builtin("float8"),
                    "avg" if arg_is(&["interval"]) => arg,
                    // varchar has no min/max of its own: text's apply.
                    "min" | "max" if arg_is(&["varchar"]) => builtin("text"),
                    "min" | "max" => arg.map(|t| t.without_mods()),
                    "bool_and" | "bool_or" | "every" => builtin("bool"),
                    "string_agg" => builtin("text"),
                    "array_agg" => arg.filter(|t| !t.array).map(|t| t.without_mods().array_of()),
                    _ => self.analysed(e),
                }
            }
            Expr::Function(_) => None,
            _ => self.analysed(e),
        }
    }

    fn analysed(&self, e: &sqlparser::ast::Expr) -> Option<TypeRef> {
        let scope = crate::catalog::expr::Scope { catalog: self.catalog, columns: self.columns, trigger_rows: false };
        crate::catalog::expr::index_expr(e, &scope).ok().map(|(_, _, t)| t)
    }
}

fn is_cte_like(query: &sqlparser::ast::Query, name: &str) -> bool {
    query.with.as_ref().is_some_and(|w| w.cte_tables.iter().any(|c| c.alias.name.value.eq_ignore_ascii_case(name)))
}

pub(crate) fn comment(
    catalog: &mut Catalog,
    object_type: CommentObject,
    object_name: &ObjectName,
    text: Option<&str>,
    if_exists: bool,
) -> SimResult {
    let text = text.map(str::to_string);
    let parts = names::parts(object_name);
    match object_type {
        CommentObject::Table => {
            let q = catalog.resolve(object_name);
            // The same comment again (a migration run twice) leaves the table shared with earlier snapshots.
            if catalog.table(&q).is_some_and(|t| t.comment == text) {
                return Ok(());
            }
            match catalog.table_mut(&q) {
                Some(t) => t.comment = text,
                None if if_exists => {}
                None => return Err(super::missing_relation(catalog, &q)),
            }
        }
        CommentObject::Column => {
            let (tq, col) = match parts.as_slice() {
                // An unqualified table is found through the search path.
                [t, c] => (catalog.resolve_unqualified(t), c.clone()),
                [s, t, c] => (QualName::new(s.clone(), t.clone()), c.clone()),
                _ => return Err(SimError::new("column name must be qualified")),
            };
            if catalog.table(&tq).and_then(|t| t.column(&col)).is_some_and(|c| c.comment == text) {
                return Ok(());
            }
            let Some(t) = catalog.table_mut(&tq) else { return Err(super::missing_relation(catalog, &tq)) };
            let Some(c) = t.column_mut(&col) else {
                return Err(SimError::new(format!("column \"{col}\" of relation \"{}\" does not exist", tq.name)));
            };
            c.comment = text;
        }
        CommentObject::Index => {
            let q = catalog.resolve(object_name);
            let Some(i) = catalog.indexes.get_mut(&q) else {
                return Err(SimError::new(format!("relation \"{}\" does not exist", q.name)));
            };
            std::sync::Arc::make_mut(i).comment = text;
        }
        CommentObject::View | CommentObject::MaterializedView => {
            let q = catalog.resolve(object_name);
            let Some(v) = catalog.views.get_mut(&q) else {
                return Err(SimError::new(format!("relation \"{}\" does not exist", q.name)));
            };
            v.comment = text;
        }
        CommentObject::Type | CommentObject::Domain => {
            let q = catalog.resolve(object_name);
            let Some(t) = catalog.types.get_mut(&q) else {
                return Err(SimError::new(format!("type \"{}\" does not exist", q.name)));
            };
            t.comment = text;
        }
        CommentObject::Schema => {
            let name = parts.join(".");
            let Some(s) = catalog.schemas.get_mut(&name) else {
                return Err(SimError::new(format!("schema \"{name}\" does not exist")));
            };
            s.comment = text;
        }
        CommentObject::Function => {
            let q = catalog.resolve(object_name);
            let Some(list) = catalog.functions.get_mut(&q) else {
                return Err(SimError::new(format!("function {}() does not exist", q.name)));
            };
            if list.len() > 1 {
                return Err(SimError::new(format!("function name \"{}\" is not unique", q.name)));
            }
            std::sync::Arc::make_mut(list).iter_mut().for_each(|f| f.comment = text.clone());
        }
        _ => {}
    }
    Ok(())
}

pub(crate) fn create_policy(catalog: &mut Catalog, cp: &sqlparser::ast::CreatePolicy, ctx: &mut Ctx) -> SimResult {
    use sqlparser::ast::{CreatePolicyCommand, CreatePolicyType, Owner};
    let q = catalog.resolve(&cp.table_name);
    if !catalog.tables.contains_key(&q) {
        return Err(super::missing_relation(catalog, &q));
    }
    let name = names::fold(&cp.name);
    let cols = super::table::table_columns(catalog, &q);
    let scope = crate::catalog::expr::Scope { catalog, columns: &cols, trigger_rows: false };
    let using = match &cp.using {
        Some(e) => Some(crate::catalog::expr::condition_plain(e, &scope, "POLICY USING")?),
        None => None,
    };
    let with_check = match &cp.with_check {
        Some(e) => Some(crate::catalog::expr::condition_plain(e, &scope, "POLICY WITH CHECK")?),
        None => None,
    };
    let command = match cp.command {
        None | Some(CreatePolicyCommand::All) => None,
        Some(CreatePolicyCommand::Select) => Some("SELECT"),
        Some(CreatePolicyCommand::Insert) => Some("INSERT"),
        Some(CreatePolicyCommand::Update) => Some("UPDATE"),
        Some(CreatePolicyCommand::Delete) => Some("DELETE"),
    };
    if matches!(command, Some("SELECT" | "DELETE")) && with_check.is_some() {
        return Err(SimError::new("WITH CHECK cannot be applied to SELECT or DELETE"));
    }
    let roles: Vec<String> = cp
        .to
        .iter()
        .flatten()
        .filter_map(|o| match o {
            Owner::Ident(i) if names::fold(i) == "public" => None,
            Owner::Ident(i) => Some(names::fold(i)),
            Owner::CurrentRole => Some("CURRENT_ROLE".into()),
            Owner::CurrentUser => Some("CURRENT_USER".into()),
            Owner::SessionUser => Some("SESSION_USER".into()),
        })
        .collect();
    let Some(t) = catalog.table_mut(&q) else { return Ok(()) };
    if t.policies.iter().any(|p| p.name == name) {
        return Err(SimError::new(format!("policy \"{name}\" for table \"{}\" already exists", q.name))
            .help("Add DROP POLICY IF EXISTS … ON … before it."));
    }
    t.policies.push(Policy {
        name,
        restrictive: matches!(cp.policy_type, Some(CreatePolicyType::Restrictive)),
        command,
        roles,
        using,
        with_check,
        origin: Origin::at(ctx.span),
    });
    Ok(())
}

pub(crate) fn drop_policy(catalog: &mut Catalog, dp: &sqlparser::ast::DropPolicy) -> SimResult {
    let q = catalog.resolve(&dp.table_name);
    let name = names::fold(&dp.name);
    let Some(t) = catalog.table_mut(&q) else {
        if dp.if_exists {
            return Ok(());
        }
        return Err(super::missing_relation(catalog, &q));
    };
    if !t.policies.iter().any(|p| p.name == name) {
        if dp.if_exists {
            return Ok(());
        }
        return Err(SimError::new(format!("policy \"{name}\" for table \"{}\" does not exist", q.name)));
    }
    t.policies.retain(|p| p.name != name);
    Ok(())
}
