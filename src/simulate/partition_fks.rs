//! A partitioned table's foreign keys and its partitions: each partition holds a copy of every foreign
//! key of its parent (`CloneFkReferencing`, `addFkRecurseReferencing`), or adopts an equivalent one of
//! its own (`tryAttachPartitionForeignKey`). A copy names its parent constraint, as `conparentid` does:
//! psql does not list it, it cannot be dropped on its own, it goes with its parent, and it becomes the
//! table's own when the partition is detached.

use super::{Ctx, SimError, SimResult};
use crate::catalog::model::*;
use crate::catalog::names;

/// The partitions directly under `table`, oldest first.
fn children(catalog: &Catalog, table: &QualName) -> Vec<QualName> {
    if catalog.table(table).is_none_or(|t| !t.kind.is_partitioned()) {
        return Vec::new();
    }
    let mut out: Vec<&Table> = catalog
        .tables
        .values()
        .filter(|t| t.partition_of.as_ref().is_some_and(|(p, _)| p == table))
        .map(|t| &**t)
        .collect();
    out.sort_by_key(|t| t.oid);
    out.into_iter().map(|t| t.name.clone()).collect()
}

/// `table`'s foreign keys, its own and its copies of its ancestors': what a new partition receives.
fn foreign_keys(catalog: &Catalog, table: &QualName) -> Vec<Constraint> {
    catalog
        .table(table)
        .map(|t| {
            t.constraints
                .iter()
                .filter(|c| matches!(c.kind, ConstraintKind::ForeignKey(_)))
                .map(|c| (**c).clone())
                .collect()
        })
        .unwrap_or_default()
}

/// A table that just became a partition of `parent` (created or attached) receives the parent's
/// foreign keys.
pub(crate) fn inherit(catalog: &mut Catalog, parent: &QualName, partition: &QualName, ctx: &Ctx) -> SimResult {
    for fk in foreign_keys(catalog, parent) {
        recurse_into(catalog, &fk, partition, ctx)?;
    }
    Ok(())
}

/// A foreign key just added to `table` reaches its partitions, at every depth.
pub(crate) fn added(catalog: &mut Catalog, table: &QualName, fk: &Constraint, ctx: &Ctx) -> SimResult {
    for child in children(catalog, table) {
        recurse_into(catalog, fk, &child, ctx)?;
    }
    Ok(())
}

/// `partition` adopts an equivalent foreign key of its own, or receives a copy of `parent_fk`, which its
/// own partitions then receive in turn.
fn recurse_into(catalog: &mut Catalog, parent_fk: &Constraint, partition: &QualName, ctx: &Ctx) -> SimResult {
    let ConstraintKind::ForeignKey(pfk) = &parent_fk.kind else { return Ok(()) };
    let Some(t) = catalog.table(partition) else { return Ok(()) };
    let adoptable = t.constraints.iter().position(|c| {
        c.parent.is_none()
            && !c.not_valid
            && c.deferrable == parent_fk.deferrable
            && c.initially_deferred == parent_fk.initially_deferred
            && matches!(&c.kind, ConstraintKind::ForeignKey(fk) if same_key(fk, pfk))
    });
    if let Some(at) = adoptable {
        if let Some(t) = catalog.table_mut(partition) {
            let mut c = (*t.constraints[at]).clone();
            c.parent = Some(parent_fk.name.clone());
            t.constraints[at] = std::sync::Arc::new(c);
        }
        return Ok(());
    }
    let name = if t.constraint(&parent_fk.name).is_some() {
        let addition = names::index_name_addition(&pfk.columns);
        names::choose_constraint_name(catalog, &partition.schema, &partition.name, Some(&addition), "fkey", &[]).into()
    } else {
        parent_fk.name.clone()
    };
    let copy = Constraint {
        name,
        parent: Some(parent_fk.name.clone()),
        not_valid: false,
        comment: None,
        origin: Origin::at(ctx.span),
        ..parent_fk.clone()
    };
    if let Some(t) = catalog.table_mut(partition) {
        t.push_constraint(copy.clone());
    }
    added(catalog, partition, &copy, ctx)
}

/// What `tryAttachPartitionForeignKey` compares: the referenced table, the key columns on both sides
/// in order, the actions and the match type.
fn same_key(a: &ForeignKey, b: &ForeignKey) -> bool {
    a.ref_table == b.ref_table
        && a.columns == b.columns
        && a.ref_columns == b.ref_columns
        && a.on_delete == b.on_delete
        && a.on_update == b.on_update
        && a.match_full == b.match_full
}

/// `ALTER TABLE … DROP CONSTRAINT` on a copy: PostgreSQL refuses.
pub(crate) fn check_drop(catalog: &Catalog, table: &QualName, name: &str) -> SimResult {
    if catalog.table(table).and_then(|t| t.constraint(name)).is_some_and(|c| c.parent.is_some()) {
        return Err(SimError::new(format!(
            "cannot drop inherited constraint \"{name}\" of relation \"{}\"",
            table.name
        ))
        .help("Drop the constraint on the partitioned table; its partitions' copies go with it."));
    }
    Ok(())
}

/// A foreign key of `table` was dropped: its copies in the partitions go too, at every depth.
pub(crate) fn dropped(catalog: &mut Catalog, table: &QualName, name: &str) {
    for child in children(catalog, table) {
        let copies: Vec<Name> = catalog
            .table(&child)
            .map(|t| {
                t.constraints.iter().filter(|c| c.parent.as_deref() == Some(name)).map(|c| c.name.clone()).collect()
            })
            .unwrap_or_default();
        for copy in copies {
            if let Some(t) = catalog.table_mut(&child) {
                t.constraints.retain(|c| c.name != copy);
            }
            dropped(catalog, &child, &copy);
        }
    }
}

/// A constraint of `table` was renamed: its partitions' copies keep their names and follow it.
pub(crate) fn renamed(catalog: &mut Catalog, table: &QualName, from: &str, to: &Name) {
    for child in children(catalog, table) {
        if let Some(t) = catalog.table_mut(&child) {
            for c in t.constraints.iter_mut() {
                if c.parent.as_deref() == Some(from) {
                    std::sync::Arc::make_mut(c).parent = Some(to.clone());
                }
            }
        }
    }
}

/// A detached partition keeps its copies as its own foreign keys (`DetachPartitionFinalize`).
pub(crate) fn detached(catalog: &mut Catalog, partition: &QualName) {
    if let Some(t) = catalog.table_mut(partition) {
        for c in t.constraints.iter_mut() {
            if c.parent.is_some() && matches!(c.kind, ConstraintKind::ForeignKey(_)) {
                std::sync::Arc::make_mut(c).parent = None;
            }
        }
    }
}
