//! ALTER TABLE: several actions, applied in order; any failing action fails the whole statement.

use std::sync::Arc;

use sqlparser::ast::{AlterColumnOperation, AlterTable, AlterTableOperation, RenameTableNameKind};

use super::table::{add_constraints, build_column, table_columns, table_constraint};
use super::{Ctx, SimError, SimResult, drop, relation_exists_error};
use crate::catalog::expr::{self, Scope};
use crate::catalog::model::*;
use crate::catalog::names;
use crate::catalog::types;
use crate::sql::alter_table::{AlterPart, AlterTarget, ManualAction};

pub(crate) fn alter_table(catalog: &mut Catalog, at: &AlterTable, ctx: &mut Ctx) -> SimResult {
    let q = catalog.resolve(&at.name);
    if !catalog.tables.contains_key(&q) {
        // ALTER TABLE renames views too, as ALTER VIEW does.
        if let (Some(view), [op]) = (catalog.views.get(&q), at.operations.as_slice()) {
            use sqlparser::ast::AlterViewOperation as ViewOp;
            let operation = match op {
                AlterTableOperation::RenameTable {
                    table_name: RenameTableNameKind::To(n) | RenameTableNameKind::As(n),
                } => Some(ViewOp::RenameTo { new_name: n.clone() }),
                AlterTableOperation::RenameColumn { old_column_name, new_column_name } => Some(ViewOp::RenameColumn {
                    old_column_name: old_column_name.clone(),
                    new_column_name: new_column_name.clone(),
                }),
                _ => None,
            };
            if let Some(operation) = operation {
                let av = sqlparser::ast::AlterView {
                    name: at.name.clone(),
                    materialized: view.materialized,
                    if_exists: at.if_exists,
                    operation,
                };
                return super::objects::alter_view(catalog, &av, ctx);
            }
        }
        if at.if_exists {
            ctx.notes.push(format!("relation \"{}\" does not exist, skipping", q.name));
            return Ok(());
        }
        if let Some(kind) = super::relation_kind(catalog, &q) {
            return Err(SimError::new(format!("\"{}\" is not a table (it is a {kind})", q.name)));
        }
        return Err(super::missing_relation(catalog, &q));
    }
    let persistence = persistence_checks(catalog, &q, &at.operations)?;
    let mut work = catalog.clone();
    let mut q = q;
    for op in &at.operations {
        q = operation(&mut work, &q, op, ctx)?;
    }
    change_persistence(&mut work, &q, persistence);
    *catalog = work;
    Ok(())
}

/// What PostgreSQL decides of `SET LOGGED` and `SET UNLOGGED` before any action runs
/// (ATPrepChangePersistence), against the table as it is: a temporary table is refused; an action that
/// changes nothing is skipped, and any such action after one that changes something is an error; a table
/// going unlogged must not be published by name nor referenced by a logged table, and one going logged
/// must not reference an unlogged table (a table's references to itself do not count). Returns the persistence the table ends with when an
/// action changes it (`Some(true)`: logged), whatever order the actions come in.
fn persistence_checks(
    catalog: &Catalog,
    q: &QualName,
    operations: &[AlterTableOperation],
) -> Result<Option<bool>, SimError> {
    let Some(table) = catalog.table(q) else { return Ok(None) };
    let unlogged = |t: &Table| t.kind.is_unlogged();
    let mut changing = None;
    for op in operations {
        let to_logged = match op {
            AlterTableOperation::SetLogged => true,
            AlterTableOperation::SetUnlogged => false,
            _ => continue,
        };
        if table.name.schema == TEMP_SCHEMA {
            return Err(SimError::new(format!(
                "cannot change logged status of table \"{}\" because it is temporary",
                table.name.name
            ))
            .help("A temporary table is never logged: it goes when the session ends."));
        }
        // Any such action after one that changes the table, even one that would change nothing.
        if changing.is_some() {
            return Err(SimError::new("cannot change persistence setting twice")
                .help("Keep one SET LOGGED or SET UNLOGGED in the statement."));
        }
        if unlogged(table) != to_logged {
            continue;
        }
        changing = Some(to_logged);
        if to_logged {
            // PostgreSQL keeps a row per referenced partition (and per partition of the referencing side):
            // the table's keys, those it inherits as a partition, each to the table and its partitions.
            let mut fks: Vec<(&Name, &QualName)> = std::iter::once(table)
                .chain(catalog.partition_ancestors(table))
                .flat_map(|t| &t.constraints)
                .filter_map(|c| match &c.kind {
                    ConstraintKind::ForeignKey(fk) if fk.ref_table != table.name => Some((&c.name, &fk.ref_table)),
                    _ => None,
                })
                .collect();
            fks.sort();
            let mut referenced = fks
                .into_iter()
                .filter_map(|(_, r)| catalog.table(r))
                .flat_map(|r| std::iter::once(r).chain(partitions(catalog, &r.name)));
            if let Some(other) = referenced.find(|r| unlogged(r) && r.name != table.name) {
                return Err(SimError::new(format!(
                    "could not change table \"{}\" to logged because it references unlogged table \"{}\"",
                    table.name.name, other.name.name
                ))
                .help(format!(
                    "Set {} LOGGED first: a logged table may reference only logged tables.",
                    other.name.name
                )));
            }
            continue;
        }
        let published = catalog.publications.values().any(|p| p.tables.iter().any(|t| &t.table == q));
        if published {
            return Err(SimError::new(format!(
                "cannot change table \"{}\" to unlogged because it is part of a publication",
                table.name.name
            ))
            .help("Unlogged relations cannot be replicated: drop the table from the publication first."));
        }
        // The keys that reference the table or, for a partition, one of its parents; in the order they
        // were written, as PostgreSQL reads them. A partitioned table's key is also each partition's (a
        // copy made with the key or the partition, whichever came later): an unlogged partitioned table
        // may have logged partitions.
        let targets: Vec<&QualName> =
            std::iter::once(q).chain(catalog.partition_ancestors(table).map(|t| &t.name)).collect();
        let mut referencing: Vec<(crate::span::Span, &Table)> = targets
            .iter()
            .flat_map(|t| catalog.tables_referencing(t))
            .filter(|r| r != q)
            .filter_map(|r| catalog.table(&r))
            .flat_map(|r| {
                r.constraints
                    .iter()
                    .filter(|c| matches!(&c.kind, ConstraintKind::ForeignKey(fk) if targets.contains(&&fk.ref_table)))
                    .flat_map(move |c| {
                        let copies = partitions(catalog, &r.name)
                            .into_iter()
                            .map(move |p| (c.origin.created.max(p.origin.created), p));
                        std::iter::once((c.origin.created, r)).chain(copies)
                    })
            })
            .collect();
        referencing.sort_by_key(|(at, r)| (*at, r.oid));
        if let Some((_, other)) = referencing.into_iter().find(|(_, r)| !unlogged(r)) {
            return Err(SimError::new(format!(
                "could not change table \"{}\" to unlogged because it references logged table \"{}\"",
                table.name.name, other.name.name
            ))
            .help(format!(
                "{} has a foreign key to this table, and a logged table may reference only logged tables.",
                other.name.name
            )));
        }
    }
    Ok(changing)
}

