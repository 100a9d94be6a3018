//! ALTER DOMAIN (PostgreSQL 15's `typecmds.c`: `AlterDomainAddConstraint`, `AlterDomainDropConstraint`,
//! `AlterDomainValidateConstraint`, `AlterDomainDefault`, `AlterDomainNotNull`, and the domain cases of
//! `RenameConstraint`, `RenameType`, `AlterTypeNamespace`), and the CHECK constraints of CREATE DOMAIN.
//!
//! Checking the values already stored (ADD CHECK, SET NOT NULL, VALIDATE CONSTRAINT) needs data the
//! engine does not have: these are accepted, as PostgreSQL accepts them on empty tables.

use sqlparser::ast::{Expr, TableConstraint};

use super::types::type_exists;
use super::{Ctx, SimError, SimResult};
use crate::catalog::expr::{self, Scope};
use crate::catalog::model::*;
use crate::catalog::names::{self, qualified_type_name};
use crate::catalog::types::{self, TypeRef};
use crate::sql::objects::DomainAction;

/// The domain `parts` names, as `typenameTypeId` and `checkDomainOwner` find it: an unqualified name
/// along the search path, after `pg_catalog`'s built-in types; a table's or view's row type, an enum or a
/// composite type is not a domain.
fn lookup(catalog: &Catalog, parts: &[String]) -> Result<QualName, SimError> {
    let written = parts.join(".");
    let not_a_domain = |shown: String| SimError::new(format!("{shown} is not a domain"));
    let builtin = match parts {
        [n] => types::builtin_by_typname(n),
        [s, n] if s == "pg_catalog" => types::builtin_by_typname(n),
        _ => None,
    };
    if let Some(shown) = builtin {
        return Err(not_a_domain(shown));
    }
    let Some(q) = super::types::find_type(catalog, parts)? else {
        return Err(SimError::new(format!("type \"{written}\" does not exist"))
            .help("Check the name and that the migration creating the domain runs earlier."));
    };
    match catalog.types.get(&q).map(|t| &t.kind) {
        Some(UserTypeKind::Domain { .. }) => Ok(q),
        _ => Err(not_a_domain(qualified_type_name(&q.schema, &q.name))),
    }
}

/// The CHECK constraints of `CREATE DOMAIN q AS base …`, named and printed as PostgreSQL stores them.
pub(crate) fn create_checks(
    catalog: &Catalog,
    q: &QualName,
    base: &TypeRef,
    constraints: &[TableConstraint],
) -> Result<Vec<DomainCheck>, SimError> {
    let mut checks: Vec<DomainCheck> = Vec::new();
    for c in constraints {
        let TableConstraint::Check(ck) = c else { continue };
        let name = ck.name.as_ref().map(names::fold);
        checks.push(new_check(catalog, q, base, &checks, name, &ck.expr, false)?);
    }
    Ok(checks)
}

/// `domainAddConstraint`: the name (a given one must be new to the domain; else `<domain>_check`, `…1`,
/// free among all constraints of the schema), then the expression.
fn new_check(
    catalog: &Catalog,
    q: &QualName,
    base: &TypeRef,
    existing: &[DomainCheck],
    name: Option<String>,
    e: &Expr,
    not_valid: bool,
) -> Result<DomainCheck, SimError> {
    let name = match name {
        Some(n) => {
            if existing.iter().any(|c| c.name == n) {
                return Err(SimError::new(format!("constraint \"{n}\" for domain \"{}\" already exists", q.name)));
            }
            n
        }
        None => {
            let taken: Vec<String> = existing.iter().map(|c| c.name.clone()).collect();
            names::choose_constraint_name(catalog, &q.schema, &q.name, None, "check", &taken)
        }
    };
    let expr = expr::domain_check(e, base, catalog)?;
    Ok(DomainCheck { name, expr, not_valid })
}

