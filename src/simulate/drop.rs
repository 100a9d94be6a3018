//! DROP of tables, indexes, views, sequences, types and schemas, DROP COLUMN and DROP CONSTRAINT,
//! with PostgreSQL's dependency rules: without CASCADE a dependent object makes the DROP fail; with
//! CASCADE the dependents go too.

use sqlparser::ast::{DropDomain, ObjectName, ObjectType};

use super::{Ctx, SimError, SimResult};
use crate::catalog::model::*;
use crate::catalog::names;

fn depends_error(what: &str, details: &[String]) -> SimError {
    let detail = details.join("; ");
    SimError::new(format!("cannot drop {what} because other objects depend on it"))
        .help(format!("{detail}. Use DROP … CASCADE to drop the dependent objects too, or drop them first."))
}

fn kind_word(t: ObjectType) -> &'static str {
    match t {
        ObjectType::Table => "table",
        ObjectType::View => "view",
        ObjectType::MaterializedView => "materialized view",
        ObjectType::Index => "index",
        ObjectType::Sequence => "sequence",
        ObjectType::Schema => "schema",
        ObjectType::Type => "type",
        _ => "object",
    }
}

pub(crate) fn drop(
    catalog: &mut Catalog,
    object_type: ObjectType,
    if_exists: bool,
    names_: &[ObjectName],
    cascade: bool,
    ctx: &mut Ctx,
) -> SimResult {
    let mut work = catalog.clone();
    // The tables of the statement go together: one that depends on another of them does not stop it.
    let listed: Vec<QualName> = match object_type {
        ObjectType::Table => names_.iter().map(|n| catalog.resolve(n)).collect(),
        _ => Vec::new(),
    };
    for name in names_ {
        let q = catalog.resolve(name);
        let result = match object_type {
            ObjectType::Table => drop_listed_table(&mut work, &q, cascade, if_exists, ctx, &listed),
            ObjectType::Index => drop_index(&mut work, &q, if_exists, ctx),
            ObjectType::View | ObjectType::MaterializedView => {
                drop_view(&mut work, &q, object_type, cascade, if_exists, ctx)
            }
            ObjectType::Sequence => drop_sequence(&mut work, &q, cascade, if_exists, ctx),
            ObjectType::Type => drop_type(&mut work, &q, cascade, if_exists, ctx),
            ObjectType::Schema => {
                let schema = names::parts(name).last().cloned().unwrap_or_default();
                drop_schema(&mut work, &schema, cascade, if_exists, ctx)
            }
            ObjectType::Role | ObjectType::User | ObjectType::Database => Ok(()),
            other => Err(SimError::not_simulated(format!("DROP {other} is not simulated"))),
        };
        result?;
    }
    *catalog = work;
    Ok(())
}

fn wrong_kind(catalog: &Catalog, q: &QualName, want: &str) -> Option<SimError> {
    let kind = super::relation_kind(catalog, q)?;
    let hint = match kind {
        "table" => "DROP TABLE",
        "index" => "DROP INDEX",
        "sequence" => "DROP SEQUENCE",
        "view" => "DROP VIEW",
        _ => "DROP MATERIALIZED VIEW",
    };
    Some(SimError::new(format!("\"{}\" is not a {want}", q.name)).help(format!("Use {hint} to remove a {kind}.")))
}

fn missing(catalog: &Catalog, q: &QualName, kind: &str, if_exists: bool, ctx: &mut Ctx) -> SimResult {
    if if_exists {
        ctx.notes.push(format!("{kind} \"{}\" does not exist, skipping", q.name));
        return Ok(());
    }
    if let Some(err) = wrong_kind(catalog, q, kind) {
        return Err(err);
    }
    Err(SimError::new(format!("{kind} \"{}\" does not exist", q.name)))
}