/// The partitions of `table`, at any depth, in the order they were created.
fn partitions<'c>(catalog: &'c Catalog, table: &QualName) -> Vec<&'c Table> {
    let mut out: Vec<&Table> = catalog.partitions(table).iter().filter_map(|d| catalog.table(d)).collect();
    out.sort_by_key(|t| t.oid);
    out
}

/// Gives the table the persistence [`persistence_checks`] decided. A partitioned table has no storage:
/// PostgreSQL checks the action and leaves it as it is.
fn change_persistence(catalog: &mut Catalog, q: &QualName, logged: Option<bool>) {
    let Some(logged) = logged else { return };
    if let Some(table) = catalog.table_mut(q)
        && !table.kind.is_partitioned()
    {
        table.kind = if logged { TableKind::Ordinary } else { TableKind::Unlogged };
    }
}

fn table_mut<'a>(catalog: &'a mut Catalog, q: &QualName) -> Result<&'a mut Table, SimError> {
    catalog.table_mut(q).ok_or_else(|| SimError::new(format!("relation \"{}\" does not exist", q.name)))
}

fn missing_column(col: &str, table: &QualName) -> SimError {
    SimError::new(format!("column \"{col}\" of relation \"{}\" does not exist", table.name))
}

/// Applies one action; returns the table's (possibly new) name.
fn operation(
    catalog: &mut Catalog,
    q: &QualName,
    op: &AlterTableOperation,
    ctx: &mut Ctx,
) -> Result<QualName, SimError> {
    match op {
        AlterTableOperation::AddColumn { if_not_exists, column_def, .. } => {
            if catalog.table(q).is_some_and(|t| t.of_type.is_some()) {
                return Err(SimError::new("cannot add column to typed table"));
            }
            super::inheritance::check_add_column(catalog, q)?;
            let name = names::fold(&column_def.name);
            if catalog.table(q).is_some_and(|t| t.column(&name).is_some()) {
                if *if_not_exists {
                    ctx.notes.push(format!("column \"{name}\" of relation \"{}\" already exists, skipping", q.name));
                    return Ok(q.clone());
                }
                return Err(SimError::new(format!("column \"{name}\" of relation \"{}\" already exists", q.name))
                    .help("Use ADD COLUMN IF NOT EXISTS, or check whether an earlier migration already added it."));
            }
            let mut cols = table_columns(catalog, q);
            if let Ok((ty, _)) = types::resolve(&column_def.data_type, catalog) {
                cols.push((name.clone(), ty));
            }
            let mut taken = Vec::new();
            let (col, pending) = build_column(catalog, q, column_def, &cols, ctx, &mut taken)?;
            // On a table with rows, a NOT NULL column needs a value for them.
            let filled = col.default.is_some() || col.identity.is_some() || col.generated.is_some();
            if col.not_null && !filled && catalog.table(q).is_some_and(|t| t.has_rows) {
                return Err(SimError::new(format!(
                    "column \"{}\" of relation \"{}\" contains null values",
                    col.name, q.name
                ))
                .help("Add the column nullable, backfill it with UPDATE, then SET NOT NULL; or give it a DEFAULT."));
            }
            // Children and partitions get the column too (identity stays with the parent).
            for child in catalog.descendants(q) {
                if let Some(t) = catalog.table_mut(&child)
                    && t.column(&col.name).is_none()
                {
                    t.add_column(Column { identity: None, ..col.clone() });
                }
            }
            table_mut(catalog, q)?.add_column(col);
            add_constraints(catalog, q, pending, ctx, false)?;
        }
        AlterTableOperation::DropColumn { column_names, if_exists, drop_behavior, .. } => {
            let cascade = matches!(drop_behavior, Some(sqlparser::ast::DropBehavior::Cascade));
            if catalog.table(q).is_some_and(|t| t.of_type.is_some()) {
                return Err(SimError::new("cannot drop column from typed table"));
            }
            for ident in column_names {
                let col = names::fold(ident);
                super::inheritance::check_own_column(catalog, q, &col, "drop")?;
                for child in catalog.descendants(q) {
                    if catalog.table(&child).is_some_and(|t| t.column(&col).is_some()) {
                        drop::drop_column(catalog, &child, &col, cascade)?;
                    }
                }
                let col = names::fold(ident);
                if catalog.table(q).is_none_or(|t| t.column(&col).is_none()) {
                    if *if_exists {
                        ctx.notes.push(format!("column \"{col}\" of relation \"{}\" does not exist, skipping", q.name));
                        continue;
                    }
                    return Err(missing_column(&col, q));
                }
                drop::drop_column(catalog, q, &col, cascade)?;
            }
        }
        AlterTableOperation::RenameColumn { old_column_name, new_column_name } => {
            let old = names::fold(old_column_name);
            let new = names::fold(new_column_name);
            let t = table_mut(catalog, q)?;
            if t.column(&old).is_none() {
                return Err(SimError::new(format!("column \"{old}\" does not exist")));
            }
            super::inheritance::check_own_column(catalog, q, &old, "rename")?;
            let t = table_mut(catalog, q)?;
            if t.column(&new).is_some() {
                return Err(SimError::new(format!("column \"{new}\" of relation \"{}\" already exists", q.name)));
            }
            rename_column(catalog, q, &old, &new, ctx);
        }
        AlterTableOperation::RenameTable { table_name } => {
            let new_name = match table_name {
                RenameTableNameKind::To(n) | RenameTableNameKind::As(n) => {
                    names::parts(n).last().cloned().unwrap_or_default()
                }
            };
            let new_q = QualName::new(q.schema.clone(), new_name);
            if catalog.relation_exists(&new_q) {
                return Err(relation_exists_error(&new_q));
            }
            rename_table(catalog, q, &new_q, ctx);
            return Ok(new_q);
        }
        AlterTableOperation::AlterColumn { column_name, op } => {
            let col = names::fold(column_name);
            if catalog.table(q).is_none_or(|t| t.column(&col).is_none()) {
                return Err(missing_column(&col, q));
            }
            alter_column(catalog, q, &col, op, ctx)?;
        }
        AlterTableOperation::AddConstraint { constraint, not_valid } => {
            let pending = table_constraint(constraint, *not_valid)?;
            add_constraints(catalog, q, vec![pending], ctx, false)?;
        }
        AlterTableOperation::DropConstraint { if_exists, name, drop_behavior } => {
            let cname = names::fold(name);
            if catalog.table(q).is_none_or(|t| t.constraint(&cname).is_none()) {
                if *if_exists {
                    ctx.notes
                        .push(format!("constraint \"{cname}\" of relation \"{}\" does not exist, skipping", q.name));
                    return Ok(q.clone());
                }
                return Err(SimError::new(format!("constraint \"{cname}\" of relation \"{}\" does not exist", q.name)));
            }
            super::partition_fks::check_drop(catalog, q, &cname)?;
            super::inheritance::check_drop_constraint(catalog, q, &cname)?;
            let cascade = matches!(drop_behavior, Some(sqlparser::ast::DropBehavior::Cascade));
            drop::drop_constraint(catalog, q, &cname, cascade)?;
        }
        AlterTableOperation::ValidateConstraint { name } => {
            let cname = names::fold(name);
            let t = table_mut(catalog, q)?;
            let Some(c) = t.constraint_mut(&cname) else {
                return Err(SimError::new(format!("constraint \"{cname}\" of relation \"{}\" does not exist", q.name)));
            };
            c.not_valid = false;
            c.origin.changed = ctx.span;
        }
        AlterTableOperation::RenameConstraint { old_name, new_name } => {
            let old = names::fold(old_name);
            let new = names::fold(new_name);
            let t = table_mut(catalog, q)?;
            if t.constraint(&new).is_some() {
                return Err(SimError::new(format!("constraint \"{new}\" for relation \"{}\" already exists", q.name)));
            }
            let Some(c) = t.constraint_mut(&old) else {
                return Err(SimError::new(format!("constraint \"{old}\" for table \"{}\" does not exist", q.name)));
            };
            c.name = new.as_str().into();
            let has_index = c.kind.has_index();
            let new_name = c.name.clone();
            super::partition_fks::renamed(catalog, q, &old, &new_name);
            if has_index {
                let old_q = QualName::new(q.schema.clone(), old);
                if let Some(idx) = catalog.indexes.remove(&old_q) {
                    let mut idx = (*idx).clone();
                    idx.name.name = new.as_str().into();
                    idx.constraint = Some(new.clone());
                    catalog.indexes.insert(idx.name.clone(), Arc::new(idx));
                }
            }
        }
        AlterTableOperation::EnableTrigger { name } | AlterTableOperation::DisableTrigger { name } => {
            let enabled = if matches!(op, AlterTableOperation::EnableTrigger { .. }) {
                TriggerEnabled::Origin
            } else {
                TriggerEnabled::Disabled
            };
            set_trigger_enabled(catalog, q, &names::fold(name), enabled)?;
        }
        AlterTableOperation::EnableAlwaysTrigger { name } => {
            set_trigger_enabled(catalog, q, &names::fold(name), TriggerEnabled::Always)?;
        }
        AlterTableOperation::EnableReplicaTrigger { name } => {
            set_trigger_enabled(catalog, q, &names::fold(name), TriggerEnabled::Replica)?;
        }
        AlterTableOperation::AttachPartitionOf { partition, for_values } => {
            super::attach::attach(catalog, q, partition, for_values, ctx)?;
        }
        AlterTableOperation::DetachPartitionOf { partition, .. } => super::attach::detach(catalog, q, partition)?,
        AlterTableOperation::EnableRowLevelSecurity => table_mut(catalog, q)?.row_security = true,
        AlterTableOperation::DisableRowLevelSecurity => table_mut(catalog, q)?.row_security = false,
        AlterTableOperation::ForceRowLevelSecurity => table_mut(catalog, q)?.force_row_security = true,
        AlterTableOperation::NoForceRowLevelSecurity => table_mut(catalog, q)?.force_row_security = false,
        AlterTableOperation::OwnerTo { .. } | AlterTableOperation::SetTblProperties { .. } => {}
        AlterTableOperation::ReplicaIdentity { identity } => {
            let chosen = match identity {
                sqlparser::ast::ReplicaIdentity::Index(i) => Some(QualName::new(q.schema.clone(), names::fold(i))),
                _ => None,
            };
            if let Some(iq) = &chosen
                && catalog.indexes.get(iq).is_none_or(|i| &i.table != q)
            {
                return Err(SimError::new(format!("index \"{}\" for table \"{}\" does not exist", iq.name, q.name)));
            }
            let names_: Vec<QualName> = catalog.indexes_of(q).map(|i| i.name.clone()).collect();
            for n in names_ {
                if let Some(idx) = catalog.indexes.get_mut(&n) {
                    Arc::make_mut(idx).replica_identity = chosen.as_ref() == Some(&n);
                }
            }
        }
        // Decided before the actions run, applied after them (`persistence_checks`, `change_persistence`).
        AlterTableOperation::SetLogged | AlterTableOperation::SetUnlogged => {
            table_mut(catalog, q)?;
        }
        other => {
            return Err(SimError::not_simulated(format!("ALTER TABLE action is not simulated: {other}")));
        }
    }
    Ok(q.clone())
}

