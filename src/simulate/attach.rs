//! ALTER TABLE … ATTACH PARTITION and DETACH PARTITION: what PostgreSQL checks before a table becomes a
//! partition (`ATExecAttachPartition`, `MergeAttributesIntoExisting`, `MergeConstraintsIntoExisting`),
//! in its order, and the indexes the partition gets.

use sqlparser::ast::{ForValues, ObjectName};

use super::{Ctx, SimError, SimResult};
use crate::catalog::model::*;

/// `ALTER TABLE parent ATTACH PARTITION partition FOR VALUES …`.
pub(crate) fn attach(
    catalog: &mut Catalog,
    parent: &QualName,
    partition: &ObjectName,
    for_values: &ForValues,
    ctx: &Ctx,
) -> SimResult {
    let Some(p) = catalog.table(parent) else { return Err(super::missing_relation(catalog, parent)) };
    if !p.kind.is_partitioned() {
        return Err(SimError::new(format!("table \"{}\" is not partitioned", parent.name)));
    }
    // The bound is read when the statement is analysed, before any check of the table.
    super::partition_bounds::check_spec(p, Some(for_values))?;
    let bound = super::table::bound_text(for_values, p, catalog)?;
    let part = catalog.resolve(partition);
    let Some(t) = catalog.table(&part) else { return Err(super::missing_relation(catalog, &part)) };
    if t.partition_of.is_some() {
        return Err(SimError::new(format!("\"{}\" is already a partition", part.name)));
    }
    if t.of_type.is_some() {
        return Err(SimError::new("cannot attach a typed table as partition"));
    }
    if !t.inherits.is_empty() {
        return Err(SimError::new("cannot attach inheritance child as partition"));
    }
    if catalog.tables.values().any(|c| c.inherits.contains(&part)) {
        return Err(SimError::new("cannot attach inheritance parent as partition"));
    }
    if is_ancestor_or_self(catalog, &part, parent) {
        return Err(SimError::new("circular inheritance not allowed")
            .help(format!("\"{}\" is already a child of \"{}\".", parent.name, part.name)));
    }
    let temp = |q: &QualName| q.schema == TEMP_SCHEMA;
    match (temp(parent), temp(&part)) {
        (false, true) => {
            return Err(SimError::new(format!(
                "cannot attach a temporary relation as partition of permanent relation \"{}\"",
                parent.name
            )));
        }
        (true, false) => {
            return Err(SimError::new(format!(
                "cannot attach a permanent relation as partition of temporary relation \"{}\"",
                parent.name
            )));
        }
        _ => {}
    }
    if let Some(extra) = t.columns.iter().find(|c| p.column(&c.name).is_none()) {
        return Err(SimError::new(format!(
            "table \"{}\" contains column \"{}\" not found in parent \"{}\"",
            part.name, extra.name, parent.name
        ))
        .help("The new partition may contain only the columns present in parent."));
    }
    super::partition_bounds::check(catalog, p, &part.name, &bound)?;
    merge_columns(p, t)?;
    merge_checks(p, t)?;
    if let Some(t) = catalog.table_mut(&part) {
        t.partition_of = Some((parent.clone(), bound));
    }
    catalog.inheritance.0 = true;
    super::table::clone_parent_indexes(catalog, parent, &part, true, ctx)?;
    indexes_down(catalog, &part, ctx)?;
    super::partition_fks::referenced_partition_added(catalog, parent, &part, ctx);
    super::partition_fks::inherit(catalog, parent, &part, ctx)
}

/// An attached table that is partitioned itself passes the indexes it received down to its partitions,
/// at every depth, each keeping an equivalent index of its own.
fn indexes_down(catalog: &mut Catalog, table: &QualName, ctx: &Ctx) -> SimResult {
    for child in catalog.direct_partitions(table) {
        super::table::clone_parent_indexes(catalog, table, &child, true, ctx)?;
        indexes_down(catalog, &child, ctx)?;
    }
    Ok(())
}

/// `ALTER TABLE parent DETACH PARTITION partition`.
pub(crate) fn detach(catalog: &mut Catalog, parent: &QualName, partition: &ObjectName) -> SimResult {
    let part = catalog.resolve(partition);
    let attached = catalog.table(&part).is_some_and(|t| t.partition_of.as_ref().is_some_and(|(p, _)| p == parent));
    if !attached {
        return Err(SimError::new(format!(
            "relation \"{}\" is not a partition of relation \"{}\"",
            part.name, parent.name
        )));
    }
    if let Some(t) = catalog.table_mut(&part) {
        t.partition_of = None;
    }
    super::partition_fks::detached(catalog, &part);
    Ok(())
}

/// Whether `table` is `of`, or a partition or inheritance parent of `of` at any depth.
fn is_ancestor_or_self(catalog: &Catalog, table: &QualName, of: &QualName) -> bool {
    let mut seen = Vec::new();
    let mut todo = vec![of.clone()];
    while let Some(q) = todo.pop() {
        if &q == table {
            return true;
        }
        if seen.contains(&q) {
            continue;
        }
        if let Some(t) = catalog.table(&q) {
            todo.extend(t.partition_of.iter().map(|(p, _)| p.clone()));
            todo.extend(t.inherits.iter().cloned());
        }
        seen.push(q);
    }
    false
}

/// Each of the parent's columns, in the parent's order: the partition has it, with the same type and
/// collation, NOT NULL where the parent's is, generated where the parent's is.
fn merge_columns(parent: &Table, part: &Table) -> SimResult {
    for pc in &parent.columns {
        let Some(c) = part.column(&pc.name) else {
            return Err(SimError::new(format!("child table is missing column \"{}\"", pc.name)));
        };
        if c.ty != pc.ty {
            return Err(SimError::new(format!(
                "child table \"{}\" has different type for column \"{}\"",
                part.name.name, pc.name
            )));
        }
        if c.collation != pc.collation {
            return Err(SimError::new(format!(
                "child table \"{}\" has different collation for column \"{}\"",
                part.name.name, pc.name
            )));
        }
        if pc.not_null && !c.not_null {
            return Err(SimError::new(format!("column \"{}\" in child table must be marked NOT NULL", pc.name)));
        }
        if pc.generated.is_some() && c.generated.is_none() {
            return Err(SimError::new(format!("column \"{}\" in child table must be a generated column", pc.name)));
        }
    }
    Ok(())
}

/// Each of the parent's inherited CHECK constraints: the partition has one of the same name and
/// expression, which is not NO INHERIT.
fn merge_checks(parent: &Table, part: &Table) -> SimResult {
    for pc in &parent.constraints {
        let ConstraintKind::Check { expr, no_inherit: false, .. } = &pc.kind else { continue };
        // Only a CHECK constraint of the same name counts: any other is as good as none.
        let Some((c, own_expr, no_inherit)) = part.constraint(&pc.name).and_then(|c| match &c.kind {
            ConstraintKind::Check { expr, no_inherit, .. } => Some((c, expr, no_inherit)),
            _ => None,
        }) else {
            return Err(SimError::new(format!("child table is missing constraint \"{}\"", pc.name)));
        };
        let conflict = |what: &str| {
            Err(SimError::new(format!(
                "constraint \"{}\" conflicts with {what} constraint on child table \"{}\"",
                pc.name, part.name.name
            )))
        };
        if own_expr != expr {
            return Err(SimError::new(format!(
                "child table \"{}\" has different definition for check constraint \"{}\"",
                part.name.name, pc.name
            )));
        }
        if *no_inherit {
            return conflict("non-inherited");
        }
        if c.not_valid && !pc.not_valid {
            return conflict("NOT VALID");
        }
    }
    Ok(())
}
