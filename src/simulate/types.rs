//! CREATE TYPE (enums, composites), ALTER TYPE (enum values, renames, SET SCHEMA, a composite type's
//! attributes) and CREATE DOMAIN (its CHECK constraints and ALTER DOMAIN: `domain.rs`).

use sqlparser::ast::{
    AlterType, AlterTypeAddValuePosition, AlterTypeOperation, CreateDomain, ObjectName, UserDefinedTypeRepresentation,
};

use super::{Ctx, SimError, SimResult};
use crate::catalog::expr::{self, Scope};
use crate::catalog::model::*;
use crate::catalog::names::{self, qualified_type_name};
use crate::catalog::types::{self, TypeRef};
use crate::sql::objects::AttributeAction;

/// A type of that name: a user type, or the row type of a table or view.
pub(super) fn type_exists(catalog: &Catalog, q: &QualName) -> bool {
    catalog.types.contains_key(q) || catalog.tables.contains_key(q) || catalog.views.contains_key(q)
}

/// The type `parts` names (a user type, or a table's or view's row type), as `typenameTypeId` finds it: an
/// unqualified name along the search path; `None` when there is none. A missing schema is an error.
pub(super) fn find_type(catalog: &Catalog, parts: &[String]) -> Result<Option<QualName>, SimError> {
    match parts {
        [n] => Ok(catalog.path().map(|s| QualName::new(s, n.clone())).find(|q| type_exists(catalog, q))),
        [s, n] => {
            if !catalog.schemas.contains_key(s) {
                return Err(SimError::new(format!("schema \"{s}\" does not exist")));
            }
            Ok(Some(QualName::new(s.clone(), n.clone())).filter(|q| type_exists(catalog, q)))
        }
        _ => Err(SimError::new(format!("cross-database references are not implemented: {}", parts.join(".")))),
    }
}

pub(crate) fn create_type(
    catalog: &mut Catalog,
    name: &ObjectName,
    repr: Option<&UserDefinedTypeRepresentation>,
    ctx: &mut Ctx,
) -> SimResult {
    let q = catalog.creation_name(name);
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
            let Some(ut) = catalog.types.get(&q).cloned() else { return Ok(()) };
            super::domain::move_type(catalog, &q, ut, new_q, ctx);
        }
    }
    Ok(())
}

/// `ALTER TYPE name SET SCHEMA schema` (PostgreSQL 15's `AlterTypeNamespace`): the type moves, and what
/// refers to it follows (columns, domains over it, composite attributes), since PostgreSQL refers to it by
/// OID. Moving it to the schema it is in does nothing.
pub(crate) fn set_schema(catalog: &mut Catalog, name: &[String], schema: &str, ctx: &mut Ctx) -> SimResult {
    let Some(q) = find_type(catalog, name)? else {
        return Err(SimError::new(format!("type \"{}\" does not exist", name.join("."))));
    };
    let Some(ut) = catalog.types.get(&q).cloned() else {
        return Err(SimError::new(format!("{} is a table's row type", q.name)).help("Use ALTER TABLE instead."));
    };
    if !catalog.schemas.contains_key(schema) {
        return Err(SimError::new(format!("schema \"{schema}\" does not exist")));
    }
    if *schema == *q.schema {
        return Ok(());
    }
    let to = QualName::new(schema.to_string(), q.name.clone());
    if type_exists(catalog, &to) {
        return Err(SimError::new(format!("type \"{}\" already exists in schema \"{schema}\"", q.name)));
    }
    super::domain::move_type(catalog, &q, ut, to, ctx);
    Ok(())
}

