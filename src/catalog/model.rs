//! The schema model: what PostgreSQL's system catalogs would hold after the migrations ran.
//! Maps are ordered so that every output is deterministic; tables are behind `Arc` so a snapshot
//! per migration shares everything that did not change.

/// Ordered and persistent: cloning a catalog (a snapshot per statement and per migration) is O(1), and
/// a change copies only the path to the changed entry.
pub type Map<K, V> = imbl::OrdMap<K, V>;

/// What `BTreeMap` offers and the persistent map spells differently.
pub trait MapExt<K, V> {
    /// Keeps the entries for which `keep` is true.
    fn retain(&mut self, keep: impl FnMut(&K, &V) -> bool);
    /// Calls `f`, mutably, on the values for which `needs` is true. Only those are copied: the rest
    /// stays shared with earlier snapshots of the map.
    fn update_where(&mut self, needs: impl FnMut(&V) -> bool, f: impl FnMut(&mut V));
}

impl<K: Ord + Clone, V: Clone> MapExt<K, V> for Map<K, V> {
    fn retain(&mut self, mut keep: impl FnMut(&K, &V) -> bool) {
        let doomed: Vec<K> = self.iter().filter(|(k, v)| !keep(k, v)).map(|(k, _)| k.clone()).collect();
        for k in doomed {
            self.remove(&k);
        }
    }

    fn update_where(&mut self, mut needs: impl FnMut(&V) -> bool, mut f: impl FnMut(&mut V)) {
        let keys: Vec<K> = self.iter().filter(|(_, v)| needs(v)).map(|(k, _)| k.clone()).collect();
        for k in keys {
            if let Some(v) = self.get_mut(&k) {
                f(v);
            }
        }
    }
}
use std::sync::Arc;

use serde::Serialize;

use crate::catalog::types::TypeRef;
use crate::span::Span;

/// An identifier as the catalog keeps it: names of up to 23 bytes sit inline and longer ones are shared,
/// so copying a name (every key of a map node that a statement changes is copied) never allocates.
pub type Name = smol_str::SmolStr;

/// The schema of a session's temporary relations (`CREATE TEMP TABLE`): searched before the search path,
/// emptied when the session, a migration file, ends (`simulate::end_session`).
pub const TEMP_SCHEMA: &str = "pg_temp";

/// A schema-qualified name, already case-folded as PostgreSQL stores it.
#[derive(Clone, Debug, Eq, PartialOrd, Ord, Serialize)]
pub struct QualName {
    pub schema: Name,
    pub name: Name,
}

/// Names first: most of a schema shares one schema name, so comparing it first would compare equal
/// bytes on every lookup by scan. Same equality as the derived one, so it agrees with `Ord` and `Hash` (both fields).
impl PartialEq for QualName {
    fn eq(&self, other: &QualName) -> bool {
        self.name == other.name && self.schema == other.schema
    }
}

impl std::hash::Hash for QualName {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.schema.hash(state);
        self.name.hash(state);
    }
}

impl QualName {
    pub fn new(schema: impl Into<Name>, name: impl Into<Name>) -> QualName {
        QualName { schema: schema.into(), name: name.into() }
    }

    pub fn public(name: impl Into<Name>) -> QualName {
        QualName::new("public", name)
    }
}

/// Where an object came from and where it was last changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub created: Span,
    pub changed: Span,
}

impl Origin {
    pub fn at(span: Span) -> Origin {
        Origin { created: span, changed: span }
    }
}

