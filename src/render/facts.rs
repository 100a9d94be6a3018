//! The schema as a list of normalized facts, object by object, that a live database can be checked against
//! (`schema-playground verify`).
//!
//! [`facts`] reads the engine's catalog; the CLI builds the same [`SchemaFacts`] from a database's `pg_catalog`;
//! [`compare`] lists every difference. Every text is the one PostgreSQL's own functions print, with
//! pretty-printing on as psql's `\d` calls them and `search_path` set to `public`: `format_type` for types,
//! `pg_get_expr` for defaults and generated columns, `pg_get_constraintdef`, `pg_get_indexdef`,
//! `pg_get_triggerdef`, `pg_get_partkeydef`. Names are quoted as `quote_ident` does.
//!
//! What is compared, per object:
//! - schemas (their comments), extensions (their schema; `plpgsql` is left out: every database has it);
//! - tables (ordinary, unlogged, partitioned): columns in order with type, collation, NOT NULL, default,
//!   identity, generated expression and comment; constraints, indexes (definition, CLUSTER, REPLICA IDENTITY,
//!   validity), triggers (definition, enabled state), row-level security and policies, partition key and bound,
//!   parents, comment;
//! - sequences: type and owning column; types: enum labels in order, a domain's base type, NOT NULL,
//!   default and CHECK constraints, a composite type's attributes; other types by name only;
//! - functions and procedures by identity (`schema.name(argument types)`): kind, language, body (the
//!   `prosrc` text; SQL-standard bodies and C functions are not compared), comment;
//! - views and materialized views by name, their triggers, comment and (materialized views) indexes.
//!
//! Not compared, because the engine does not model them (or not as PostgreSQL prints them): function return
//! types, volatility and other options, view definitions, domain CHECK constraints, sequence parameters
//! (start, increment, …), grants and owners, statistics, storage parameters of tables, tablespaces,
//! comments on sequences and policies, foreign tables, and objects that belong to an extension.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::catalog::model::*;
use crate::catalog::names::{quote_ident, relation_name};
use crate::render::psql::{constraint_def, index_using, trigger_def_on};
use crate::span::Span;

/// Schemas PostgreSQL creates for itself: never compared.
pub fn is_system_schema(schema: &str) -> bool {
    schema == "pg_catalog"
        || schema == "information_schema"
        || schema.starts_with("pg_toast")
        || schema.starts_with("pg_temp_")
}

/// `schema.name`, each part quoted as `quote_ident` does.
pub fn qualified(schema: &str, name: &str) -> String {
    format!("{}.{}", quote_ident(schema), quote_ident(name))
}

/// The whole schema, keyed by object. Keys are [`qualified`] names (functions add their argument types), so
/// that maps iterate in a stable order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SchemaFacts {
    pub schemas: BTreeMap<String, SchemaFact>,
    pub extensions: BTreeMap<String, ExtensionFact>,
    pub tables: BTreeMap<String, TableFacts>,
    pub sequences: BTreeMap<String, SequenceFacts>,
    pub types: BTreeMap<String, TypeFacts>,
    pub functions: BTreeMap<String, FunctionFacts>,
    pub views: BTreeMap<String, ViewFacts>,
}