/// Foreign keys in other tables that reference `table` (optionally only those using `column`), as psql
/// lists them: not the partitions' copies, which go with the keys they copy, and a key that references
/// `table` as a partition of the table it names.
fn referencing_fks(catalog: &Catalog, table: &QualName, column: Option<&str>) -> Vec<(QualName, String)> {
    let mut out = Vec::new();
    for name in catalog.tables_referencing(table) {
        let Some(t) = catalog.tables.get(&name) else { continue };
        for c in &t.constraints {
            if let ConstraintKind::ForeignKey(fk) = &c.kind
                && !matches!(c.parent, Some(ParentKey::Partition(_)))
                && &fk.ref_table == table
                && &t.name != table
                && column.is_none_or(|col| fk.ref_columns.iter().any(|r| r == col))
            {
                // A hidden constraint for a partition of the referenced table stands for the key psql lists.
                let key = (t.name.clone(), super::partition_fks::root(t, c).name.to_string());
                if !out.contains(&key) {
                    out.push(key);
                }
            }
        }
    }
    out
}

/// Removes a constraint, the index behind it, and the partitions' copies of it.
fn remove_constraint(catalog: &mut Catalog, table: &QualName, name: &str) {
    if let Some(t) = catalog.table_mut(table) {
        t.constraints.retain(|c| c.name != name);
    }
    super::partition_fks::dropped(catalog, table, name);
    let q = QualName::new(table.schema.clone(), name.to_string());
    if catalog.indexes.get(&q).is_some_and(|i| i.constraint.as_deref() == Some(name)) {
        catalog.indexes.remove(&q);
    }
}

fn dependent_views(catalog: &Catalog, q: &QualName) -> Vec<QualName> {
    catalog.views.values().filter(|v| v.depends_on.contains(q)).map(|v| v.name.clone()).collect()
}

fn drop_table(catalog: &mut Catalog, q: &QualName, cascade: bool, if_exists: bool, ctx: &mut Ctx) -> SimResult {
    drop_listed_table(catalog, q, cascade, if_exists, ctx, &[])
}

