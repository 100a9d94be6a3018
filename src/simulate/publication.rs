//! CREATE, ALTER and DROP PUBLICATION: which tables are published, shown in `\d` under `Publications:`.

use super::{Ctx, SimError, SimResult};
use crate::catalog::expr::{self, Scope};
use crate::catalog::model::*;
use crate::sql::objects::{AlterObjectAction, PublicationTarget};

pub(crate) fn create(
    catalog: &mut Catalog,
    name: &str,
    all_tables: bool,
    targets: &[PublicationTarget],
    schemas: &[Option<String>],
    ctx: &mut Ctx,
) -> SimResult {
    if catalog.publications.contains_key(name) {
        return Err(SimError::new(format!("publication \"{name}\" already exists")));
    }
    let mut publication = Publication {
        name: name.to_string(),
        all_tables,
        schemas: Vec::new(),
        tables: Vec::new(),
        comment: None,
        origin: Origin::at(ctx.span),
    };
    for s in schemas {
        let schema = match s {
            Some(s) => s.clone(),
            None => match catalog.path().find(|s| catalog.schemas.contains_key(*s)) {
                Some(s) => s.to_string(),
                None => return Err(SimError::new("no schema has been selected for CURRENT_SCHEMA")),
            },
        };
        if !catalog.schemas.contains_key(&schema) {
            return Err(SimError::new(format!("schema \"{schema}\" does not exist")));
        }
        if !publication.schemas.contains(&schema) {
            publication.schemas.push(schema);
        }
    }
    for target in targets {
        let q = match target.name.as_slice() {
            [n] => catalog.resolve_unqualified(n),
            [s, n] => QualName::new(s.clone(), n.clone()),
            _ => return Err(SimError::new("improper qualified name (too many dotted names)")),
        };
        let Some(table) = catalog.table(&q) else {
            if let Some(kind) = super::relation_kind(catalog, &q) {
                return Err(SimError::new(format!("cannot add relation \"{}\" to publication", q.name))
                    .help(format!("This operation is not supported for {kind}s.")));
            }
            return Err(super::missing_relation(catalog, &q));
        };
        if table.kind == TableKind::Unlogged {
            return Err(SimError::new(format!("cannot add relation \"{}\" to publication", q.name))
                .help("This operation is not supported for unlogged tables."));
        }
        if publication.tables.iter().any(|t| t.table == q) {
            if target.columns.is_some() || target.filter.is_some() {
                let what = if target.filter.is_some() { "WHERE clauses" } else { "column lists" };
                return Err(SimError::new(format!("conflicting or redundant {what} for table \"{}\"", q.name)));
            }
            continue;
        }
        let columns = match &target.columns {
            Some(list) => {
                let mut numbered: Vec<(u32, String)> = Vec::new();
                for c in list {
                    let Some(col) = table.column(c) else {
                        return Err(SimError::new(format!("column \"{c}\" of relation \"{}\" does not exist", q.name)));
                    };
                    if numbered.iter().any(|(_, n)| n == c) {
                        return Err(SimError::new(format!("duplicate column \"{c}\" in publication column list")));
                    }
                    numbered.push((col.attnum, c.clone()));
                }
                numbered.sort();
                Some(numbered.into_iter().map(|(_, c)| c).collect::<Vec<_>>())
            }
            None => None,
        };
        let (filter, filter_columns) = match &target.filter {
            Some(e) => {
                let cols = super::table::table_columns(catalog, &q);
                let scope = Scope { catalog, columns: &cols, trigger_rows: false };
                let node = expr::condition_node(e, &scope, "PUBLICATION WHERE").map_err(SimError::new)?;
                (Some(expr::print_plain(&node)), node.columns())
            }
            None => (None, Vec::new()),
        };
        // Without ONLY, the tables that inherit from it are added too, with the same list and filter.
        let mut added = vec![q.clone()];
        if !target.only && table.kind != TableKind::Partitioned {
            added.extend(catalog.descendants(&q));
        }
        for t in added {
            if publication.tables.iter().any(|p| p.table == t) {
                continue;
            }
            publication.tables.push(PublicationTable {
                table: t,
                columns: columns.clone(),
                filter: filter.clone(),
                filter_columns: filter_columns.clone(),
            });
        }
    }
    catalog.publications.insert(name.to_string(), publication);
    Ok(())
}

fn missing(name: &str) -> SimError {
    SimError::new(format!("publication \"{name}\" does not exist"))
}

pub(crate) fn alter(catalog: &mut Catalog, name: &str, action: &AlterObjectAction) -> SimResult {
    if !catalog.publications.contains_key(name) {
        return Err(missing(name));
    }
    match action {
        AlterObjectAction::NoEffect => Ok(()),
        AlterObjectAction::RenameTo(new) => {
            if catalog.publications.contains_key(new) {
                return Err(SimError::new(format!("publication \"{new}\" already exists")));
            }
            if let Some(mut p) = catalog.publications.remove(name) {
                p.name = new.clone();
                catalog.publications.insert(new.clone(), p);
            }
            Ok(())
        }
        AlterObjectAction::SetSchema(_) | AlterObjectAction::SetStatistics(_) => {
            Err(SimError::new("syntax error in ALTER PUBLICATION"))
        }
        AlterObjectAction::Other(what) => {
            Err(SimError::not_simulated(format!("ALTER PUBLICATION … {what} is not simulated")))
        }
    }
}

pub(crate) fn drop(catalog: &mut Catalog, names_: &[String], if_exists: bool, ctx: &mut Ctx) -> SimResult {
    let mut work = catalog.clone();
    for name in names_ {
        if work.publications.remove(name).is_none() {
            if !if_exists {
                return Err(missing(name));
            }
            ctx.notes.push(format!("publication \"{name}\" does not exist, skipping"));
        }
    }
    *catalog = work;
    Ok(())
}

/// Publication entries that use `column` of `table` (its column list or its row filter), as
/// `publication of table t in publication p`.
pub(crate) fn column_dependents(catalog: &Catalog, table: &QualName, column: &str) -> Vec<String> {
    catalog
        .publications
        .values()
        .filter(|p| {
            p.tables.iter().any(|t| {
                &t.table == table
                    && (t.columns.as_ref().is_some_and(|c| c.iter().any(|c| c == column))
                        || t.filter_columns.iter().any(|c| c == column))
            })
        })
        .map(|p| format!("publication of table {} in publication {}", table.name, p.name))
        .collect()
}

/// Removes `table`'s entries (the table, or a column they use, is dropped).
pub(crate) fn forget(catalog: &mut Catalog, table: &QualName, column: Option<&str>) {
    let doomed = |t: &PublicationTable| {
        &t.table == table
            && column.is_none_or(|c| {
                t.columns.as_ref().is_some_and(|cols| cols.iter().any(|x| x == c))
                    || t.filter_columns.iter().any(|x| x == c)
            })
    };
    catalog.publications.update_where(|p| p.tables.iter().any(doomed), |p| p.tables.retain(|t| !doomed(t)));
}
