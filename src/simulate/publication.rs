//! CREATE, ALTER and DROP PUBLICATION: which tables are published, shown in `\d` under `Publications:`.

use super::{Ctx, SimError, SimResult};
use crate::catalog::expr::{self, Scope};
use crate::catalog::model::*;
use crate::sql::objects::{AlterObjectAction, PublicationOp, PublicationTarget};

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
    let publication = Publication {
        name: name.to_string(),
        all_tables,
        schemas: resolve_schemas(catalog, schemas)?,
        tables: resolve_tables(catalog, targets)?,
        comment: None,
        origin: Origin::at(ctx.span),
    };
    column_lists_without_schemas(&publication)?;
    catalog.publications.insert(name.to_string(), publication);
    Ok(())
}

/// `ALTER PUBLICATION name ADD | DROP | SET` tables and schemas.
pub(crate) fn alter_objects(
    catalog: &mut Catalog,
    name: &str,
    op: PublicationOp,
    targets: &[PublicationTarget],
    schemas: &[Option<String>],
) -> SimResult {
    let Some(mut publication) = catalog.publications.get(name).cloned() else { return Err(missing(name)) };
    // PostgreSQL's order: the schemas are looked up, FOR ALL TABLES is refused, then the tables are read.
    let schemas_named = !schemas.is_empty();
    let schemas = resolve_schemas(catalog, schemas)?;
    if publication.all_tables {
        let what = if schemas_named { "Schemas" } else { "Tables" };
        return Err(SimError::new(format!("publication \"{name}\" is defined as FOR ALL TABLES"))
            .help(format!("{what} cannot be added to or dropped from FOR ALL TABLES publications.")));
    }
    match op {
        PublicationOp::Add => {
            let tables = resolve_tables(catalog, targets)?;
            for t in &tables {
                if publication.tables.iter().any(|p| p.table == t.table) {
                    return Err(SimError::new(format!(
                        "relation \"{}\" is already member of publication \"{name}\"",
                        t.table.name
                    )));
                }
            }
            if !(schemas.is_empty() && publication.schemas.is_empty())
                && let Some(t) = tables.iter().find(|t| t.columns.is_some())
            {
                return Err(column_list_with_schemas(&t.table, name));
            }
            publication.tables.extend(tables);
            if !schemas.is_empty() && publication.tables.iter().any(|t| t.columns.is_some()) {
                return Err(SimError::new(format!("cannot add schema to publication \"{name}\"")).help(
                    "Schemas cannot be added if any tables that specify a column list are already part of the \
                     publication.",
                ));
            }
            for s in &schemas {
                if publication.schemas.contains(s) {
                    return Err(SimError::new(format!("schema \"{s}\" is already member of publication \"{name}\"")));
                }
            }
            publication.schemas.extend(schemas);
        }
        PublicationOp::Drop => {
            // Table by table: a column list is refused, then a table that is not a member, then a filter.
            for (q, columns, filter) in resolve_drop(catalog, targets)? {
                if columns {
                    return Err(SimError::new("column list must not be specified in ALTER PUBLICATION ... DROP"));
                }
                let Some(at) = publication.tables.iter().position(|p| p.table == q) else {
                    return Err(SimError::new(format!("relation \"{}\" is not part of the publication", q.name)));
                };
                if filter {
                    return Err(SimError::new("cannot use a WHERE clause when removing a table from a publication"));
                }
                publication.tables.remove(at);
            }
            for s in &schemas {
                let Some(at) = publication.schemas.iter().position(|p| p == s) else {
                    return Err(SimError::new(format!("tables from schema \"{s}\" are not part of the publication")));
                };
                publication.schemas.remove(at);
            }
        }
        PublicationOp::Set => {
            publication.tables = resolve_tables(catalog, targets)?;
            publication.schemas = schemas;
        }
    }
    column_lists_without_schemas(&publication)?;
    catalog.publications.insert(name.to_string(), publication);
    Ok(())
}

/// The schemas of `TABLES IN SCHEMA` (`None`: the current schema), each once, in order.
fn resolve_schemas(catalog: &Catalog, schemas: &[Option<String>]) -> Result<Vec<String>, SimError> {
    let mut out: Vec<String> = Vec::new();
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
        if !out.contains(&schema) {
            out.push(schema);
        }
    }
    Ok(out)
}

fn qualified(catalog: &Catalog, target: &PublicationTarget) -> Result<QualName, SimError> {
    match target.name.as_slice() {
        [n] => Ok(catalog.resolve_unqualified(n)),
        [s, n] => Ok(QualName::new(s.clone(), n.clone())),
        _ => Err(SimError::new("improper qualified name (too many dotted names)")),
    }
}