/// Applies `ALTER DOMAIN name action`.
pub(crate) fn alter(catalog: &mut Catalog, name: &[String], action: &DomainAction, ctx: &mut Ctx) -> SimResult {
    if let DomainAction::Rejected(message) = action {
        let err = SimError::new(message.clone());
        if message.contains("\"NOT\"") {
            return Err(
                err.help("PostgreSQL 15 has no ALTER DOMAIN … ADD NOT NULL: write ALTER DOMAIN … SET NOT NULL.")
            );
        }
        return Err(err.help("Leave DEFERRABLE and INITIALLY DEFERRED out: a domain's CHECK is checked at once."));
    }
    let q = lookup(catalog, name)?;
    let Some(mut ut) = catalog.types.get(&q).cloned() else { return Ok(()) };
    let UserTypeKind::Domain { base, not_null, default, checks } = &mut ut.kind else { return Ok(()) };
    // Messages name the domain three ways, as typecmds.c does: as written (`TypeNameToString`), by its
    // bare name (`typname`), and as `format_type_be` prints it.
    let written = name.join(".");
    let shown = qualified_type_name(&q.schema, &q.name);
    let missing = |c: &str| SimError::new(format!("constraint \"{c}\" of domain \"{written}\" does not exist"));
    match action {
        DomainAction::AddCheck { name, expr: e, not_valid } => {
            let check = new_check(catalog, &q, base, checks, name.clone(), e, *not_valid)?;
            checks.push(check);
        }
        DomainAction::AddUnsupported(kind) => {
            return Err(SimError::new(format!("{kind} constraints not possible for domains")));
        }
        DomainAction::DropConstraint { name, if_exists } => match checks.iter().position(|c| &c.name == name) {
            Some(i) => {
                checks.remove(i);
            }
            None if *if_exists => {
                ctx.notes.push(format!("constraint \"{name}\" of domain \"{written}\" does not exist, skipping"));
                return Ok(());
            }
            None => return Err(missing(name)),
        },
        DomainAction::RenameConstraint { from, to } => {
            let Some(i) = checks.iter().position(|c| &c.name == from) else {
                return Err(SimError::new(format!("constraint \"{from}\" for domain {shown} does not exist")));
            };
            if checks.iter().any(|c| &c.name == to) {
                return Err(SimError::new(format!("constraint \"{to}\" for domain {shown} already exists")));
            }
            checks[i].name = to.clone();
        }
        DomainAction::ValidateConstraint(name) => match checks.iter_mut().find(|c| &c.name == name) {
            Some(c) => c.not_valid = false,
            None => return Err(missing(name)),
        },
        DomainAction::SetDefault(e) => {
            let scope = Scope { catalog, columns: &[], trigger_rows: false };
            *default = expr::default_expr(e, base, &scope)?;
        }
        DomainAction::DropDefault => *default = None,
        DomainAction::SetNotNull => *not_null = true,
        DomainAction::DropNotNull => *not_null = false,
        DomainAction::RenameTo(new_name) => {
            let to = QualName::new(q.schema.clone(), new_name.clone());
            if type_exists(catalog, &to) {
                return Err(SimError::new(format!("type \"{new_name}\" already exists")));
            }
            move_type(catalog, &q, ut, to, ctx);
            return Ok(());
        }
        DomainAction::SetSchema(schema) => {
            if !catalog.schemas.contains_key(schema) {
                return Err(SimError::new(format!("schema \"{schema}\" does not exist")));
            }
            if *schema == q.schema {
                return Ok(());
            }
            let to = QualName::new(schema.clone(), q.name.clone());
            if type_exists(catalog, &to) {
                return Err(SimError::new(format!("type \"{}\" already exists in schema \"{schema}\"", q.name)));
            }
            move_type(catalog, &q, ut, to, ctx);
            return Ok(());
        }
        DomainAction::OwnerTo | DomainAction::Rejected(_) => return Ok(()),
    }
    ut.origin.changed = ctx.span;
    catalog.types.insert(q, ut);
    Ok(())
}