fn set_trigger_enabled(catalog: &mut Catalog, q: &QualName, name: &str, enabled: TriggerEnabled) -> SimResult {
    let t = table_mut(catalog, q)?;
    if name == "all" || name == "user" {
        t.triggers.iter_mut().for_each(|tr| tr.enabled = enabled);
        return Ok(());
    }
    let Some(tr) = t.triggers.iter_mut().find(|tr| tr.name == name) else {
        return Err(SimError::new(format!("trigger \"{name}\" for table \"{}\" does not exist", q.name)));
    };
    tr.enabled = enabled;
    Ok(())
}

fn alter_column(catalog: &mut Catalog, q: &QualName, col: &str, op: &AlterColumnOperation, ctx: &mut Ctx) -> SimResult {
    match op {
        AlterColumnOperation::SetNotNull => {
            let t = table_mut(catalog, q)?;
            if let Some(c) = t.column_mut(col) {
                c.not_null = true;
                c.origin.changed = ctx.span;
            }
        }
        AlterColumnOperation::DropNotNull => {
            let t = table_mut(catalog, q)?;
            let in_pk = t.primary_key().is_some_and(|pk| pk.kind.columns().iter().any(|c| c == col));
            if in_pk {
                return Err(SimError::new(format!("column \"{col}\" is in a primary key")));
            }
            let Some(c) = t.column_mut(col) else { return Ok(()) };
            if c.identity.is_some() {
                return Err(SimError::new(format!(
                    "column \"{col}\" of relation \"{}\" is an identity column",
                    q.name
                )));
            }
            super::inheritance::check_drop_not_null(catalog, q, col)?;
            let Some(c) = table_mut(catalog, q)?.column_mut(col) else { return Ok(()) };
            c.not_null = false;
            c.origin.changed = ctx.span;
        }
        AlterColumnOperation::SetDefault { value } => {
            let t = catalog.table(q).ok_or_else(|| SimError::new("table vanished"))?;
            let Some(c) = t.column(col) else { return Ok(()) };
            if c.identity.is_some() {
                return Err(SimError::new(format!(
                    "column \"{col}\" of relation \"{}\" is an identity column",
                    q.name
                ))
                .help("Use ALTER TABLE … ALTER COLUMN … SET GENERATED, or drop the identity first."));
            }
            if c.generated.is_some() {
                return Err(SimError::new(format!(
                    "column \"{col}\" of relation \"{}\" is a generated column",
                    q.name
                )));
            }
            let ty = c.ty.clone();
            let scope = Scope { catalog, columns: &[], trigger_rows: false };
            let default = expr::default_expr(value, &ty, &scope)?;
            let t = table_mut(catalog, q)?;
            if let Some(c) = t.column_mut(col) {
                c.default = default;
                c.origin.changed = ctx.span;
            }
        }
        AlterColumnOperation::DropDefault => {
            let t = table_mut(catalog, q)?;
            if let Some(c) = t.column_mut(col) {
                c.default = None;
                c.origin.changed = ctx.span;
            }
        }
        AlterColumnOperation::SetDataType { data_type, using, .. } => {
            super::inheritance::check_own_column(catalog, q, col, "alter")?;
            let (ty, serial) = types::resolve(data_type, catalog)?;
            if serial.is_some() {
                return Err(SimError::new(format!("type \"{}\" does not exist", data_type.to_string().to_lowercase())));
            }
            let used_by_view = catalog.views.values().any(|v| v.columns_used.iter().any(|(t, c)| t == q && c == col));
            if used_by_view {
                return Err(SimError::new("cannot alter type of a column used by a view or rule"));
            }
            let cols = table_columns(catalog, q);
            let old_ty = cols.iter().find(|(n, _)| n == col).map(|(_, t)| t.clone());
            if let Some(u) = using {
                using_check(catalog, &cols, u)?;
            }
            if using.is_none()
                && let Some(old) = &old_ty
                && !castable_by_assignment(old, &ty)
            {
                return Err(SimError::new(format!(
                    "column \"{col}\" cannot be cast automatically to type {}",
                    ty.display()
                ))
                .help(format!("Add USING {col}::{} to say how to convert the values.", ty.display())));
            }
            let t = table_mut(catalog, q)?;
            if let Some(c) = t.column_mut(col) {
                c.ty = ty;
                c.origin.changed = ctx.span;
            }
            rebuild_dependents(catalog, q, col)?;
        }
        AlterColumnOperation::AddGenerated { generated_as, .. } => {
            let t = table_mut(catalog, q)?;
            let Some(c) = t.column_mut(col) else { return Ok(()) };
            if !c.not_null {
                return Err(SimError::new(format!(
                    "column \"{col}\" of relation \"{}\" must be declared NOT NULL before identity can be added",
                    q.name
                )));
            }
            if c.identity.is_some() {
                return Err(SimError::new(format!(
                    "column \"{col}\" of relation \"{}\" is already an identity column",
                    q.name
                )));
            }
            if c.default.is_some() {
                return Err(SimError::new(format!(
                    "column \"{col}\" of relation \"{}\" already has a default value",
                    q.name
                )));
            }
            c.identity = Some(match generated_as {
                Some(sqlparser::ast::GeneratedAs::ByDefault) => Identity::ByDefault,
                _ => Identity::Always,
            });
            let ty = c.ty.clone();
            let seq_q = match ctx.next_identity_sequence().as_deref() {
                Some([schema, seq]) => QualName::new(schema.clone(), seq.clone()),
                Some([seq]) => QualName::new(q.schema.clone(), seq.clone()),
                _ => QualName::new(
                    q.schema.clone(),
                    names::choose_relation_name(catalog, &q.schema, &q.name, Some(col), "seq", false, &[]),
                ),
            };
            catalog.sequences.insert(
                seq_q.clone(),
                Sequence {
                    name: seq_q,
                    ty,
                    owned_by: Some((q.clone(), col.to_string())),
                    origin: Origin::at(ctx.span),
                },
            );
        }
        other => return Err(SimError::not_simulated(format!("ALTER COLUMN action is not simulated: {other}"))),
    }
    Ok(())
}

