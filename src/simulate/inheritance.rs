//! What a partition or an inheritance child holds from its parents, and what PostgreSQL refuses to do to
//! it on its own (`attinhcount`, `coninhcount`, `relispartition`): drop, retype or rename an inherited
//! column, drop an inherited CHECK constraint, add a column to a partition, drop a NOT NULL its parent
//! has; and the parents a new table may not have.

use super::{SimError, SimResult};
use crate::catalog::model::*;

/// The tables `table` inherits from: its partition parent and its `INHERITS` parents.
fn parents<'c>(catalog: &'c Catalog, table: &Table) -> impl Iterator<Item = &'c Table> {
    table.partition_of.iter().map(|(p, _)| p).chain(&table.inherits).filter_map(|p| catalog.table(p))
}

/// Whether `column` of `table` comes from a parent (every column of a partition does).
fn inherited_column(catalog: &Catalog, table: &Table, column: &str) -> bool {
    table.column(column).is_some() && parents(catalog, table).any(|p| p.column(column).is_some())
}

/// `ALTER TABLE … DROP COLUMN`, `ALTER COLUMN … TYPE` and `RENAME COLUMN` on the table itself: refused
/// for an inherited column (`verb` is `drop`, `alter` or `rename`).
pub(crate) fn check_own_column(catalog: &Catalog, q: &QualName, column: &str, verb: &str) -> SimResult {
    let Some(t) = catalog.table(q) else { return Ok(()) };
    if inherited_column(catalog, t, column) {
        return Err(SimError::new(format!("cannot {verb} inherited column \"{column}\"")).help(format!(
            "Change the column on the parent table, {}; the change reaches every child.",
            parents(catalog, t).map(|p| p.name.name.as_str()).next().unwrap_or("the parent")
        )));
    }
    Ok(())
}

/// `ALTER TABLE partition ADD COLUMN`: a partition has its parent's columns only.
pub(crate) fn check_add_column(catalog: &Catalog, q: &QualName) -> SimResult {
    match catalog.table(q).and_then(|t| t.partition_of.as_ref()) {
        Some((parent, _)) => Err(SimError::new("cannot add column to a partition")
            .help(format!("Add the column to the partitioned table {}; every partition gets it.", parent.name))),
        None => Ok(()),
    }
}

/// `ALTER TABLE partition ALTER COLUMN … DROP NOT NULL` where the parent's column is NOT NULL.
pub(crate) fn check_drop_not_null(catalog: &Catalog, q: &QualName, column: &str) -> SimResult {
    let Some(t) = catalog.table(q) else { return Ok(()) };
    let parent = t.partition_of.as_ref().and_then(|(p, _)| catalog.table(p));
    if parent.and_then(|p| p.column(column)).is_some_and(|c| c.not_null) {
        return Err(SimError::new(format!("column \"{column}\" is marked NOT NULL in parent table"))
            .help("Drop the NOT NULL on the partitioned table; its partitions follow."));
    }
    Ok(())
}

/// `ALTER TABLE … DROP CONSTRAINT` of a CHECK constraint that a parent's CHECK of the same name stands
/// behind (even one the table had before it was attached).
pub(crate) fn check_drop_constraint(catalog: &Catalog, q: &QualName, name: &str) -> SimResult {
    let Some(t) = catalog.table(q) else { return Ok(()) };
    let is_check = |c: &Constraint| matches!(c.kind, ConstraintKind::Check { .. });
    if !t.constraint(name).is_some_and(is_check) {
        return Ok(());
    }
    let from_parent = parents(catalog, t)
        .any(|p| p.constraint(name).is_some_and(|c| matches!(c.kind, ConstraintKind::Check { no_inherit: false, .. })));
    if from_parent {
        return Err(SimError::new(format!("cannot drop inherited constraint \"{name}\" of relation \"{}\"", q.name))
            .help("Drop the constraint on the parent table; its children's copies go with it."));
    }
    Ok(())
}

/// `CREATE TABLE … PARTITION OF parent` or `INHERITS (parent)` (`partition`: which), for the new table
/// `q`: what `MergeAttributes` refuses of the parent.
pub(crate) fn check_parent(catalog: &Catalog, q: &QualName, parent: &QualName, partition: bool) -> SimResult {
    let Some(p) = catalog.table(parent) else { return Ok(()) };
    if !partition && p.kind.is_partitioned() {
        return Err(SimError::new(format!("cannot inherit from partitioned table \"{}\"", parent.name)).help(format!(
            "Create the table as a partition: CREATE TABLE … PARTITION OF {} FOR VALUES ….",
            parent.name
        )));
    }
    if !partition && p.partition_of.is_some() {
        return Err(SimError::new(format!("cannot inherit from partition \"{}\"", parent.name)));
    }
    let temp = |q: &QualName| q.schema == TEMP_SCHEMA;
    match (temp(q), temp(parent)) {
        (false, true) if partition => Err(SimError::new(format!(
            "cannot create a permanent relation as partition of temporary relation \"{}\"",
            parent.name
        ))),
        (false, true) => Err(SimError::new(format!("cannot inherit from temporary relation \"{}\"", parent.name))),
        (true, false) if partition => Err(SimError::new(format!(
            "cannot create a temporary relation as partition of permanent relation \"{}\"",
            parent.name
        ))),
        _ => Ok(()),
    }
}