/// Renames a type (a domain, an enum, a composite type) or moves it to another schema: what refers to the
/// type follows (columns, domains over it, composite attributes, the casts in kept expressions), since
/// PostgreSQL refers to it by OID.
pub(super) fn move_type(catalog: &mut Catalog, from: &QualName, mut ut: UserType, to: QualName, ctx: &Ctx) {
    catalog.types.remove(from);
    ut.name = to.clone();
    ut.origin.changed = ctx.span;
    catalog.types.insert(to.clone(), ut);
    let refers = |t: &TypeRef| t.schema.as_deref() == Some(from.schema.as_str()) && t.name == from.name;
    let retarget = |t: &mut TypeRef| {
        if refers(t) {
            t.schema = Some(to.schema.clone());
            t.name = to.name.clone();
        }
    };
    catalog.tables.update_where(
        |t| t.columns.iter().any(|c| refers(&c.ty)),
        |t| {
            for c in &mut std::sync::Arc::make_mut(t).columns {
                if refers(&c.ty) {
                    retarget(&mut std::sync::Arc::make_mut(c).ty);
                }
            }
        },
    );
    let users: Vec<QualName> = catalog
        .types
        .iter()
        .filter(|(_, t)| match &t.kind {
            UserTypeKind::Domain { base, .. } => refers(base),
            UserTypeKind::Composite { attributes } => attributes.iter().any(|(_, ty)| refers(ty)),
            _ => false,
        })
        .map(|(k, _)| k.clone())
        .collect();
    for k in users {
        if let Some(t) = catalog.types.get_mut(&k) {
            match &mut t.kind {
                UserTypeKind::Domain { base, .. } => retarget(base),
                UserTypeKind::Composite { attributes } => attributes.iter_mut().for_each(|(_, ty)| retarget(ty)),
                _ => {}
            }
        }
    }
    recast(catalog, &qualified_type_name(&from.schema, &from.name), &qualified_type_name(&to.schema, &to.name));
}

/// The expressions kept as PostgreSQL prints them back (defaults, generated columns, CHECKs, index
/// expressions and predicates, domains' defaults and checks) name a type in their casts: `'red'::app.color`.
/// PostgreSQL keeps the type's OID and prints its name as it is now, so the casts to a moved or renamed type
/// are written again with its new name.
fn recast(catalog: &mut Catalog, old: &str, new: &str) {
    if old == new {
        return;
    }
    let needle = format!("::{old}");
    let has = |text: &str| cast_at(text, &needle, 0).is_some();
    let has_opt = |text: &Option<String>| text.as_deref().is_some_and(has);
    let fix = |text: &mut String| {
        let mut from = 0;
        while let Some(i) = cast_at(text, &needle, from) {
            text.replace_range(i + 2..i + needle.len(), new);
            from = i + 2 + new.len();
        }
    };
    let fix_opt = |text: &mut Option<String>| {
        if let Some(t) = text {
            fix(t);
        }
    };
    let check_expr = |c: &Constraint| matches!(&c.kind, ConstraintKind::Check { expr, .. } if has(expr));
    catalog.tables.update_where(
        |t| {
            t.columns.iter().any(|c| has_opt(&c.default) || has_opt(&c.generated))
                || t.constraints.iter().any(|c| check_expr(c))
        },
        |t| {
            let t = std::sync::Arc::make_mut(t);
            for c in &mut t.columns {
                if has_opt(&c.default) || has_opt(&c.generated) {
                    let c = std::sync::Arc::make_mut(c);
                    fix_opt(&mut c.default);
                    fix_opt(&mut c.generated);
                }
            }
            for c in &mut t.constraints {
                if check_expr(c)
                    && let ConstraintKind::Check { expr, .. } = &mut std::sync::Arc::make_mut(c).kind
                {
                    fix(expr);
                }
            }
        },
    );
    catalog.indexes.update_where(
        |i| has_opt(&i.predicate) || i.keys.iter().any(|k| has(&k.expr)),
        |i| {
            let i = std::sync::Arc::make_mut(i);
            fix_opt(&mut i.predicate);
            i.keys.iter_mut().for_each(|k| fix(&mut k.expr));
        },
    );
    let domain_has = |t: &UserType| match &t.kind {
        UserTypeKind::Domain { default, checks, .. } => has_opt(default) || checks.iter().any(|c| has(&c.expr)),
        _ => false,
    };
    catalog.types.update_where(domain_has, |t| {
        if let UserTypeKind::Domain { default, checks, .. } = &mut t.kind {
            fix_opt(default);
            checks.iter_mut().for_each(|c| fix(&mut c.expr));
        }
    });
}