/// ALTER COLUMN … TYPE rebuilds the CHECK constraints and indexes that use the column from their
/// printed definitions, so casts and constants are printed again against the new type.
fn rebuild_dependents(catalog: &mut Catalog, q: &QualName, col: &str) -> SimResult {
    let cols = table_columns(catalog, q);
    let scope = Scope { catalog, columns: &cols, trigger_rows: false };
    let reprint = |text: &str| -> Result<String, SimError> {
        let e = expr::parse_printed(text).map_err(SimError::new)?;
        Ok(expr::condition(&e, &scope, "CHECK")?.0)
    };
    let mut checks = Vec::new();
    if let Some(t) = catalog.table(q) {
        for c in &t.constraints {
            if let ConstraintKind::Check { expr: text, columns, .. } = &c.kind
                && columns.iter().any(|c| c == col)
            {
                checks.push((c.name.clone(), reprint(text)?));
            }
        }
    }
    let mut indexes = Vec::new();
    for idx in catalog.indexes_of(q).filter(|i| i.columns.iter().any(|c| c == col)) {
        let mut keys = idx.keys.clone();
        for k in &mut keys {
            let plain = k.expr.trim_matches('"') == col || k.expr == names::quote_ident(col);
            if plain || k.collation.is_some() {
                continue;
            }
            let e = expr::parse_printed(&k.expr).map_err(SimError::new)?;
            k.expr = expr::index_expr(&e, &scope)?.0;
        }
        let predicate = idx.predicate.as_deref().map(reprint).transpose()?;
        indexes.push((idx.name.clone(), keys, predicate));
    }
    if let Some(t) = catalog.table_mut(q) {
        for (name, text) in checks {
            if let Some(ConstraintKind::Check { expr, .. }) = t.constraint_mut(&name).map(|c| &mut c.kind) {
                *expr = text;
            }
        }
    }
    for (name, keys, predicate) in indexes {
        if let Some(idx) = catalog.indexes.get_mut(&name) {
            let idx = Arc::make_mut(idx);
            idx.keys = keys;
            idx.predicate = predicate;
        }
    }
    Ok(())
}

