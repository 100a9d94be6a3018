//! Foreign keys and partitions, on both sides.
//!
//! Referencing: each partition holds a copy of every foreign key of its parent (`CloneFkReferencing`,
//! `addFkRecurseReferencing`), or adopts an equivalent one of its own (`tryAttachPartitionForeignKey`).
//! A copy names its parent constraint ([`ParentKey::Partition`]): psql does not list it, it cannot be
//! dropped on its own, it goes with its parent, and it becomes the table's own when the partition is
//! detached.
//!
//! Referenced: a key that references a partitioned table gets, on its own table, one hidden constraint
//! per partition of that table at every depth (`addFkRecurseReferenced`, `CloneFkReferenced`), named as
//! PostgreSQL names them (`t_a_fkey1`, `t_a_fkey2`, … depth first) ([`ParentKey::Referenced`]). They
//! go when the partition is detached, and dropping the partition needs the key dropped first.

use super::{Ctx, SimError, SimResult};
use crate::catalog::model::*;
use crate::catalog::names;

/// `table`'s foreign keys, its own and its copies of its ancestors', but not the hidden constraints of a
/// key for the partitions of the table it references: what a new partition receives.
fn foreign_keys(catalog: &Catalog, table: &QualName) -> Vec<Constraint> {
    catalog
        .table(table)
        .map(|t| {
            t.constraints
                .iter()
                .filter(|c| {
                    matches!(c.kind, ConstraintKind::ForeignKey(_))
                        && !matches!(c.parent, Some(ParentKey::Referenced(_)))
                })
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
    for child in catalog.direct_partitions(table) {
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
            c.parent = Some(ParentKey::Partition(parent_fk.name.clone()));
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
        parent: Some(ParentKey::Partition(parent_fk.name.clone())),
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

/// A foreign key of `table` was dropped: its hidden constraints for the referenced partitions go, and
/// its copies in the partitions, at every depth.
pub(crate) fn dropped(catalog: &mut Catalog, table: &QualName, name: &str) {
    drop_standing_for(catalog, table, |p| matches!(p, ParentKey::Referenced(p) if p == name));
    for child in catalog.direct_partitions(table) {
        drop_standing_for(catalog, &child, |p| matches!(p, ParentKey::Partition(p) if p == name));
    }
}

/// Drops the constraints of `table` whose parent key `stands_for` accepts, and what stands for them.
fn drop_standing_for(catalog: &mut Catalog, table: &QualName, stands_for: impl Fn(&ParentKey) -> bool) {
    let Some(t) = catalog.table(table) else { return };
    let gone: Vec<Name> =
        t.constraints.iter().filter(|c| c.parent.as_ref().is_some_and(&stands_for)).map(|c| c.name.clone()).collect();
    if gone.is_empty() {
        return;
    }
    if let Some(t) = catalog.table_mut(table) {
        t.constraints.retain(|c| !gone.contains(&c.name));
    }
    for name in gone {
        dropped(catalog, table, &name);
    }
}

/// A constraint of `table` was renamed: the constraints that stand for it keep their names and follow it.
pub(crate) fn renamed(catalog: &mut Catalog, table: &QualName, from: &str, to: &Name) {
    let follow = |t: &mut Table, same_table: bool| {
        for c in t.constraints.iter_mut() {
            let points = match &c.parent {
                Some(ParentKey::Referenced(p)) => same_table && p == from,
                Some(ParentKey::Partition(p)) => !same_table && p == from,
                None => false,
            };
            if points {
                let c = std::sync::Arc::make_mut(c);
                c.parent = match &c.parent {
                    Some(ParentKey::Referenced(_)) => Some(ParentKey::Referenced(to.clone())),
                    _ => Some(ParentKey::Partition(to.clone())),
                };
            }
        }
    };
    if let Some(t) = catalog.table_mut(table) {
        follow(t, true);
    }
    for child in catalog.direct_partitions(table) {
        if let Some(t) = catalog.table_mut(&child) {
            follow(t, false);
        }
    }
}

/// A detached partition keeps its copies as its own foreign keys (`DetachPartitionFinalize`); the hidden
/// constraints other tables' keys held for it and its partitions go.
pub(crate) fn detached(catalog: &mut Catalog, partition: &QualName) {
    if let Some(t) = catalog.table_mut(partition) {
        for c in t.constraints.iter_mut() {
            if matches!(c.parent, Some(ParentKey::Partition(_))) {
                std::sync::Arc::make_mut(c).parent = None;
            }
        }
    }
    let mut gone = catalog.partitions(partition);
    gone.push(partition.clone());
    forget_referenced(catalog, &gone);
}

/// Removes the hidden constraints that reference any of `tables`, with those below them.
fn forget_referenced(catalog: &mut Catalog, tables: &[QualName]) {
    let holders: Vec<(QualName, Name)> = catalog
        .tables
        .values()
        .flat_map(|t| {
            t.constraints
                .iter()
                .filter(|c| {
                    matches!(c.parent, Some(ParentKey::Referenced(_)))
                        && matches!(&c.kind, ConstraintKind::ForeignKey(fk) if tables.contains(&fk.ref_table))
                })
                .map(|c| (t.name.clone(), c.name.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    for (table, name) in holders {
        if let Some(t) = catalog.table_mut(&table) {
            t.constraints.retain(|c| c.name != name);
        }
        dropped(catalog, &table, &name);
    }
}

/// The key a hidden constraint stands for, following the chain to the key psql lists.
pub(crate) fn root<'t>(table: &'t Table, constraint: &'t Constraint) -> &'t Constraint {
    let mut c = constraint;
    for _ in 0..64 {
        match &c.parent {
            Some(ParentKey::Referenced(p)) => match table.constraint(p) {
                Some(up) => c = up,
                None => break,
            },
            _ => break,
        }
    }
    c
}

/// A key `fk` of `table` (named `name`) references a partitioned table: one hidden constraint per
/// partition, depth first, each named as a new key of `table` would be.
pub(crate) fn reference_partitions(catalog: &mut Catalog, table: &QualName, name: &Name, ctx: &Ctx) {
    let Some(c) = catalog.table(table).and_then(|t| t.constraint(name)).cloned() else { return };
    let ConstraintKind::ForeignKey(fk) = &c.kind else { return };
    for part in catalog.direct_partitions(&fk.ref_table) {
        reference_partition(catalog, table, &c, &part, ctx);
    }
}

/// The hidden constraint of `table` for `partition`, standing for `above`, and those for the partition's
/// own partitions.
fn reference_partition(catalog: &mut Catalog, table: &QualName, above: &Constraint, partition: &QualName, ctx: &Ctx) {
    let ConstraintKind::ForeignKey(fk) = &above.kind else { return };
    let addition = names::index_name_addition(&fk.columns);
    let name: Name =
        names::choose_constraint_name(catalog, &table.schema, &table.name, Some(&addition), "fkey", &[]).into();
    let hidden = Constraint {
        name: name.clone(),
        kind: ConstraintKind::ForeignKey(ForeignKey { ref_table: partition.clone(), ..fk.clone() }),
        parent: Some(ParentKey::Referenced(above.name.clone())),
        comment: None,
        origin: Origin::at(ctx.span),
        ..above.clone()
    };
    if let Some(t) = catalog.table_mut(table) {
        t.push_constraint(hidden);
    }
    reference_partitions(catalog, table, &name, ctx);
}

/// A table that just became a partition of `parent` (created or attached): each key that references the
/// parent gets its hidden constraint for it (`CloneFkReferenced`), except a partition's copy (its parent
/// key gets one) and a key of the parent or of the partition itself.
pub(crate) fn referenced_partition_added(catalog: &mut Catalog, parent: &QualName, partition: &QualName, ctx: &Ctx) {
    let keys: Vec<(QualName, Constraint)> = catalog
        .tables
        .values()
        .filter(|t| t.name != *parent && t.name != *partition)
        .flat_map(|t| {
            t.constraints
                .iter()
                .filter(|c| {
                    !matches!(c.parent, Some(ParentKey::Partition(_)))
                        && matches!(&c.kind, ConstraintKind::ForeignKey(fk) if fk.ref_table == *parent)
                })
                .map(|c| (t.name.clone(), (**c).clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    for (table, key) in keys {
        reference_partition(catalog, &table, &key, partition, ctx);
    }
}
