//! CREATE TABLE, and the column and constraint definitions that ALTER TABLE shares with it.

use std::sync::Arc;

use sqlparser::ast::{
    ColumnDef, ColumnOption, ConstraintCharacteristics, ConstraintReferenceMatchKind, CreateTable, DeferrableInitial,
    Expr, ForeignKeyConstraint, GeneratedAs, Ident, IndexColumn, NullsDistinctOption, ReferentialAction,
    TableConstraint,
};

use super::{Ctx, SimError, SimResult, ensure_schema, relation_exists_error};
use crate::catalog::expr::{self, Scope};
use crate::catalog::model::*;
use crate::catalog::names;
use crate::catalog::types::{self, TypeRef};

/// A constraint written in a column or table definition, not yet named or checked.
pub(crate) enum Pending {
    PrimaryKey {
        name: Option<String>,
        columns: Vec<String>,
        include: Vec<String>,
        chars: Chars,
    },
    Unique {
        name: Option<String>,
        columns: Vec<String>,
        include: Vec<String>,
        nulls_not_distinct: bool,
        chars: Chars,
    },
    Check {
        name: Option<String>,
        expr: Expr,
        no_inherit: bool,
        not_valid: bool,
    },
    ForeignKey {
        name: Option<String>,
        columns: Vec<String>,
        fk: ForeignKeyConstraint,
        not_valid: bool,
    },
    /// `EXCLUDE [USING method] (element WITH operator, …) [INCLUDE (…)] [WHERE (…)]`.
    Exclude(Box<sqlparser::ast::ExcludeConstraint>),
    /// `ADD [CONSTRAINT name] {PRIMARY KEY | UNIQUE} USING INDEX index`.
    UsingIndex {
        name: Option<String>,
        index: String,
        primary: bool,
        chars: Chars,
    },
}

#[derive(Clone, Copy, Default)]
pub(crate) struct Chars {
    pub deferrable: bool,
    pub initially_deferred: bool,
}

pub(crate) fn chars(c: &Option<ConstraintCharacteristics>) -> Chars {
    let Some(c) = c else { return Chars::default() };
    let initially_deferred = matches!(c.initially, Some(DeferrableInitial::Deferred));
    Chars { deferrable: c.deferrable.unwrap_or(false) || initially_deferred, initially_deferred }
}

fn ident_names(idents: &[Ident]) -> Vec<String> {
    idents.iter().map(names::fold).collect()
}

/// Columns of a PRIMARY KEY or UNIQUE constraint (plain column names only).
fn key_columns(cols: &[IndexColumn]) -> Result<Vec<String>, SimError> {
    cols.iter()
        .map(|c| match &c.column.expr {
            Expr::Identifier(id) => Ok(names::fold(id)),
            other => Err(SimError::new(format!("syntax error at or near \"{other}\": constraints take column names"))),
        })
        .collect()
}

pub(crate) fn table_constraint(tc: &TableConstraint, not_valid: bool) -> Result<Pending, SimError> {
    let name = |n: &Option<Ident>| n.as_ref().map(names::fold);
    Ok(match tc {
        TableConstraint::PrimaryKey(pk) => Pending::PrimaryKey {
            name: name(&pk.name),
            columns: key_columns(&pk.columns)?,
            include: ident_names(&pk.include),
            chars: chars(&pk.characteristics),
        },
        TableConstraint::Unique(u) => Pending::Unique {
            name: name(&u.name),
            columns: key_columns(&u.columns)?,
            include: ident_names(&u.include),
            nulls_not_distinct: matches!(u.nulls_distinct, NullsDistinctOption::NotDistinct),
            chars: chars(&u.characteristics),
        },
        TableConstraint::Check(c) => {
            Pending::Check { name: name(&c.name), expr: (*c.expr).clone(), no_inherit: c.no_inherit, not_valid }
        }
        TableConstraint::ForeignKey(fk) => {
            Pending::ForeignKey { name: name(&fk.name), columns: ident_names(&fk.columns), fk: fk.clone(), not_valid }
        }
        TableConstraint::Exclude(c) => Pending::Exclude(Box::new(c.clone())),
        TableConstraint::PrimaryKeyUsingIndex(c) | TableConstraint::UniqueUsingIndex(c) => Pending::UsingIndex {
            name: name(&c.name),
            index: names::fold(&c.index_name),
            primary: matches!(tc, TableConstraint::PrimaryKeyUsingIndex(_)),
            chars: chars(&c.characteristics),
        },
        other => return Err(SimError::not_simulated(format!("constraint is not simulated: {other}"))),
    })
}

