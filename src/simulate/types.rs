//! CREATE TYPE (enums, composites), ALTER TYPE (enum values, renames) and CREATE DOMAIN (its CHECK
//! constraints and ALTER DOMAIN: `domain.rs`).

use sqlparser::ast::{
    AlterType, AlterTypeAddValuePosition, AlterTypeOperation, CreateDomain, ObjectName, UserDefinedTypeRepresentation,
};

use super::{Ctx, SimError, SimResult};
use crate::catalog::expr::{self, Scope};
use crate::catalog::model::*;
use crate::catalog::names;
use crate::catalog::types;

fn type_exists(catalog: &Catalog, q: &QualName) -> bool {
    catalog.types.contains_key(q) || catalog.tables.contains_key(q) || catalog.views.contains_key(q)
}

pub(crate) fn create_type(
    catalog: &mut Catalog,
    name: &ObjectName,
    repr: Option<&UserDefinedTypeRepresentation>,
    ctx: &mut Ctx,
) -> SimResult {
    let q = catalog.resolve(name);
    super::ensure_schema(catalog, &q)?;
    if type_exists(catalog, &q) {
        return Err(SimError::new(format!("type \"{}\" already exists", q.name))
            .help("Guard it: DO $$ BEGIN CREATE TYPE …; EXCEPTION WHEN duplicate_object THEN NULL; END $$;"));
    }
    let kind = match repr {
        Some(UserDefinedTypeRepresentation::Enum { labels }) => {
            let mut out: Vec<String> = Vec::new();
            for l in labels {
                let v = l.value.clone();
                if out.contains(&v) {
                    return Err(SimError::new(format!("enum label \"{v}\" used more than once")));
                }
                out.push(v);
            }
            UserTypeKind::Enum { labels: out }
        }
        Some(UserDefinedTypeRepresentation::Composite { attributes }) => {
            let mut attrs = Vec::new();
            for a in attributes {
                let (t, _) = types::resolve(&a.data_type, catalog)?;
                attrs.push((names::fold(&a.name), t));
            }
            UserTypeKind::Composite { attributes: attrs }
        }
        _ => UserTypeKind::Other,
    };
    catalog.types.insert(q.clone(), UserType { name: q, kind, comment: None, origin: Origin::at(ctx.span) });
    Ok(())
}

pub(crate) fn alter_type(catalog: &mut Catalog, at: &AlterType, ctx: &mut Ctx) -> SimResult {
    let q = catalog.resolve(&at.name);
    let Some(ut) = catalog.types.get_mut(&q) else {
        return Err(SimError::new(format!("type \"{}\" does not exist", q.name)));
    };
    match &at.operation {
        AlterTypeOperation::AddValue(add) => {
            let UserTypeKind::Enum { labels } = &mut ut.kind else {
                return Err(SimError::new(format!("\"{}\" is not an enum", q.name)));
            };
            let v = add.value.value.clone();
            if labels.contains(&v) {
                if add.if_not_exists {
                    ctx.notes.push(format!("enum label \"{v}\" already exists, skipping"));
                    return Ok(());
                }
                return Err(SimError::new(format!("enum label \"{v}\" already exists"))
                    .help("Use ALTER TYPE … ADD VALUE IF NOT EXISTS."));
            }
            let pos = match &add.position {
                None => labels.len(),
                Some(AlterTypeAddValuePosition::Before(n)) | Some(AlterTypeAddValuePosition::After(n)) => {
                    let Some(i) = labels.iter().position(|l| l == &n.value) else {
                        return Err(SimError::new(format!("\"{}\" is not an existing enum label", n.value)));
                    };
                    if matches!(add.position, Some(AlterTypeAddValuePosition::After(_))) { i + 1 } else { i }
                }
            };
            labels.insert(pos, v);
            ut.origin.changed = ctx.span;
        }
        AlterTypeOperation::RenameValue(rv) => {
            let UserTypeKind::Enum { labels } = &mut ut.kind else {
                return Err(SimError::new(format!("\"{}\" is not an enum", q.name)));
            };
            let (from, to) = (rv.from.value.clone(), rv.to.value.clone());
            if labels.contains(&to) {
                return Err(SimError::new(format!("enum label \"{to}\" already exists")));
            }
            let Some(l) = labels.iter_mut().find(|l| **l == from) else {
                return Err(SimError::new(format!("\"{from}\" is not an existing enum label")));
            };
            *l = to;
        }
        AlterTypeOperation::Rename(r) => {
            let new_q = QualName::new(q.schema.clone(), names::fold(&r.new_name));
            if type_exists(catalog, &new_q) {
                return Err(SimError::new(format!("type \"{}\" already exists", new_q.name)));
            }
            let Some(mut ut) = catalog.types.remove(&q) else { return Ok(()) };
            ut.name = new_q.clone();
            catalog.types.insert(new_q.clone(), ut);
            let uses =
                |c: &crate::catalog::model::Column| c.ty.schema.as_deref() == Some(&q.schema) && c.ty.name == q.name;
            catalog.tables.update_where(
                |t| t.columns.iter().any(uses),
                |t| {
                    for c in &mut std::sync::Arc::make_mut(t).columns {
                        if uses(c) {
                            c.ty.name = new_q.name.clone();
                        }
                    }
                },
            );
        }
    }
    Ok(())
}

pub(crate) fn create_domain(catalog: &mut Catalog, cd: &CreateDomain, ctx: &mut Ctx) -> SimResult {
    let q = catalog.resolve(&cd.name);
    super::ensure_schema(catalog, &q)?;
    if type_exists(catalog, &q) {
        return Err(SimError::new(format!("type \"{}\" already exists", q.name)));
    }
    let (base, _) = types::resolve(&cd.data_type, catalog)?;
    let default = match &cd.default {
        Some(e) => {
            let scope = Scope { catalog, columns: &[], trigger_rows: false };
            expr::default_expr(e, &base, &scope)?
        }
        None => None,
    };
    let checks = super::domain::create_checks(catalog, &q, &base, &cd.constraints)?;
    catalog.types.insert(
        q.clone(),
        UserType {
            name: q,
            kind: UserTypeKind::Domain { base, not_null: ctx.extras.domain_not_null, default, checks },
            comment: None,
            origin: Origin::at(ctx.span),
        },
    );
    Ok(())
}