fn castable_by_assignment(from: &crate::catalog::types::TypeRef, to: &crate::catalog::types::TypeRef) -> bool {
    let (a, b) = (from.category(), to.category());
    if from.array != to.array {
        return false;
    }
    a == b || to.is("text") || to.is("varchar") || (a == 'D' && b == 'D')
}

/// The `USING` expression of `ALTER COLUMN … TYPE`, typed against the table's current columns. Only the
/// verdicts the analysis is sure of are errors: a missing column, and no match among the signatures of a
/// function it models. Anything it cannot type is let through.
fn using_check(
    catalog: &Catalog,
    cols: &[(String, crate::catalog::types::TypeRef)],
    using: &sqlparser::ast::Expr,
) -> SimResult {
    let scope = crate::catalog::expr::Scope { catalog, columns: cols, trigger_rows: false };
    let Err(message) = crate::catalog::expr::analyze(using, &scope) else { return Ok(()) };
    let missing_column = message.starts_with("column \"") && message.ends_with("\" does not exist");
    let missing_function =
        message.strip_prefix("function ").and_then(|rest| rest.split_once('(')).is_some_and(|(name, rest)| {
            rest.ends_with(") does not exist")
                && !name.contains('.')
                && crate::catalog::expr::known_function(name, catalog)
        });
    if missing_column || missing_function {
        let err = SimError::new(message);
        return Err(if missing_function {
            err.help("No function matches the given name and argument types: the USING expression sees the column's current type.")
        } else {
            err
        });
    }
    Ok(())
}