/// Builds a column from its definition: type, NOT NULL, default, identity, generated, collation, and
/// the constraints written on it.
pub(crate) fn build_column(
    catalog: &mut Catalog,
    table: &QualName,
    def: &ColumnDef,
    other_columns: &[(String, TypeRef)],
    ctx: &Ctx,
    taken_names: &mut Vec<String>,
) -> Result<(Column, Vec<Pending>), SimError> {
    let name = names::fold(&def.name);
    let (ty, serial) = types::resolve(&def.data_type, catalog)?;
    let mut col = Column {
        attnum: 0,
        name: name.as_str().into(),
        ty,
        collation: None,
        not_null: false,
        default: None,
        identity: None,
        generated: None,
        comment: None,
        origin: Origin::at(ctx.span),
    };
    let mut pending = Vec::new();
    let mut default_expr: Option<&Expr> = None;
    let mut explicit_null = false;
    for opt in &def.options {
        let cname = opt.name.as_ref().map(names::fold);
        match &opt.option {
            ColumnOption::NotNull => col.not_null = true,
            ColumnOption::Null => explicit_null = true,
            ColumnOption::Default(e) => {
                if default_expr.is_some() {
                    return Err(SimError::new(format!(
                        "multiple default values specified for column \"{name}\" of table \"{}\"",
                        table.name
                    )));
                }
                default_expr = Some(e);
            }
            ColumnOption::PrimaryKey(pk) => pending.push(Pending::PrimaryKey {
                name: cname,
                columns: vec![name.clone()],
                include: Vec::new(),
                chars: chars(&pk.characteristics),
            }),
            ColumnOption::Unique(u) => pending.push(Pending::Unique {
                name: cname,
                columns: vec![name.clone()],
                include: Vec::new(),
                nulls_not_distinct: matches!(u.nulls_distinct, NullsDistinctOption::NotDistinct),
                chars: chars(&u.characteristics),
            }),
            ColumnOption::Check(c) => pending.push(Pending::Check {
                name: cname,
                expr: (*c.expr).clone(),
                no_inherit: c.no_inherit,
                not_valid: false,
            }),
            ColumnOption::ForeignKey(fk) => pending.push(Pending::ForeignKey {
                name: cname,
                columns: vec![name.clone()],
                fk: fk.clone(),
                not_valid: false,
            }),
            ColumnOption::Collation(c) => {
                let coll = names::parts(c).join(".");
                col.collation = (coll != "default" && coll != "pg_catalog.default").then_some(coll);
            }
            ColumnOption::Generated { generated_as, generation_expr, .. } => match (generated_as, generation_expr) {
                (GeneratedAs::ExpStored, Some(e)) | (GeneratedAs::Always, Some(e)) => {
                    let mut cols: Vec<(String, TypeRef)> = other_columns.to_vec();
                    cols.retain(|(n, _)| n != &name);
                    let scope = Scope { catalog, columns: &cols, trigger_rows: false };
                    let text = expr::generated_expr(e, &col.ty, &scope).map_err(|m| {
                        if m.starts_with("column \"") {
                            SimError::new(format!(
                                "{m}\nA generated column can only refer to other, non-generated columns."
                            ))
                        } else {
                            SimError::new(m)
                        }
                    })?;
                    col.generated = Some(text);
                }
                (GeneratedAs::Always, None) => {
                    col.identity = Some(Identity::Always);
                    col.not_null = true;
                }
                (GeneratedAs::ByDefault, _) => {
                    col.identity = Some(Identity::ByDefault);
                    col.not_null = true;
                }
                (GeneratedAs::ExpStored, None) => {}
            },
            ColumnOption::Comment(_) | ColumnOption::Options(_) => {}
            other => return Err(SimError::not_simulated(format!("column option is not simulated: {other}"))),
        }
    }
    if explicit_null && col.not_null {
        return Err(SimError::new(format!(
            "conflicting NULL/NOT NULL declarations for column \"{name}\" of table \"{}\"",
            table.name
        )));
    }
    if col.identity.is_some() {
        if default_expr.is_some() {
            return Err(SimError::new(format!(
                "both default and identity specified for column \"{name}\" of table \"{}\"",
                table.name
            )));
        }
        if !matches!(col.ty.name.as_str(), "int2" | "int4" | "int8") || col.ty.array {
            return Err(SimError::new("identity column type must be smallint, integer, or bigint"));
        }
        let seq_q = match ctx.next_identity_sequence().as_deref() {
            Some([schema, seq]) => QualName::new(schema.clone(), seq.clone()),
            Some([seq]) => QualName::new(table.schema.clone(), seq.clone()),
            _ => {
                let seq = names::choose_relation_name(
                    catalog,
                    &table.schema,
                    &table.name,
                    Some(&name),
                    "seq",
                    false,
                    taken_names,
                );
                QualName::new(table.schema.clone(), seq)
            }
        };
        if catalog.relation_exists(&seq_q) || taken_names.iter().any(|n| *n == seq_q.name) {
            return Err(relation_exists_error(&seq_q));
        }
        taken_names.push(seq_q.name.to_string());
        catalog.sequences.insert(
            seq_q.clone(),
            Sequence {
                name: seq_q,
                ty: col.ty.clone(),
                owned_by: Some((table.clone(), name.clone())),
                origin: Origin::at(ctx.span),
            },
        );
    }
    if serial.is_some() {
        if default_expr.is_some() {
            return Err(SimError::new(format!(
                "multiple default values specified for column \"{name}\" of table \"{}\"",
                table.name
            )));
        }
        let seq =
            names::choose_relation_name(catalog, &table.schema, &table.name, Some(&name), "seq", false, taken_names);
        taken_names.push(seq.clone());
        let seq_q = QualName::new(table.schema.clone(), seq);
        col.default = Some(format!("nextval('{}'::regclass)", names::relation_name(&seq_q).replace('\'', "''")));
        col.not_null = true;
        catalog.sequences.insert(
            seq_q.clone(),
            Sequence {
                name: seq_q,
                ty: col.ty.clone(),
                owned_by: Some((table.clone(), name.clone())),
                origin: Origin::at(ctx.span),
            },
        );
    } else if let Some(e) = default_expr {
        if col.generated.is_some() {
            return Err(SimError::new(format!(
                "both default and generation expression specified for column \"{name}\" of table \"{}\"",
                table.name
            )));
        }
        let scope = Scope { catalog, columns: &[], trigger_rows: false };
        col.default = expr::default_expr(e, &col.ty, &scope)?;
    }
    Ok((col, pending))
}