/// Where an object comes from: the statement that created it and the last one that changed it. Only the
/// migrations' side has it; it never takes part in a comparison.
pub type Source = Option<Origin>;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SchemaFact {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(skip)]
    pub origin: Source,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ExtensionFact {
    pub schema: String,
    #[serde(skip)]
    pub origin: Source,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TableFacts {
    /// `table`, `unlogged table` or `partitioned table`.
    pub kind: String,
    /// In column-number order.
    pub columns: Vec<ColumnFacts>,
    /// Name → `pg_get_constraintdef(oid, true)` (not NULL constraints: those are the columns' `not_null`).
    pub constraints: BTreeMap<String, ConstraintFacts>,
    pub indexes: BTreeMap<String, IndexFacts>,
    pub triggers: BTreeMap<String, TriggerFacts>,
    pub row_security: bool,
    pub force_row_security: bool,
    pub policies: BTreeMap<String, PolicyFacts>,
    /// `pg_get_partkeydef`: `RANGE (created_at)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition_key: Option<String>,
    /// The parent and the bound: `measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition_of: Option<String>,
    /// `INHERITS` parents, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inherits: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(skip)]
    pub origin: Source,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ColumnFacts {
    pub name: String,
    /// `format_type(atttypid, atttypmod)`.
    #[serde(rename = "type")]
    pub ty: String,
    /// Only when it is not the type's default collation (as `\d` shows it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    pub not_null: bool,
    /// `pg_get_expr(adbin, adrelid, true)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// `always` or `by default`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
    /// A stored generated column's expression.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(skip)]
    pub origin: Source,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ConstraintFacts {
    pub definition: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(skip)]
    pub origin: Source,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct IndexFacts {
    /// `pg_get_indexdef(oid, 0, true)`: `CREATE UNIQUE INDEX users_email_key ON users USING btree (email)` (the
    /// table is qualified when its schema is not `public`).
    pub definition: String,
    /// The constraint (primary key, unique, exclusion) the index enforces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constraint: Option<String>,
    /// `ALTER TABLE … CLUSTER ON` chose it.
    pub clustered: bool,
    /// `ALTER TABLE … REPLICA IDENTITY USING INDEX` chose it.
    pub replica_identity: bool,
    /// False for an index a failed `CREATE INDEX CONCURRENTLY` left behind.
    pub valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(skip)]
    pub origin: Source,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TriggerFacts {
    /// `pg_get_triggerdef(oid, true)`.
    pub definition: String,
    /// `enabled`, `disabled`, `enabled always` or `enabled on replica only`.
    pub enabled: String,
    #[serde(skip)]
    pub origin: Source,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PolicyFacts {
    /// `AS PERMISSIVE FOR ALL TO public USING (…) WITH CHECK (…)`, the expressions as `pg_get_expr` prints
    /// them (as `\d` shows them), the roles sorted.
    pub definition: String,
    #[serde(skip)]
    pub origin: Source,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SequenceFacts {
    /// `format_type(seqtypid, NULL)`.
    #[serde(rename = "type")]
    pub ty: String,
    /// `schema.table.column` of the owning column (serial, identity, `OWNED BY`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<String>,
    #[serde(skip)]
    pub origin: Source,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TypeFacts {
    /// `enum`, `domain`, `composite` or `other` (range, base and shell types: compared by name only).
    pub kind: String,
    /// An enum's labels in sort order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    /// A domain's base type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// A domain's NOT NULL.
    pub not_null: bool,
    /// A domain's default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// A domain's CHECK constraints by name, as `pg_get_constraintdef(oid, true)` prints them.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub constraints: BTreeMap<String, String>,
    /// A composite type's attributes, `name type`, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(skip)]
    pub origin: Source,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FunctionFacts {
    /// `function` or `procedure`.
    pub kind: String,
    pub language: String,
    /// The source text (`prosrc`); `None` for SQL-standard bodies and C or internal functions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(skip)]
    pub origin: Source,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ViewFacts {
    /// `view` or `materialized view`.
    pub kind: String,
    pub triggers: BTreeMap<String, TriggerFacts>,
    /// A materialized view's indexes.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub indexes: BTreeMap<String, IndexFacts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(skip)]
    pub origin: Source,
}

/// The text of a trigger's enabled state (`pg_trigger.tgenabled`: `O`, `D`, `A`, `R`).
pub fn trigger_enabled(code: char) -> &'static str {
    match code {
        'D' => "disabled",
        'A' => "enabled always",
        'R' => "enabled on replica only",
        _ => "enabled",
    }
}

/// A policy as one line (see [`PolicyFacts::definition`]). `command` is `ALL`, `SELECT`, …; no roles means
/// PUBLIC.
pub fn policy_definition(
    restrictive: bool,
    command: &str,
    roles: &[String],
    using: Option<&str>,
    with_check: Option<&str>,
) -> String {
    let mut roles: Vec<String> = roles.iter().filter(|r| *r != "public").map(|r| quote_ident(r)).collect();
    roles.sort();
    let mut s = format!(
        "AS {} FOR {command} TO {}",
        if restrictive { "RESTRICTIVE" } else { "PERMISSIVE" },
        if roles.is_empty() { "public".to_string() } else { roles.join(", ") }
    );
    if let Some(u) = using {
        s.push_str(&format!(" USING ({u})"));
    }
    if let Some(c) = with_check {
        s.push_str(&format!(" WITH CHECK ({c})"));
    }
    s
}

/// `pg_get_indexdef(oid, 0, true)` for one of the engine's indexes: the pretty form, as psql's `\d` asks for it,
/// whose expressions the engine prints. (Without pretty-printing, PostgreSQL always qualifies the table,
/// `ON public.users`, but also parenthesises expressions, `lower((email)::text)`.)
pub fn index_definition(idx: &Index, on_partitioned_table: bool) -> String {
    format!(
        "CREATE {}INDEX {} ON {}{} USING {}",
        if idx.unique { "UNIQUE " } else { "" },
        quote_ident(&idx.name.name),
        if on_partitioned_table { "ONLY " } else { "" },
        relation_name(&idx.table),
        index_using(idx)
    )
}

fn index_facts(i: &Index, on_partitioned_table: bool) -> IndexFacts {
    IndexFacts {
        definition: index_definition(i, on_partitioned_table),
        constraint: i.constraint.clone(),
        clustered: i.clustered,
        replica_identity: i.replica_identity,
        valid: true,
        comment: i.comment.clone(),
        origin: Some(i.origin),
    }
}

fn trigger_facts(relation: &QualName, t: &Trigger) -> TriggerFacts {
    let create = if t.constraint { "CREATE CONSTRAINT TRIGGER " } else { "CREATE TRIGGER " };
    let enabled = match t.enabled {
        TriggerEnabled::Origin => 'O',
        TriggerEnabled::Disabled => 'D',
        TriggerEnabled::Always => 'A',
        TriggerEnabled::Replica => 'R',
    };
    TriggerFacts {
        definition: format!("{create}{}", trigger_def_on(relation, t)),
        enabled: trigger_enabled(enabled).to_string(),
        origin: Some(t.origin),
    }
}

/// The origin, unless it is the default one of objects every database has (the `public` schema).
fn source(origin: Origin) -> Source {
    (origin != Origin::default()).then_some(origin)
}

/// What the engine's catalog says, as facts.
pub fn facts(catalog: &Catalog) -> SchemaFacts {
    let mut out = SchemaFacts::default();
    for s in catalog.schemas.values().filter(|s| !is_system_schema(&s.name)) {
        out.schemas.insert(quote_ident(&s.name), SchemaFact { comment: s.comment.clone(), origin: source(s.origin) });
    }
    for e in catalog.extensions.values().filter(|e| e.name != "plpgsql") {
        out.extensions
            .insert(quote_ident(&e.name), ExtensionFact { schema: e.schema.clone(), origin: source(e.origin) });
    }
    for t in catalog.tables.values().filter(|t| !is_system_schema(&t.name.schema)) {
        out.tables.insert(qualified(&t.name.schema, &t.name.name), table_facts(catalog, t));
    }
    for s in catalog.sequences.values().filter(|s| !is_system_schema(&s.name.schema)) {
        let owned_by =
            s.owned_by.as_ref().map(|(t, c)| format!("{}.{}", qualified(&t.schema, &t.name), quote_ident(c)));
        out.sequences.insert(
            qualified(&s.name.schema, &s.name.name),
            SequenceFacts { ty: s.ty.display(), owned_by, origin: Some(s.origin) },
        );
    }
    for t in catalog.types.values().filter(|t| !is_system_schema(&t.name.schema)) {
        let mut f = TypeFacts { comment: t.comment.clone(), origin: Some(t.origin), ..TypeFacts::default() };
        match &t.kind {
            UserTypeKind::Enum { labels } => {
                f.kind = "enum".into();
                f.labels = labels.clone();
            }
            UserTypeKind::Domain { base, not_null, default, checks } => {
                f.kind = "domain".into();
                f.base = Some(base.display());
                f.not_null = *not_null;
                f.default = default.clone();
                f.constraints = checks.iter().map(|c| (c.name.clone(), c.definition())).collect();
            }
            UserTypeKind::Composite { attributes } => {
                f.kind = "composite".into();
                f.attributes =
                    attributes.iter().map(|(n, ty)| format!("{} {}", quote_ident(n), ty.display())).collect();
            }
            UserTypeKind::Other => f.kind = "other".into(),
        }
        out.types.insert(qualified(&t.name.schema, &t.name.name), f);
    }
    for f in catalog.functions.values().flat_map(|l| l.iter()).filter(|f| !is_system_schema(&f.name.schema)) {
        let body = match f.language.as_str() {
            "c" | "internal" => None,
            // The engine parses SQL-standard bodies (RETURN …, BEGIN ATOMIC … END) and does not keep their text.
            _ if f.body == "BEGIN ATOMIC … END" => None,
            _ => Some(f.body.clone()),
        };
        out.functions.insert(
            function_key(&f.name.schema, &f.name.name, &f.arg_types.join(", ")),
            FunctionFacts {
                kind: if f.procedure { "procedure" } else { "function" }.into(),
                language: f.language.clone(),
                body,
                comment: f.comment.clone(),
                origin: Some(f.origin),
            },
        );
    }
    for v in catalog.views.values().filter(|v| !is_system_schema(&v.name.schema)) {
        out.views.insert(
            qualified(&v.name.schema, &v.name.name),
            ViewFacts {
                kind: if v.materialized { "materialized view" } else { "view" }.into(),
                triggers: v.triggers.iter().map(|t| (t.name.clone(), trigger_facts(&v.name, t))).collect(),
                indexes: catalog
                    .indexes_of(&v.name)
                    .map(|i| (i.name.name.to_string(), index_facts(i, false)))
                    .collect(),
                comment: v.comment.clone(),
                origin: Some(v.origin),
            },
        );
    }
    out
}

/// `schema.name(argument types)`: a function's identity, as `regprocedure` prints it when the schema is shown.
pub fn function_key(schema: &str, name: &str, arg_types: &str) -> String {
    format!("{}({arg_types})", qualified(schema, name))
}

fn table_facts(catalog: &Catalog, t: &Table) -> TableFacts {
    let partitioned = t.kind.is_partitioned();
    let columns = t
        .columns
        .iter()
        .map(|c| ColumnFacts {
            name: c.name.to_string(),
            ty: c.ty.display(),
            collation: c.collation.clone(),
            not_null: c.not_null,
            default: if c.identity.is_none() && c.generated.is_none() { c.default.clone() } else { None },
            identity: c.identity.map(|i| match i {
                Identity::Always => "always".to_string(),
                Identity::ByDefault => "by default".to_string(),
            }),
            generated: if c.identity.is_none() { c.generated.clone() } else { None },
            comment: c.comment.clone(),
            origin: Some(c.origin),
        })
        .collect();
    let constraints = t
        .constraints
        .iter()
        .map(|c| {
            (
                c.name.to_string(),
                ConstraintFacts { definition: constraint_def(c), comment: c.comment.clone(), origin: Some(c.origin) },
            )
        })
        .collect();
    let indexes = catalog.indexes_of(&t.name).map(|i| (i.name.name.to_string(), index_facts(i, partitioned))).collect();
    let policies = t
        .policies
        .iter()
        .map(|p| {
            let definition = policy_definition(
                p.restrictive,
                p.command.unwrap_or("ALL"),
                &p.roles,
                p.using.as_deref(),
                p.with_check.as_deref(),
            );
            (p.name.clone(), PolicyFacts { definition, origin: Some(p.origin) })
        })
        .collect();
    TableFacts {
        kind: match t.kind {
            TableKind::Ordinary => "table",
            TableKind::Unlogged => "unlogged table",
            TableKind::Partitioned => "partitioned table",
            TableKind::UnloggedPartitioned => "unlogged partitioned table",
        }
        .into(),
        columns,
        constraints,
        indexes,
        triggers: t.triggers.iter().map(|tr| (tr.name.clone(), trigger_facts(&t.name, tr))).collect(),
        row_security: t.row_security,
        force_row_security: t.force_row_security,
        policies,
        partition_key: t.partition_key.clone(),
        partition_of: t.partition_of.as_ref().map(|(parent, bound)| format!("{} {bound}", relation_name(parent))),
        inherits: t.inherits.iter().map(relation_name).collect(),
        comment: t.comment.clone(),
        origin: Some(t.origin),
    }
}

/// Whether a difference is something the database lacks, something only it has, or a value that differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DifferenceKind {
    /// The migrations create it; the database does not have it.
    MissingInDatabase,
    /// The database has it; the migrations do not create it.
    OnlyInDatabase,
    /// Both have it, with different values.
    Differs,
}

/// One difference between the migrations and a database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// `table public.users`, `function public.touch()`, `schema app`.
    pub object: String,
    /// Part of the object: `column email`, `index users_email_idx`, `trigger set_updated_at`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// What differs: `type`, `default`, `definition`, `labels`, …; none for the item or object as a whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aspect: Option<String>,
    pub kind: DifferenceKind,
    /// The value in the database (for `differs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// The value in the migrations (for `differs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub migrations: Option<String>,
    /// The migration file that created (or last changed) it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub migration: Option<String>,
}

/// Aspects whose values say it all (`not null in the database, nullable in the migrations`).
const FLAGS: [&str; 6] =
    ["nullability", "validity", "clustering", "replica identity", "row level security", "forced row level security"];
/// Aspects that name several things.
const PLURAL: [&str; 3] = ["labels", "attributes", "parents"];

fn shown(value: &Option<String>) -> String {
    value.clone().unwrap_or_else(|| "none".into())
}

impl Difference {
    /// One line: `table public.users: column email: type is character varying(320) in the database, text in
    /// the migrations`.
    pub fn line(&self) -> String {
        let at = self.migration.as_ref().map(|m| format!(" (migration {m})")).unwrap_or_default();
        let lead = match &self.item {
            Some(item) => format!("{}: {item}", self.object),
            None => self.object.clone(),
        };
        match self.kind {
            DifferenceKind::MissingInDatabase if self.item.is_none() => format!("missing in the database: {lead}{at}"),
            DifferenceKind::OnlyInDatabase if self.item.is_none() => {
                format!("only in the database: {lead} (created by hand?)")
            }
            DifferenceKind::MissingInDatabase => format!("{lead}: missing in the database{at}"),
            DifferenceKind::OnlyInDatabase => format!("{lead}: only in the database (created by hand?)"),
            DifferenceKind::Differs => {
                let (db, mig) = (shown(&self.database), shown(&self.migrations));
                let what = match self.aspect.as_deref() {
                    Some(a) if FLAGS.contains(&a) => String::new(),
                    Some(a) if PLURAL.contains(&a) => format!("{a} are "),
                    Some(a) => format!("{a} is "),
                    None => String::new(),
                };
                if db.contains('\n') || mig.contains('\n') {
                    let aspect = self.aspect.as_deref().unwrap_or("definition");
                    format!(
                        "{lead}: {aspect} differs ({} line{} in the database, {} in the migrations){at}",
                        db.lines().count(),
                        if db.lines().count() == 1 { "" } else { "s" },
                        mig.lines().count()
                    )
                } else {
                    format!("{lead}: {what}{db} in the database, {mig} in the migrations{at}")
                }
            }
        }
    }
}

/// Names the migration file of a span (`None` for objects every database has).
pub type FileName<'a> = &'a dyn Fn(Span) -> Option<String>;

/// The keys of both maps in order, with each side's value.
fn pairs<'a, V>(
    mig: &'a BTreeMap<String, V>,
    db: &'a BTreeMap<String, V>,
) -> Vec<(&'a str, Option<&'a V>, Option<&'a V>)> {
    let keys: BTreeSet<&String> = mig.keys().chain(db.keys()).collect();
    keys.into_iter().map(|k| (k.as_str(), mig.get(k), db.get(k))).collect()
}

/// What a difference is about: an object, maybe one of its items, and where the migrations made it.
#[derive(Clone, Copy)]
struct At<'s> {
    object: &'s str,
    item: Option<&'s str>,
    origin: Source,
}

impl<'s> At<'s> {
    fn object(object: &'s str, origin: Source) -> At<'s> {
        At { object, item: None, origin }
    }

    fn item(self, item: &'s str, origin: Source) -> At<'s> {
        At { item: Some(item), origin, ..self }
    }
}

struct Differ<'a> {
    out: Vec<Difference>,
    file: FileName<'a>,
}

fn some(s: &str) -> Option<String> {
    Some(s.to_string())
}

impl Differ<'_> {
    fn push(
        &mut self,
        at: At,
        aspect: Option<&str>,
        kind: DifferenceKind,
        database: Option<String>,
        migrations: Option<String>,
    ) {
        let span = at.origin.map(|o| if kind == DifferenceKind::Differs { o.changed } else { o.created });
        let migration = if kind == DifferenceKind::OnlyInDatabase { None } else { span.and_then(|s| (self.file)(s)) };
        self.out.push(Difference {
            object: at.object.to_string(),
            item: at.item.map(str::to_string),
            aspect: aspect.map(str::to_string),
            kind,
            database,
            migrations,
            migration,
        });
    }

    /// Something on one side only (`mig` says which).
    fn one_side(&mut self, at: At, in_migrations: bool) {
        let kind = if in_migrations { DifferenceKind::MissingInDatabase } else { DifferenceKind::OnlyInDatabase };
        self.push(at, None, kind, None, None);
    }

    fn text(&mut self, at: At, aspect: &str, mig: &Option<String>, db: &Option<String>) {
        if mig != db {
            self.push(at, Some(aspect), DifferenceKind::Differs, db.clone(), mig.clone());
        }
    }

    fn string(&mut self, at: At, aspect: &str, mig: &str, db: &str) {
        if mig != db {
            self.push(at, Some(aspect), DifferenceKind::Differs, some(db), some(mig));
        }
    }

    /// A yes/no fact, shown as `words[0]` (yes) or `words[1]` (no).
    fn flag(&mut self, at: At, aspect: &str, mig: bool, db: bool, words: [&str; 2]) {
        if mig != db {
            let word = |b: bool| some(words[usize::from(!b)]);
            self.push(at, Some(aspect), DifferenceKind::Differs, word(db), word(mig));
        }
    }

    fn list(&mut self, at: At, aspect: &str, mig: &[String], db: &[String], show: impl Fn(&[String]) -> String) {
        if mig != db {
            self.push(at, Some(aspect), DifferenceKind::Differs, Some(show(db)), Some(show(mig)));
        }
    }

    /// The items of one kind of an object (its constraints, indexes, …): those on one side only, unless
    /// `skip` says they are reported otherwise, and `both` for those on both sides.
    fn items<V>(
        &mut self,
        at: At,
        kind: &str,
        (mig, db): (&BTreeMap<String, V>, &BTreeMap<String, V>),
        origin: impl Fn(&V) -> Source,
        skip: impl Fn(&str, bool) -> bool,
        mut both: impl FnMut(&mut Self, At, &V, &V),
    ) {
        for (name, m, d) in pairs(mig, db) {
            let item = format!("{kind} {}", quote_ident(name));
            match (m, d) {
                (Some(m), Some(d)) => both(self, at.item(&item, origin(m)), m, d),
                (Some(m), None) if !skip(name, true) => self.one_side(at.item(&item, origin(m)), true),
                (None, Some(_)) if !skip(name, false) => self.one_side(at.item(&item, None), false),
                _ => {}
            }
        }
    }

    fn triggers(&mut self, at: At, mig: &BTreeMap<String, TriggerFacts>, db: &BTreeMap<String, TriggerFacts>) {
        self.items(
            at,
            "trigger",
            (mig, db),
            |t| t.origin,
            |_, _| false,
            |d, at, m, x| {
                d.string(at, "definition", &m.definition, &x.definition);
                d.string(at, "state", &m.enabled, &x.enabled);
            },
        );
    }

    fn columns(&mut self, at: At, mig: &[ColumnFacts], db: &[ColumnFacts]) {
        let by_name = |cols: &[ColumnFacts]| -> BTreeMap<String, ColumnFacts> {
            cols.iter().map(|c| (c.name.clone(), c.clone())).collect()
        };
        let (m, d) = (by_name(mig), by_name(db));
        self.items(
            at,
            "column",
            (&m, &d),
            |c| c.origin,
            |_, _| false,
            |x, at, m, d| {
                x.string(at, "type", &m.ty, &d.ty);
                x.text(at, "collation", &m.collation, &d.collation);
                x.flag(at, "nullability", m.not_null, d.not_null, ["not null", "nullable"]);
                x.text(at, "default", &m.default, &d.default);
                x.text(at, "identity", &m.identity, &d.identity);
                x.text(at, "generated expression", &m.generated, &d.generated);
                x.text(at, "comment", &m.comment, &d.comment);
            },
        );
        // The order of the columns both sides have.
        let order = |cols: &[ColumnFacts], other: &BTreeMap<String, ColumnFacts>| -> Vec<String> {
            cols.iter().filter(|c| other.contains_key(&c.name)).map(|c| quote_ident(&c.name)).collect()
        };
        self.list(at, "column order", &order(mig, &d), &order(db, &m), |v| v.join(", "));
    }

    fn table(&mut self, at: At, m: &TableFacts, d: &TableFacts) {
        self.string(at, "kind", &m.kind, &d.kind);
        self.columns(at, &m.columns, &d.columns);
        self.items(
            at,
            "constraint",
            (&m.constraints, &d.constraints),
            |c| c.origin,
            |_, _| false,
            |x, at, m, d| {
                x.string(at, "definition", &m.definition, &d.definition);
                x.text(at, "comment", &m.comment, &d.comment);
            },
        );
        // An index that enforces a constraint comes and goes with it: only the constraint is reported.
        let with_constraint = |name: &str, in_migrations: bool| {
            let (this, other) = if in_migrations { (m, d) } else { (d, m) };
            let constraint = this.indexes.get(name).and_then(|i| i.constraint.as_ref());
            constraint.is_some_and(|c| this.constraints.contains_key(c) && !other.constraints.contains_key(c))
        };
        self.items(
            at,
            "index",
            (&m.indexes, &d.indexes),
            |i| i.origin,
            with_constraint,
            |x, at, m, d| {
                x.string(at, "definition", &m.definition, &d.definition);
                x.flag(at, "validity", m.valid, d.valid, ["valid", "INVALID (a failed CREATE INDEX CONCURRENTLY?)"]);
                x.flag(at, "clustering", m.clustered, d.clustered, ["clustered", "not clustered"]);
                let words = ["the replica identity", "not the replica identity"];
                x.flag(at, "replica identity", m.replica_identity, d.replica_identity, words);
                x.text(at, "comment", &m.comment, &d.comment);
            },
        );
        self.triggers(at, &m.triggers, &d.triggers);
        let words = ["row level security enabled", "row level security disabled"];
        self.flag(at, "row level security", m.row_security, d.row_security, words);
        let words = ["row level security forced", "row level security not forced"];
        self.flag(at, "forced row level security", m.force_row_security, d.force_row_security, words);
        self.items(
            at,
            "policy",
            (&m.policies, &d.policies),
            |p| p.origin,
            |_, _| false,
            |x, at, m, d| {
                x.string(at, "definition", &m.definition, &d.definition);
            },
        );
        self.text(at, "partition key", &m.partition_key, &d.partition_key);
        self.text(at, "partition bound", &m.partition_of, &d.partition_of);
        let parents = |v: &[String]| if v.is_empty() { "none".to_string() } else { v.join(", ") };
        self.list(at, "parents", &m.inherits, &d.inherits, parents);
        self.text(at, "comment", &m.comment, &d.comment);
    }

    fn type_(&mut self, at: At, m: &TypeFacts, d: &TypeFacts) {
        self.string(at, "kind", &m.kind, &d.kind);
        let labels = |v: &[String]| {
            let quoted: Vec<String> = v.iter().map(|l| format!("'{}'", l.replace('\'', "''"))).collect();
            format!("({})", quoted.join(", "))
        };
        self.list(at, "labels", &m.labels, &d.labels, labels);
        self.text(at, "base type", &m.base, &d.base);
        self.flag(at, "nullability", m.not_null, d.not_null, ["not null", "nullable"]);
        self.text(at, "default", &m.default, &d.default);
        let origin = m.origin;
        self.items(
            at,
            "constraint",
            (&m.constraints, &d.constraints),
            |_| origin,
            |_, _| false,
            |x, at, m, d| x.string(at, "definition", m, d),
        );
        self.list(at, "attributes", &m.attributes, &d.attributes, |v| v.join(", "));
        self.text(at, "comment", &m.comment, &d.comment);
    }

    fn function(&mut self, at: At, m: &FunctionFacts, d: &FunctionFacts) {
        self.string(at, "kind", &m.kind, &d.kind);
        self.string(at, "language", &m.language, &d.language);
        if m.body.is_some() && d.body.is_some() {
            self.text(at, "body", &m.body, &d.body);
        }
        self.text(at, "comment", &m.comment, &d.comment);
    }

    /// The objects of one kind: those on one side only, and `both` for those on both sides.
    fn objects<V>(
        &mut self,
        label: impl Fn(&str, &V) -> String,
        (mig, db): (&BTreeMap<String, V>, &BTreeMap<String, V>),
        origin: impl Fn(&V) -> Source,
        mut both: impl FnMut(&mut Self, At, &V, &V),
    ) {
        for (key, m, d) in pairs(mig, db) {
            match (m, d) {
                (Some(m), Some(d)) => both(self, At::object(&label(key, m), origin(m)), m, d),
                (Some(m), None) => self.one_side(At::object(&label(key, m), origin(m)), true),
                (None, Some(d)) => self.one_side(At::object(&label(key, d), None), false),
                (None, None) => {}
            }
        }
    }
}

/// Every difference between the migrations' facts and a database's, grouped by object: schemas, extensions,
/// tables, sequences, types, functions, views, each in name order. `file` names the migration of an origin.
pub fn compare(migrations: &SchemaFacts, database: &SchemaFacts, file: FileName<'_>) -> Vec<Difference> {
    let mut d = Differ { out: Vec::new(), file };
    let (m, x) = (migrations, database);
    d.objects(
        |k, _| format!("schema {k}"),
        (&m.schemas, &x.schemas),
        |s| s.origin,
        |d, at, m, x| {
            d.text(at, "comment", &m.comment, &x.comment);
        },
    );
    d.objects(
        |k, _| format!("extension {k}"),
        (&m.extensions, &x.extensions),
        |e| e.origin,
        |d, at, m, x| {
            d.string(at, "schema", &m.schema, &x.schema);
        },
    );
    d.objects(|k, _| format!("table {k}"), (&m.tables, &x.tables), |t| t.origin, Differ::table);
    d.objects(
        |k, _| format!("sequence {k}"),
        (&m.sequences, &x.sequences),
        |s| s.origin,
        |d, at, m, x| {
            d.string(at, "type", &m.ty, &x.ty);
            d.text(at, "owner", &m.owned_by, &x.owned_by);
        },
    );
    d.objects(|k, _| format!("type {k}"), (&m.types, &x.types), |t| t.origin, Differ::type_);
    let function = |k: &str, f: &FunctionFacts| format!("{} {k}", f.kind);
    d.objects(function, (&m.functions, &x.functions), |f| f.origin, Differ::function);
    let view = |k: &str, v: &ViewFacts| format!("{} {k}", v.kind);
    d.objects(
        view,
        (&m.views, &x.views),
        |v| v.origin,
        |d, at, m, x| {
            d.string(at, "kind", &m.kind, &x.kind);
            d.triggers(at, &m.triggers, &x.triggers);
            d.items(
                at,
                "index",
                (&m.indexes, &x.indexes),
                |i| i.origin,
                |_, _| false,
                |d, at, m, x| {
                    d.string(at, "definition", &m.definition, &x.definition);
                    d.flag(
                        at,
                        "validity",
                        m.valid,
                        x.valid,
                        ["valid", "INVALID (a failed CREATE INDEX CONCURRENTLY?)"],
                    );
                    d.text(at, "comment", &m.comment, &x.comment);
                },
            );
            d.text(at, "comment", &m.comment, &x.comment);
        },
    );
    d.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Options, SourceFile, analyze};

    fn catalog(files: &[(&str, &str)]) -> Catalog {
        let files = files.iter().map(|(n, t)| SourceFile::new(*n, *t)).collect();
        let analysis = analyze(files, &Options::default());
        assert!(!analysis.has_errors(), "{:?}", analysis.diagnostics);
        analysis.catalog
    }

    fn no_file(_: Span) -> Option<String> {
        None
    }

    const SCHEMA: &str = "
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE SCHEMA app;
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email varchar(320) NOT NULL UNIQUE,
    name text COLLATE \"C\" DEFAULT 'x',
    feeling mood,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT email_has_at CHECK (email LIKE '%@%')
);
CREATE INDEX users_lower_name_idx ON users (lower(name)) WHERE name IS NOT NULL;
CREATE TABLE app.posts (id serial PRIMARY KEY, user_id bigint REFERENCES users (id) ON DELETE CASCADE, body text);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER posts_touch BEFORE UPDATE ON app.posts FOR EACH ROW EXECUTE FUNCTION touch();
CREATE VIEW app.recent AS SELECT id FROM app.posts;
COMMENT ON COLUMN users.email IS 'login';
";

    #[test]
    fn facts_print_what_postgresql_prints() {
        let f = facts(&catalog(&[("001_init.sql", SCHEMA)]));
        assert_eq!(f.schemas.keys().collect::<Vec<_>>(), ["app", "public"]);
        let users = &f.tables["public.users"];
        assert_eq!(users.kind, "table");
        let cols: Vec<(&str, &str)> = users.columns.iter().map(|c| (c.name.as_str(), c.ty.as_str())).collect();
        assert_eq!(
            cols,
            [
                ("id", "bigint"),
                ("email", "character varying(320)"),
                ("name", "text"),
                ("feeling", "mood"),
                ("created_at", "timestamp with time zone")
            ]
        );
        assert_eq!(users.columns[0].identity.as_deref(), Some("always"));
        assert_eq!(users.columns[0].default, None);
        assert!(users.columns[1].not_null);
        assert_eq!(users.columns[1].comment.as_deref(), Some("login"));
        assert_eq!(users.columns[2].collation.as_deref(), Some("C"));
        assert_eq!(users.columns[2].default.as_deref(), Some("'x'::text"));
        assert_eq!(users.columns[4].default.as_deref(), Some("now()"));
        assert_eq!(users.constraints["users_pkey"].definition, "PRIMARY KEY (id)");
        assert_eq!(users.constraints["email_has_at"].definition, "CHECK (email::text ~~ '%@%'::text)");
        assert_eq!(users.indexes["users_pkey"].definition, "CREATE UNIQUE INDEX users_pkey ON users USING btree (id)");
        assert_eq!(users.indexes["users_pkey"].constraint.as_deref(), Some("users_pkey"));
        assert_eq!(
            users.indexes["users_email_key"].definition,
            "CREATE UNIQUE INDEX users_email_key ON users USING btree (email)"
        );
        assert_eq!(
            users.indexes["users_lower_name_idx"].definition,
            "CREATE INDEX users_lower_name_idx ON users USING btree (lower(name)) WHERE name IS NOT NULL"
        );
        let posts = &f.tables["app.posts"];
        assert_eq!(posts.columns[0].default.as_deref(), Some("nextval('app.posts_id_seq'::regclass)"));
        assert_eq!(
            posts.constraints["posts_user_id_fkey"].definition,
            "FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE"
        );
        assert_eq!(
            posts.triggers["posts_touch"].definition,
            "CREATE TRIGGER posts_touch BEFORE UPDATE ON app.posts FOR EACH ROW EXECUTE FUNCTION touch()"
        );
        assert_eq!(posts.triggers["posts_touch"].enabled, "enabled");
        assert_eq!(f.sequences["app.posts_id_seq"].owned_by.as_deref(), Some("app.posts.id"));
        assert_eq!(f.sequences["app.posts_id_seq"].ty, "integer");
        assert_eq!(f.sequences["public.users_id_seq"].ty, "bigint");
        assert_eq!(f.types["public.mood"].labels, ["happy", "sad"]);
        let touch = &f.functions["public.touch()"];
        assert_eq!((touch.kind.as_str(), touch.language.as_str()), ("function", "plpgsql"));
        assert_eq!(touch.body.as_deref(), Some("BEGIN RETURN NEW; END"));
        assert_eq!(f.views["app.recent"].kind, "view");
        // Serializable, in a stable order.
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(json, serde_json::to_string(&facts(&catalog(&[("001_init.sql", SCHEMA)]))).unwrap());
        assert!(json.contains("\"type\":\"character varying(320)\""), "{json}");
    }

    #[test]
    fn identical_facts_have_no_difference() {
        let f = facts(&catalog(&[("001_init.sql", SCHEMA)]));
        assert_eq!(compare(&f, &f.clone(), &no_file), []);
    }

    #[test]
    fn every_drift_is_one_line_grouped_by_object() {
        let mig = facts(&catalog(&[("001_init.sql", SCHEMA), ("002_audit.sql", "CREATE TABLE audit_log (id int);")]));
        let db = facts(&catalog(&[(
            "001_init.sql",
            &format!(
                "{SCHEMA}
ALTER TABLE users ALTER COLUMN email TYPE text;
ALTER TABLE users ALTER COLUMN name DROP DEFAULT;
ALTER TABLE users ADD COLUMN nickname text;
ALTER TABLE users DROP CONSTRAINT email_has_at;
CREATE INDEX users_created_at_idx ON users (created_at);
ALTER TYPE mood ADD VALUE 'meh';
DROP TRIGGER posts_touch ON app.posts;
CREATE TABLE extra (id int);
"
            ),
        )]));
        let names = ["001_init.sql", "002_audit.sql"];
        let file = |s: Span| Some(names[s.file as usize].to_string());
        let lines: Vec<String> = compare(&mig, &db, &file).iter().map(Difference::line).collect();
        assert_eq!(
            lines,
            [
                "table app.posts: trigger posts_touch: missing in the database (migration 001_init.sql)",
                "missing in the database: table public.audit_log (migration 002_audit.sql)",
                "only in the database: table public.extra (created by hand?)",
                "table public.users: column email: type is text in the database, character varying(320) in the migrations (migration 001_init.sql)",
                "table public.users: column name: default is none in the database, 'x'::text in the migrations (migration 001_init.sql)",
                "table public.users: column nickname: only in the database (created by hand?)",
                "table public.users: constraint email_has_at: missing in the database (migration 001_init.sql)",
                "table public.users: index users_created_at_idx: only in the database (created by hand?)",
                "type public.mood: labels are ('happy', 'sad', 'meh') in the database, ('happy', 'sad') in the migrations (migration 001_init.sql)",
            ]
        );
    }

    #[test]
    fn an_index_goes_with_its_constraint() {
        let mig = facts(&catalog(&[("001_init.sql", "CREATE TABLE t (a int CONSTRAINT t_a_key UNIQUE);")]));
        let db = facts(&catalog(&[("001_init.sql", "CREATE TABLE t (a int);")]));
        let lines: Vec<String> = compare(&mig, &db, &no_file).iter().map(Difference::line).collect();
        assert_eq!(lines, ["table public.t: constraint t_a_key: missing in the database"]);
        let lines: Vec<String> = compare(&db, &mig, &no_file).iter().map(Difference::line).collect();
        assert_eq!(lines, ["table public.t: constraint t_a_key: only in the database (created by hand?)"]);
    }

    #[test]
    fn a_materialized_views_indexes_are_facts_of_the_view() {
        let base = "CREATE TABLE t (a int, b text);\nCREATE MATERIALIZED VIEW m AS SELECT a, lower(b) FROM t;\n";
        let with_index = format!("{base}CREATE UNIQUE INDEX ON m (a) WHERE a > 0;");
        let mig = facts(&catalog(&[("001_init.sql", with_index.as_str())]));
        assert_eq!(
            mig.views["public.m"].indexes["m_a_idx"].definition,
            "CREATE UNIQUE INDEX m_a_idx ON m USING btree (a) WHERE a > 0"
        );
        let db = facts(&catalog(&[("001_init.sql", base)]));
        let lines: Vec<String> = compare(&mig, &db, &no_file).iter().map(Difference::line).collect();
        assert_eq!(lines, ["materialized view public.m: index m_a_idx: missing in the database"]);
    }

    #[test]
    fn column_order_function_bodies_and_trigger_states() {
        let base = "CREATE TABLE t (a int, b int, c int);
CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN
RETURN NEW;
END$$;
CREATE TRIGGER t_f AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();";
        let mig = facts(&catalog(&[("001_init.sql", base)]));
        let db = facts(&catalog(&[(
            "001_init.sql",
            "CREATE TABLE t (a int, c int, b int);
CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN
RETURN NULL;
END$$;
CREATE TRIGGER t_f AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();
ALTER TABLE t DISABLE TRIGGER t_f;",
        )]));
        let diffs = compare(&mig, &db, &no_file);
        let lines: Vec<String> = diffs.iter().map(Difference::line).collect();
        assert_eq!(
            lines,
            [
                "table public.t: column order is a, c, b in the database, a, b, c in the migrations",
                "table public.t: trigger t_f: state is disabled in the database, enabled in the migrations",
                "function public.f(): body differs (3 lines in the database, 3 in the migrations)",
            ]
        );
        assert_eq!(diffs[2].database.as_deref(), Some("BEGIN\nRETURN NULL;\nEND"));
        let json = serde_json::to_value(&diffs[1]).unwrap();
        assert_eq!(json["kind"], "differs");
        assert_eq!(json["item"], "trigger t_f");
    }

    #[test]
    fn policies_are_one_line_with_sorted_roles() {
        assert_eq!(
            policy_definition(false, "SELECT", &["b".into(), "a".into()], Some("(owner = CURRENT_USER)"), None),
            "AS PERMISSIVE FOR SELECT TO a, b USING ((owner = CURRENT_USER))"
        );
        assert_eq!(
            policy_definition(true, "ALL", &[], None, Some("true")),
            "AS RESTRICTIVE FOR ALL TO public WITH CHECK (true)"
        );
    }
}