/// [`drop_table`], for a table of a `DROP TABLE` list (`listed`): the others may depend on it. Its
/// partitions go with it (PostgreSQL's automatic dependency); the tables that inherit from it only with
/// CASCADE, or when they are listed too.
fn drop_listed_table(
    catalog: &mut Catalog,
    q: &QualName,
    cascade: bool,
    if_exists: bool,
    ctx: &mut Ctx,
    listed: &[QualName],
) -> SimResult {
    if !catalog.tables.contains_key(q) {
        return missing(catalog, q, "table", if_exists, ctx);
    }
    // The table and its partitions at any depth: what depends on any of them depends on the table. Until a
    // table of the history has had a parent, there are no partitions or children to look for.
    let related = catalog.inheritance.0;
    let partitions = if related { catalog.partitions(q) } else { Vec::new() };
    let family: Vec<QualName> = std::iter::once(q.clone()).chain(partitions).collect();
    let outside = |t: &QualName| !listed.contains(t) && !family.contains(t);
    let fks: Vec<(QualName, String, &QualName)> = family
        .iter()
        .flat_map(|f| referencing_fks(catalog, f, None).into_iter().map(move |(t, c)| (t, c, f)))
        .filter(|(t, _, _)| outside(t))
        .collect();
    let mut views: Vec<(QualName, &QualName)> = Vec::new();
    for f in &family {
        for v in dependent_views(catalog, f) {
            if !views.iter().any(|(w, _)| *w == v) {
                views.push((v, f));
            }
        }
    }
    let children: Vec<(QualName, &QualName)> = catalog
        .tables
        .values()
        .filter(|t| related && outside(&t.name))
        .filter_map(|t| family.iter().find(|f| t.inherits.contains(f)).map(|f| (t.name.clone(), f)))
        .collect();
    if !cascade && (!fks.is_empty() || !views.is_empty() || !children.is_empty()) {
        // In the order the dependent objects were made, as PostgreSQL lists them.
        let mut details: Vec<(Option<crate::span::Span>, String)> = fks
            .iter()
            .map(|(t, c, on)| {
                let at = catalog.tables.get(t).and_then(|t| t.constraint(c)).map(|c| c.origin.created);
                (at, format!("constraint {c} on table {} depends on table {}", t.name, on.name))
            })
            .collect();
        details.extend(views.iter().map(|(v, on)| {
            let at = catalog.views.get(v).map(|v| v.origin.created);
            (at, format!("view {} depends on table {}", v.name, on.name))
        }));
        details.extend(children.iter().map(|(c, on)| {
            let at = catalog.tables.get(c).map(|t| t.origin.created);
            (at, format!("table {} depends on table {}", c.name, on.name))
        }));
        details.sort_by_key(|(at, _)| *at);
        let details: Vec<String> = details.into_iter().map(|(_, d)| d).collect();
        return Err(depends_error(&format!("table {}", q.name), &details));
    }
    let views: Vec<QualName> = views.into_iter().map(|(v, _)| v).collect();
    let children: Vec<QualName> = children.into_iter().map(|(c, _)| c).collect();
    for child in children {
        ctx.notes.push(format!("drop cascades to table {}", child.name));
        drop_listed_table(catalog, &child, true, true, ctx, listed)?;
    }
    for f in &family {
        for (t, c) in referencing_fks(catalog, f, None) {
            if outside(&t) {
                ctx.notes.push(format!("drop cascades to constraint {c} on table {}", t.name));
            }
            remove_constraint(catalog, &t, &c);
        }
    }
    for v in views {
        ctx.notes.push(format!("drop cascades to view {}", v.name));
        remove_view_cascade(catalog, &v);
    }
    // The deepest partitions first, the table last.
    for t in family.iter().rev() {
        catalog.tables.remove(t);
        catalog.indexes.retain(|_, i| &i.table != t);
        catalog.sequences.retain(|_, s| s.owned_by.as_ref().is_none_or(|(o, _)| o != t));
        catalog.statistics.retain(|_, s| &s.table != t);
        super::publication::forget(catalog, t, None);
    }
    Ok(())
}

fn remove_view_cascade(catalog: &mut Catalog, q: &QualName) {
    // A materialized view's indexes go with it.
    if catalog.views.remove(q).is_some_and(|v| v.materialized) {
        catalog.indexes.retain(|_, i| &i.table != q);
    }
    for v in dependent_views(catalog, q) {
        remove_view_cascade(catalog, &v);
    }
}

fn drop_index(catalog: &mut Catalog, q: &QualName, if_exists: bool, ctx: &mut Ctx) -> SimResult {
    let Some(idx) = catalog.indexes.get(q) else {
        return missing(catalog, q, "index", if_exists, ctx);
    };
    if let Some(c) = &idx.constraint {
        return Err(SimError::new(format!(
            "cannot drop index {} because constraint {c} on table {} requires it",
            q.name, idx.table.name
        ))
        .help(format!(
            "Drop the constraint instead: ALTER TABLE {} DROP CONSTRAINT {c};",
            names::relation_name(&idx.table)
        )));
    }
    if ctx.extras.concurrently && ctx.in_transaction {
        return Err(SimError::new("DROP INDEX CONCURRENTLY cannot run inside a transaction block")
            .help("Put it in a migration of its own that the runner does not wrap in a transaction."));
    }
    catalog.indexes.remove(q);
    Ok(())
}

fn drop_view(
    catalog: &mut Catalog,
    q: &QualName,
    t: ObjectType,
    cascade: bool,
    if_exists: bool,
    ctx: &mut Ctx,
) -> SimResult {
    let want_mat = t == ObjectType::MaterializedView;
    if catalog.views.get(q).is_none_or(|v| v.materialized != want_mat) {
        return missing(catalog, q, kind_word(t), if_exists, ctx);
    }
    let deps = dependent_views(catalog, q);
    if !cascade && !deps.is_empty() {
        let details: Vec<String> = deps.iter().map(|v| format!("view {} depends on view {}", v.name, q.name)).collect();
        return Err(depends_error(&format!("view {}", q.name), &details));
    }
    remove_view_cascade(catalog, q);
    Ok(())
}