/// A column of relation `q` (a table or a materialized view) renamed in the indexes that use it: their
/// keys, INCLUDE list and predicate. Only those indexes change; the others stay shared with the schema
/// before.
pub(crate) fn rename_in_indexes(catalog: &mut Catalog, q: &QualName, old: &str, new: &str) {
    let rename = |v: &mut Vec<String>| v.iter_mut().filter(|c| *c == old).for_each(|c| *c = new.to_string());
    let quoted_old = names::quote_ident(old);
    let quoted_new = names::quote_ident(new);
    let idx_names: Vec<QualName> =
        catalog.indexes_of(q).filter(|i| i.columns.iter().any(|c| c == old)).map(|i| i.name.clone()).collect();
    for n in idx_names {
        if let Some(idx) = catalog.indexes.get_mut(&n) {
            let idx = Arc::make_mut(idx);
            for k in &mut idx.keys {
                k.expr = replace_ident(&k.expr, &quoted_old, &quoted_new);
            }
            rename(&mut idx.include);
            if let Some(p) = &mut idx.predicate {
                *p = replace_ident(p, &quoted_old, &quoted_new);
            }
            rename(&mut idx.columns);
        }
    }
}

/// The indexes of relation `q` (a table or a materialized view, already moved) moved to its new schema.
pub(crate) fn move_indexes(catalog: &mut Catalog, q: &QualName) {
    let moved: Vec<QualName> = catalog.indexes_of(q).map(|i| i.name.clone()).collect();
    for name in moved {
        if let Some(idx) = catalog.indexes.remove(&name) {
            let mut idx = (*idx).clone();
            idx.name.schema = q.schema.clone();
            catalog.indexes.insert(idx.name.clone(), Arc::new(idx));
        }
    }
}

/// Renames a column everywhere PostgreSQL keeps it by number: constraints, indexes, triggers.
fn rename_column(catalog: &mut Catalog, q: &QualName, old: &str, new: &str, ctx: &Ctx) {
    let rename = |v: &mut Vec<String>| v.iter_mut().filter(|c| *c == old).for_each(|c| *c = new.to_string());
    let quoted_old = names::quote_ident(old);
    let quoted_new = names::quote_ident(new);
    if let Some(t) = catalog.table_mut(q) {
        if let Some(c) = t.column_mut(old) {
            c.name = new.into();
            c.origin.changed = ctx.span;
        }
        // Only the constraints on the column change (the others stay shared with the schema before).
        let on_column = |c: &&mut Arc<Constraint>| match &c.kind {
            ConstraintKind::PrimaryKey { columns, include } | ConstraintKind::Unique { columns, include, .. } => {
                columns.iter().chain(include).any(|c| c == old)
            }
            ConstraintKind::Check { columns, .. } | ConstraintKind::Exclude { columns, .. } => {
                columns.iter().any(|c| c == old)
            }
            ConstraintKind::ForeignKey(fk) => fk.columns.iter().any(|c| c == old),
        };
        for c in t.constraints.iter_mut().filter(on_column).map(Arc::make_mut) {
            match &mut c.kind {
                ConstraintKind::PrimaryKey { columns, include } | ConstraintKind::Unique { columns, include, .. } => {
                    rename(columns);
                    rename(include);
                }
                ConstraintKind::Check { expr, columns, .. } => {
                    if columns.iter().any(|c| c == old) {
                        *expr = replace_ident(expr, &quoted_old, &quoted_new);
                    }
                    rename(columns);
                }
                ConstraintKind::ForeignKey(fk) => rename(&mut fk.columns),
                ConstraintKind::Exclude { columns, .. } => rename(columns),
            }
        }
        for tr in &mut t.triggers {
            rename(&mut tr.update_columns);
        }
    }
    // Foreign keys elsewhere that reference this column.
    for k in catalog.tables_referencing(q) {
        if let Some(t) = catalog.table_mut(&k) {
            let to_q =
                |c: &&mut Arc<Constraint>| matches!(&c.kind, ConstraintKind::ForeignKey(fk) if &fk.ref_table == q);
            for c in t.constraints.iter_mut().filter(to_q).map(Arc::make_mut) {
                if let ConstraintKind::ForeignKey(fk) = &mut c.kind {
                    rename(&mut fk.ref_columns);
                }
            }
        }
    }
    rename_in_indexes(catalog, q, old, new);
    catalog.sequences.update_where(
        |seq| seq.owned_by.as_ref().is_some_and(|(t, c)| t == q && c == old),
        |seq| {
            if let Some((_, c)) = &mut seq.owned_by {
                *c = new.to_string();
            }
        },
    );
    catalog.statistics.update_where(
        |s| &s.table == q && s.uses(old),
        |s| {
            rename(&mut s.columns);
            for e in &mut s.exprs {
                *e = replace_ident(e, &quoted_old, &quoted_new);
            }
            rename(&mut s.expr_columns);
        },
    );
    let publishes = |p: &crate::catalog::model::Publication| p.tables.iter().any(|t| &t.table == q);
    catalog.publications.update_where(publishes, |p| {
        for t in p.tables.iter_mut().filter(|t| &t.table == q) {
            if let Some(cols) = &mut t.columns {
                rename(cols);
            }
            if t.filter_columns.iter().any(|c| c == old) {
                t.filter = t.filter.as_ref().map(|f| replace_ident(f, &quoted_old, &quoted_new));
                rename(&mut t.filter_columns);
            }
        }
    });
}