pub(crate) fn create_table(catalog: &mut Catalog, ct: &CreateTable, ctx: &mut Ctx) -> SimResult {
    let q = if ct.temporary { temporary_name(&ct.name)? } else { catalog.creation_name(&ct.name) };
    if !ct.temporary {
        ensure_schema(catalog, &q)?;
    }
    if catalog.relation_exists(&q) && ct.if_not_exists {
        ctx.notes.push(format!("relation \"{}\" already exists, skipping", q.name));
        return Ok(());
    }
    if ct.on_commit.is_some() && !ct.temporary {
        return Err(SimError::new("ON COMMIT can only be used on temporary tables")
            .help("Drop the ON COMMIT clause, or make the table TEMPORARY."));
    }
    if catalog.relation_exists(&q) {
        return Err(relation_exists_error(&q));
    }
    if ct.query.is_some() {
        return Err(SimError::not_simulated("CREATE TABLE … AS is not simulated: its columns come from a query"));
    }
    let mut work = catalog.clone();
    if ct.temporary {
        ensure_temp_schema(&mut work, ctx);
    }
    work.next_oid += 1;
    let mut table = Table {
        oid: work.next_oid,
        last_attnum: 0,
        name: q.clone(),
        columns: Vec::new(),
        constraints: Vec::new(),
        triggers: Vec::new(),
        kind: if ct.unlogged { TableKind::Unlogged } else { TableKind::Ordinary },
        partition_key: None,
        partition_of: None,
        inherits: Vec::new(),
        has_rows: false,
        row_security: false,
        force_row_security: false,
        policies: Vec::new(),
        rules: Vec::new(),
        of_type: None,
        comment: None,
        origin: Origin::at(ctx.span),
        on_commit_drop: ct.on_commit == Some(sqlparser::ast::OnCommit::Drop),
        on_commit_delete_rows: ct.on_commit == Some(sqlparser::ast::OnCommit::DeleteRows),
    };
    let typed_defs = match &ctx.extras.typed_of {
        Some(type_name) => {
            let (tq, defs) = typed_columns(&work, type_name, &ct.columns)?;
            table.of_type = Some(tq);
            Some(defs)
        }
        None => None,
    };
    let column_defs: &[ColumnDef] = typed_defs.as_deref().unwrap_or(&ct.columns);
    // PARTITION OF and INHERITS: the parents' columns come first, with their NOT NULL, defaults and
    // CHECK constraints (identity stays with the parent).
    let mut parents = Vec::new();
    if let Some(parent) = &ct.partition_of {
        let pq = super::resolve_table(&work, parent)?;
        super::inheritance::check_parent(&work, &q, &pq, true)?;
        if work.table(&pq).is_some_and(|p| !p.kind.is_partitioned()) {
            return Err(SimError::new(format!("table \"{}\" is not partitioned", pq.name))
                .help("Create the parent with PARTITION BY, or use INHERITS."));
        }
        if let Some(p) = work.table(&pq) {
            super::partition_bounds::check_spec(p, ct.for_values.as_ref())?;
        }
        let bound = match (&ct.for_values, work.table(&pq)) {
            (Some(fv), Some(p)) => bound_text(fv, p, &work)?,
            _ => "DEFAULT".into(),
        };
        if let Some(p) = work.table(&pq) {
            super::partition_bounds::check(&work, p, &q.name, &bound)?;
        }
        table.partition_of = Some((pq.clone(), bound));
        parents.push(pq);
    }
    for parent in ct.inherits.iter().flatten() {
        let pq = super::resolve_table(&work, parent)?;
        super::inheritance::check_parent(&work, &q, &pq, false)?;
        table.inherits.push(pq.clone());
        parents.push(pq);
    }
    for pq in &parents {
        let Some(p) = work.table(pq) else { continue };
        for c in &p.columns {
            if let Some(existing) = table.column_mut(&c.name) {
                existing.not_null |= c.not_null;
                continue;
            }
            let col = Column { identity: None, comment: None, origin: Origin::at(ctx.span), ..(**c).clone() };
            table.add_column(col);
        }
        for c in &p.constraints {
            let inherited = matches!(c.kind, ConstraintKind::Check { no_inherit: false, .. });
            if inherited && table.constraint(&c.name).is_none() {
                table.push_constraint(Constraint { origin: Origin::at(ctx.span), not_valid: false, ..(**c).clone() });
            }
        }
    }
    let inherited_columns = table.columns.len();
    let mut like_copy: Option<(QualName, Vec<(bool, String)>)> = None;
    if let Some(like) = &ctx.extras.like {
        let source = match like.source.as_slice() {
            [n] => work.resolve_unqualified(n),
            [s, n] => QualName::new(s.clone(), n.clone()),
            _ => return Err(SimError::new("improper qualified name in LIKE")),
        };
        if !work.tables.contains_key(&source) {
            return Err(super::missing_relation(&work, &source));
        }
        like_copy = Some((source, like.options.clone()));
    } else if let Some(like) = &ct.like {
        let (sqlparser::ast::CreateTableLikeKind::Parenthesized(l) | sqlparser::ast::CreateTableLikeKind::Plain(l)) =
            like;
        let src = super::resolve_table(&work, &l.name)?;
        let options = match l.defaults {
            Some(sqlparser::ast::CreateTableLikeDefaults::Including) => vec![(true, "DEFAULTS".to_string())],
            _ => Vec::new(),
        };
        like_copy = Some((src, options));
    }
    let like_position = ctx.extras.like.as_ref().map_or(0, |l| l.position);
    // Types of every column, so that CHECK and generated expressions can refer to later columns.
    let mut all_types: Vec<(String, TypeRef)> =
        table.columns.iter().map(|c| (c.name.to_string(), c.ty.clone())).collect();
    for def in column_defs {
        if let Ok((ty, _)) = types::resolve(&def.data_type, &work) {
            all_types.push((names::fold(&def.name), ty));
        }
    }
    let mut pending = Vec::new();
    let mut taken = Vec::new();
    for (i, def) in column_defs.iter().enumerate() {
        if i == like_position
            && let Some((source, options)) = &like_copy
        {
            copy_like_columns(&mut work, &mut table, source, options, ctx);
        }
        let (col, mut p) = build_column(&mut work, &q, def, &all_types, ctx, &mut taken)?;
        if let Some(i) = table.columns.iter().position(|c| c.name == col.name) {
            if i >= inherited_columns {
                return Err(SimError::new(format!("column \"{}\" specified more than once", col.name)));
            }
            // Merging a local definition with an inherited one.
            let existing = std::sync::Arc::make_mut(&mut table.columns[i]);
            if existing.ty.without_mods() != col.ty.without_mods() {
                return Err(SimError::new(format!(
                    "column \"{}\" has a type conflict\n{} versus {}",
                    col.name,
                    existing.ty.display(),
                    col.ty.display()
                )));
            }
            existing.not_null |= col.not_null;
            if col.default.is_some() {
                existing.default = col.default;
            }
            pending.append(&mut p);
            continue;
        }
        table.add_column(col);
        pending.append(&mut p);
    }
    if column_defs.len() <= like_position
        && let Some((source, options)) = &like_copy
    {
        copy_like_columns(&mut work, &mut table, source, options, ctx);
    }
    for tc in &ct.constraints {
        pending.push(table_constraint(tc, false)?);
    }
    if let Some(pk) = &ct.partition_by {
        table.kind = if ct.unlogged { TableKind::UnloggedPartitioned } else { TableKind::Partitioned };
        let cols: Vec<(String, TypeRef)> = table.columns.iter().map(|c| (c.name.to_string(), c.ty.clone())).collect();
        table.partition_key = Some(partition_key(pk, &Scope { catalog: &work, columns: &cols, trigger_rows: false })?);
    }
    let partition_parent = table.partition_of.as_ref().map(|(p, _)| p.clone());
    if table.partition_of.is_some() || !table.inherits.is_empty() {
        work.inheritance.0 = true;
    }
    work.tables.insert(q.clone(), Arc::new(table));
    add_constraints(&mut work, &q, pending, ctx, true)?;
    if let Some(parent) = partition_parent {
        clone_parent_indexes(&mut work, &parent, &q, false, ctx)?;
        super::partition_fks::referenced_partition_added(&mut work, &parent, &q, ctx);
        super::partition_fks::inherit(&mut work, &parent, &q, ctx)?;
    }
    if let Some((source, options)) = &like_copy {
        if like_includes(options, "CONSTRAINTS") {
            let checks: Vec<Constraint> = work
                .table(source)
                .map(|t| {
                    t.constraints
                        .iter()
                        .filter(|c| matches!(c.kind, ConstraintKind::Check { .. }))
                        .map(|c| (**c).clone())
                        .collect()
                })
                .unwrap_or_default();
            if let Some(t) = work.table_mut(&q) {
                for c in checks {
                    if t.constraint(&c.name).is_none() {
                        t.push_constraint(Constraint { origin: Origin::at(ctx.span), ..c });
                    }
                }
            }
        }
        if like_includes(options, "INDEXES") {
            clone_parent_indexes(&mut work, source, &q, false, ctx)?;
        }
    }
    *catalog = work;
    Ok(())
}

/// `CREATE TABLE t OF type (…)`: the composite type, and one column definition per attribute, in the
/// type's order, with the type's column types and the options the statement gives (`a WITH OPTIONS
/// DEFAULT 1`, read with the placeholder type [`crate::sql::parse::TYPED_COLUMN`]).
fn typed_columns(
    catalog: &Catalog,
    type_name: &[String],
    entries: &[ColumnDef],
) -> Result<(QualName, Vec<ColumnDef>), SimError> {
    let tq = match type_name {
        [n] => catalog.resolve_unqualified(n),
        [s, n] => QualName::new(s.clone(), n.clone()),
        _ => return Err(SimError::new("improper qualified name (too many dotted names)")),
    };
    let Some(ut) = catalog.types.get(&tq) else {
        return Err(SimError::new(format!("type \"{}\" does not exist", type_name.join("."))));
    };
    let UserTypeKind::Composite { attributes } = &ut.kind else {
        return Err(SimError::new(format!(
            "type {} is not a composite type",
            names::qualified_type_name(&tq.schema, &tq.name)
        )));
    };
    let mut seen: Vec<String> = Vec::new();
    for e in entries {
        let name = names::fold(&e.name);
        if !attributes.iter().any(|(a, _)| *a == name) {
            return Err(SimError::new(format!("column \"{name}\" does not exist")));
        }
        if seen.contains(&name) {
            return Err(SimError::new(format!("column \"{name}\" specified more than once")));
        }
        seen.push(name);
    }
    let dialect = sqlparser::dialect::PostgreSqlDialect {};
    let mut defs = Vec::with_capacity(attributes.len());
    for (name, ty) in attributes {
        let text = ty.display();
        let data_type = sqlparser::parser::Parser::new(&dialect)
            .try_with_sql(&text)
            .and_then(|mut p| p.parse_data_type())
            .map_err(|_| SimError::not_simulated(format!("typed table column of type {text} is not simulated")))?;
        let options = entries.iter().find(|e| names::fold(&e.name) == *name).map(|e| e.options.clone());
        defs.push(ColumnDef {
            name: Ident::with_quote('"', name.clone()),
            data_type,
            options: options.unwrap_or_default(),
        });
    }
    Ok((tq, defs))
}