pub(crate) fn create_domain(catalog: &mut Catalog, cd: &CreateDomain, ctx: &mut Ctx) -> SimResult {
    let q = catalog.creation_name(&cd.name);
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

/// `ALTER TYPE name ADD | DROP | ALTER | RENAME ATTRIBUTE …` on a composite type, as PostgreSQL 15's
/// `AlterTable` runs it on the type's relation: every action is prepared first on the type as it was (an
/// `ALTER ATTRIBUTE` names an existing attribute, its new type exists, no table column stores the type, no
/// typed table without `CASCADE`), then the drops run, then the type changes, then the additions, each in
/// the order written.
pub(crate) fn alter_attributes(
    catalog: &mut Catalog,
    name: &[String],
    actions: &[AttributeAction],
    ctx: &mut Ctx,
) -> SimResult {
    let q = match name {
        [n] => catalog.resolve_unqualified(n),
        [s, n] => {
            if !catalog.schemas.contains_key(s) {
                return Err(SimError::new(format!("schema \"{s}\" does not exist")));
            }
            QualName::new(s.clone(), n.clone())
        }
        _ => {
            return Err(SimError::new(format!("improper qualified name (too many dotted names): {}", name.join("."))));
        }
    };
    let mut attributes = match catalog.types.get(&q).map(|t| &t.kind) {
        Some(UserTypeKind::Composite { attributes }) => attributes.clone(),
        _ if super::relation_kind(catalog, &q).is_some() => {
            return Err(SimError::new(format!("\"{}\" is not a composite type", q.name))
                .help("ALTER TYPE … ATTRIBUTE changes composite types; use ALTER TABLE for tables."));
        }
        // An enum, a domain or no type at all: PostgreSQL looks for a relation (the composite type's).
        _ => {
            let shown = if name.len() == 2 { format!("{}.{}", q.schema, q.name) } else { q.name.to_string() };
            return Err(SimError::new(format!("relation \"{shown}\" does not exist"))
                .help("ALTER TYPE … ATTRIBUTE needs a composite type (CREATE TYPE name AS (…)) created earlier."));
        }
    };
    let typed_tables = catalog.tables.values().any(|t| t.of_type.as_ref() == Some(&q));
    let missing = |attr: &str| SimError::new(format!("column \"{attr}\" of relation \"{}\" does not exist", q.name));
    let mut new_types: Vec<TypeRef> = Vec::new();
    for action in actions {
        let cascade = match action {
            AttributeAction::Add { cascade, .. }
            | AttributeAction::Drop { cascade, .. }
            | AttributeAction::SetType { cascade, .. }
            | AttributeAction::Rename { cascade, .. } => *cascade,
        };
        if typed_tables && !cascade {
            return Err(SimError::new(format!(
                "cannot alter type \"{}\" because it is the type of a typed table",
                q.name
            ))
            .help("Use ALTER ... CASCADE to alter the typed tables too."));
        }
        if let AttributeAction::SetType { name, data_type, .. } = action {
            if !attributes.iter().any(|(n, _)| n == name) {
                return Err(missing(name));
            }
            new_types.push(attribute_type(catalog, &q, data_type)?);
            let user = catalog.tables.values().find_map(|t| {
                t.columns.iter().find(|c| is_type(&c.ty, &q)).map(|c| format!("{}.{}", t.name.name, c.name))
            });
            if let Some(column) = user {
                return Err(SimError::new(format!("cannot alter type \"{}\" because column \"{column}\" uses it", q.name))
                    .help("PostgreSQL does not rewrite stored composite values: add a new attribute and copy the data over instead."));
            }
        }
    }
    if typed_tables {
        return Err(SimError::not_simulated(
            "ALTER TYPE … CASCADE on a type with typed tables is not simulated: the typed tables keep their columns",
        ));
    }
    for action in actions {
        if let AttributeAction::Drop { name, if_exists, .. } = action {
            match attributes.iter().position(|(n, _)| n == name) {
                Some(i) => {
                    attributes.remove(i);
                }
                None if *if_exists => {
                    ctx.notes.push(format!("column \"{name}\" of relation \"{}\" does not exist, skipping", q.name));
                }
                None => return Err(missing(name)),
            }
        }
    }
    let mut new_types = new_types.into_iter();
    for action in actions {
        if let AttributeAction::SetType { name, .. } = action {
            let Some(ty) = new_types.next() else { break };
            let Some(slot) = attributes.iter_mut().find(|(n, _)| n == name) else {
                return Err(missing(name));
            };
            slot.1 = ty;
        }
    }
    for action in actions {
        match action {
            AttributeAction::Add { name, data_type, .. } => {
                if attributes.iter().any(|(n, _)| n == name) {
                    return Err(SimError::new(format!("column \"{name}\" of relation \"{}\" already exists", q.name)));
                }
                let ty = attribute_type(catalog, &q, data_type)?;
                attributes.push((name.clone(), ty));
            }
            AttributeAction::Rename { from, to, .. } => {
                if !attributes.iter().any(|(n, _)| n == from) {
                    return Err(SimError::new(format!("column \"{from}\" does not exist")));
                }
                if attributes.iter().any(|(n, _)| n == to) {
                    return Err(SimError::new(format!("column \"{to}\" of relation \"{}\" already exists", q.name)));
                }
                if let Some(slot) = attributes.iter_mut().find(|(n, _)| n == from) {
                    slot.0 = to.clone();
                }
            }
            AttributeAction::Drop { .. } | AttributeAction::SetType { .. } => {}
        }
    }
    if let Some(ut) = catalog.types.get_mut(&q) {
        ut.kind = UserTypeKind::Composite { attributes };
        ut.origin.changed = ctx.span;
    }
    Ok(())
}

/// Whether `ty` is the user type `q` or an array of it.
fn is_type(ty: &TypeRef, q: &QualName) -> bool {
    ty.schema.as_deref() == Some(q.schema.as_str()) && ty.name == q.name
}

/// An attribute's type for the composite type `q`: it must exist, and not be `q` itself.
fn attribute_type(catalog: &Catalog, q: &QualName, data_type: &sqlparser::ast::DataType) -> Result<TypeRef, SimError> {
    let (ty, _) = types::resolve(data_type, catalog)?;
    if is_type(&ty, q) {
        return Err(SimError::new(format!(
            "composite type {} cannot be made a member of itself",
            qualified_type_name(&q.schema, &q.name)
        )));
    }
    Ok(ty)
}

#[cfg(test)]
mod tests {
    use crate::catalog::model::{QualName, UserTypeKind};
    use crate::{Options, Severity, SourceFile, analyze};

    /// The composite type `p` after the script (`a integer, b text`), or the first error's message.
    fn composite_after(sql: &str) -> String {
        let a = analyze(vec![SourceFile::new("001_a.sql", sql.to_string())], &Options::default());
        if let Some(d) = a.diagnostics.iter().find(|d| d.severity == Severity::Error) {
            return format!("error: {}", d.message);
        }
        match a.catalog.types.get(&QualName::new("public", "p")).map(|t| &t.kind) {
            Some(UserTypeKind::Composite { attributes }) => {
                attributes.iter().map(|(n, t)| format!("{n} {}", t.display())).collect::<Vec<_>>().join(", ")
            }
            other => format!("no composite type p: {other:?}"),
        }
    }

    #[test]
    fn attribute_actions_change_the_composite_type_as_postgres_does() {
        let cases = [
            ("CREATE TYPE p AS (a int); ALTER TYPE p ADD ATTRIBUTE b text;", "a integer, b text"),
            (
                "CREATE TYPE p AS (a int); ALTER TYPE p ADD ATTRIBUTE b varchar(3) COLLATE \"C\" CASCADE;",
                "a integer, b character varying(3)",
            ),
            ("CREATE TYPE p AS (a int, b text); ALTER TYPE p DROP ATTRIBUTE a RESTRICT;", "b text"),
            ("CREATE TYPE p AS (a int); ALTER TYPE p DROP ATTRIBUTE IF EXISTS zz;", "a integer"),
            ("CREATE TYPE p AS (a int); ALTER TYPE p DROP ATTRIBUTE a;", ""),
            ("CREATE TYPE p AS (a int); ALTER TYPE p ALTER ATTRIBUTE a SET DATA TYPE bigint;", "a bigint"),
            ("CREATE TYPE p AS (a int); ALTER TYPE p ALTER ATTRIBUTE a TYPE numeric(10, 2);", "a numeric(10,2)"),
            ("CREATE TYPE p AS (a int); ALTER TYPE p RENAME ATTRIBUTE a TO z CASCADE;", "z integer"),
            (
                "CREATE SCHEMA s; CREATE TYPE s.q AS (a int); ALTER TYPE s.q ADD ATTRIBUTE b int; CREATE TYPE p AS (x s.q);",
                "x s.q",
            ),
            // Drops run first, then type changes, then additions, whatever the order written.
            ("CREATE TYPE p AS (a int); ALTER TYPE p ADD ATTRIBUTE a text, DROP ATTRIBUTE a;", "a text"),
            (
                "CREATE TYPE p AS (a int); ALTER TYPE p ADD ATTRIBUTE b text, ALTER ATTRIBUTE a TYPE text, DROP ATTRIBUTE IF EXISTS c;",
                "a text, b text",
            ),
            // Stored values are not rewritten, so a column of the type does not block additions and drops.
            (
                "CREATE TYPE p AS (a int); CREATE TABLE t (c p); ALTER TYPE p ADD ATTRIBUTE b int, DROP ATTRIBUTE a;",
                "b integer",
            ),
            (
                "CREATE TYPE p AS (a int); ALTER TYPE p ADD ATTRIBUTE a int;",
                "error: column \"a\" of relation \"p\" already exists",
            ),
            (
                "CREATE TYPE p AS (a int); ALTER TYPE p DROP ATTRIBUTE b;",
                "error: column \"b\" of relation \"p\" does not exist",
            ),
            (
                "CREATE TYPE p AS (a int); ALTER TYPE p ADD ATTRIBUTE c text, ALTER ATTRIBUTE c TYPE varchar(3);",
                "error: column \"c\" of relation \"p\" does not exist",
            ),
            (
                "CREATE TYPE p AS (a int); ALTER TYPE p DROP ATTRIBUTE a, ALTER ATTRIBUTE a TYPE text;",
                "error: column \"a\" of relation \"p\" does not exist",
            ),
            ("CREATE TYPE p AS (a int); ALTER TYPE p RENAME ATTRIBUTE x TO y;", "error: column \"x\" does not exist"),
            (
                "CREATE TYPE p AS (a int, b int); ALTER TYPE p RENAME ATTRIBUTE a TO b;",
                "error: column \"b\" of relation \"p\" already exists",
            ),
            ("CREATE TYPE p AS (a int); ALTER TYPE p ADD ATTRIBUTE b nosuch;", "error: type \"nosuch\" does not exist"),
            (
                "CREATE TYPE p AS (a int); ALTER TYPE p ADD ATTRIBUTE b p[];",
                "error: composite type p cannot be made a member of itself",
            ),
            ("ALTER TYPE nope ADD ATTRIBUTE x int;", "error: relation \"nope\" does not exist"),
            ("CREATE TYPE e AS ENUM ('a'); ALTER TYPE e ADD ATTRIBUTE x int;", "error: relation \"e\" does not exist"),
            ("CREATE TABLE t (a int); ALTER TYPE t ADD ATTRIBUTE x int;", "error: \"t\" is not a composite type"),
            (
                "CREATE TYPE p AS (a int); CREATE TABLE t (c p[]); ALTER TYPE p ALTER ATTRIBUTE a TYPE text;",
                "error: cannot alter type \"p\" because column \"t.c\" uses it",
            ),
            (
                "CREATE TYPE p AS (a int); CREATE TABLE t OF p; ALTER TYPE p ADD ATTRIBUTE b int;",
                "error: cannot alter type \"p\" because it is the type of a typed table",
            ),
            (
                "CREATE TYPE p AS (a int); CREATE TABLE t OF p; ALTER TYPE p RENAME ATTRIBUTE a TO b RESTRICT;",
                "error: cannot alter type \"p\" because it is the type of a typed table",
            ),
            // PostgreSQL's syntax errors.
            (
                "CREATE TYPE p AS (a int); ALTER TYPE p ADD ATTRIBUTE b int NOT NULL;",
                "error: syntax error at or near \"NOT\"",
            ),
            (
                "CREATE TYPE p AS (a int); ALTER TYPE p ALTER ATTRIBUTE a TYPE text USING a::text;",
                "error: syntax error at or near \"USING\"",
            ),
            (
                "CREATE TYPE p AS (a int); ALTER TYPE p RENAME ATTRIBUTE a TO b, RENAME ATTRIBUTE b TO c;",
                "error: syntax error at or near \",\"",
            ),
            ("CREATE TYPE p AS (a int); ALTER TYPE p DROP ATTRIBUTE;", "error: syntax error at or near \";\""),
        ];
        for (sql, expected) in cases {
            assert_eq!(composite_after(sql), expected, "{sql}");
        }
    }

    #[test]
    fn cascade_to_typed_tables_is_reported_as_not_simulated() {
        let sql = "CREATE TYPE p AS (a int); CREATE TABLE t OF p; ALTER TYPE p ADD ATTRIBUTE b int CASCADE;";
        let a = analyze(vec![SourceFile::new("001_a.sql", sql.to_string())], &Options::default());
        assert!(!a.has_errors(), "{:?}", a.diagnostics);
        assert!(a.diagnostics.iter().any(|d| d.rule == "not-simulated"), "{:?}", a.diagnostics);
    }
}