/// Replaces whole-word occurrences of an identifier outside string literals.
pub(crate) fn replace_ident(text: &str, old: &str, new: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80;
    while i < text.len() {
        if bytes[i] == b'\'' {
            let start = i;
            i += 1;
            while i < text.len() {
                if bytes[i] == b'\'' {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i = (i + 1).min(text.len());
            out.push_str(&text[start..i]);
            continue;
        }
        if text[i..].starts_with(old)
            && (i == 0 || !is_word(bytes[i - 1]) && bytes[i - 1] != b'.')
            && !bytes.get(i + old.len()).is_some_and(|b| is_word(*b))
        {
            out.push_str(new);
            i += old.len();
            continue;
        }
        let ch = text[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// What refers to relation `from` (a table or a view) by OID, pointed at its new name `to`: its indexes
/// and statistics, and the views that read it.
pub(crate) fn follow_relation(catalog: &mut Catalog, from: &QualName, to: &QualName) {
    catalog.indexes.update_where(|idx| &idx.table == from, |idx| Arc::make_mut(idx).table = to.clone());
    catalog.views.update_where(
        |v| v.depends_on.contains(from),
        |v| {
            for d in &mut v.depends_on {
                if d == from {
                    *d = to.clone();
                }
            }
        },
    );
    catalog.statistics.update_where(|s| &s.table == from, |s| s.table = to.clone());
}

/// Renames a table: its indexes, constraints and sequences keep their names; references follow.
pub(crate) fn rename_table(catalog: &mut Catalog, q: &QualName, new_q: &QualName, ctx: &Ctx) {
    let Some(t) = catalog.tables.remove(q) else { return };
    let mut t = (*t).clone();
    t.name = new_q.clone();
    t.origin.changed = ctx.span;
    catalog.tables.insert(new_q.clone(), Arc::new(t));
    follow_relation(catalog, q, new_q);
    for k in catalog.tables_referencing(q) {
        let Some(t) = catalog.tables.get_mut(&k) else { continue };
        let to_q = |c: &&mut Arc<Constraint>| matches!(&c.kind, ConstraintKind::ForeignKey(fk) if &fk.ref_table == q);
        for c in Arc::make_mut(t).constraints.iter_mut().filter(to_q).map(Arc::make_mut) {
            if let ConstraintKind::ForeignKey(fk) = &mut c.kind {
                fk.ref_table = new_q.clone();
            }
        }
    }
    catalog.sequences.update_where(
        |seq| seq.owned_by.as_ref().is_some_and(|(t, _)| t == q),
        |seq| {
            if let Some((t, _)) = &mut seq.owned_by {
                *t = new_q.clone();
            }
        },
    );
    // Its partitions and the tables that inherit from it follow it (\d prints the new name).
    let child = |t: &Arc<Table>| t.inherits.contains(q) || t.partition_of.as_ref().is_some_and(|(p, _)| p == q);
    let had_parents = catalog.inheritance.0;
    catalog.tables.update_where(
        |t| had_parents && child(t),
        |t| {
            let t = Arc::make_mut(t);
            for p in &mut t.inherits {
                if p == q {
                    *p = new_q.clone();
                }
            }
            if let Some((p, _)) = &mut t.partition_of
                && p == q
            {
                *p = new_q.clone();
            }
        },
    );
    let publishes = |p: &crate::catalog::model::Publication| p.tables.iter().any(|t| &t.table == q);
    catalog.publications.update_where(publishes, |p| {
        for t in &mut p.tables {
            if &t.table == q {
                t.table = new_q.clone();
            }
        }
    });
}

/// An ALTER TABLE that was split into actions: all of them apply, or none.
pub(crate) fn apply_parts(
    catalog: &mut Catalog,
    target: &AlterTarget,
    parts: &[AlterPart],
    ctx: &mut Ctx,
) -> SimResult {
    let q = match target.name.as_slice() {
        [n] => catalog.resolve_unqualified(n),
        [s, n] => QualName::new(s.clone(), n.clone()),
        _ => return Err(SimError::new("improper qualified name (too many dotted names)")),
    };
    if !catalog.tables.contains_key(&q) {
        if target.if_exists {
            ctx.notes.push(format!("relation \"{}\" does not exist, skipping", q.name));
            return Ok(());
        }
        return Err(super::missing_relation(catalog, &q));
    }
    let parsed: Vec<AlterTableOperation> = parts
        .iter()
        .filter_map(|p| match p {
            AlterPart::Parsed(stmt) => match &**stmt {
                sqlparser::ast::Statement::AlterTable(at) => Some(at.operations.iter().cloned()),
                _ => None,
            },
            AlterPart::Manual(_) => None,
        })
        .flatten()
        .filter(|op| matches!(op, AlterTableOperation::SetLogged | AlterTableOperation::SetUnlogged))
        .collect();
    let persistence = persistence_checks(catalog, &q, &parsed)?;
    let mut work = catalog.clone();
    let mut q = q;
    for part in parts {
        match part {
            AlterPart::Parsed(stmt) => {
                let sqlparser::ast::Statement::AlterTable(at) = &**stmt else {
                    return Err(SimError::new("syntax error in ALTER TABLE"));
                };
                for op in &at.operations {
                    q = operation(&mut work, &q, op, ctx)?;
                }
            }
            AlterPart::Manual(action) => q = manual(&mut work, &q, action, ctx)?,
        }
    }
    change_persistence(&mut work, &q, persistence);
    *catalog = work;
    Ok(())
}

fn manual(catalog: &mut Catalog, q: &QualName, action: &ManualAction, ctx: &mut Ctx) -> Result<QualName, SimError> {
    let column = |catalog: &mut Catalog, col: &str| -> Result<(), SimError> {
        if catalog.table(q).is_none_or(|t| t.column(col).is_none()) {
            return Err(missing_column(col, q));
        }
        Ok(())
    };
    match action {
        ManualAction::SetSchema(schema) => {
            if !catalog.schemas.contains_key(schema) {
                return Err(SimError::new(format!("schema \"{schema}\" does not exist")));
            }
            let new_q = QualName::new(schema.clone(), q.name.clone());
            if catalog.relation_exists(&new_q) {
                return Err(SimError::new(format!("relation \"{}\" already exists in schema \"{schema}\"", q.name)));
            }
            rename_table(catalog, q, &new_q, ctx);
            // Indexes and owned sequences move with the table.
            move_indexes(catalog, &new_q);
            let seqs: Vec<QualName> = catalog
                .sequences
                .values()
                .filter(|s| s.owned_by.as_ref().is_some_and(|(t, _)| t == &new_q))
                .map(|s| s.name.clone())
                .collect();
            for name in seqs {
                if let Some(mut seq) = catalog.sequences.remove(&name) {
                    let old_text =
                        format!("nextval('{}'::regclass)", names::relation_name(&seq.name).replace('\'', "''"));
                    seq.name.schema = schema.as_str().into();
                    let new_text =
                        format!("nextval('{}'::regclass)", names::relation_name(&seq.name).replace('\'', "''"));
                    if let Some(t) = catalog.table_mut(&new_q) {
                        for c in &mut t.columns {
                            if c.default.as_deref() == Some(old_text.as_str()) {
                                std::sync::Arc::make_mut(c).default = Some(new_text.clone());
                            }
                        }
                    }
                    catalog.sequences.insert(seq.name.clone(), seq);
                }
            }
            return Ok(new_q);
        }
        ManualAction::SetGenerated { column: col, always } => {
            column(catalog, col)?;
            let t = table_mut(catalog, q)?;
            let Some(c) = t.column_mut(col) else { return Ok(q.clone()) };
            if c.identity.is_none() {
                return Err(SimError::new(format!(
                    "column \"{col}\" of relation \"{}\" is not an identity column",
                    q.name
                )));
            }
            c.identity = Some(if *always { Identity::Always } else { Identity::ByDefault });
            c.origin.changed = ctx.span;
        }
        ManualAction::DropIdentity { column: col, if_exists } => {
            column(catalog, col)?;
            let t = table_mut(catalog, q)?;
            let Some(c) = t.column_mut(col) else { return Ok(q.clone()) };
            if c.identity.is_none() {
                if *if_exists {
                    return Ok(q.clone());
                }
                return Err(SimError::new(format!(
                    "column \"{col}\" of relation \"{}\" is not an identity column",
                    q.name
                )));
            }
            c.identity = None;
            c.origin.changed = ctx.span;
            catalog.sequences.retain(|_, s| s.owned_by.as_ref() != Some(&(q.clone(), col.clone())));
        }
        ManualAction::DropExpression { column: col, if_exists } => {
            column(catalog, col)?;
            let t = table_mut(catalog, q)?;
            let Some(c) = t.column_mut(col) else { return Ok(q.clone()) };
            if c.generated.is_none() {
                if *if_exists {
                    return Ok(q.clone());
                }
                return Err(SimError::new(format!(
                    "column \"{col}\" of relation \"{}\" is not a stored generated column",
                    q.name
                )));
            }
            c.generated = None;
        }
        ManualAction::ClusterOn(index) | ManualAction::ReplicaIdentityIndex(index) => {
            let iq = QualName::new(q.schema.clone(), index.clone());
            if catalog.indexes.get(&iq).is_none_or(|i| &i.table != q) {
                return Err(SimError::new(format!("index \"{index}\" for table \"{}\" does not exist", q.name)));
            }
            let cluster = matches!(action, ManualAction::ClusterOn(_));
            let names: Vec<QualName> = catalog.indexes_of(q).map(|i| i.name.clone()).collect();
            for n in names {
                if let Some(idx) = catalog.indexes.get_mut(&n) {
                    let idx = Arc::make_mut(idx);
                    if cluster {
                        idx.clustered = n == iq;
                    } else {
                        idx.replica_identity = n == iq;
                    }
                }
            }
        }
        ManualAction::SetWithoutCluster => {
            let names: Vec<QualName> = catalog.indexes_of(q).map(|i| i.name.clone()).collect();
            for n in names {
                if let Some(idx) = catalog.indexes.get_mut(&n) {
                    Arc::make_mut(idx).clustered = false;
                }
            }
        }
        ManualAction::AlterConstraint { name, deferrable, initially_deferred } => {
            let t = table_mut(catalog, q)?;
            let Some(c) = t.constraint_mut(name) else {
                return Err(SimError::new(format!("constraint \"{name}\" of relation \"{}\" does not exist", q.name)));
            };
            if !matches!(c.kind, ConstraintKind::ForeignKey(_)) {
                return Err(SimError::new(format!(
                    "constraint \"{name}\" of relation \"{}\" is not a foreign key constraint",
                    q.name
                )));
            }
            if let Some(d) = deferrable {
                c.deferrable = *d;
                if !d {
                    c.initially_deferred = false;
                }
            }
            if let Some(i) = initially_deferred {
                c.initially_deferred = *i;
            }
        }
        ManualAction::NoEffect(_) => {}
    }
    Ok(q.clone())
}