fn drop_sequence(catalog: &mut Catalog, q: &QualName, cascade: bool, if_exists: bool, ctx: &mut Ctx) -> SimResult {
    if !catalog.sequences.contains_key(q) {
        return missing(catalog, q, "sequence", if_exists, ctx);
    }
    let pattern = format!("nextval('{}'::regclass)", names::relation_name(q).replace('\'', "''"));
    let users: Vec<(QualName, String)> = catalog
        .tables
        .values()
        .flat_map(|t| {
            t.columns
                .iter()
                .filter(|c| c.default.as_deref() == Some(pattern.as_str()))
                .map(|c| (t.name.clone(), c.name.to_string()))
                .collect::<Vec<_>>()
        })
        .collect();
    if !users.is_empty() && !cascade {
        let details: Vec<String> = users
            .iter()
            .map(|(t, c)| format!("default value for column {c} of table {} depends on sequence {}", t.name, q.name))
            .collect();
        return Err(depends_error(&format!("sequence {}", q.name), &details));
    }
    for (t, c) in users {
        if let Some(t) = catalog.table_mut(&t)
            && let Some(col) = t.column_mut(&c)
        {
            col.default = None;
        }
    }
    catalog.sequences.remove(q);
    Ok(())
}

fn drop_type(catalog: &mut Catalog, q: &QualName, cascade: bool, if_exists: bool, ctx: &mut Ctx) -> SimResult {
    if !catalog.types.contains_key(q) {
        if if_exists {
            ctx.notes.push(format!("type \"{}\" does not exist, skipping", q.name));
            return Ok(());
        }
        return Err(SimError::new(format!("type \"{}\" does not exist", q.name)));
    }
    let users: Vec<(QualName, String)> = catalog
        .tables
        .values()
        .flat_map(|t| {
            t.columns
                .iter()
                .filter(|c| c.ty.schema.as_deref() == Some(q.schema.as_str()) && c.ty.name == q.name)
                .map(|c| (t.name.clone(), c.name.to_string()))
                .collect::<Vec<_>>()
        })
        .collect();
    let typed: Vec<QualName> =
        catalog.tables.values().filter(|t| t.of_type.as_ref() == Some(q)).map(|t| t.name.clone()).collect();
    if (!users.is_empty() || !typed.is_empty()) && !cascade {
        let mut details: Vec<String> =
            users.iter().map(|(t, c)| format!("column {c} of table {} depends on type {}", t.name, q.name)).collect();
        details.extend(typed.iter().map(|t| format!("table {} depends on type {}", t.name, q.name)));
        return Err(depends_error(&format!("type {}", q.name), &details));
    }
    for t in typed {
        ctx.notes.push(format!("drop cascades to table {}", t.name));
        drop_table(catalog, &t, true, true, ctx)?;
    }
    for (t, c) in users {
        if catalog.tables.contains_key(&t) {
            drop_column(catalog, &t, &c, true)?;
        }
    }
    catalog.types.remove(q);
    Ok(())
}

/// A transaction commits: the temporary tables made `ON COMMIT DROP` go, with what depends on them, and
/// those made `ON COMMIT DELETE ROWS` are emptied.
pub(crate) fn end_transaction(catalog: &mut Catalog) {
    if !catalog.schemas.contains_key(TEMP_SCHEMA) {
        return;
    }
    let emptied: Vec<QualName> =
        catalog.tables.values().filter(|t| t.on_commit_delete_rows && t.has_rows).map(|t| t.name.clone()).collect();
    for q in emptied {
        if let Some(t) = catalog.table_mut(&q) {
            t.has_rows = false;
        }
    }
    let gone: Vec<QualName> = catalog.tables.values().filter(|t| t.on_commit_drop).map(|t| t.name.clone()).collect();
    let extras = Default::default();
    let mut ctx = Ctx::new(crate::span::Span::default(), &extras, false);
    for q in gone {
        let _ = drop_table(catalog, &q, true, true, &mut ctx);
    }
}