/// Whether a `LIKE` clause's options include `option`; later options win (`INCLUDING ALL EXCLUDING INDEXES`).
fn like_includes(options: &[(bool, String)], option: &str) -> bool {
    options.iter().rfind(|(_, o)| o == option || o == "ALL").is_some_and(|(inc, _)| *inc)
}

/// `LIKE source`: its columns with their types and NOT NULL, and what the options include.
fn copy_like_columns(
    catalog: &mut Catalog,
    table: &mut Table,
    source: &QualName,
    options: &[(bool, String)],
    ctx: &Ctx,
) {
    let Some(src) = catalog.table(source) else { return };
    let columns = src.columns.clone();
    for c in columns {
        let c = std::sync::Arc::unwrap_or_clone(c);
        if table.column(&c.name).is_some() {
            continue;
        }
        let identity = if like_includes(options, "IDENTITY") { c.identity } else { None };
        if identity.is_some() {
            let seq = names::choose_relation_name(
                catalog,
                &table.name.schema,
                &table.name.name,
                Some(&c.name),
                "seq",
                false,
                &[],
            );
            let seq_q = QualName::new(table.name.schema.clone(), seq);
            catalog.sequences.insert(
                seq_q.clone(),
                Sequence {
                    name: seq_q,
                    ty: c.ty.clone(),
                    owned_by: Some((table.name.clone(), c.name.to_string())),
                    origin: Origin::at(ctx.span),
                },
            );
        }
        table.add_column(Column {
            default: if like_includes(options, "DEFAULTS") { c.default.clone() } else { None },
            identity,
            generated: if like_includes(options, "GENERATED") { c.generated.clone() } else { None },
            comment: if like_includes(options, "COMMENTS") { c.comment.clone() } else { None },
            origin: Origin::at(ctx.span),
            ..c
        });
    }
}

/// The partition bound as `pg_get_expr` prints it back: each value read as its key column's type
/// ([`crate::catalog::expr::bound_constant`]); a key that is not a plain column keeps the value as written.
pub(crate) fn bound_text(
    fv: &sqlparser::ast::ForValues,
    parent: &Table,
    catalog: &Catalog,
) -> Result<String, SimError> {
    use sqlparser::ast::{ForValues, PartitionBoundValue, Value};
    let types = key_types(parent, catalog);
    let value = |i: usize, e: &Expr| -> Result<String, SimError> {
        let (text, quoted) = match e {
            Expr::Value(v) => match &v.value {
                Value::SingleQuotedString(s) => (s.clone(), true),
                Value::Number(n, _) => (n.clone(), false),
                other => return Ok(other.to_string()),
            },
            Expr::UnaryOp { op: sqlparser::ast::UnaryOperator::Minus, expr } => (format!("-{expr}"), false),
            other => return Ok(other.to_string()),
        };
        Ok(match types.get(i).and_then(|t| t.as_ref()) {
            Some(ty) => crate::catalog::expr::bound_constant(&text, ty, catalog, quoted).map_err(SimError::new)?,
            None if matches!(e, Expr::Value(v) if matches!(v.value, Value::Number(..))) => text,
            None => {
                let mut out = String::new();
                crate::catalog::expr::quote_literal_into(&mut out, &text);
                out
            }
        })
    };
    let bound = |i: usize, b: &PartitionBoundValue| match b {
        PartitionBoundValue::Expr(e) => value(i, e),
        PartitionBoundValue::MinValue => Ok("MINVALUE".into()),
        PartitionBoundValue::MaxValue => Ok("MAXVALUE".into()),
    };
    let list = |items: Vec<Result<String, SimError>>| -> Result<String, SimError> {
        Ok(items.into_iter().collect::<Result<Vec<_>, _>>()?.join(", "))
    };
    Ok(match fv {
        ForValues::In(vals) => format!("FOR VALUES IN ({})", list(vals.iter().map(|v| value(0, v)).collect())?),
        ForValues::From { from, to } => format!(
            "FOR VALUES FROM ({}) TO ({})",
            list(from.iter().enumerate().map(|(i, b)| bound(i, b)).collect())?,
            list(to.iter().enumerate().map(|(i, b)| bound(i, b)).collect())?
        ),
        ForValues::With { modulus, remainder } => format!("FOR VALUES WITH (modulus {modulus}, remainder {remainder})"),
        ForValues::Default => "DEFAULT".into(),
    })
}