/// Maps keyed by qualified names serialise with `schema.name` keys (JSON keys must be strings).
fn qual_map<S: serde::Serializer, V: Serialize + Clone>(map: &Map<QualName, V>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(map.iter().map(|(k, v)| (format!("{}.{}", k.schema, k.name), v)))
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Catalog {
    pub schemas: Map<String, Schema>,
    #[serde(serialize_with = "qual_map")]
    pub tables: Map<QualName, Arc<Table>>,
    /// Indexes by name (index names share the relation namespace of their schema).
    #[serde(serialize_with = "qual_map")]
    pub indexes: Map<QualName, Arc<Index>>,
    #[serde(serialize_with = "qual_map")]
    pub sequences: Map<QualName, Sequence>,
    #[serde(serialize_with = "qual_map")]
    pub views: Map<QualName, View>,
    #[serde(serialize_with = "qual_map")]
    pub types: Map<QualName, UserType>,
    /// The overloads of each name. Shared: a change to the map copies the map node it changes, and with it
    /// every value in that node, which must not copy function bodies.
    #[serde(serialize_with = "qual_map")]
    pub functions: Map<QualName, Arc<Vec<Function>>>,
    pub extensions: Map<String, Extension>,
    /// Extended statistics objects (`CREATE STATISTICS`): their names are unique per schema, apart from
    /// the relations'.
    #[serde(serialize_with = "qual_map")]
    pub statistics: Map<QualName, Statistics>,
    /// Publications (`CREATE PUBLICATION`): one namespace for the database.
    pub publications: Map<String, Publication>,
    /// The next object identifier: tables keep theirs across renames, as PostgreSQL's OIDs do.
    pub next_oid: u32,
    /// The session's `search_path` (set per file, as each psql run is a new session); empty means
    /// PostgreSQL's default, `public`.
    pub search_path: Vec<String>,
    /// Whether a table of this catalog's history ever had a parent (`INHERITS`, `PARTITION OF`, `ATTACH
    /// PARTITION`): until one does, [`Catalog::descendants`] has nothing to look for.
    #[serde(skip)]
    pub inheritance: Hint,
}

/// What a catalog knows about its own history to answer faster; not part of the schema, so two
/// catalogs are equal whatever their hints say.
#[derive(Clone, Copy, Debug, Default)]
pub struct Hint(pub bool);

impl PartialEq for Hint {
    fn eq(&self, _: &Hint) -> bool {
        true
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Schema {
    pub name: String,
    pub comment: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Table {
    /// Stable across renames and schema moves.
    pub oid: u32,
    pub name: QualName,
    pub columns: Vec<Arc<Column>>,
    pub constraints: Vec<Arc<Constraint>>,
    pub triggers: Vec<Trigger>,
    pub kind: TableKind,
    pub partition_key: Option<String>,
    /// `PARTITION OF parent` and the bound as PostgreSQL prints it (`FOR VALUES FROM ('a') TO ('b')`).
    pub partition_of: Option<(QualName, String)>,
    /// `INHERITS (parent, …)`.
    pub inherits: Vec<QualName>,
    /// Whether rows may have been inserted (by INSERT or COPY in the migrations), so that a new NOT NULL
    /// column without a default fails as it would on real data.
    pub has_rows: bool,
    /// `ENABLE ROW LEVEL SECURITY` and `FORCE ROW LEVEL SECURITY`.
    pub row_security: bool,
    pub force_row_security: bool,
    pub policies: Vec<Policy>,
    /// Rewrite rules (`CREATE RULE … TO table`).
    pub rules: Vec<Rule>,
    /// `CREATE TABLE … OF type`: the composite type its columns come from.
    pub of_type: Option<QualName>,
    pub comment: Option<String>,
    pub origin: Origin,
    /// The last column number handed out (dropped columns keep theirs, as in `pg_attribute`).
    pub last_attnum: u32,
    /// `CREATE TEMP TABLE … ON COMMIT DROP`: the table goes when its transaction commits.
    #[serde(skip)]
    pub on_commit_drop: bool,
    /// `ON COMMIT DELETE ROWS`: the table is emptied at each commit.
    #[serde(skip)]
    pub on_commit_delete_rows: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum TableKind {
    Ordinary,
    Unlogged,
    Partitioned,
    /// `CREATE UNLOGGED TABLE … PARTITION BY`: PostgreSQL 15 keeps the persistence (`relpersistence`
    /// `u`), which its partitions do not inherit, and `\d` shows it.
    UnloggedPartitioned,
}

impl TableKind {
    pub fn is_partitioned(self) -> bool {
        matches!(self, TableKind::Partitioned | TableKind::UnloggedPartitioned)
    }

    pub fn is_unlogged(self) -> bool {
        matches!(self, TableKind::Unlogged | TableKind::UnloggedPartitioned)
    }
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name).map(|c| &**c)
    }

    pub fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.iter_mut().find(|c| c.name == name).map(Arc::make_mut)
    }

    /// Appends a column with the next column number.
    pub fn add_column(&mut self, mut column: Column) {
        self.last_attnum += 1;
        column.attnum = self.last_attnum;
        self.columns.push(Arc::new(column));
    }

    /// Whether `other` has the very same constraints (shared, not copied), in the same schema: what
    /// indexes of constraints skip.
    pub fn same_constraints(&self, other: &Table) -> bool {
        self.name.schema == other.name.schema
            && self.constraints.len() == other.constraints.len()
            && self.constraints.iter().zip(&other.constraints).all(|(a, b)| Arc::ptr_eq(a, b))
    }

    pub fn constraint(&self, name: &str) -> Option<&Constraint> {
        self.constraints.iter().find(|c| c.name == name).map(|c| &**c)
    }

    /// The constraint named `name`, copied first when another catalog shares it.
    pub fn constraint_mut(&mut self, name: &str) -> Option<&mut Constraint> {
        self.constraints.iter_mut().find(|c| c.name == name).map(Arc::make_mut)
    }

    /// Adds a constraint at the end.
    pub fn push_constraint(&mut self, constraint: Constraint) {
        self.constraints.push(Arc::new(constraint));
    }

    pub fn primary_key(&self) -> Option<&Constraint> {
        self.constraints.iter().find(|c| matches!(c.kind, ConstraintKind::PrimaryKey { .. })).map(|c| &**c)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Column {
    /// The column's number in its table: stable across renames.
    pub attnum: u32,
    pub name: Name,
    pub ty: TypeRef,
    pub collation: Option<String>,
    pub not_null: bool,
    /// The default as PostgreSQL prints it back (`pg_get_expr(adbin, adrelid, true)`).
    pub default: Option<String>,
    pub identity: Option<Identity>,
    /// A stored generated column's expression, as PostgreSQL prints it back.
    pub generated: Option<String>,
    pub comment: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Identity {
    Always,
    ByDefault,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Constraint {
    pub name: Name,
    pub kind: ConstraintKind,
    pub deferrable: bool,
    pub initially_deferred: bool,
    /// `NOT VALID`: added without checking existing rows, not yet validated.
    pub not_valid: bool,
    /// A foreign key that stands for another (`conparentid`); psql lists that one instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<ParentKey>,
    pub comment: Option<String>,
    pub origin: Origin,
}

/// The foreign key a derived one stands for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum ParentKey {
    /// A partition's copy of its parent table's key of this name.
    Partition(Name),
    /// The key of this name on the same table, for one partition of the partitioned table it references
    /// (one such constraint per partition, at every depth).
    Referenced(Name),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum ConstraintKind {
    /// The index that enforces it has the constraint's name.
    PrimaryKey {
        columns: Vec<String>,
        include: Vec<String>,
    },
    Unique {
        columns: Vec<String>,
        include: Vec<String>,
        nulls_not_distinct: bool,
    },
    /// The expression as PostgreSQL prints it back, without the `CHECK (…)` wrapper.
    Check {
        expr: String,
        columns: Vec<String>,
        no_inherit: bool,
    },
    ForeignKey(ForeignKey),
    /// `EXCLUDE …`: kept as PostgreSQL prints it back.
    Exclude {
        definition: String,
        columns: Vec<String>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub ref_table: QualName,
    pub ref_columns: Vec<String>,
    pub on_delete: FkAction,
    pub on_update: FkAction,
    pub on_delete_columns: Vec<String>,
    pub match_full: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum FkAction {
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    pub fn sql(self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }
}

impl ConstraintKind {
    /// Columns of the table that the constraint uses.
    pub fn columns(&self) -> &[String] {
        match self {
            ConstraintKind::PrimaryKey { columns, .. }
            | ConstraintKind::Unique { columns, .. }
            | ConstraintKind::Check { columns, .. }
            | ConstraintKind::Exclude { columns, .. } => columns,
            ConstraintKind::ForeignKey(fk) => &fk.columns,
        }
    }

    /// Whether an index with the constraint's name enforces it.
    pub fn has_index(&self) -> bool {
        matches!(
            self,
            ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. } | ConstraintKind::Exclude { .. }
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Index {
    pub name: QualName,
    pub table: QualName,
    pub unique: bool,
    pub primary: bool,
    /// Set when a constraint (primary key, unique, exclusion) owns this index.
    pub constraint: Option<String>,
    pub method: String,
    pub keys: Vec<IndexKey>,
    pub include: Vec<String>,
    /// The partial-index predicate as PostgreSQL prints it back.
    pub predicate: Option<String>,
    pub nulls_not_distinct: bool,
    /// Storage parameters as PostgreSQL prints them (`fillfactor='70'`).
    pub options: Vec<String>,
    /// `ALTER TABLE … CLUSTER ON` marked it.
    pub clustered: bool,
    /// `ALTER TABLE … REPLICA IDENTITY USING INDEX` chose it.
    pub replica_identity: bool,
    /// Columns of the table that the index uses (keys, expressions, INCLUDE, predicate).
    pub columns: Vec<String>,
    /// `CREATE INDEX CONCURRENTLY` that failed would leave an invalid index; we never do.
    pub comment: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IndexKey {
    /// A quoted column name, or an expression as PostgreSQL prints it back (parenthesised when not a
    /// function call).
    pub expr: String,
    pub opclass: Option<String>,
    pub collation: Option<String>,
    pub desc: bool,
    /// `Some(true)` for NULLS FIRST, `Some(false)` for NULLS LAST, when not the default for the direction.
    pub nulls_first: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Trigger {
    pub name: String,
    pub timing: TriggerTiming,
    /// In PostgreSQL's order: INSERT, DELETE, UPDATE, TRUNCATE.
    pub events: Vec<TriggerEvent>,
    pub update_columns: Vec<String>,
    pub for_each_row: bool,
    pub when: Option<String>,
    pub function: QualName,
    pub args: Vec<String>,
    /// `REFERENCING OLD TABLE AS a NEW TABLE AS b`, as PostgreSQL prints it.
    pub referencing: Option<String>,
    pub constraint: bool,
    pub deferrable: bool,
    pub initially_deferred: bool,
    pub enabled: TriggerEnabled,
    pub origin: Origin,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum TriggerTiming {
    Before,
    After,
    InsteadOf,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum TriggerEvent {
    Insert,
    Delete,
    Update,
    Truncate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum TriggerEnabled {
    Origin,
    Disabled,
    Replica,
    Always,
}

/// A row-level security policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Policy {
    pub name: String,
    pub restrictive: bool,
    /// `SELECT`, `INSERT`, `UPDATE`, `DELETE`; `None` for ALL.
    pub command: Option<&'static str>,
    /// Roles, empty for PUBLIC.
    pub roles: Vec<String>,
    /// `USING` and `WITH CHECK` as `pg_get_expr` prints them (not pretty).
    pub using: Option<String>,
    pub with_check: Option<String>,
    pub origin: Origin,
}

/// A rewrite rule, kept as `pg_get_ruledef(oid, true)` prints it after `CREATE RULE ` (without the `;`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub name: String,
    pub definition: String,
    /// Columns of the table the rule's condition and actions use.
    pub columns: Vec<String>,
    pub origin: Origin,
}

/// An extended statistics object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Statistics {
    pub name: QualName,
    pub table: QualName,
    /// The kinds written (`ndistinct`, `dependencies`, `mcv`), in that order; empty when none were
    /// (all of them are built).
    pub kinds: Vec<String>,
    /// Plain columns, in column-number order (as `stxkeys` keeps them).
    pub columns: Vec<String>,
    /// Expressions, as `pg_get_statisticsobjdef_columns` prints them, in the order written.
    pub exprs: Vec<String>,
    /// Columns the expressions use.
    pub expr_columns: Vec<String>,
    /// `ALTER STATISTICS … SET STATISTICS n`, when not the default (-1).
    pub target: Option<i32>,
    pub comment: Option<String>,
    pub origin: Origin,
}

impl Statistics {
    /// Every column it uses, plain or in an expression.
    pub fn uses(&self, column: &str) -> bool {
        self.columns.iter().chain(&self.expr_columns).any(|c| c == column)
    }
}

/// A publication.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Publication {
    pub name: String,
    /// `FOR ALL TABLES`.
    pub all_tables: bool,
    /// `FOR TABLES IN SCHEMA`.
    pub schemas: Vec<String>,
    /// `FOR TABLE`: one entry per table (children included, as PostgreSQL adds them).
    pub tables: Vec<PublicationTable>,
    pub comment: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublicationTable {
    pub table: QualName,
    /// The column list, in column-number order; `None` for all columns.
    pub columns: Option<Vec<String>>,
    /// The row filter as `pg_get_expr` prints it (not pretty), and the columns it uses.
    pub filter: Option<String>,
    pub filter_columns: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Sequence {
    pub name: QualName,
    pub ty: TypeRef,
    /// `table.column` that owns it (serial, identity, OWNED BY).
    pub owned_by: Option<(QualName, String)>,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct View {
    pub name: QualName,
    pub materialized: bool,
    /// The column list written after the view's name (`CREATE VIEW v (a, b) AS …`); empty when none was.
    pub columns: Vec<String>,
    /// A materialized view's columns as PostgreSQL names them (the column list, else each select item's
    /// name: its alias, the column or function it is, `?column?`), with their types where the engine can
    /// tell (a column of a relation read, a cast, the usual aggregates, an expression over typed columns).
    /// Indexes on the materialized view are checked against them.
    /// Empty for plain views.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub output: Vec<(String, Option<TypeRef>)>,
    pub definition: String,
    /// Tables and views the definition reads from.
    pub depends_on: Vec<QualName>,
    /// Columns of those relations the definition uses (`SELECT *` uses them all).
    pub columns_used: Vec<(QualName, String)>,
    /// INSTEAD OF row triggers and statement-level triggers on the view.
    pub triggers: Vec<Trigger>,
    pub comment: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UserType {
    pub name: QualName,
    pub kind: UserTypeKind,
    pub comment: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum UserTypeKind {
    Enum { labels: Vec<String> },
    Domain { base: TypeRef, not_null: bool, default: Option<String>, checks: Vec<DomainCheck> },
    Composite { attributes: Vec<(String, TypeRef)> },
    Other,
}

/// A domain's CHECK constraint (PostgreSQL 15 keeps a domain's NOT NULL in `typnotnull`, not as a
/// constraint), in creation order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DomainCheck {
    pub name: String,
    /// The expression as `pg_get_constraintdef(oid, true)` prints it, without the `CHECK (…)` wrapper:
    /// `VALUE > 0`.
    pub expr: String,
    /// Added with `NOT VALID` and not validated since.
    pub not_valid: bool,
}

impl DomainCheck {
    /// `pg_get_constraintdef(oid, true)`: `CHECK (VALUE > 0)`, `… NOT VALID`.
    pub fn definition(&self) -> String {
        format!("CHECK ({}){}", self.expr, if self.not_valid { " NOT VALID" } else { "" })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Function {
    pub name: QualName,
    /// Argument types as `format_type` prints them (the identity of the function).
    pub arg_types: Vec<String>,
    /// The whole argument list as written, normalised (`a integer, b text DEFAULT 'x'`).
    pub args: String,
    pub returns: String,
    pub language: String,
    pub body: String,
    pub procedure: bool,
    pub comment: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Extension {
    pub name: String,
    pub schema: String,
    pub origin: Origin,
}

impl Catalog {
    /// The OIDs of the tables that differ between this catalog and `after`, or whose indexes differ
    /// (read from the maps' shared structure: what stayed the same is not visited).
    pub fn touched_tables(&self, after: &Catalog) -> std::collections::BTreeSet<u32> {
        use imbl::ordmap::DiffItem;
        let mut oids = std::collections::BTreeSet::new();
        for item in self.tables.diff(&after.tables) {
            let t = match item {
                DiffItem::Add(_, t) | DiffItem::Remove(_, t) | DiffItem::Update { new: (_, t), .. } => t,
            };
            oids.insert(t.oid);
            if let DiffItem::Update { old: (_, was), .. } = item {
                oids.insert(was.oid);
            }
        }
        for item in self.indexes.diff(&after.indexes) {
            let (catalog, i) = match item {
                DiffItem::Add(_, i) | DiffItem::Update { new: (_, i), .. } => (after, i),
                DiffItem::Remove(_, i) => (self, i),
            };
            oids.extend(catalog.table(&i.table).map(|t| t.oid));
            if let DiffItem::Update { old: (_, was), .. } = item {
                oids.extend(self.table(&was.table).map(|t| t.oid));
            }
        }
        oids
    }

    /// A fresh database: the `public` schema.
    pub fn new() -> Catalog {
        let mut catalog = Catalog { next_oid: 16384, ..Catalog::default() };
        catalog
            .schemas
            .insert("public".into(), Schema { name: "public".into(), comment: None, origin: Origin::default() });
        catalog
    }

    /// Schemas searched for unqualified names, in order.
    pub fn path(&self) -> impl Iterator<Item = &str> + Clone {
        self.search_path.iter().map(String::as_str).chain(self.search_path.is_empty().then_some("public"))
    }

    /// A name as written, resolved as PostgreSQL does: a qualified name as is; an unqualified one in
    /// the first schema of the search path that has a relation, type or function of that name, else
    /// in the first existing schema of the path (where it would be created).
    pub fn resolve(&self, name: &sqlparser::ast::ObjectName) -> QualName {
        let parts = crate::catalog::names::parts(name);
        match parts.as_slice() {
            [] => QualName::public(""),
            [.., schema, name] => QualName::new(schema.clone(), name.clone()),
            [name] => self.resolve_unqualified(name),
        }
    }

    /// Where an object created under this name goes: a qualified name as is; an unqualified one in the
    /// first existing schema of the search path, whatever later schemas (or the session's temporary
    /// schema) hold under that name.
    pub fn creation_name(&self, name: &sqlparser::ast::ObjectName) -> QualName {
        let parts = crate::catalog::names::parts(name);
        match parts.as_slice() {
            [] => QualName::public(""),
            [.., schema, name] => QualName::new(schema.clone(), name.clone()),
            [name] => {
                let schema = self.path().find(|s| self.schemas.contains_key(*s)).unwrap_or("public");
                QualName::new(schema, name.as_str())
            }
        }
    }

    pub fn resolve_unqualified(&self, name: &str) -> QualName {
        // The session's temporary relations and types come first, when it has any.
        if self.schemas.contains_key(TEMP_SCHEMA) {
            let temp = QualName::new(TEMP_SCHEMA, name);
            if self.relation_exists(&temp) || self.types.contains_key(&temp) {
                return temp;
            }
        }
        // A path of one schema that exists, or of `public` alone (the default path), resolves every name
        // there whether the object exists or not: the lookup's fallback is that schema too.
        let mut path = self.path();
        if let (Some(only), None) = (path.next(), path.next())
            && (only == "public" || self.schemas.contains_key(only))
        {
            return QualName::new(only, name);
        }
        self.resolve_by_lookup(name)
    }

    /// [`Catalog::resolve_unqualified`], looking the name up in each schema of the path.
    fn resolve_by_lookup(&self, name: &str) -> QualName {
        for schema in self.path() {
            let q = QualName::new(schema, name);
            if self.relation_exists(&q) || self.functions.contains_key(&q) || self.types.contains_key(&q) {
                return q;
            }
        }
        let schema = self.path().find(|s| self.schemas.contains_key(*s)).unwrap_or("public");
        QualName::new(schema, name)
    }

    pub fn table(&self, name: &QualName) -> Option<&Table> {
        self.tables.get(name).map(|t| &**t)
    }

    pub fn table_mut(&mut self, name: &QualName) -> Option<&mut Table> {
        self.tables.get_mut(name).map(Arc::make_mut)
    }

    /// Whether a relation (table, index, sequence, view) or a type with this name exists: they share
    /// one namespace per schema.
    pub fn relation_exists(&self, name: &QualName) -> bool {
        self.tables.contains_key(name)
            || self.indexes.contains_key(name)
            || self.sequences.contains_key(name)
            || self.views.contains_key(name)
    }

    /// The partitions directly under `table`, oldest first.
    pub fn direct_partitions(&self, table: &QualName) -> Vec<QualName> {
        if self.table(table).is_none_or(|t| !t.kind.is_partitioned()) {
            return Vec::new();
        }
        let mut out: Vec<&Table> = self
            .tables
            .values()
            .filter(|t| t.partition_of.as_ref().is_some_and(|(p, _)| p == table))
            .map(|t| &**t)
            .collect();
        out.sort_by_key(|t| t.oid);
        out.into_iter().map(|t| t.name.clone()).collect()
    }

    /// The tables `table` is a partition of, nearest first (`pg_partition_ancestors` without the table).
    pub fn partition_ancestors<'c>(&'c self, table: &Table) -> impl Iterator<Item = &'c Table> {
        let mut next = table.partition_of.as_ref().map(|(p, _)| p.clone());
        std::iter::from_fn(move || {
            let parent = self.table(&next.take()?)?;
            next = parent.partition_of.as_ref().map(|(p, _)| p.clone());
            Some(parent)
        })
        .take(64)
    }

    /// The partitions of `table`, at any depth, nearest first.
    pub fn partitions(&self, table: &QualName) -> Vec<QualName> {
        let mut out = Vec::new();
        let mut todo = vec![table.clone()];
        while let Some(p) = todo.pop() {
            for t in self.tables.values() {
                if t.partition_of.as_ref().is_some_and(|(parent, _)| parent == &p) && !out.contains(&t.name) {
                    out.push(t.name.clone());
                    todo.push(t.name.clone());
                }
            }
        }
        out
    }

    /// Tables that inherit from `table` or are its partitions, at any depth.
    pub fn descendants(&self, table: &QualName) -> Vec<QualName> {
        let mut out: Vec<QualName> = Vec::new();
        if !self.inheritance.0 {
            return out;
        }
        let mut todo = vec![table.clone()];
        while let Some(t) = todo.pop() {
            for child in self.tables.values() {
                let is_child = child.inherits.contains(&t) || child.partition_of.as_ref().is_some_and(|(p, _)| p == &t);
                if is_child && !out.contains(&child.name) {
                    out.push(child.name.clone());
                    todo.push(child.name.clone());
                }
            }
        }
        out
    }

    /// Whether a table with this OID existed in this catalog, for a table that exists in a later one:
    /// OIDs are handed out in increasing order and a dropped table never comes back, so a later table
    /// was here exactly when its OID was already given out.
    pub fn had_table_oid(&self, oid: u32) -> bool {
        oid <= self.next_oid
    }

    /// The indexes of a table, in name order.
    pub fn indexes_of<'a>(&'a self, table: &QualName) -> impl Iterator<Item = &'a Index> + use<'a> {
        let names = crate::catalog::names::index_names_of(self, table);
        names.into_iter().filter_map(|n| self.indexes.get(&n)).map(|i| &**i)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_path_of_one_schema_resolves_as_the_lookup_does() {
        let steps = [
            "CREATE SCHEMA app;\nCREATE TABLE t (id int);\nCREATE TABLE app.u (id int);\nCREATE TYPE app.mood AS ENUM ('ok');",
            "CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS 'SELECT 1';\nCREATE INDEX t_idx ON t (id);",
            "DROP SCHEMA public CASCADE;",
        ];
        let mut checked = 0;
        for mut catalog in crate::catalog::derived::snapshots(&steps) {
            for path in [&[][..], &["public"], &["app"], &["missing"], &["app", "public"], &["missing", "app"]] {
                catalog.search_path = path.iter().map(|s| s.to_string()).collect();
                for name in ["t", "u", "mood", "f", "t_idx", "missing"] {
                    assert_eq!(catalog.resolve_unqualified(name), catalog.resolve_by_lookup(name), "{path:?} {name}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 100, "{checked}");
    }
}