/// The end of a session (each migration file runs in one): its temporary tables go, with what depends on
/// them.
pub(crate) fn end_session(catalog: &mut Catalog) {
    if catalog.schemas.contains_key(TEMP_SCHEMA) {
        let extras = Default::default();
        let mut ctx = Ctx::new(crate::span::Span::default(), &extras, false);
        let _ = drop_schema(catalog, TEMP_SCHEMA, true, true, &mut ctx);
    }
}

fn drop_schema(catalog: &mut Catalog, schema: &str, cascade: bool, if_exists: bool, ctx: &mut Ctx) -> SimResult {
    if !catalog.schemas.contains_key(schema) {
        if if_exists {
            ctx.notes.push(format!("schema \"{schema}\" does not exist, skipping"));
            return Ok(());
        }
        return Err(SimError::new(format!("schema \"{schema}\" does not exist")));
    }
    let tables: Vec<QualName> = catalog.tables.keys().filter(|q| q.schema == schema).cloned().collect();
    let non_empty = !tables.is_empty()
        || catalog.types.keys().any(|q| q.schema == schema)
        || catalog.views.keys().any(|q| q.schema == schema)
        || catalog.functions.keys().any(|q| q.schema == schema)
        || catalog.sequences.keys().any(|q| q.schema == schema)
        || catalog.statistics.keys().any(|q| q.schema == schema);
    if non_empty && !cascade {
        let details: Vec<String> =
            tables.iter().map(|t| format!("table {}.{} depends on schema {schema}", t.schema, t.name)).collect();
        return Err(depends_error(&format!("schema {schema}"), &details));
    }
    for t in tables {
        drop_table(catalog, &t, true, true, ctx)?;
    }
    catalog.types.retain(|q, _| q.schema != schema);
    catalog.views.retain(|q, _| q.schema != schema);
    catalog.functions.retain(|q, _| q.schema != schema);
    catalog.sequences.retain(|q, _| q.schema != schema);
    catalog.indexes.retain(|q, _| q.schema != schema);
    catalog.statistics.retain(|q, _| q.schema != schema);
    catalog.publications.update_where(|p| p.schemas.iter().any(|s| s == schema), |p| p.schemas.retain(|s| s != schema));
    catalog.schemas.remove(schema);
    Ok(())
}

pub(crate) fn drop_domain(catalog: &mut Catalog, dd: &DropDomain, ctx: &mut Ctx) -> SimResult {
    let q = catalog.resolve(&dd.name);
    let cascade = matches!(dd.drop_behavior, Some(sqlparser::ast::DropBehavior::Cascade));
    drop_type(catalog, &q, cascade, dd.if_exists, ctx)
}