/// The tables of `FOR TABLE` / `ADD TABLE` / `SET TABLE`, each once, with the tables that inherit from
/// them unless `ONLY` (PostgreSQL adds them too, with the same column list and filter).
fn resolve_tables(catalog: &Catalog, targets: &[PublicationTarget]) -> Result<Vec<PublicationTable>, SimError> {
    let mut out: Vec<PublicationTable> = Vec::new();
    for target in targets {
        let q = qualified(catalog, target)?;
        let Some(table) = catalog.table(&q) else {
            if let Some(e) = not_a_relation(catalog, &q) {
                return Err(e);
            }
            if let Some(kind) = super::relation_kind(catalog, &q) {
                return Err(SimError::new(format!("cannot add relation \"{}\" to publication", q.name))
                    .help(format!("This operation is not supported for {kind}s.")));
            }
            return Err(super::missing_relation(catalog, &q));
        };
        let refused = match table.kind {
            TableKind::Unlogged | TableKind::UnloggedPartitioned => Some("unlogged tables"),
            _ if q.schema == TEMP_SCHEMA => Some("temporary tables"),
            _ => None,
        };
        if let Some(what) = refused {
            return Err(SimError::new(format!("cannot add relation \"{}\" to publication", q.name))
                .help(format!("This operation is not supported for {what}.")));
        }
        // Named twice: fine unless either names a filter or a column list.
        if let Some(earlier) = out.iter().find(|t| t.table == q) {
            let what = if target.filter.is_some() || earlier.filter.is_some() {
                Some("WHERE clauses")
            } else if target.columns.is_some() || earlier.columns.is_some() {
                Some("column lists")
            } else {
                None
            };
            if let Some(what) = what {
                return Err(SimError::new(format!("conflicting or redundant {what} for table \"{}\"", q.name)));
            }
            continue;
        }
        let columns = match &target.columns {
            Some(list) => {
                let mut numbered: Vec<(u32, String)> = Vec::new();
                for c in list {
                    if SYSTEM_COLUMNS.contains(&c.as_str()) {
                        return Err(SimError::new(format!(
                            "cannot use system column \"{c}\" in publication column list"
                        )));
                    }
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
        let mut added = vec![q.clone()];
        if !target.only && !table.kind.is_partitioned() {
            added.extend(catalog.descendants(&q));
        }
        for t in added {
            // A table reached twice (a child through its parent too): the same rule, named after this one.
            if let Some(earlier) = out.iter().find(|p| p.table == t) {
                if filter.is_some() || earlier.filter.is_some() {
                    return Err(SimError::new(format!(
                        "conflicting or redundant WHERE clauses for table \"{}\"",
                        q.name
                    )));
                }
                if columns.is_some() || earlier.columns.is_some() {
                    return Err(SimError::new(format!(
                        "conflicting or redundant column lists for table \"{}\"",
                        q.name
                    )));
                }
                continue;
            }
            out.push(PublicationTable {
                table: t,
                columns: columns.clone(),
                filter: filter.clone(),
                filter_columns: filter_columns.clone(),
            });
        }
    }
    Ok(out)
}

/// The tables of `DROP TABLE`, each once, with the tables that inherit from them unless `ONLY`, and
/// whether the table was written with a column list and a filter (which DROP refuses). They must exist;
/// of what kind does not matter here (a view is simply not part of the publication).
fn resolve_drop(catalog: &Catalog, targets: &[PublicationTarget]) -> Result<Vec<(QualName, bool, bool)>, SimError> {
    let mut out: Vec<(QualName, bool, bool)> = Vec::new();
    for target in targets {
        let q = qualified(catalog, target)?;
        let partitioned = match catalog.table(&q) {
            Some(table) => table.kind.is_partitioned(),
            None => match not_a_relation(catalog, &q) {
                Some(e) => return Err(e),
                None if super::relation_kind(catalog, &q).is_some() => true,
                None => return Err(super::missing_relation(catalog, &q)),
            },
        };
        let mut named = vec![q.clone()];
        if !target.only && !partitioned {
            named.extend(catalog.descendants(&q));
        }
        for t in named {
            if !out.iter().any(|(o, ..)| o == &t) {
                out.push((t, target.columns.is_some(), target.filter.is_some()));
            }
        }
    }
    Ok(out)
}

/// The columns every table has and no column list may name.
const SYSTEM_COLUMNS: &[&str] = &["tableoid", "xmin", "cmin", "xmax", "cmax", "ctid"];

/// What PostgreSQL says of a name in a publication's table list that is an index or a composite type:
/// not a relation it can open as a table at all.
fn not_a_relation(catalog: &Catalog, q: &QualName) -> Option<SimError> {
    if catalog.indexes.contains_key(q) {
        return Some(SimError::new(format!("\"{}\" is an index", q.name)));
    }
    match catalog.types.get(q).map(|t| &t.kind) {
        Some(UserTypeKind::Composite { .. }) => Some(SimError::new(format!("\"{}\" is a composite type", q.name))),
        _ => None,
    }
}

/// A publication that publishes whole schemas takes no column list.
fn column_lists_without_schemas(publication: &Publication) -> SimResult {
    if publication.schemas.is_empty() {
        return Ok(());
    }
    match publication.tables.iter().find(|t| t.columns.is_some()) {
        Some(t) => Err(column_list_with_schemas(&t.table, &publication.name)),
        None => Ok(()),
    }
}

fn column_list_with_schemas(table: &QualName, publication: &str) -> SimError {
    SimError::new(format!(
        "cannot use column list for relation \"{}.{}\" in publication \"{publication}\"",
        table.schema, table.name
    ))
    .help("Column lists cannot be specified in publications containing FOR TABLES IN SCHEMA elements.")
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

#[cfg(test)]
mod tests {
    use crate::{Analysis, Options, Runner, SourceFile, analyze};

    fn run(sql: &str) -> Analysis {
        // Statement by statement, so a failing one leaves the others applied.
        let options = Options { runner: Runner::Psql, ..Options::default() };
        analyze(vec![SourceFile::new("001_a.sql", sql.to_string())], &options)
    }

    /// Each table of `publication` with its column list and filter, and its schemas.
    fn members(a: &Analysis, publication: &str) -> (Vec<String>, Vec<String>) {
        let p = a.catalog.publications.get(publication).unwrap_or_else(|| panic!("no publication {publication}"));
        let tables = p
            .tables
            .iter()
            .map(|t| {
                let columns = t.columns.as_ref().map(|c| format!(" ({})", c.join(", "))).unwrap_or_default();
                let filter = t.filter.as_ref().map(|f| format!(" WHERE {f}")).unwrap_or_default();
                format!("{}{columns}{filter}", t.table.name)
            })
            .collect();
        (tables, p.schemas.clone())
    }

    const SETUP: &str = "CREATE TABLE c (a int, b int); CREATE TABLE kid () INHERITS (c); CREATE SCHEMA s;
        CREATE TABLE s.x (id int); CREATE PUBLICATION p;\n";

    #[test]
    fn add_drop_and_set_change_the_members() {
        let a = run(&format!("{SETUP}ALTER PUBLICATION p ADD TABLE c (a) WHERE (b > 0);"));
        assert_eq!(members(&a, "p"), (vec!["c (a) WHERE (b > 0)".into(), "kid (a) WHERE (b > 0)".into()], vec![]));
        let a = run(&format!("{SETUP}ALTER PUBLICATION p ADD TABLE c; ALTER PUBLICATION p DROP TABLE ONLY c;"));
        assert_eq!(members(&a, "p"), (vec!["kid".into()], vec![]));
        let a = run(&format!("{SETUP}ALTER PUBLICATION p ADD TABLE c; ALTER PUBLICATION p SET TABLES IN SCHEMA s;"));
        assert_eq!(members(&a, "p"), (vec![], vec!["s".into()]));
        assert!(!a.has_errors(), "{:?}", a.diagnostics);
    }

    #[test]
    fn a_rejected_change_changes_nothing() {
        // The schema is not part of the publication: the table named before it stays.
        let a = run(&format!(
            "{SETUP}ALTER PUBLICATION p ADD TABLE s.x; ALTER PUBLICATION p DROP TABLE s.x, TABLES IN SCHEMA s;"
        ));
        assert!(a.has_errors());
        assert_eq!(members(&a, "p"), (vec!["x".into()], vec![]));
    }

    #[test]
    fn options_and_owner_are_read_and_have_no_effect() {
        let a = run(&format!(
            "{SETUP}ALTER PUBLICATION p ADD TABLE c; ALTER PUBLICATION p SET (publish = 'insert');
             ALTER PUBLICATION p OWNER TO CURRENT_USER;"
        ));
        assert!(
            a.diagnostics.iter().all(|d| d.rule != "not-simulated" && d.rule != "postgres-error"),
            "{:?}",
            a.diagnostics
        );
        assert_eq!(members(&a, "p").0.len(), 2);
    }
}