/// Where `needle` (`::name`) is a whole cast in `text` at or after `from`: not followed by more of a name
/// (`::mood` is not in `::moods` nor in `::mood.x`).
fn cast_at(text: &str, needle: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(i) = text.get(at..).and_then(|t| t.find(needle)) {
        let start = at + i;
        let end = start + needle.len();
        let more = text[end..].chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.');
        if !more {
            return Some(start);
        }
        at = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::catalog::model::{Catalog, DomainCheck, QualName, UserTypeKind};
    use crate::{Analysis, Options, Runner, Severity, SourceFile, analyze};

    fn run(sql: &str) -> Analysis {
        analyze(vec![SourceFile::new("001_a.sql", sql.to_string())], &Options::default())
    }

    fn first_error(sql: &str) -> Option<String> {
        run(sql).diagnostics.iter().find(|d| d.severity == Severity::Error).map(|d| d.message.to_string())
    }

    /// A domain's NOT NULL, default and checks (`name: CHECK (…)`).
    fn domain(catalog: &Catalog, schema: &str, name: &str) -> (bool, Option<String>, Vec<String>) {
        let t = catalog.types.get(&QualName::new(schema, name)).unwrap_or_else(|| panic!("no type {schema}.{name}"));
        let UserTypeKind::Domain { not_null, default, checks, .. } = &t.kind else { panic!("{name} is not a domain") };
        let checks = checks.iter().map(|c: &DomainCheck| format!("{}: {}", c.name, c.definition())).collect();
        (*not_null, default.clone(), checks)
    }

    #[test]
    fn a_domain_over_a_moved_type_prints_its_new_name() {
        // As PostgreSQL 15 prints them (pg_get_expr(typdefaultbin, 0), pg_get_constraintdef(oid, true)).
        let a = run("CREATE SCHEMA s; CREATE TYPE mood AS ENUM ('a', 'b');
             CREATE DOMAIN md AS mood DEFAULT 'a' CHECK (VALUE <> 'b'::mood);
             ALTER TYPE mood SET SCHEMA s;");
        let (_, default, checks) = domain(&a.catalog, "public", "md");
        assert_eq!(default.as_deref(), Some("'a'::s.mood"));
        assert_eq!(checks, ["md_check: CHECK (VALUE <> 'b'::s.mood)"]);
    }

    #[test]
    fn constraints_are_added_validated_renamed_and_dropped() {
        let a = run("CREATE DOMAIN pos AS int CHECK (VALUE > 0);
             ALTER DOMAIN pos ADD CONSTRAINT below CHECK (VALUE < 100);
             ALTER DOMAIN pos ADD CHECK (VALUE <> 13) NOT VALID;
             ALTER DOMAIN pos ADD CHECK (VALUE <> 7) NOT VALID;
             ALTER DOMAIN pos VALIDATE CONSTRAINT pos_check2;
             ALTER DOMAIN pos RENAME CONSTRAINT below TO under_100;
             ALTER DOMAIN pos DROP CONSTRAINT IF EXISTS nope;");
        assert!(!a.has_errors(), "{:?}", a.diagnostics);
        let (_, _, checks) = domain(&a.catalog, "public", "pos");
        assert_eq!(
            checks,
            [
                "pos_check: CHECK (VALUE > 0)",
                "under_100: CHECK (VALUE < 100)",
                "pos_check1: CHECK (VALUE <> 13) NOT VALID",
                "pos_check2: CHECK (VALUE <> 7)",
            ]
        );
        let a = run("CREATE DOMAIN pos AS int CHECK (VALUE > 0); ALTER DOMAIN pos DROP CONSTRAINT pos_check CASCADE;");
        assert_eq!(domain(&a.catalog, "public", "pos").2, Vec::<String>::new());
    }

    #[test]
    fn implicit_names_are_unique_among_all_constraints_of_the_schema() {
        let a = run("CREATE TABLE t (x int CHECK (x > 0));
             CREATE DOMAIN t_x AS int CHECK (VALUE > 0);
             CREATE DOMAIN u_y AS int CHECK (VALUE > 0);
             CREATE TABLE u (y int CHECK (y > 0));
             CREATE SCHEMA app; CREATE DOMAIN app.t_x AS int; ALTER DOMAIN app.t_x ADD CHECK (VALUE > 0);");
        assert!(!a.has_errors(), "{:?}", a.diagnostics);
        assert_eq!(domain(&a.catalog, "public", "t_x").2, ["t_x_check1: CHECK (VALUE > 0)"]);
        assert_eq!(domain(&a.catalog, "app", "t_x").2, ["t_x_check: CHECK (VALUE > 0)"]);
        let u = a.catalog.table(&QualName::public("u")).unwrap();
        assert_eq!(u.constraints[0].name, "u_y_check1");
    }

    #[test]
    fn default_and_not_null_change() {
        let a = run("CREATE DOMAIN code AS varchar(5) NOT NULL DEFAULT 'a';
             CREATE DOMAIN n AS numeric(10,2);
             ALTER DOMAIN code DROP NOT NULL; ALTER DOMAIN code SET DEFAULT 'b';
             ALTER DOMAIN n SET NOT NULL; ALTER DOMAIN n SET DEFAULT 1.5; ALTER DOMAIN n DROP DEFAULT;
             ALTER DOMAIN n SET DEFAULT NULL;");
        assert!(!a.has_errors(), "{:?}", a.diagnostics);
        assert_eq!(domain(&a.catalog, "public", "code"), (false, Some("'b'::character varying".into()), vec![]));
        assert_eq!(domain(&a.catalog, "public", "n"), (true, Some("NULL::numeric".into()), vec![]));
    }

    #[test]
    fn renamed_and_moved_domains_take_their_columns_along() {
        let a = run("CREATE SCHEMA app; CREATE DOMAIN pos AS int CHECK (VALUE > 0); CREATE DOMAIN small AS pos;
             CREATE TYPE pair AS (a pos, b int); CREATE TABLE t (a pos, b pos[], c int);
             ALTER DOMAIN pos RENAME TO positive; ALTER DOMAIN positive SET SCHEMA app;
             ALTER DOMAIN app.positive OWNER TO someone;");
        assert!(!a.has_errors(), "{:?}", a.diagnostics);
        let t = a.catalog.table(&QualName::public("t")).unwrap();
        let types: Vec<String> = t.columns.iter().map(|c| c.ty.display()).collect();
        assert_eq!(types, ["app.positive", "app.positive[]", "integer"]);
        assert_eq!(domain(&a.catalog, "app", "positive").2, ["pos_check: CHECK (VALUE > 0)"]);
        let small = &a.catalog.types[&QualName::public("small")];
        let UserTypeKind::Domain { base, .. } = &small.kind else { panic!() };
        assert_eq!(base.display(), "app.positive");
        let pair = &a.catalog.types[&QualName::public("pair")];
        let UserTypeKind::Composite { attributes } = &pair.kind else { panic!() };
        assert_eq!(attributes[0].1.display(), "app.positive");
    }

    #[test]
    fn errors_are_postgres_messages() {
        let cases = [
            ("ALTER DOMAIN nope SET NOT NULL", "type \"nope\" does not exist"),
            ("ALTER DOMAIN app.nope SET NOT NULL", "schema \"app\" does not exist"),
            ("ALTER DOMAIN a.b.c SET NOT NULL", "cross-database references are not implemented: a.b.c"),
            ("ALTER DOMAIN int4 SET NOT NULL", "integer is not a domain"),
            ("ALTER DOMAIN pg_catalog.text SET NOT NULL", "text is not a domain"),
            ("ALTER DOMAIN integer SET NOT NULL", "type \"integer\" does not exist"),
            ("CREATE TABLE t (a int); ALTER DOMAIN t SET NOT NULL", "t is not a domain"),
            ("CREATE SCHEMA s; CREATE TYPE s.m AS ENUM ('a'); ALTER DOMAIN s.m SET NOT NULL", "s.m is not a domain"),
            (
                "CREATE DOMAIN d AS int CONSTRAINT c CHECK (VALUE > 0); ALTER DOMAIN d ADD CONSTRAINT c CHECK (true)",
                "constraint \"c\" for domain \"d\" already exists",
            ),
            (
                "CREATE DOMAIN d AS int; ALTER DOMAIN d DROP CONSTRAINT c",
                "constraint \"c\" of domain \"d\" does not exist",
            ),
            (
                "CREATE DOMAIN d AS int; ALTER DOMAIN public.d VALIDATE CONSTRAINT c",
                "constraint \"c\" of domain \"public.d\" does not exist",
            ),
            (
                "CREATE SCHEMA s; CREATE DOMAIN s.\"D\" AS int; ALTER DOMAIN s.\"D\" RENAME CONSTRAINT c TO e",
                "constraint \"c\" for domain s.\"D\" does not exist",
            ),
            (
                "CREATE DOMAIN d AS int CHECK (VALUE > 0); ALTER DOMAIN d RENAME CONSTRAINT d_check TO d_check",
                "constraint \"d_check\" for domain d already exists",
            ),
            ("CREATE DOMAIN d AS int; CREATE TABLE e (a int); ALTER DOMAIN d RENAME TO e", "type \"e\" already exists"),
            ("CREATE DOMAIN d AS int; ALTER DOMAIN d SET SCHEMA app", "schema \"app\" does not exist"),
            (
                "CREATE SCHEMA s; CREATE DOMAIN d AS int; CREATE DOMAIN s.d AS int; ALTER DOMAIN d SET SCHEMA s",
                "type \"d\" already exists in schema \"s\"",
            ),
            ("CREATE DOMAIN d AS int; ALTER DOMAIN d ADD CHECK (x > 0)", "column \"x\" does not exist"),
            (
                "CREATE DOMAIN d AS int; ALTER DOMAIN d ADD CHECK (VALUE + 1)",
                "argument of CHECK must be type boolean, not type integer",
            ),
            (
                "CREATE DOMAIN d AS int; ALTER DOMAIN d ADD EXCLUDE USING gist (a WITH =)",
                "exclusion constraints not possible for domains",
            ),
            (
                "CREATE DOMAIN d AS int; ALTER DOMAIN d ADD FOREIGN KEY (a) REFERENCES t",
                "foreign key constraints not possible for domains",
            ),
            ("CREATE DOMAIN d AS int; ALTER DOMAIN d SET DEFAULT 'x'", "invalid input syntax for type integer: \"x\""),
            ("ALTER DOMAIN nope ADD NOT NULL", "syntax error at or near \"NOT\""),
            (
                "CREATE DOMAIN d AS int; ALTER DOMAIN d ADD CHECK (VALUE > 0) INITIALLY DEFERRED",
                "CHECK constraints cannot be marked DEFERRABLE",
            ),
        ];
        for (sql, want) in cases {
            assert_eq!(first_error(sql).as_deref(), Some(want), "{sql}");
        }
    }

    #[test]
    fn a_rejected_statement_changes_nothing() {
        let sql = "CREATE DOMAIN d AS int CHECK (VALUE > 0);
             ALTER DOMAIN d ADD CONSTRAINT d_check CHECK (VALUE < 9);
             ALTER DOMAIN d RENAME CONSTRAINT nope TO x;";
        let options = Options { runner: Runner::Psql, ..Options::default() };
        let a = analyze(vec![SourceFile::new("001_a.sql", sql.to_string())], &options);
        assert!(a.has_errors());
        assert_eq!(domain(&a.catalog, "public", "d").2, ["d_check: CHECK (VALUE > 0)"]);
    }
}