/// DROP COLUMN: indexes and constraints of the table that use the column go with it; foreign keys
/// and views elsewhere that use it need CASCADE.
pub(crate) fn drop_column(catalog: &mut Catalog, q: &QualName, col: &str, cascade: bool) -> SimResult {
    let views: Vec<QualName> = catalog
        .views
        .values()
        .filter(|v| v.columns_used.iter().any(|(t, c)| t == q && c == col))
        .map(|v| v.name.clone())
        .collect();
    if !views.is_empty() {
        if !cascade {
            let details: Vec<String> =
                views.iter().map(|v| format!("view {} depends on column {col} of table {}", v.name, q.name)).collect();
            return Err(depends_error(&format!("column {col} of table {}", q.name), &details));
        }
        for v in views {
            remove_view_cascade(catalog, &v);
        }
    }
    let fks = referencing_fks(catalog, q, Some(col));
    if !fks.is_empty() && !cascade {
        // A referenced column is part of a primary key or unique constraint.
        let key = catalog
            .table(q)
            .and_then(|t| {
                t.constraints.iter().find(|c| c.kind.has_index() && c.kind.columns().iter().any(|c| c == col))
            })
            .map(|c| c.name.clone())
            .unwrap_or_default();
        let details: Vec<String> =
            fks.iter().map(|(t, c)| format!("constraint {c} on table {} depends on index {key}", t.name)).collect();
        return Err(depends_error(&format!("column {col} of table {}", q.name), &details));
    }
    for (t, c) in fks {
        remove_constraint(catalog, &t, &c);
    }
    // Publication column lists and row filters, and rules, that use the column need CASCADE.
    let mut others = super::publication::column_dependents(catalog, q, col);
    if let Some(t) = catalog.table(q) {
        others.extend(
            t.rules
                .iter()
                .filter(|r| r.columns.iter().any(|c| c == col))
                .map(|r| format!("rule {} on table {} depends on column {col} of table {}", r.name, q.name, q.name)),
        );
    }
    if !others.is_empty() && !cascade {
        let details: Vec<String> = others
            .iter()
            .map(|o| {
                if o.starts_with("rule ") {
                    o.clone()
                } else {
                    format!("{o} depends on column {col} of table {}", q.name)
                }
            })
            .collect();
        return Err(depends_error(&format!("column {col} of table {}", q.name), &details));
    }
    super::publication::forget(catalog, q, Some(col));
    super::statistics::drop_column(catalog, q, col);
    let Some(t) = catalog.table_mut(q) else { return Ok(()) };
    t.rules.retain(|r| !r.columns.iter().any(|c| c == col));
    let doomed: Vec<Name> =
        t.constraints.iter().filter(|c| c.kind.columns().iter().any(|c| c == col)).map(|c| c.name.clone()).collect();
    t.columns.retain(|c| c.name != col);
    t.constraints.retain(|c| !doomed.contains(&c.name));
    t.triggers.retain(|tr| !tr.update_columns.iter().any(|c| c == col));
    let doomed: Vec<QualName> =
        catalog.indexes_of(q).filter(|i| i.columns.iter().any(|c| c == col)).map(|i| i.name.clone()).collect();
    for name in doomed {
        catalog.indexes.remove(&name);
    }
    catalog.sequences.retain(|_, s| s.owned_by.as_ref().is_none_or(|(t, c)| !(t == q && c == col)));
    Ok(())
}

/// ALTER TABLE … DROP CONSTRAINT.
pub(crate) fn drop_constraint(catalog: &mut Catalog, q: &QualName, name: &str, cascade: bool) -> SimResult {
    let Some(c) = catalog.table(q).and_then(|t| t.constraint(name)).cloned() else { return Ok(()) };
    if c.kind.has_index() {
        let cols = c.kind.columns().to_vec();
        let mut sorted = cols.clone();
        sorted.sort();
        let fks: Vec<(QualName, String)> = catalog
            .tables_referencing(q)
            .iter()
            .filter_map(|name| catalog.tables.get(name))
            .flat_map(|t| {
                t.constraints
                    .iter()
                    .filter(|fc| {
                        fc.parent.is_none()
                            && matches!(&fc.kind, ConstraintKind::ForeignKey(fk) if &fk.ref_table == q && {
                                let mut r = fk.ref_columns.clone();
                                r.sort();
                                r == sorted
                            })
                    })
                    .map(|fc| (t.name.clone(), fc.name.to_string()))
                    .collect::<Vec<_>>()
            })
            .collect();
        if !fks.is_empty() && !cascade {
            let details: Vec<String> = fks
                .iter()
                .map(|(t, fc)| format!("constraint {fc} on table {} depends on index {name}", t.name))
                .collect();
            return Err(depends_error(&format!("constraint {name} on table {}", q.name), &details));
        }
        for (t, fc) in fks {
            remove_constraint(catalog, &t, &fc);
        }
    }
    remove_constraint(catalog, q, name);
    Ok(())
}