/// The partition key's items as printed (`RANGE (a, ((b + 1)))` → `a`, `((b + 1))`).
pub(crate) fn key_parts(table: &Table) -> Vec<&str> {
    let Some(key) = &table.partition_key else { return Vec::new() };
    let Some(inner) = key.find('(').and_then(|at| key.get(at + 1..key.len().saturating_sub(1))) else {
        return Vec::new();
    };
    let mut parts = Vec::new();
    let (mut depth, mut start, mut quoted) = (0i32, 0, false);
    for (i, ch) in inner.char_indices() {
        match ch {
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            ',' if depth == 0 && !quoted => {
                parts.push(inner[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(inner[start..].trim());
    parts
}

/// The column of a partition key item, without its quotes, opclass or collation; `None` for an
/// expression.
pub(crate) fn key_column(part: &str) -> Option<String> {
    if part.contains('(') && !part.starts_with('"') {
        return None;
    }
    Some(match part.strip_prefix('"') {
        Some(quoted) => quoted.split('"').next().unwrap_or("").to_string(),
        None => part.split(' ').next().unwrap_or("").to_string(),
    })
}

/// A unique index or constraint on a partitioned table must hold every partition key column
/// (`DefineIndex`): `columns` are its key columns, `kind` is `PRIMARY KEY` or `UNIQUE`.
pub(crate) fn check_unique_on_partitioned(
    catalog: &Catalog,
    table: &QualName,
    columns: &[String],
    kind: &str,
) -> SimResult {
    let Some(t) = catalog.table(table).filter(|t| t.kind.is_partitioned()) else { return Ok(()) };
    for part in key_parts(t) {
        let Some(column) = key_column(part) else {
            return Err(SimError::new(format!("unsupported {kind} constraint with partition key definition"))
                .help(format!("{kind} constraints cannot be used when partition keys include expressions.")));
        };
        if !columns.contains(&column) {
            return Err(SimError::new("unique constraint on partitioned table must include all partitioning columns")
                .help(format!(
                    "{kind} constraint on table \"{}\" lacks column \"{column}\" which is part of the partition key.",
                    table.name
                )));
        }
    }
    Ok(())
}

/// The type of each partition key item: a column's, or an expression's.
pub(crate) fn key_types(parent: &Table, catalog: &Catalog) -> Vec<Option<TypeRef>> {
    let parts = key_parts(parent);
    parts
        .into_iter()
        .map(|p| {
            key_column(p).and_then(|c| parent.column(&c).map(|c| c.ty.clone())).or_else(|| {
                let cols: Vec<(String, TypeRef)> =
                    parent.columns.iter().map(|c| (c.name.to_string(), c.ty.clone())).collect();
                let scope = Scope { catalog, columns: &cols, trigger_rows: false };
                let e = expr::parse_printed(p).ok()?;
                expr::index_expr(&e, &scope).ok().map(|(_, _, ty)| ty)
            })
        })
        .collect()
}

/// The names `ChooseIndexColumnNames` gives an index's keys: the column, the function name, or `expr`.
pub(crate) fn key_name_parts(idx: &Index) -> Vec<String> {
    idx.keys
        .iter()
        .map(|k| {
            if !k.expr.contains(['(', ' ']) {
                k.expr.trim_matches('"').to_string()
            } else if let Some(pos) = k.expr.find('(').filter(|p| *p > 0) {
                k.expr[..pos].trim_matches('"').to_string()
            } else {
                "expr".to_string()
            }
        })
        .collect()
}

/// A partition gets a copy of every index of its parent (and the constraints they enforce). A table
/// being attached (`attaching`) keeps an index of its own instead where one is equivalent, as
/// PostgreSQL's `AttachPartitionEnsureIndexes` does: each of its indexes stands for one of the parent's
/// at most, and one that enforces a constraint only for a parent's index that enforces one too.
pub(crate) fn clone_parent_indexes(
    catalog: &mut Catalog,
    parent: &QualName,
    part: &QualName,
    attaching: bool,
    ctx: &Ctx,
) -> SimResult {
    let parent_indexes: Vec<Index> = catalog.indexes_of(parent).cloned().collect();
    let mut own: Vec<Index> = if attaching { catalog.indexes_of(part).cloned().collect() } else { Vec::new() };
    let mut taken = Vec::new();
    for idx in parent_indexes {
        if let Some(pos) = own.iter().position(|i| equivalent_for_partition(&idx, i)) {
            own.remove(pos);
            continue;
        }
        let mut parts_names = key_name_parts(&idx);
        parts_names.extend(idx.include.iter().cloned());
        let addition = names::index_name_addition(&parts_names);
        let (label, name2) = match (&idx.constraint, idx.primary) {
            (Some(_), true) => ("pkey", None),
            (Some(_), false) => ("key", Some(addition.as_str())),
            (None, _) => ("idx", Some(addition.as_str())),
        };
        let name = names::choose_relation_name(
            catalog,
            &part.schema,
            &part.name,
            name2,
            label,
            idx.constraint.is_some(),
            &taken,
        );
        taken.push(name.clone());
        if let Some(cname) = &idx.constraint
            && let Some(pc) = catalog.table(parent).and_then(|t| t.constraint(cname)).cloned()
            && let Some(t) = catalog.table_mut(part)
        {
            t.push_constraint(Constraint { name: name.as_str().into(), origin: Origin::at(ctx.span), ..pc });
            if idx.primary {
                for c in &idx.columns {
                    if let Some(col) = t.column_mut(c) {
                        col.not_null = true;
                    }
                }
            }
        }
        let clone = Index {
            name: QualName::new(part.schema.clone(), name.clone()),
            table: part.clone(),
            constraint: idx.constraint.as_ref().map(|_| name.clone()),
            clustered: false,
            replica_identity: false,
            origin: Origin::at(ctx.span),
            ..idx
        };
        catalog.indexes.insert(clone.name.clone(), Arc::new(clone));
    }
    Ok(())
}

/// Whether a partition's index `own` can stand for its parent's index `parent` (PostgreSQL's
/// `CompareIndexInfo`, and a constraint for a constraint): the same method, uniqueness, keys with
/// their operator classes and collations, INCLUDE columns and predicate. The sort order does not count.
fn equivalent_for_partition(parent: &Index, own: &Index) -> bool {
    parent.method == own.method
        && parent.unique == own.unique
        && parent.nulls_not_distinct == own.nulls_not_distinct
        && parent.include == own.include
        && parent.predicate == own.predicate
        && (parent.constraint.is_none() || own.constraint.is_some())
        && parent.keys.len() == own.keys.len()
        && parent
            .keys
            .iter()
            .zip(&own.keys)
            .all(|(a, b)| a.expr == b.expr && a.opclass == b.opclass && a.collation == b.collation)
}

/// `PARTITION BY strategy (key, …)` as `pg_get_partkeydef` prints it, after `transformPartitionSpec`'s
/// and `ComputePartitionAttrs`' checks.
fn partition_key(e: &Expr, scope: &Scope) -> Result<String, SimError> {
    match e {
        Expr::Function(f) => {
            let strategy = names::parts(&f.name).join(".").to_uppercase();
            if let sqlparser::ast::FunctionArguments::List(l) = &f.args {
                if strategy == "LIST" && l.args.len() != 1 {
                    return Err(SimError::new("cannot use \"list\" partition strategy with more than one column")
                        .help("Partition by one column, or use RANGE."));
                }
                for a in &l.args {
                    if let sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Expr(
                        Expr::Identifier(id),
                    )) = a
                    {
                        let c = names::fold(id);
                        if !scope.columns.iter().any(|(n, _)| *n == c) {
                            return Err(SimError::new(format!("column \"{c}\" named in partition key does not exist")));
                        }
                    }
                }
            }
            let args = match &f.args {
                sqlparser::ast::FunctionArguments::List(l) => {
                    l.args
                        .iter()
                        .map(|a| match a {
                            sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Expr(
                                Expr::Identifier(id),
                            )) => names::quote_ident(&names::fold(id)),
                            // An expression as `pg_get_partkeydef` prints it: in parentheses unless a
                            // function call.
                            sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Expr(e)) => {
                                match expr::index_expr(e, scope) {
                                    Ok((text, _, _)) if text.starts_with('(') => format!("({text})"),
                                    Ok((text, _, _)) => text,
                                    Err(_) => e.to_string().to_lowercase(),
                                }
                            }
                            other => other.to_string().to_lowercase(),
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                }
                _ => String::new(),
            };
            Ok(format!("{strategy} ({args})"))
        }
        other => Ok(other.to_string()),
    }
}

/// Names, checks and adds constraints to a table that is already in `catalog`, in PostgreSQL's
/// order: CHECK constraints, then indexes for PRIMARY KEY and UNIQUE, then foreign keys.
pub(crate) fn add_constraints(
    catalog: &mut Catalog,
    table: &QualName,
    pending: Vec<Pending>,
    ctx: &Ctx,
    creating: bool,
) -> SimResult {
    let mut checks = Vec::new();
    let mut keys = Vec::new();
    let mut fks = Vec::new();
    for p in pending {
        match p {
            Pending::Check { .. } => checks.push(p),
            Pending::PrimaryKey { .. } | Pending::Unique { .. } => keys.push(p),
            Pending::ForeignKey { .. } => fks.push(p),
            Pending::UsingIndex { name, index, primary, chars } => {
                constraint_using_index(catalog, table, name, &index, primary, chars, ctx)?;
            }
            Pending::Exclude(ex) => exclusion_constraint(catalog, table, &ex, ctx)?,
        }
    }
    if creating {
        keys = dedupe_keys(keys);
    }
    let mut taken: Vec<String> = Vec::new();
    for p in checks {
        let Pending::Check { name, expr: e, no_inherit, not_valid } = p else { continue };
        let cols: Vec<(String, TypeRef)> = table_columns(catalog, table);
        let scope = Scope { catalog, columns: &cols, trigger_rows: false };
        let (text, used) = expr::condition(&e, &scope, "CHECK")?;
        let name = match name {
            Some(n) => {
                if catalog.table(table).is_some_and(|t| t.constraint(&n).is_some()) || taken.contains(&n) {
                    return Err(SimError::new(format!(
                        "constraint \"{n}\" for relation \"{}\" already exists",
                        table.name
                    )));
                }
                n
            }
            None => {
                let col = if used.len() == 1 { Some(used[0].as_str()) } else { None };
                names::choose_constraint_name(catalog, &table.schema, &table.name, col, "check", &taken)
            }
        };
        taken.push(name.clone());
        let c = Constraint {
            name: name.into(),
            kind: ConstraintKind::Check { expr: text, columns: used, no_inherit },
            deferrable: false,
            initially_deferred: false,
            not_valid: not_valid && !creating,
            parent: None,
            comment: None,
            origin: Origin::at(ctx.span),
        };
        // Inheritance children and partitions get the same CHECK constraint.
        if !creating && !no_inherit_of(&c) {
            for child in catalog.descendants(table) {
                if catalog.table(&child).is_some_and(|t| t.constraint(&c.name).is_none()) {
                    push_constraint(catalog, &child, c.clone());
                }
            }
        }
        push_constraint(catalog, table, c);
    }
    for p in keys {
        let (name, columns, include, nulls_not_distinct, chars, primary) = match p {
            Pending::PrimaryKey { name, columns, include, chars } => (name, columns, include, false, chars, true),
            Pending::Unique { name, columns, include, nulls_not_distinct, chars } => {
                (name, columns, include, nulls_not_distinct, chars, false)
            }
            _ => continue,
        };
        let t = catalog.table(table).ok_or_else(|| SimError::new("table vanished"))?;
        for c in columns.iter().chain(&include) {
            if t.column(c).is_none() {
                return Err(SimError::new(format!("column \"{c}\" named in key does not exist")));
            }
        }
        check_unique_on_partitioned(catalog, table, &columns, if primary { "PRIMARY KEY" } else { "UNIQUE" })?;
        if primary && t.primary_key().is_some() {
            return Err(SimError::new(format!("multiple primary keys for table \"{}\" are not allowed", table.name)));
        }
        let name = match name {
            Some(n) => {
                let q = QualName::new(table.schema.clone(), n.clone());
                if catalog.relation_exists(&q) {
                    return Err(relation_exists_error(&q));
                }
                n
            }
            None if primary => {
                names::choose_relation_name(catalog, &table.schema, &table.name, None, "pkey", true, &taken)
            }
            None => {
                let mut all = columns.clone();
                all.extend(include.iter().cloned());
                let addition = names::index_name_addition(&all);
                names::choose_relation_name(catalog, &table.schema, &table.name, Some(&addition), "key", true, &taken)
            }
        };
        taken.push(name.clone());
        if primary && let Some(t) = catalog.table_mut(table) {
            for c in &columns {
                if let Some(col) = t.column_mut(c) {
                    col.not_null = true;
                }
            }
        }
        let kind = if primary {
            ConstraintKind::PrimaryKey { columns: columns.clone(), include: include.clone() }
        } else {
            ConstraintKind::Unique { columns: columns.clone(), include: include.clone(), nulls_not_distinct }
        };
        let c = Constraint {
            name: name.as_str().into(),
            kind,
            deferrable: chars.deferrable,
            initially_deferred: chars.initially_deferred,
            not_valid: false,
            parent: None,
            comment: None,
            origin: Origin::at(ctx.span),
        };
        push_constraint(catalog, table, c);
        let mut used = columns.clone();
        used.extend(include.iter().cloned());
        let index = Index {
            name: QualName::new(table.schema.clone(), name.clone()),
            table: table.clone(),
            unique: true,
            primary,
            constraint: Some(name),
            method: "btree".into(),
            keys: columns
                .iter()
                .map(|c| IndexKey {
                    expr: names::quote_ident(c),
                    opclass: None,
                    collation: None,
                    desc: false,
                    nulls_first: None,
                })
                .collect(),
            include,
            predicate: None,
            nulls_not_distinct,
            options: ctx
                .extras
                .constraint_options
                .iter()
                .find(|o| o.primary == primary && o.columns == columns)
                .map(|o| o.options.clone())
                .unwrap_or_default(),
            clustered: false,
            replica_identity: false,
            columns: used,
            comment: None,
            origin: Origin::at(ctx.span),
        };
        catalog.indexes.insert(index.name.clone(), Arc::new(index));
    }
    for p in fks {
        let Pending::ForeignKey { name, columns, fk, not_valid } = p else { continue };
        let c = foreign_key(catalog, table, name, columns, &fk, not_valid && !creating, ctx, &taken)?;
        taken.push(c.name.to_string());
        push_constraint(catalog, table, c.clone());
        super::partition_fks::reference_partitions(catalog, table, &c.name, ctx);
        super::partition_fks::added(catalog, table, &c, ctx)?;
    }
    Ok(())
}

/// `transformIndexConstraints`: the primary key first, then the other keys, without repeats (a UNIQUE on
/// the primary key's columns adds nothing; a name written on the repeat moves to the one kept).
fn dedupe_keys(keys: Vec<Pending>) -> Vec<Pending> {
    /// Key columns, INCLUDE columns, NULLS NOT DISTINCT, DEFERRABLE, INITIALLY DEFERRED.
    type Sig<'a> = (&'a [String], &'a [String], bool, bool, bool);
    fn sig(p: &Pending) -> Option<Sig<'_>> {
        match p {
            Pending::PrimaryKey { columns, include, chars, .. } => {
                Some((columns, include, false, chars.deferrable, chars.initially_deferred))
            }
            Pending::Unique { columns, include, nulls_not_distinct, chars, .. } => {
                Some((columns, include, *nulls_not_distinct, chars.deferrable, chars.initially_deferred))
            }
            _ => None,
        }
    }
    let (mut ordered, rest): (Vec<Pending>, Vec<Pending>) =
        keys.into_iter().partition(|k| matches!(k, Pending::PrimaryKey { .. }));
    ordered.extend(rest);
    let mut out: Vec<Pending> = Vec::new();
    for k in ordered {
        if let Some(prior) = out.iter_mut().find(|o| sig(o).is_some() && sig(o) == sig(&k)) {
            let name = match &k {
                Pending::PrimaryKey { name, .. } | Pending::Unique { name, .. } => name.clone(),
                _ => None,
            };
            if let Pending::PrimaryKey { name: n, .. } | Pending::Unique { name: n, .. } = prior
                && n.is_none()
            {
                *n = name;
            }
            continue;
        }
        out.push(k);
    }
    out
}

/// An exclusion constraint and the index that enforces it.
fn exclusion_constraint(
    catalog: &mut Catalog,
    table: &QualName,
    ex: &sqlparser::ast::ExcludeConstraint,
    ctx: &Ctx,
) -> SimResult {
    if catalog.table(table).is_some_and(|t| t.kind.is_partitioned()) {
        return Err(SimError::new("exclusion constraints are not supported on partitioned tables")
            .help("Put the exclusion constraint on each partition."));
    }
    let cols = table_columns(catalog, table);
    let scope = Scope { catalog, columns: &cols, trigger_rows: false };
    let method = ex.index_method.as_ref().map_or("btree".to_string(), |m| m.value.to_lowercase());
    let mut keys = Vec::new();
    let mut elements = Vec::new();
    let mut used: Vec<String> = Vec::new();
    let mut name_parts = Vec::new();
    for el in &ex.elements {
        let (text, u, _) = match &el.column.column.expr {
            Expr::Identifier(id) => {
                let c = names::fold(id);
                if !cols.iter().any(|(n, _)| n == &c) {
                    return Err(SimError::new(format!("column \"{c}\" named in key does not exist")));
                }
                (names::quote_ident(&c), vec![c], TypeRef::builtin("unknown"))
            }
            other => expr::index_expr(other, &scope)?,
        };
        name_parts.push(u.first().cloned().unwrap_or_else(|| "expr".into()));
        used.extend(u);
        let op = el.operator.to_string();
        let opclass = el.column.operator_class.as_ref().map(|o| names::parts(o).join("."));
        let mut shown = text.clone();
        if let Some(oc) = &opclass {
            shown.push(' ');
            shown.push_str(oc);
        }
        elements.push(format!("{shown} WITH {op}"));
        keys.push(IndexKey { expr: text, opclass, collation: None, desc: false, nulls_first: None });
    }
    let include: Vec<String> = ex.include.iter().map(names::fold).collect();
    let predicate = match &ex.where_clause {
        Some(w) => {
            let (text, u) = expr::condition(w, &scope, "WHERE")?;
            used.extend(u);
            Some(text)
        }
        None => None,
    };
    let name = match &ex.name {
        Some(n) => names::fold(n),
        None => {
            let addition = names::index_name_addition(&name_parts);
            names::choose_relation_name(catalog, &table.schema, &table.name, Some(&addition), "excl", true, &[])
        }
    };
    let iq = QualName::new(table.schema.clone(), name.clone());
    if catalog.relation_exists(&iq) {
        return Err(relation_exists_error(&iq));
    }
    let mut definition = format!("EXCLUDE USING {method} ({})", elements.join(", "));
    if !include.is_empty() {
        definition.push_str(&format!(
            " INCLUDE ({})",
            include.iter().map(|c| names::quote_ident(c)).collect::<Vec<_>>().join(", ")
        ));
    }
    if let Some(p) = &predicate {
        definition.push_str(&format!(" WHERE ({p})"));
    }
    let chars = chars(&ex.characteristics);
    let mut dedup = Vec::new();
    for u in used {
        if !dedup.contains(&u) {
            dedup.push(u);
        }
    }
    if let Some(t) = catalog.table_mut(table) {
        t.push_constraint(Constraint {
            name: name.as_str().into(),
            kind: ConstraintKind::Exclude { definition, columns: dedup.clone() },
            deferrable: chars.deferrable,
            initially_deferred: chars.initially_deferred,
            not_valid: false,
            parent: None,
            comment: None,
            origin: Origin::at(ctx.span),
        });
    }
    let index = Index {
        name: iq,
        table: table.clone(),
        unique: false,
        primary: false,
        constraint: Some(name),
        method,
        keys,
        include,
        predicate,
        nulls_not_distinct: false,
        options: Vec::new(),
        clustered: false,
        replica_identity: false,
        columns: dedup,
        comment: None,
        origin: Origin::at(ctx.span),
    };
    catalog.indexes.insert(index.name.clone(), Arc::new(index));
    Ok(())
}

/// A unique index becomes the index of a new primary key or unique constraint (and takes its name).
fn constraint_using_index(
    catalog: &mut Catalog,
    table: &QualName,
    name: Option<String>,
    index: &str,
    primary: bool,
    chars: Chars,
    ctx: &Ctx,
) -> SimResult {
    let iq = QualName::new(table.schema.clone(), index.to_string());
    let Some(idx) = catalog.indexes.get(&iq).map(|i| (**i).clone()) else {
        return Err(SimError::new(format!("index \"{index}\" does not exist")));
    };
    if &idx.table != table {
        return Err(SimError::new(format!("index \"{index}\" does not belong to table \"{}\"", table.name)));
    }
    if idx.constraint.is_some() {
        return Err(SimError::new(format!("index \"{index}\" is already associated with a constraint")));
    }
    if !idx.unique {
        return Err(SimError::new(format!("\"{index}\" is not a unique index")));
    }
    if idx.predicate.is_some() {
        return Err(SimError::new(format!("index \"{index}\" contains expressions or a WHERE clause")));
    }
    let columns: Vec<String> = idx.keys.iter().map(|k| k.expr.trim_matches('"').to_string()).collect();
    if idx.keys.iter().any(|k| k.expr.contains('(')) {
        return Err(SimError::new(format!("index \"{index}\" contains expressions")));
    }
    if primary && catalog.table(table).is_some_and(|t| t.primary_key().is_some()) {
        return Err(SimError::new(format!("multiple primary keys for table \"{}\" are not allowed", table.name)));
    }
    let cname = name.unwrap_or_else(|| index.to_string());
    if cname != index && catalog.relation_exists(&QualName::new(table.schema.clone(), cname.clone())) {
        return Err(relation_exists_error(&QualName::new(table.schema.clone(), cname)));
    }
    catalog.indexes.remove(&iq);
    let kind = if primary {
        ConstraintKind::PrimaryKey { columns: columns.clone(), include: idx.include.clone() }
    } else {
        ConstraintKind::Unique {
            columns: columns.clone(),
            include: idx.include.clone(),
            nulls_not_distinct: idx.nulls_not_distinct,
        }
    };
    if let Some(t) = catalog.table_mut(table) {
        if primary {
            for c in &columns {
                if let Some(col) = t.column_mut(c) {
                    col.not_null = true;
                }
            }
        }
        t.push_constraint(Constraint {
            name: cname.as_str().into(),
            kind,
            deferrable: chars.deferrable,
            initially_deferred: chars.initially_deferred,
            not_valid: false,
            parent: None,
            comment: None,
            origin: Origin::at(ctx.span),
        });
    }
    let renamed =
        Index { name: QualName::new(table.schema.clone(), cname.clone()), primary, constraint: Some(cname), ..idx };
    catalog.indexes.insert(renamed.name.clone(), Arc::new(renamed));
    Ok(())
}

fn no_inherit_of(c: &Constraint) -> bool {
    matches!(c.kind, ConstraintKind::Check { no_inherit: true, .. })
}

fn push_constraint(catalog: &mut Catalog, table: &QualName, c: Constraint) {
    if let Some(t) = catalog.table_mut(table) {
        t.push_constraint(c);
    }
}

/// The name a temporary table, view or sequence gets: in the temporary schema, whatever the search path
/// says.
pub(crate) fn temporary_name(name: &sqlparser::ast::ObjectName) -> Result<QualName, SimError> {
    match names::parts(name).as_slice() {
        [n] => Ok(QualName::new(TEMP_SCHEMA, n.as_str())),
        [schema, n] if schema.starts_with(TEMP_SCHEMA) => Ok(QualName::new(TEMP_SCHEMA, n.as_str())),
        [_, _] => Err(SimError::new("cannot create temporary relation in non-temporary schema")
            .help("Leave the schema out: a temporary table lives in the session's own schema.")),
        _ => Err(SimError::new("improper qualified name (too many dotted names)")),
    }
}

/// The session's temporary schema, made on first use.
pub(crate) fn ensure_temp_schema(catalog: &mut Catalog, ctx: &Ctx) {
    if !catalog.schemas.contains_key(TEMP_SCHEMA) {
        let schema = Schema { name: TEMP_SCHEMA.into(), comment: None, origin: Origin::at(ctx.span) };
        catalog.schemas.insert(TEMP_SCHEMA.into(), schema);
    }
}

pub(crate) fn table_columns(catalog: &Catalog, table: &QualName) -> Vec<(String, TypeRef)> {
    catalog
        .table(table)
        .map(|t| t.columns.iter().map(|c| (c.name.to_string(), c.ty.clone())).collect())
        .unwrap_or_default()
}

fn action(a: &Option<ReferentialAction>) -> FkAction {
    match a {
        None | Some(ReferentialAction::NoAction) => FkAction::NoAction,
        Some(ReferentialAction::Restrict) => FkAction::Restrict,
        Some(ReferentialAction::Cascade) => FkAction::Cascade,
        Some(ReferentialAction::SetNull) => FkAction::SetNull,
        Some(ReferentialAction::SetDefault) => FkAction::SetDefault,
    }
}

/// Whether PostgreSQL has an equality operator between the two key types that an index can use.
fn fk_types_compatible(a: &TypeRef, b: &TypeRef) -> bool {
    let ints = ["int2", "int4", "int8"];
    let strs = ["text", "varchar"];
    let (a, b) = (a.without_mods(), b.without_mods());
    a == b
        || (!a.array && !b.array && ints.contains(&a.name.as_str()) && ints.contains(&b.name.as_str()))
        || (!a.array && !b.array && strs.contains(&a.name.as_str()) && strs.contains(&b.name.as_str()))
}

#[allow(clippy::too_many_arguments)]
fn foreign_key(
    catalog: &Catalog,
    table: &QualName,
    name: Option<String>,
    columns: Vec<String>,
    fk: &ForeignKeyConstraint,
    not_valid: bool,
    ctx: &Ctx,
    taken: &[String],
) -> Result<Constraint, SimError> {
    let ref_q = catalog.resolve(&fk.foreign_table);
    let Some(ref_table) = catalog.table(&ref_q) else {
        return Err(super::missing_relation(catalog, &ref_q));
    };
    let this = catalog.table(table).ok_or_else(|| SimError::new("table vanished"))?;
    // Rows of an unlogged table can vanish after a crash, under a permanent table's references.
    if !this.kind.is_unlogged() && ref_table.kind.is_unlogged() {
        return Err(SimError::new("constraints on permanent tables may reference only permanent tables")
            .help(format!("Make {} UNLOGGED too, or {} LOGGED.", table.name, ref_q.name)));
    }
    for c in &columns {
        if this.column(c).is_none() {
            return Err(SimError::new(format!("column \"{c}\" referenced in foreign key constraint does not exist")));
        }
    }
    let mut ref_columns = ident_names(&fk.referred_columns);
    if ref_columns.is_empty() {
        let Some(pk) = ref_table.primary_key() else {
            return Err(SimError::new(format!("there is no primary key for referenced table \"{}\"", ref_q.name)));
        };
        ref_columns = pk.kind.columns().to_vec();
    } else {
        for c in &ref_columns {
            if ref_table.column(c).is_none() {
                return Err(SimError::new(format!(
                    "column \"{c}\" referenced in foreign key constraint does not exist"
                )));
            }
        }
        let mut want = ref_columns.clone();
        want.sort();
        let matched = ref_table.constraints.iter().any(|c| {
            matches!(c.kind, ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. }) && !c.deferrable && {
                let mut have = c.kind.columns().to_vec();
                have.sort();
                have == want
            }
        }) || catalog.indexes_of(&ref_q).any(|i| {
            i.unique && i.predicate.is_none() && {
                let mut have: Vec<String> = i.keys.iter().map(|k| k.expr.trim_matches('"').to_string()).collect();
                have.sort();
                have == want
            }
        });
        if !matched {
            return Err(SimError::new(format!(
                "there is no unique constraint matching given keys for referenced table \"{}\"",
                ref_q.name
            ))
            .help("Add a primary key or unique constraint on exactly the referenced columns first."));
        }
    }
    if ref_columns.len() != columns.len() {
        return Err(SimError::new("number of referencing and referenced columns for foreign key disagree"));
    }
    let name = match name {
        Some(n) => {
            if this.constraint(&n).is_some() || taken.contains(&n) {
                return Err(SimError::new(format!(
                    "constraint \"{n}\" for relation \"{}\" already exists",
                    table.name
                )));
            }
            n
        }
        None => {
            let addition = names::index_name_addition(&columns);
            names::choose_constraint_name(catalog, &table.schema, &table.name, Some(&addition), "fkey", taken)
        }
    };
    for (c, r) in columns.iter().zip(&ref_columns) {
        let (Some(a), Some(b)) = (this.column(c), ref_table.column(r)) else { continue };
        if !fk_types_compatible(&a.ty, &b.ty) {
            return Err(SimError::new(format!(
                "foreign key constraint \"{name}\" cannot be implemented\nKey columns \"{c}\" and \"{r}\" are of incompatible types: {} and {}.",
                a.ty.display(),
                b.ty.display()
            ))
            .help("Give the referencing column the same type as the referenced column."));
        }
    }
    let chars = chars(&fk.characteristics);
    Ok(Constraint {
        name: name.into(),
        kind: ConstraintKind::ForeignKey(ForeignKey {
            columns,
            ref_table: ref_q,
            ref_columns,
            on_delete_columns: if matches!(
                fk.on_delete,
                Some(ReferentialAction::SetNull | ReferentialAction::SetDefault)
            ) {
                let n = ctx.fk_delete_taken.get();
                ctx.fk_delete_taken.set(n + 1);
                ctx.extras.fk_delete_columns.get(n).cloned().unwrap_or_default()
            } else {
                Vec::new()
            },
            on_delete: action(&fk.on_delete),
            on_update: action(&fk.on_update),
            match_full: matches!(fk.match_kind, Some(ConstraintReferenceMatchKind::Full)),
        }),
        deferrable: chars.deferrable,
        initially_deferred: chars.initially_deferred,
        not_valid,
        parent: None,
        comment: None,
        origin: Origin::at(ctx.span),
    })
}
