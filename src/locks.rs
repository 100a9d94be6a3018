//! Lock analysis: for a statement that touches existing relations, the table-level lock PostgreSQL takes
//! on each of them, what that lock blocks, and whether the statement rewrites the table, scans it, or
//! only changes the system catalogs. Locks are held until the transaction ends, so [`FileLocks`] also
//! tells, per migration file, from which statement each lock is held and until when.
//!
//! What each answer follows:
//! - Lock modes and their conflicts: PostgreSQL's documentation, "Explicit Locking", 13.3.1 Table-Level
//!   Locks and Table 13.2 "Conflicting Lock Modes".
//! - ALTER TABLE: `AlterTableGetLockLevel` in `src/backend/commands/tablecmds.c` (the strongest level of
//!   all the subcommands is taken) and the lock level each form states in the ALTER TABLE reference page;
//!   rewrites and scans follow its Notes ("Adding a column with a volatile DEFAULT or changing the type of
//!   an existing column will require the entire table and its indexes to be rewritten", the binary-coercible
//!   exception, the skipped scan of SET NOT NULL).
//! - CREATE INDEX (SHARE; CONCURRENTLY: SHARE UPDATE EXCLUSIVE, "Building Indexes Concurrently"), DROP
//!   INDEX, REINDEX, CLUSTER, VACUUM, TRUNCATE, LOCK, REFRESH MATERIALIZED VIEW: their reference pages.
//! - Locks on other relations (the referenced table of a foreign key, the parent of a partition, the
//!   sources of a view) follow tablecmds.c (`ATAddForeignKeyConstraint`, `ATExecAttachPartition`,
//!   `ATExecDetachPartition`, `DefineRelation`'s parent lock) and were checked on PostgreSQL 15.
//!
//! Every answer for PostgreSQL 15 is checked against a real server by `tests/locks_live.rs`: the mode is
//! read from `pg_locks` inside the transaction, a rewrite from `pg_class.relfilenode`, a scan from
//! `pg_stat_xact_user_tables`. Answers for other versions differ where [`LockInfo::changed_in`] says so;
//! the module assumes PostgreSQL 10 or later.

use std::ops::ControlFlow;

use serde::Serialize;
use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, ColumnDef, ColumnOption, DataType, DetachPartitionMode, Expr,
    GeneratedAs, ObjectName, ObjectType, Statement, TableConstraint,
};
use sqlparser::tokenizer::{Token, Tokenizer};

use crate::analysis::{Analysis, Options, Runner};
use crate::catalog::model::{Catalog, ConstraintKind, QualName, Table, UserTypeKind};
use crate::catalog::names;
use crate::catalog::types::{self, TypeRef};
use crate::span::Span;
use crate::sql::alter_table::{AlterPart, AlterTarget, ManualAction};
use crate::sql::parse::{self, Parsed};

/// A table-level lock mode, weakest first (PostgreSQL's own numbering order, which is also the order
/// `AlterTableGetLockLevel` compares them in).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LockMode {
    /// SELECT.
    AccessShare,
    /// SELECT … FOR UPDATE/SHARE; foreign-key checks on the referenced table.
    RowShare,
    /// INSERT, UPDATE, DELETE, MERGE, COPY FROM.
    RowExclusive,
    /// VACUUM, ANALYZE, CREATE INDEX CONCURRENTLY, VALIDATE CONSTRAINT, ATTACH PARTITION (parent), …
    ShareUpdateExclusive,
    /// CREATE INDEX.
    Share,
    /// CREATE TRIGGER, ADD FOREIGN KEY (both tables), ENABLE/DISABLE TRIGGER.
    ShareRowExclusive,
    /// REFRESH MATERIALIZED VIEW CONCURRENTLY.
    Exclusive,
    /// Most ALTER TABLE forms, DROP, TRUNCATE, VACUUM FULL, CLUSTER, LOCK TABLE's default.
    AccessExclusive,
}

impl LockMode {
    pub const ALL: [LockMode; 8] = [
        LockMode::AccessShare,
        LockMode::RowShare,
        LockMode::RowExclusive,
        LockMode::ShareUpdateExclusive,
        LockMode::Share,
        LockMode::ShareRowExclusive,
        LockMode::Exclusive,
        LockMode::AccessExclusive,
    ];

    /// The mode as the documentation and `LOCK … IN … MODE` spell it: `ACCESS EXCLUSIVE`.
    pub fn name(self) -> &'static str {
        match self {
            LockMode::AccessShare => "ACCESS SHARE",
            LockMode::RowShare => "ROW SHARE",
            LockMode::RowExclusive => "ROW EXCLUSIVE",
            LockMode::ShareUpdateExclusive => "SHARE UPDATE EXCLUSIVE",
            LockMode::Share => "SHARE",
            LockMode::ShareRowExclusive => "SHARE ROW EXCLUSIVE",
            LockMode::Exclusive => "EXCLUSIVE",
            LockMode::AccessExclusive => "ACCESS EXCLUSIVE",
        }
    }

    /// The mode as `pg_locks.mode` shows it: `AccessExclusiveLock`.
    pub fn pg_locks_name(self) -> &'static str {
        match self {
            LockMode::AccessShare => "AccessShareLock",
            LockMode::RowShare => "RowShareLock",
            LockMode::RowExclusive => "RowExclusiveLock",
            LockMode::ShareUpdateExclusive => "ShareUpdateExclusiveLock",
            LockMode::Share => "ShareLock",
            LockMode::ShareRowExclusive => "ShareRowExclusiveLock",
            LockMode::Exclusive => "ExclusiveLock",
            LockMode::AccessExclusive => "AccessExclusiveLock",
        }
    }

    /// Reads `pg_locks.mode` (`AccessExclusiveLock`) or the documentation's spelling (`ACCESS EXCLUSIVE`).
    pub fn parse(text: &str) -> Option<LockMode> {
        let t = text.trim();
        LockMode::ALL.into_iter().find(|m| m.pg_locks_name() == t || m.name().eq_ignore_ascii_case(t))
    }

    /// Table 13.2, "Conflicting Lock Modes": whether a lock in this mode and one in `other`, held by two
    /// transactions, cannot coexist on the same relation.
    pub fn conflicts_with(self, other: LockMode) -> bool {
        use LockMode::*;
        let conflicts: &[LockMode] = match self {
            AccessShare => &[AccessExclusive],
            RowShare => &[Exclusive, AccessExclusive],
            RowExclusive => &[Share, ShareRowExclusive, Exclusive, AccessExclusive],
            ShareUpdateExclusive => &[ShareUpdateExclusive, Share, ShareRowExclusive, Exclusive, AccessExclusive],
            Share => &[RowExclusive, ShareUpdateExclusive, ShareRowExclusive, Exclusive, AccessExclusive],
            ShareRowExclusive => {
                &[RowExclusive, ShareUpdateExclusive, Share, ShareRowExclusive, Exclusive, AccessExclusive]
            }
            Exclusive => {
                &[RowShare, RowExclusive, ShareUpdateExclusive, Share, ShareRowExclusive, Exclusive, AccessExclusive]
            }
            AccessExclusive => &LockMode::ALL,
        };
        conflicts.contains(&other)
    }

    /// Whether plain SELECTs (ACCESS SHARE) wait for it.
    pub fn blocks_reads(self) -> bool {
        self.conflicts_with(LockMode::AccessShare)
    }

    /// Whether INSERT, UPDATE and DELETE (ROW EXCLUSIVE) wait for it.
    pub fn blocks_writes(self) -> bool {
        self.conflicts_with(LockMode::RowExclusive)
    }

    /// What it blocks, in words: `reads and writes`, `writes`, or `schema changes only`.
    /// What waits for it, in words (from the conflict table).
    pub fn blocks(self) -> &'static str {
        match self {
            LockMode::AccessShare => {
                "neither reads nor writes (only ACCESS EXCLUSIVE: most ALTER TABLE, DROP, TRUNCATE)"
            }
            LockMode::RowShare => "neither reads nor writes (only EXCLUSIVE and ACCESS EXCLUSIVE)",
            LockMode::RowExclusive => {
                "neither reads nor writes (CREATE INDEX, CREATE TRIGGER and most ALTER TABLE wait for it)"
            }
            LockMode::ShareUpdateExclusive => {
                "neither reads nor writes (only schema changes, VACUUM, ANALYZE and index builds)"
            }
            LockMode::Share | LockMode::ShareRowExclusive => "writes",
            LockMode::Exclusive => "writes and SELECT … FOR UPDATE (plain reads go on)",
            LockMode::AccessExclusive => "reads and writes",
        }
    }
}

impl std::fmt::Display for LockMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for LockMode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// What a statement does to a relation's data, cheapest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Work {
    /// Only the system catalogs change: quick once the lock is granted.
    CatalogOnly,
    /// Reads or writes some rows (DML, a query, foreign-key look-ups): takes as long as the rows it touches.
    Rows,
    /// Reads every row (to validate a constraint or build an index) while holding the lock.
    Scan,
    /// Writes a new copy of the table (and rebuilds its indexes) while holding the lock.
    Rewrite,
}

impl Work {
    pub fn describe(self) -> &'static str {
        match self {
            Work::CatalogOnly => "catalog only",
            Work::Rows => "touches rows",
            Work::Scan => "scans the table",
            Work::Rewrite => "rewrites the table",
        }
    }
}

/// The kind of relation a lock is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RelationKind {
    Table,
    PartitionedTable,
    Index,
    View,
    MaterializedView,
    Sequence,
}

impl RelationKind {
    pub fn name(self) -> &'static str {
        match self {
            RelationKind::Table => "table",
            RelationKind::PartitionedTable => "partitioned table",
            RelationKind::Index => "index",
            RelationKind::View => "view",
            RelationKind::MaterializedView => "materialized view",
            RelationKind::Sequence => "sequence",
        }
    }
}

/// The lock one statement takes on one existing relation (the strongest of its actions).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LockInfo {
    pub relation: QualName,
    pub kind: RelationKind,
    pub mode: LockMode,
    /// Whether SELECTs on the relation wait while the lock is held. For an index, ACCESS EXCLUSIVE blocks
    /// the reads of its table: the planner locks every index of a table it reads.
    pub blocks_reads: bool,
    /// Whether INSERT, UPDATE and DELETE wait while the lock is held.
    pub blocks_writes: bool,
    pub work: Work,
    /// What PostgreSQL does and why it needs this lock, one clause per action, `; `-separated.
    pub reason: String,
    /// The PostgreSQL major version where the answer changed (see `version_note`).
    pub changed_in: Option<u32>,
    /// What older (or newer) versions do differently.
    pub version_note: Option<String>,
    /// The relation was created earlier in the same migration file: the lock blocks nobody (the table is
    /// new and, inside the file's transaction, invisible to other sessions). Set by [`FileLocks`] and
    /// [`mark_new`]; [`analyze`] alone leaves it false.
    pub new_in_file: bool,
    /// The table's OID in the model (tables only), to tell a renamed table from a new one.
    #[serde(skip)]
    pub oid: Option<u32>,
}

impl LockInfo {
    /// Whether the lock makes other sessions wait for anything at all.
    pub fn blocks_anyone(&self) -> bool {
        !self.new_in_file
    }

    /// What it blocks, in words, accounting for relations created in the same file.
    pub fn blocks(&self) -> String {
        if self.new_in_file {
            return format!("nobody ({} created earlier in this file)", self.kind.name());
        }
        if self.kind == RelationKind::Index && self.mode == LockMode::AccessExclusive {
            return "reads and writes of its table (the planner locks every index)".into();
        }
        self.mode.blocks().to_string()
    }
}

/// One statement's locks, with what could not be determined.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StatementLocks {
    pub locks: Vec<LockInfo>,
    /// Set when the statement may lock relations the analysis cannot name (a `DO` block, an action the
    /// parser does not know): why.
    pub undetermined: Option<String>,
    /// Set when PostgreSQL refuses to run the statement inside a transaction block: why.
    pub outside_transaction: Option<String>,
}

impl StatementLocks {
    /// Locks on relations that existed before the file (the ones that can block anybody).
    pub fn existing(&self) -> impl Iterator<Item = &LockInfo> {
        self.locks.iter().filter(|l| !l.new_in_file)
    }
}

/// The locks a statement takes on relations that exist in `before` (the catalog just before it runs),
/// for PostgreSQL major version `pg_version`. `text` is the statement's own text (some statements are
/// read from it: REINDEX, LOCK, VACUUM, CLUSTER, …).
pub fn analyze(parsed: &Parsed, text: &str, before: &Catalog, pg_version: u32) -> Vec<LockInfo> {
    explain(parsed, text, before, pg_version).locks
}

/// [`analyze`], with what could not be determined and whether the statement must run outside a
/// transaction block.
pub fn explain(parsed: &Parsed, text: &str, before: &Catalog, pg_version: u32) -> StatementLocks {
    explain_with(parsed, text, before, pg_version, None)
}

/// [`explain`], given for a `DO` block the statements it runs on `before` when they are known
/// ([`crate::simulate::do_block::executed`]).
pub fn explain_with(
    parsed: &Parsed,
    text: &str,
    before: &Catalog,
    pg_version: u32,
    do_steps: Option<&[(sqlparser::ast::Statement, Catalog)]>,
) -> StatementLocks {
    let mut acc = Acc { before, pg: pg_version, out: StatementLocks::default(), do_steps };
    match parsed {
        Parsed::Statement(stmt, extras) => acc.statement(stmt, extras.concurrently, text),
        Parsed::AlterTableParts { target, parts, .. } => acc.alter_table_parts(target, parts),
        Parsed::AlterSequence { name, owned_by, rename_to, .. } => {
            acc.alter_sequence(name, owned_by.as_deref(), rename_to.is_some(), text)
        }
        Parsed::Object { what, stmt } => {
            if !acc.publication(stmt) {
                acc.no_effect(what, text);
            }
        }
        Parsed::NoEffect { what } => acc.no_effect(what, text),
        Parsed::Do { body, read, .. } => acc.do_block(body, read),
        Parsed::SetSearchPath(_) => {}
    }
    acc.out
}

/// Marks the locks on relations that did not exist when the file started (`file_start`): tables by OID
/// (a table renamed in the file is still the old table), other relations by name.
pub fn mark_new(locks: &mut [LockInfo], file_start: &Catalog) {
    for l in locks {
        l.new_in_file = match l.oid {
            Some(oid) => !file_start.had_table_oid(oid),
            None => !file_start.relation_exists(&l.relation),
        };
    }
}

/// Accumulates the locks of one statement: one entry per relation, the strongest mode and the heaviest
/// work of all its actions.
struct Acc<'a> {
    before: &'a Catalog,
    pg: u32,
    out: StatementLocks,
    /// What a `DO` block runs, when the caller knows it.
    do_steps: Option<&'a [(sqlparser::ast::Statement, Catalog)]>,
}

impl<'a> Acc<'a> {
    fn relation(&self, q: &QualName) -> Option<(RelationKind, Option<u32>)> {
        if let Some(t) = self.before.table(q) {
            let kind = if t.kind.is_partitioned() { RelationKind::PartitionedTable } else { RelationKind::Table };
            return Some((kind, Some(t.oid)));
        }
        if self.before.indexes.contains_key(q) {
            return Some((RelationKind::Index, None));
        }
        if let Some(v) = self.before.views.get(q) {
            let kind = if v.materialized { RelationKind::MaterializedView } else { RelationKind::View };
            return Some((kind, None));
        }
        if self.before.sequences.contains_key(q) {
            return Some((RelationKind::Sequence, None));
        }
        None
    }

    fn resolve(&self, name: &ObjectName) -> QualName {
        self.before.resolve(name)
    }

    fn resolve_parts(&self, parts: &[String]) -> QualName {
        match parts {
            [] => QualName::public(""),
            [name] => self.before.resolve_unqualified(name),
            [.., schema, name] => QualName::new(schema.clone(), name.clone()),
        }
    }

    /// Records a lock on `q` if it exists; merges with an earlier lock on it.
    fn lock(&mut self, q: &QualName, mode: LockMode, work: Work, reason: impl Into<String>) -> bool {
        let Some((kind, oid)) = self.relation(q) else { return false };
        // A partitioned table holds no rows: its partitions are scanned or rewritten, not it.
        let work = if kind == RelationKind::PartitionedTable && work > Work::Rows { Work::CatalogOnly } else { work };
        let reason = reason.into();
        if let Some(l) = self.out.locks.iter_mut().find(|l| &l.relation == q) {
            l.mode = l.mode.max(mode);
            l.work = l.work.max(work);
            if !reason.is_empty() && !l.reason.split("; ").any(|r| r == reason) {
                l.reason.push_str("; ");
                l.reason.push_str(&reason);
            }
            l.blocks_reads = l.mode.blocks_reads();
            l.blocks_writes = l.mode.blocks_writes();
            return true;
        }
        self.out.locks.push(LockInfo {
            relation: q.clone(),
            kind,
            mode,
            blocks_reads: mode.blocks_reads(),
            blocks_writes: mode.blocks_writes(),
            work,
            reason,
            changed_in: None,
            version_note: None,
            new_in_file: false,
            oid,
        });
        true
    }

    /// Locks `q` and, when the action recurses, every partition and inheritance child (ALTER TABLE without
    /// ONLY applies most actions to the whole hierarchy, each member under the same lock).
    fn lock_tree(&mut self, q: &QualName, recurse: bool, mode: LockMode, work: Work, reason: &str) {
        self.lock(q, mode, work, reason);
        if recurse {
            for child in self.before.descendants(q) {
                self.lock(&child, mode, work, format!("{reason} (applied to {} too)", child.name));
            }
        }
    }

    fn note(&mut self, q: &QualName, version: u32, note: impl Into<String>) {
        if let Some(l) = self.out.locks.iter_mut().find(|l| &l.relation == q) {
            l.changed_in = Some(version);
            l.version_note = Some(note.into());
        }
    }

    fn note_text(&mut self, q: &QualName, note: impl Into<String>) {
        if let Some(l) = self.out.locks.iter_mut().find(|l| &l.relation == q)
            && l.version_note.is_none()
        {
            l.version_note = Some(note.into());
        }
    }

    fn undetermined(&mut self, why: impl Into<String>) {
        if self.out.undetermined.is_none() {
            self.out.undetermined = Some(why.into());
        }
    }

    fn outside_transaction(&mut self, why: impl Into<String>) {
        self.out.outside_transaction = Some(why.into());
    }

    /// A DO block takes the locks of the statements it runs: the simulator tells which ones (the branches
    /// its `IF`s take), and each is analysed on the catalog it runs on.
    fn do_block(&mut self, body: &str, read: &crate::simulate::do_block::ReadOnce) {
        let computed;
        let steps = match self.do_steps {
            Some(steps) => steps,
            None => match crate::simulate::do_block::executed(self.before, body, read) {
                Some(steps) => {
                    computed = steps;
                    &computed
                }
                None => {
                    self.undetermined(
                        "a DO block runs its statements with their own locks: this one is not one the analysis can \
                         follow",
                    );
                    return;
                }
            },
        };
        for (stmt, before) in steps {
            let text = stmt.to_string();
            let inner = explain(&Parsed::Statement(Box::new(stmt.clone()), Default::default()), &text, before, self.pg);
            for l in inner.locks {
                let reason = if l.reason.is_empty() {
                    "in the DO block".to_string()
                } else {
                    format!("in the DO block: {}", l.reason)
                };
                let (changed_in, version_note) = (l.changed_in, l.version_note.clone());
                match self.out.locks.iter_mut().find(|o| o.relation == l.relation) {
                    Some(o) => {
                        o.mode = o.mode.max(l.mode);
                        o.work = o.work.max(l.work);
                        o.blocks_reads = o.mode.blocks_reads();
                        o.blocks_writes = o.mode.blocks_writes();
                        o.reason.push_str("; ");
                        o.reason.push_str(&reason);
                        if o.version_note.is_none() {
                            o.changed_in = changed_in;
                            o.version_note = version_note;
                        }
                    }
                    None => self.out.locks.push(LockInfo { reason, ..l }),
                }
            }
            if let Some(why) = inner.undetermined {
                self.undetermined(why);
            }
            if let Some(why) = inner.outside_transaction {
                self.outside_transaction(why);
            }
        }
    }

    fn statement(&mut self, stmt: &Statement, concurrently: bool, text: &str) {
        match stmt {
            Statement::AlterTable(at) => {
                let q = self.resolve(&at.name);
                if self.relation(&q).is_none() {
                    return;
                }
                for op in &at.operations {
                    self.alter_op(&q, op, !at.only);
                }
            }
            Statement::CreateIndex(ci) => self.create_index(ci),
            Statement::CreateTable(ct) => self.create_table(ct, text),
            Statement::Drop { object_type, names, cascade, .. } => {
                for name in names {
                    let q = self.resolve(name);
                    self.drop(*object_type, &q, *cascade, concurrently);
                }
            }
            Statement::Truncate(tr) => {
                let cascade = matches!(tr.cascade, Some(sqlparser::ast::CascadeOption::Cascade));
                for t in &tr.table_names {
                    let q = self.resolve(&t.name);
                    self.truncate(&q, !t.only, cascade);
                }
            }
            Statement::Insert(_) | Statement::Update(_) | Statement::Delete(_) | Statement::Merge(_) => self.dml(stmt),
            Statement::Query(q) => self.query(stmt, !q.locks.is_empty()),
            Statement::CreateView(cv) => {
                let q = self.resolve(&cv.name);
                if cv.or_replace {
                    self.lock(
                        &q,
                        LockMode::AccessExclusive,
                        Work::CatalogOnly,
                        "CREATE OR REPLACE VIEW replaces its definition",
                    );
                }
                let work = if cv.materialized { Work::Scan } else { Work::CatalogOnly };
                let what = if cv.materialized {
                    "CREATE MATERIALIZED VIEW reads it to fill the view"
                } else {
                    "the view's query is analysed: the relations it reads are locked against DROP"
                };
                self.sources(&cv.query, &q, work, what);
            }
            Statement::CreateTrigger(ct) => {
                let q = self.resolve(&ct.table_name);
                self.lock(&q, LockMode::ShareRowExclusive, Work::CatalogOnly, "CREATE TRIGGER");
            }
            Statement::DropTrigger(dt) => {
                if let Some(t) = &dt.table_name {
                    let q = self.resolve(t);
                    self.lock(&q, LockMode::AccessExclusive, Work::CatalogOnly, "DROP TRIGGER");
                }
            }
            Statement::CreateRule(cr) => {
                // DefineQueryRewrite opens the table with AccessExclusiveLock.
                let q = self.resolve(&cr.table_name);
                self.lock(
                    &q,
                    LockMode::AccessExclusive,
                    Work::CatalogOnly,
                    "CREATE RULE changes how its queries are rewritten",
                );
            }
            Statement::DropRule(dr) => {
                let q = self.resolve(&dr.table_name);
                self.lock(&q, LockMode::AccessExclusive, Work::CatalogOnly, "DROP RULE");
            }
            Statement::AlterTrigger(at) => {
                let q = self.resolve(&at.table_name);
                self.lock(&q, LockMode::AccessExclusive, Work::CatalogOnly, "ALTER TRIGGER … RENAME");
            }
            Statement::CreatePolicy(cp) => {
                let q = self.resolve(&cp.table_name);
                self.lock(&q, LockMode::AccessExclusive, Work::CatalogOnly, "CREATE POLICY");
            }
            Statement::DropPolicy(dp) => {
                let q = self.resolve(&dp.table_name);
                self.lock(&q, LockMode::AccessExclusive, Work::CatalogOnly, "DROP POLICY");
            }
            Statement::AlterPolicy(ap) => {
                let q = self.resolve(&ap.table_name);
                self.lock(&q, LockMode::AccessExclusive, Work::CatalogOnly, "ALTER POLICY");
            }
            Statement::AlterIndex { name, .. } => {
                // RenameRelation: ALTER INDEX … RENAME takes SHARE UPDATE EXCLUSIVE since PostgreSQL 12.
                let q = self.resolve(name);
                let mode = if self.pg >= 12 { LockMode::ShareUpdateExclusive } else { LockMode::AccessExclusive };
                self.lock(&q, mode, Work::CatalogOnly, "ALTER INDEX … RENAME");
                self.note(&q, 12, "before PostgreSQL 12, renaming an index took ACCESS EXCLUSIVE");
            }
            Statement::AlterView(av) => {
                let q = self.resolve(&av.name);
                self.lock(&q, LockMode::AccessExclusive, Work::CatalogOnly, "ALTER VIEW");
            }
            Statement::Comment { object_type, object_name, .. } => {
                use sqlparser::ast::CommentObject as C;
                let parts = names::parts(object_name);
                let target = match object_type {
                    C::Column => parts.get(..parts.len().saturating_sub(1)).map(|p| self.resolve_parts(p)),
                    C::Table | C::View | C::MaterializedView | C::Index | C::Sequence | C::ForeignTable => {
                        Some(self.resolve_parts(&parts))
                    }
                    _ => None,
                };
                if let Some(q) = target {
                    // CommentObject locks the commented relation against concurrent schema changes.
                    self.lock(&q, LockMode::ShareUpdateExclusive, Work::CatalogOnly, "COMMENT ON");
                }
            }
            Statement::Copy { source, to, .. } => {
                if let sqlparser::ast::CopySource::Table { table_name, .. } = source {
                    let q = self.resolve(table_name);
                    if *to {
                        self.lock(&q, LockMode::AccessShare, Work::Rows, "COPY … TO reads its rows");
                    } else {
                        self.lock(&q, LockMode::RowExclusive, Work::Rows, "COPY … FROM inserts rows");
                    }
                }
            }
            Statement::Lock(l) => {
                let mode = l.lock_mode.as_ref().map_or(LockMode::AccessExclusive, |m| {
                    use sqlparser::ast::LockTableMode as M;
                    match m {
                        M::AccessShare => LockMode::AccessShare,
                        M::RowShare => LockMode::RowShare,
                        M::RowExclusive => LockMode::RowExclusive,
                        M::ShareUpdateExclusive => LockMode::ShareUpdateExclusive,
                        M::Share => LockMode::Share,
                        M::ShareRowExclusive => LockMode::ShareRowExclusive,
                        M::Exclusive => LockMode::Exclusive,
                        M::AccessExclusive => LockMode::AccessExclusive,
                    }
                });
                for t in &l.tables {
                    let q = self.resolve(&t.name);
                    self.lock_tree(&q, !t.only, mode, Work::CatalogOnly, "LOCK TABLE");
                }
            }
            Statement::CreateFunction(_)
            | Statement::DropFunction(_)
            | Statement::CreateType { .. }
            | Statement::AlterType(_)
            | Statement::CreateDomain(_)
            | Statement::DropDomain(_)
            | Statement::CreateExtension(_)
            | Statement::DropExtension(_)
            | Statement::CreateSchema { .. }
            | Statement::CreateSequence { .. }
            | Statement::Set(_)
            | Statement::Grant(_)
            | Statement::Revoke(_)
            | Statement::StartTransaction { .. }
            | Statement::Commit { .. }
            | Statement::Rollback { .. }
            | Statement::Savepoint { .. }
            | Statement::ReleaseSavepoint { .. }
            | Statement::CreateRole(_)
            | Statement::AlterRole { .. }
            | Statement::AlterSchema(_)
            | Statement::AlterFunction(_)
            | Statement::Discard { .. }
            | Statement::LISTEN { .. }
            | Statement::NOTIFY { .. }
            | Statement::UNLISTEN { .. } => {}
            Statement::Call(_) => {
                self.undetermined("CALL runs a procedure: the locks its statements take are not analysed")
            }
            other => {
                let kind = crate::simulate::statement_kind(other);
                self.undetermined(format!("{kind}: the locks of this statement are not known to the analysis"));
            }
        }
    }

    // ----- ALTER TABLE -----

    fn alter_table_parts(&mut self, target: &AlterTarget, parts: &[AlterPart]) {
        let q = self.resolve_parts(&target.name);
        if self.relation(&q).is_none() {
            return;
        }
        for part in parts {
            match part {
                AlterPart::Parsed(stmt) => {
                    if let Statement::AlterTable(at) = &**stmt {
                        for op in &at.operations {
                            self.alter_op(&q, op, !at.only);
                        }
                    }
                }
                AlterPart::Manual(m) => self.manual_action(&q, m),
            }
        }
    }

    /// One ALTER TABLE action on `q`. Lock levels: `AlterTableGetLockLevel`.
    fn alter_op(&mut self, q: &QualName, op: &AlterTableOperation, recurse: bool) {
        use LockMode::*;
        let before = self.before;
        let table = before.table(q);
        match op {
            AlterTableOperation::AddColumn { column_def, if_not_exists, .. } => {
                let name = names::fold(&column_def.name);
                if *if_not_exists && table.is_some_and(|t| t.column(&name).is_some()) {
                    self.lock(
                        q,
                        AccessExclusive,
                        Work::CatalogOnly,
                        format!("ADD COLUMN IF NOT EXISTS {name}: the column exists, nothing is done"),
                    );
                    return;
                }
                self.add_column(q, column_def, recurse);
            }
            AlterTableOperation::AddConstraint { constraint, not_valid } => {
                self.add_constraint(q, constraint, *not_valid, recurse)
            }
            AlterTableOperation::DropConstraint { name, drop_behavior, .. } => {
                let cname = names::fold(name);
                let cascade = matches!(drop_behavior, Some(sqlparser::ast::DropBehavior::Cascade));
                self.lock_tree(q, recurse, AccessExclusive, Work::CatalogOnly, &format!("DROP CONSTRAINT {cname}"));
                let Some(c) = table.and_then(|t| t.constraint(&cname)) else { return };
                match &c.kind {
                    ConstraintKind::ForeignKey(fk) if &fk.ref_table != q => {
                        let r = fk.ref_table.clone();
                        self.lock(
                            &r,
                            AccessExclusive,
                            Work::CatalogOnly,
                            format!("DROP CONSTRAINT {cname} removes the foreign key's triggers on {}", r.name),
                        );
                    }
                    ConstraintKind::PrimaryKey { columns, .. } | ConstraintKind::Unique { columns, .. } if cascade => {
                        let columns = columns.clone();
                        for other in referencing(before, q, Some(&columns)) {
                            self.lock(
                                &other,
                                AccessExclusive,
                                Work::CatalogOnly,
                                format!(
                                    "DROP CONSTRAINT {cname} CASCADE drops the foreign keys of {} that use it",
                                    other.name
                                ),
                            );
                        }
                    }
                    _ => {}
                }
            }
            AlterTableOperation::DropColumn { column_names, drop_behavior, .. } => {
                let cascade = matches!(drop_behavior, Some(sqlparser::ast::DropBehavior::Cascade));
                for ident in column_names {
                    let col = names::fold(ident);
                    self.lock_tree(q, recurse, AccessExclusive, Work::CatalogOnly, &format!("DROP COLUMN {col}: the column is only marked dropped, its space is reclaimed by later writes"));
                    self.fk_partners(q, &col, cascade, &format!("DROP COLUMN {col}"));
                }
            }
            AlterTableOperation::RenameColumn { old_column_name, .. } => {
                let col = names::fold(old_column_name);
                self.lock_tree(q, recurse, AccessExclusive, Work::CatalogOnly, &format!("RENAME COLUMN {col}"));
            }
            AlterTableOperation::RenameTable { .. } => {
                self.lock(q, AccessExclusive, Work::CatalogOnly, "RENAME TO");
            }
            AlterTableOperation::RenameConstraint { old_name, .. } => {
                let c = names::fold(old_name);
                self.lock(q, AccessExclusive, Work::CatalogOnly, format!("RENAME CONSTRAINT {c}"));
            }
            AlterTableOperation::AlterColumn { column_name, op } => {
                let col = names::fold(column_name);
                self.alter_column(q, table, &col, op, recurse);
            }
            AlterTableOperation::ValidateConstraint { name } => {
                let cname = names::fold(name);
                let c = table.and_then(|t| t.constraint(&cname));
                let work = if c.is_some_and(|c| c.not_valid) { Work::Scan } else { Work::CatalogOnly };
                let why = if work == Work::Scan {
                    format!("VALIDATE CONSTRAINT {cname} reads every row — reads and writes go on meanwhile")
                } else {
                    format!("VALIDATE CONSTRAINT {cname}: already valid, nothing to check")
                };
                self.lock_tree(q, recurse, ShareUpdateExclusive, work, &why);
                if let Some(ConstraintKind::ForeignKey(fk)) = c.filter(|c| c.not_valid).map(|c| &c.kind)
                    && &fk.ref_table != q
                {
                    let r = fk.ref_table.clone();
                    self.lock(
                        &r,
                        RowShare,
                        Work::Rows,
                        format!("VALIDATE CONSTRAINT {cname} looks up the referenced rows"),
                    );
                }
            }
            AlterTableOperation::EnableTrigger { .. }
            | AlterTableOperation::DisableTrigger { .. }
            | AlterTableOperation::EnableAlwaysTrigger { .. }
            | AlterTableOperation::EnableReplicaTrigger { .. } => {
                self.lock(q, ShareRowExclusive, Work::CatalogOnly, "ENABLE/DISABLE TRIGGER");
            }
            AlterTableOperation::EnableRule { .. }
            | AlterTableOperation::DisableRule { .. }
            | AlterTableOperation::EnableAlwaysRule { .. }
            | AlterTableOperation::EnableReplicaRule { .. } => {
                self.lock(q, AccessExclusive, Work::CatalogOnly, "ENABLE/DISABLE RULE");
            }
            AlterTableOperation::EnableRowLevelSecurity
            | AlterTableOperation::DisableRowLevelSecurity
            | AlterTableOperation::ForceRowLevelSecurity
            | AlterTableOperation::NoForceRowLevelSecurity => {
                self.lock(q, AccessExclusive, Work::CatalogOnly, "ROW LEVEL SECURITY");
            }
            AlterTableOperation::ReplicaIdentity { .. } => {
                self.lock(q, AccessExclusive, Work::CatalogOnly, "REPLICA IDENTITY");
            }
            AlterTableOperation::OwnerTo { .. } => self.lock_owner(q),
            AlterTableOperation::SetLogged | AlterTableOperation::SetUnlogged => {
                let logged = matches!(op, AlterTableOperation::SetLogged);
                self.set_persistence(q, table, logged);
            }
            AlterTableOperation::Inherit { parent } => {
                let p = self.resolve(parent);
                self.lock(q, AccessExclusive, Work::CatalogOnly, format!("INHERIT {}", p.name));
                self.lock(
                    &p,
                    ShareUpdateExclusive,
                    Work::CatalogOnly,
                    format!("INHERIT {}: the parent gains a child", p.name),
                );
            }
            AlterTableOperation::NoInherit { parent } => {
                let p = self.resolve(parent);
                self.lock(q, AccessExclusive, Work::CatalogOnly, format!("NO INHERIT {}", p.name));
                self.lock(
                    &p,
                    AccessShare,
                    Work::CatalogOnly,
                    format!("NO INHERIT {}: the parent's schema is read", p.name),
                );
            }
            AlterTableOperation::SetOptionsParens { options } => {
                let names: Vec<String> = options.iter().map(|o| o.to_string()).collect();
                self.storage_options(q, &names, "SET");
            }
            AlterTableOperation::ResetOptions { options } => {
                let names: Vec<String> = options.iter().map(|o| o.to_string()).collect();
                self.storage_options(q, &names, "RESET");
            }
            AlterTableOperation::SetTblProperties { .. } => {
                self.lock(q, AccessExclusive, Work::CatalogOnly, "SET (…)");
            }
            AlterTableOperation::AttachPartitionOf { partition, for_values } => {
                let part = self.resolve(partition);
                self.attach_partition(q, &part, matches!(for_values, sqlparser::ast::ForValues::Default));
            }
            AlterTableOperation::DetachPartitionOf { partition, mode } => {
                let part = self.resolve(partition);
                self.detach_partition(q, &part, mode.as_ref());
            }
            other => {
                self.lock(q, AccessExclusive, Work::CatalogOnly, "ALTER TABLE");
                self.undetermined(format!(
                    "ALTER TABLE … {other}: this action is not known to the lock analysis (ACCESS EXCLUSIVE assumed)"
                ));
            }
        }
    }

    fn lock_owner(&mut self, q: &QualName) {
        self.lock(q, LockMode::AccessExclusive, Work::CatalogOnly, "OWNER TO");
    }

    fn set_persistence(&mut self, q: &QualName, table: Option<&Table>, logged: bool) {
        let what = if logged { "SET LOGGED" } else { "SET UNLOGGED" };
        let already = table.is_some_and(|t| t.kind.is_unlogged() != logged);
        let (work, why) = if table.is_some_and(|t| t.kind.is_partitioned()) {
            (Work::CatalogOnly, format!("{what}: a partitioned table has no storage, nothing changes"))
        } else if already {
            (Work::CatalogOnly, format!("{what}: the table already is, nothing changes"))
        } else {
            (Work::Rewrite, format!("{what} rewrites the table and its indexes"))
        };
        self.lock(q, LockMode::AccessExclusive, work, why);
    }

    /// `SET (param = …)` / `RESET (param)`: `AlterTableGetRelOptionsLockLevel` takes the strongest level of
    /// the parameters; the vacuum, fillfactor and planner parameters need only SHARE UPDATE EXCLUSIVE.
    fn storage_options(&mut self, q: &QualName, options: &[String], verb: &str) {
        let mut mode = LockMode::ShareUpdateExclusive;
        for o in options {
            let name = o.split(['=', ' ']).next().unwrap_or("").trim().to_ascii_lowercase();
            let name = name.strip_prefix("toast.").unwrap_or(&name);
            let light = name.starts_with("autovacuum_")
                || matches!(
                    name,
                    "fillfactor"
                        | "toast_tuple_target"
                        | "parallel_workers"
                        | "vacuum_index_cleanup"
                        | "vacuum_truncate"
                        | "log_autovacuum_min_duration"
                        | "n_distinct"
                        | "n_distinct_inherited"
                );
            if !light {
                mode = LockMode::AccessExclusive;
            }
        }
        let list =
            options.iter().map(|o| o.split(['=', ' ']).next().unwrap_or("").trim()).collect::<Vec<_>>().join(", ");
        self.lock(
            q,
            mode,
            Work::CatalogOnly,
            format!("{verb} ({list}): a storage parameter, used by later writes and VACUUM"),
        );
    }

    /// ADD COLUMN: ACCESS EXCLUSIVE always (`AT_AddColumn`); the rewrite rules are ALTER TABLE's Notes.
    fn add_column(&mut self, q: &QualName, def: &ColumnDef, recurse: bool) {
        let before = self.before;
        let name = names::fold(&def.name);
        let resolved = types::resolve(&def.data_type, before).ok();
        let serial = resolved.as_ref().is_some_and(|(_, s)| s.is_some());
        let domain_checked = resolved.as_ref().is_some_and(|(ty, _)| domain_has_constraints(before, ty));
        let mut default: Option<&Expr> = None;
        let (mut identity, mut stored, mut not_null, mut check, mut index, mut fk) =
            (false, false, false, false, false, None);
        for opt in &def.options {
            match &opt.option {
                ColumnOption::Default(e) => default = Some(e),
                ColumnOption::NotNull => not_null = true,
                ColumnOption::Check(_) => check = true,
                ColumnOption::PrimaryKey(_) => {
                    index = true;
                    not_null = true;
                }
                ColumnOption::Unique(_) => index = true,
                ColumnOption::ForeignKey(f) => fk = Some(f.foreign_table.clone()),
                ColumnOption::Identity(_) => identity = true,
                ColumnOption::Generated { generated_as, generation_expr, .. } => {
                    match (generated_as, generation_expr) {
                        (_, Some(_)) => stored = true,
                        (GeneratedAs::Always | GeneratedAs::ByDefault, None) => identity = true,
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        let null_default = default.is_none_or(is_null_literal);
        let volatile = default.and_then(|e| volatile_call(e, before));
        let (work, why) = if serial {
            (
                Work::Rewrite,
                format!("ADD COLUMN {name} serial: its nextval() default is volatile, every row is rewritten"),
            )
        } else if identity {
            (Work::Rewrite, format!("ADD COLUMN {name} … AS IDENTITY: every row gets a value, the table is rewritten"))
        } else if stored {
            (
                Work::Rewrite,
                format!("ADD COLUMN {name} GENERATED … STORED: every row is rewritten with the computed value"),
            )
        } else if let Some(f) = &volatile {
            (Work::Rewrite, format!("ADD COLUMN {name} with a volatile default ({f}): every row is rewritten"))
        } else if domain_checked {
            (
                Work::Rewrite,
                format!("ADD COLUMN {name} of a domain with constraints: every row is rewritten to check them"),
            )
        } else if !null_default && self.pg < 11 {
            (Work::Rewrite, format!("ADD COLUMN {name} with a DEFAULT: every row is rewritten (before PostgreSQL 11)"))
        } else if fk.is_some() && !null_default {
            (
                Work::Scan,
                format!(
                    "ADD COLUMN {name} REFERENCES with a DEFAULT: the foreign key is validated by reading the table"
                ),
            )
        } else if index {
            (Work::Scan, format!("ADD COLUMN {name} with PRIMARY KEY/UNIQUE: the index is built by reading the table"))
        } else if check {
            (Work::Scan, format!("ADD COLUMN {name} with a CHECK constraint: every row is checked"))
        } else if not_null && null_default {
            (
                Work::Scan,
                format!(
                    "ADD COLUMN {name} NOT NULL without a default: every row is checked (and it fails on a table with rows)"
                ),
            )
        } else if fk.is_some() {
            (
                Work::CatalogOnly,
                format!(
                    "ADD COLUMN {name} REFERENCES without a default: every value is NULL, the foreign key is not validated"
                ),
            )
        } else if null_default {
            (Work::CatalogOnly, format!("ADD COLUMN {name} without a default: only the catalog changes"))
        } else {
            (
                Work::CatalogOnly,
                format!("ADD COLUMN {name} with a non-volatile default: the value is kept in the catalog, no rewrite"),
            )
        };
        self.lock_tree(q, recurse, LockMode::AccessExclusive, work, &why);
        if !null_default && volatile.is_none() && !serial && !identity && !stored && !domain_checked {
            self.note(q, 11, "before PostgreSQL 11, ADD COLUMN with a DEFAULT rewrote the whole table");
        }
        if let Some(r) = fk {
            let r = self.resolve(&r);
            if &r != q {
                self.lock(
                    &r,
                    LockMode::ShareRowExclusive,
                    Work::CatalogOnly,
                    format!("ADD COLUMN {name} REFERENCES {} adds foreign-key triggers to it", r.name),
                );
            }
        }
    }

    fn add_constraint(&mut self, q: &QualName, c: &TableConstraint, not_valid: bool, recurse: bool) {
        use LockMode::*;
        match c {
            TableConstraint::ForeignKey(fk) => {
                // "We add triggers to both tables when we add a Foreign Key, so the lock level must be at
                // least as strong as CREATE TRIGGER": SHARE ROW EXCLUSIVE on both.
                let name = fk.name.as_ref().map(names::fold).unwrap_or_else(|| "FOREIGN KEY".into());
                let r = self.resolve(&fk.foreign_table);
                let (work, why) = if not_valid {
                    (Work::CatalogOnly, format!("ADD CONSTRAINT {name} … NOT VALID: existing rows are not checked"))
                } else {
                    (Work::Scan, format!("ADD CONSTRAINT {name}: every row is checked against {}", r.name))
                };
                self.lock_tree(q, recurse, ShareRowExclusive, work, &why);
                if &r != q {
                    let rwork = if not_valid { Work::CatalogOnly } else { Work::Rows };
                    self.lock(
                        &r,
                        ShareRowExclusive,
                        rwork,
                        format!("{name} adds foreign-key triggers to the referenced table {}", r.name),
                    );
                }
            }
            TableConstraint::Check(ck) => {
                let name = ck.name.as_ref().map(names::fold).unwrap_or_else(|| "CHECK".into());
                let (work, why) = if not_valid {
                    (
                        Work::CatalogOnly,
                        format!("ADD CONSTRAINT {name} CHECK … NOT VALID: existing rows are not checked"),
                    )
                } else {
                    (Work::Scan, format!("ADD CONSTRAINT {name} CHECK: every row is checked"))
                };
                self.lock_tree(q, recurse, AccessExclusive, work, &why);
            }
            TableConstraint::PrimaryKey(_) | TableConstraint::Unique(_) | TableConstraint::Exclude(_) => {
                let what = match c {
                    TableConstraint::PrimaryKey(_) => "PRIMARY KEY",
                    TableConstraint::Unique(_) => "UNIQUE",
                    _ => "EXCLUDE",
                };
                let why = format!(
                    "ADD {what}: the index is built by reading the table, under ACCESS EXCLUSIVE (CREATE UNIQUE INDEX CONCURRENTLY then ADD … USING INDEX avoids it)"
                );
                let partitioned = self.before.table(q).is_some_and(|t| t.kind.is_partitioned());
                self.lock_tree(q, recurse && partitioned, AccessExclusive, Work::Scan, &why);
            }
            TableConstraint::PrimaryKeyUsingIndex(u) | TableConstraint::UniqueUsingIndex(u) => {
                let primary = matches!(c, TableConstraint::PrimaryKeyUsingIndex(_));
                let index = QualName::new(q.schema.clone(), names::fold(&u.index_name));
                let nullable = primary
                    && self.before.indexes.get(&index).is_some_and(|i| {
                        let t = self.before.table(q);
                        i.columns.iter().any(|c| t.and_then(|t| t.column(c)).is_some_and(|c| !c.not_null))
                    });
                let (work, why) = if nullable {
                    (
                        Work::Scan,
                        format!(
                            "ADD PRIMARY KEY USING INDEX {}: its columns are nullable, every row is checked for NULLs",
                            index.name
                        ),
                    )
                } else {
                    (
                        Work::CatalogOnly,
                        format!("ADD … USING INDEX {}: the existing index becomes the constraint's", index.name),
                    )
                };
                self.lock(q, AccessExclusive, work, why);
            }
            _ => {
                self.lock(q, AccessExclusive, Work::CatalogOnly, "ADD CONSTRAINT");
            }
        }
    }

    /// Foreign keys that involve column `col` of `q`: dropping or retyping the column drops and recreates
    /// them, which takes ACCESS EXCLUSIVE on the table at the other end (its triggers change).
    fn fk_partners(&mut self, q: &QualName, col: &str, cascade_to_referencing: bool, what: &str) {
        let before = self.before;
        if let Some(t) = before.table(q) {
            for c in &t.constraints {
                if let ConstraintKind::ForeignKey(fk) = &c.kind
                    && fk.columns.iter().any(|c| c == col)
                    && &fk.ref_table != q
                {
                    let r = fk.ref_table.clone();
                    self.lock(
                        &r,
                        LockMode::AccessExclusive,
                        Work::CatalogOnly,
                        format!("{what} drops or rebuilds foreign key {}, whose triggers live on {}", c.name, r.name),
                    );
                }
            }
        }
        if cascade_to_referencing {
            for other in referencing(before, q, Some(&[col.to_string()])) {
                self.lock(
                    &other,
                    LockMode::AccessExclusive,
                    Work::CatalogOnly,
                    format!("{what} drops or rebuilds the foreign keys of {} that reference it", other.name),
                );
            }
        }
    }

    fn alter_column(
        &mut self,
        q: &QualName,
        table: Option<&Table>,
        col: &str,
        op: &AlterColumnOperation,
        recurse: bool,
    ) {
        use LockMode::*;
        let column = table.and_then(|t| t.column(col));
        match op {
            AlterColumnOperation::SetNotNull => {
                let proven = table.is_some_and(|t| check_proves_not_null(t, col));
                let (work, why) = if column.is_some_and(|c| c.not_null) {
                    (Work::CatalogOnly, format!("SET NOT NULL on {col}: already NOT NULL, nothing to check"))
                } else if proven && self.pg >= 12 {
                    (
                        Work::CatalogOnly,
                        format!(
                            "SET NOT NULL on {col}: a valid CHECK ({col} IS NOT NULL) proves it, the scan is skipped"
                        ),
                    )
                } else {
                    (Work::Scan, format!("SET NOT NULL on {col}: every row is read to check for NULLs"))
                };
                self.lock_tree(q, recurse, AccessExclusive, work, &why);
                if proven {
                    self.note(q, 12, "before PostgreSQL 12, SET NOT NULL always scanned the table; a valid CHECK (col IS NOT NULL) lets it skip the scan since 12");
                }
            }
            AlterColumnOperation::DropNotNull => {
                self.lock_tree(q, recurse, AccessExclusive, Work::CatalogOnly, &format!("DROP NOT NULL on {col}"));
            }
            AlterColumnOperation::SetDefault { .. } => {
                self.lock_tree(
                    q,
                    recurse,
                    AccessExclusive,
                    Work::CatalogOnly,
                    &format!("SET DEFAULT on {col}: applies to future inserts only"),
                );
            }
            AlterColumnOperation::DropDefault => {
                self.lock_tree(q, recurse, AccessExclusive, Work::CatalogOnly, &format!("DROP DEFAULT on {col}"));
            }
            AlterColumnOperation::SetDataType { data_type, using, .. } => {
                let (work, why, note) = self.type_change(table, col, data_type, using.as_ref());
                self.lock_tree(q, recurse, AccessExclusive, work, &why);
                if let Some(note) = note {
                    self.note_text(q, note);
                }
                self.fk_partners(q, col, true, &format!("ALTER COLUMN {col} TYPE"));
            }
            AlterColumnOperation::AddGenerated { .. } => {
                self.lock_tree(
                    q,
                    recurse,
                    AccessExclusive,
                    Work::CatalogOnly,
                    &format!("ADD GENERATED … AS IDENTITY on {col}: a sequence is created, rows are not touched"),
                );
            }
            AlterColumnOperation::GenericOptions { .. } => {
                self.lock(q, AccessExclusive, Work::CatalogOnly, format!("ALTER COLUMN {col} OPTIONS"));
            }
        }
    }

    /// ALTER COLUMN … TYPE: ACCESS EXCLUSIVE; a rewrite unless the change is binary coercible or only
    /// relaxes a type modifier (`ATColumnChangeRequiresRewrite` and the types' support functions:
    /// varchar, numeric, varbit and the datetime precisions). Without a rewrite, the column's valid CHECK
    /// constraints are still checked on every row and its indexes with an expression or a predicate are
    /// built anew ([`RetypedDependents`]).
    fn type_change(
        &self,
        table: Option<&Table>,
        col: &str,
        data_type: &DataType,
        using: Option<&Expr>,
    ) -> (Work, String, Option<String>) {
        let shown = data_type.to_string().to_lowercase();
        let old = table.and_then(|t| t.column(col)).map(|c| &c.ty);
        let dependents = table.map(|t| RetypedDependents::of(self.before, t, col)).unwrap_or_default();
        // The rows stay as they are; what is re-created on the column still reads them.
        let in_place = |why: &str, note: Option<String>| {
            if dependents.is_empty() {
                return (Work::CatalogOnly, format!("ALTER COLUMN {col} TYPE {shown}: {why}"), note);
            }
            (Work::Scan, format!("ALTER COLUMN {col} TYPE {shown}: {why}, but {}", dependents.describe(col)), note)
        };
        let Some(old) = old else {
            return (Work::Rewrite, format!("ALTER COLUMN {col} TYPE {shown}: the table is rewritten"), None);
        };
        let Ok((new, serial)) = types::resolve(data_type, self.before) else {
            return (Work::Rewrite, format!("ALTER COLUMN {col} TYPE {shown}: the table is rewritten"), None);
        };
        let plain_using = using.is_none_or(|e| match e {
            Expr::Identifier(id) => names::fold(id) == col,
            Expr::Cast { expr, data_type: dt, .. } => {
                matches!(&**expr, Expr::Identifier(id) if names::fold(id) == col)
                    && types::resolve(dt, self.before).is_ok_and(|(t, _)| t == new)
            }
            _ => false,
        });
        let rewrite = |why: &str| {
            (Work::Rewrite, format!("ALTER COLUMN {col} TYPE {shown}: {why}, every row and index is rewritten"), None)
        };
        if serial.is_some() {
            return rewrite("not a real type");
        }
        if !plain_using {
            return rewrite("USING computes new values");
        }
        let keep = |why: &str| {
            let why = if dependents.is_empty() {
                format!("{why}, no rewrite (indexes on it are kept when their operator class is unchanged)")
            } else {
                format!("{why}, no rewrite")
            };
            in_place(&why, Some("binary-coercible type changes skip the rewrite since PostgreSQL 9.2".to_string()))
        };
        if old == &new {
            return in_place("the type does not change", None);
        }
        if old.array != new.array {
            return rewrite("the values are converted");
        }
        let (o, n) = (&old.mods, &new.mods);
        // A modifier that only grows (or goes away) keeps every stored value valid.
        let relaxed = |o: &[i64], n: &[i64]| n.is_empty() || (!o.is_empty() && n[0] >= o[0]);
        if old.schema.is_none() && new.schema.is_none() {
            match (old.name.as_str(), new.name.as_str()) {
                ("varchar", "varchar") | ("varbit", "varbit") if relaxed(o, n) => {
                    return keep("a longer or unlimited length");
                }
                ("varchar", "text") => return keep("varchar to text is binary coercible"),
                ("text", "varchar") if n.is_empty() => return keep("text to varchar is binary coercible"),
                ("cidr", "inet") => return keep("cidr to inet is binary coercible"),
                ("numeric", "numeric") => {
                    let scale = |m: &[i64]| m.get(1).copied().unwrap_or(0);
                    if n.is_empty() || (!o.is_empty() && n[0] >= o[0] && scale(n) == scale(o)) {
                        return keep("a larger precision with the same scale");
                    }
                }
                ("timestamp", "timestamp")
                | ("timestamptz", "timestamptz")
                | ("time", "time")
                | ("timetz", "timetz")
                | ("interval", "interval")
                    if relaxed(o, n) && old.fields == new.fields =>
                {
                    return keep("a higher or unlimited precision");
                }
                ("timestamp", "timestamptz") | ("timestamptz", "timestamp") => {
                    let (w, why, _) = rewrite("the values are converted");
                    return (
                        w,
                        why,
                        Some(
                            "since PostgreSQL 12 this change skips the rewrite when the session TimeZone is UTC".into(),
                        ),
                    );
                }
                _ => {}
            }
            return rewrite("the values are converted");
        }
        // Domains: to a domain over the old type without constraints, or from a domain to its base type.
        let base = |t: &TypeRef| match t
            .schema
            .as_ref()
            .and_then(|s| self.before.types.get(&QualName::new(s.clone(), t.name.clone())))
        {
            Some(ut) => match &ut.kind {
                UserTypeKind::Domain { base, not_null, checks, .. } => {
                    Some((base.clone(), *not_null || !checks.is_empty()))
                }
                _ => None,
            },
            None => None,
        };
        if let Some((b, constrained)) = base(&new)
            && b.without_mods() == old.without_mods()
        {
            if constrained {
                return rewrite("the domain's constraints are checked");
            }
            return keep("a domain over the same type");
        }
        if let Some((b, _)) = base(old)
            && b == new
        {
            return keep("a domain to its base type is binary coercible");
        }
        rewrite("the values are converted")
    }

    fn manual_action(&mut self, q: &QualName, m: &ManualAction) {
        use LockMode::*;
        let before = self.before;
        match m {
            ManualAction::SetSchema(s) => {
                self.lock(q, AccessExclusive, Work::CatalogOnly, format!("SET SCHEMA {s}"));
            }
            ManualAction::SetGenerated { column, .. } => {
                self.lock(q, AccessExclusive, Work::CatalogOnly, format!("ALTER COLUMN {column} SET GENERATED"));
                self.identity_sequence(q, column, ShareRowExclusive, "SET GENERATED alters its identity sequence");
            }
            ManualAction::DropIdentity { column, .. } => {
                self.lock(q, AccessExclusive, Work::CatalogOnly, format!("ALTER COLUMN {column} DROP IDENTITY"));
                self.identity_sequence(q, column, AccessExclusive, "DROP IDENTITY drops its identity sequence");
            }
            ManualAction::DropExpression { column, .. } => {
                self.lock_tree(
                    q,
                    true,
                    AccessExclusive,
                    Work::CatalogOnly,
                    &format!("ALTER COLUMN {column} DROP EXPRESSION: the stored values stay"),
                );
            }
            ManualAction::ClusterOn(i) => {
                self.lock(
                    q,
                    ShareUpdateExclusive,
                    Work::CatalogOnly,
                    format!("CLUSTER ON {i}: marks the index for later CLUSTER runs"),
                );
                let iq = QualName::new(q.schema.clone(), i.clone());
                self.lock(&iq, ShareUpdateExclusive, Work::CatalogOnly, "CLUSTER ON marks it");
            }
            ManualAction::SetWithoutCluster => {
                self.lock(q, ShareUpdateExclusive, Work::CatalogOnly, "SET WITHOUT CLUSTER");
            }
            ManualAction::ReplicaIdentityIndex(i) => {
                self.lock(q, AccessExclusive, Work::CatalogOnly, format!("REPLICA IDENTITY USING INDEX {i}"));
            }
            ManualAction::AlterConstraint { name, .. } => {
                self.lock(q, AccessExclusive, Work::CatalogOnly, format!("ALTER CONSTRAINT {name}"));
            }
            ManualAction::NoEffect(what) => {
                let (mode, work, why): (LockMode, Work, String) = match what.as_str() {
                    "SET TABLESPACE" => (
                        AccessExclusive,
                        Work::Rewrite,
                        "SET TABLESPACE copies the table and its indexes (nothing when it is already there)".into(),
                    ),
                    "SET ACCESS" => (
                        AccessExclusive,
                        Work::Rewrite,
                        "SET ACCESS METHOD rewrites the table (nothing when it already uses it)".into(),
                    ),
                    "SET LOGGED" | "SET UNLOGGED" => {
                        self.set_persistence(q, before.table(q), what == "SET LOGGED");
                        return;
                    }
                    "SET WITHOUT" => (AccessExclusive, Work::CatalogOnly, "SET WITHOUT OIDS".into()),
                    "REPLICA IDENTITY" => (AccessExclusive, Work::CatalogOnly, "REPLICA IDENTITY".into()),
                    "OWNER TO" => (AccessExclusive, Work::CatalogOnly, "OWNER TO".into()),
                    "ALTER COLUMN SET STATISTICS" => {
                        (ShareUpdateExclusive, Work::CatalogOnly, "SET STATISTICS: used by later ANALYZE runs".into())
                    }
                    "ALTER COLUMN SET (…)" | "ALTER COLUMN RESET" => {
                        (ShareUpdateExclusive, Work::CatalogOnly, "ALTER COLUMN SET/RESET (attribute option)".into())
                    }
                    "ALTER COLUMN SET STORAGE" => {
                        (AccessExclusive, Work::CatalogOnly, "SET STORAGE: applies to values written later".into())
                    }
                    "ALTER COLUMN SET COMPRESSION" => {
                        (AccessExclusive, Work::CatalogOnly, "SET COMPRESSION: applies to values written later".into())
                    }
                    w if w.starts_with("ALTER COLUMN SET") || w.starts_with("ALTER COLUMN RESTART") => {
                        (AccessExclusive, Work::CatalogOnly, "identity sequence options".into())
                    }
                    other => {
                        self.undetermined(format!(
                            "ALTER TABLE … {other}: not known to the lock analysis (ACCESS EXCLUSIVE assumed)"
                        ));
                        (AccessExclusive, Work::CatalogOnly, other.to_string())
                    }
                };
                self.lock(q, mode, work, why);
            }
        }
    }

    fn identity_sequence(&mut self, q: &QualName, column: &str, mode: LockMode, why: &str) {
        let seq = self
            .before
            .sequences
            .values()
            .find(|s| s.owned_by.as_ref().is_some_and(|(t, c)| t == q && c == column))
            .map(|s| s.name.clone());
        if let Some(s) = seq {
            self.lock(&s, mode, Work::CatalogOnly, why);
        }
    }

    /// ATTACH PARTITION: SHARE UPDATE EXCLUSIVE on the parent since PostgreSQL 12 (ACCESS EXCLUSIVE
    /// before), ACCESS EXCLUSIVE on the table attached, which is scanned to validate the bound unless a
    /// valid CHECK constraint implies it; a default partition is scanned too (`ATExecAttachPartition`).
    fn attach_partition(&mut self, parent: &QualName, part: &QualName, is_default: bool) {
        use LockMode::*;
        let mode = if self.pg >= 12 { ShareUpdateExclusive } else { AccessExclusive };
        self.lock(parent, mode, Work::CatalogOnly, format!("ATTACH PARTITION {}", part.name));
        self.note(parent, 12, "before PostgreSQL 12, ATTACH PARTITION took ACCESS EXCLUSIVE on the parent");
        self.lock(
            part,
            AccessExclusive,
            Work::Scan,
            format!("ATTACH PARTITION {}: its rows are read to check the partition bound, unless a valid CHECK constraint implies it", part.name),
        );
        if !is_default && let Some(d) = default_partition(self.before, parent).filter(|d| d != part) {
            self.lock(
                &d,
                AccessExclusive,
                Work::Scan,
                format!("the default partition {} is read for rows that now belong to {}", d.name, part.name),
            );
        }
    }

    /// DETACH PARTITION: ACCESS EXCLUSIVE on both; CONCURRENTLY (PostgreSQL 14) SHARE UPDATE EXCLUSIVE on
    /// both, outside a transaction block (`AlterTableGetLockLevel`, `ATExecDetachPartition`).
    fn detach_partition(&mut self, parent: &QualName, part: &QualName, mode: Option<&DetachPartitionMode>) {
        use LockMode::*;
        match mode {
            Some(DetachPartitionMode::Concurrently) => {
                if self.pg < 14 {
                    self.undetermined("DETACH PARTITION CONCURRENTLY needs PostgreSQL 14: a syntax error before");
                }
                self.lock(
                    parent,
                    ShareUpdateExclusive,
                    Work::CatalogOnly,
                    format!("DETACH PARTITION {} CONCURRENTLY", part.name),
                );
                self.lock(
                    part,
                    ShareUpdateExclusive,
                    Work::CatalogOnly,
                    "DETACH PARTITION CONCURRENTLY: waits for queries that use it, in two transactions",
                );
                self.note(
                    parent,
                    14,
                    "DETACH PARTITION CONCURRENTLY exists since PostgreSQL 14; before, only ACCESS EXCLUSIVE detaching",
                );
                self.outside_transaction("DETACH PARTITION CONCURRENTLY cannot run inside a transaction block");
            }
            Some(DetachPartitionMode::Finalize) => {
                self.lock(
                    parent,
                    ShareUpdateExclusive,
                    Work::CatalogOnly,
                    format!("DETACH PARTITION {} FINALIZE", part.name),
                );
                self.lock(part, ShareUpdateExclusive, Work::CatalogOnly, "DETACH PARTITION FINALIZE");
            }
            None => {
                self.lock(parent, AccessExclusive, Work::CatalogOnly, format!("DETACH PARTITION {}", part.name));
                self.lock(part, AccessExclusive, Work::CatalogOnly, format!("DETACH PARTITION {}", part.name));
                if self.pg >= 14 {
                    self.note(
                        parent,
                        14,
                        "since PostgreSQL 14, DETACH PARTITION CONCURRENTLY needs only SHARE UPDATE EXCLUSIVE",
                    );
                }
                if let Some(d) = default_partition(self.before, parent).filter(|d| d != part) {
                    self.lock(&d, AccessExclusive, Work::CatalogOnly, "its partition constraint changes");
                }
            }
        }
    }

    // ----- other statements -----

    /// CREATE INDEX: SHARE (blocks writes) and a scan; CONCURRENTLY: SHARE UPDATE EXCLUSIVE, two scans, no
    /// transaction block. On a partitioned table every partition is locked and indexed too.
    fn create_index(&mut self, ci: &sqlparser::ast::CreateIndex) {
        let q = self.resolve(&ci.table_name);
        if ci.if_not_exists
            && let Some(n) = &ci.name
            && self
                .before
                .indexes
                .contains_key(&QualName::new(q.schema.clone(), names::parts(n).last().cloned().unwrap_or_default()))
        {
            self.lock(
                &q,
                if ci.concurrently { LockMode::ShareUpdateExclusive } else { LockMode::Share },
                Work::CatalogOnly,
                "CREATE INDEX IF NOT EXISTS: the index exists, nothing is built",
            );
            return;
        }
        let partitioned = self.before.table(&q).is_some_and(|t| t.kind.is_partitioned());
        if ci.concurrently {
            self.lock(
                &q,
                LockMode::ShareUpdateExclusive,
                Work::Scan,
                "CREATE INDEX CONCURRENTLY reads the table twice — reads and writes go on meanwhile",
            );
            self.outside_transaction("CREATE INDEX CONCURRENTLY cannot run inside a transaction block");
            if partitioned {
                self.undetermined("CREATE INDEX CONCURRENTLY is not supported on a partitioned table: create it on each partition, then ON ONLY the parent and ATTACH");
            }
            return;
        }
        self.lock(
            &q,
            LockMode::Share,
            Work::Scan,
            "CREATE INDEX reads every row to build the index — writes wait (CONCURRENTLY avoids it)",
        );
        if partitioned {
            for p in self.before.partitions(&q) {
                self.lock(
                    &p,
                    LockMode::Share,
                    Work::Scan,
                    format!("CREATE INDEX on the partitioned table builds it on partition {} too", p.name),
                );
            }
        }
    }

    fn create_table(&mut self, ct: &sqlparser::ast::CreateTable, text: &str) {
        use LockMode::*;
        let q = self.resolve(&ct.name);
        if ct.if_not_exists && self.before.relation_exists(&q) {
            return;
        }
        if let Some(parent) = &ct.partition_of {
            // DefineRelation: a partition changes the parent's partition descriptor.
            let p = self.resolve(parent);
            self.lock(
                &p,
                AccessExclusive,
                Work::CatalogOnly,
                format!("CREATE TABLE {} PARTITION OF {}: a partition is added", q.name, p.name),
            );
            let is_default = matches!(ct.for_values, Some(sqlparser::ast::ForValues::Default));
            if !is_default && let Some(d) = default_partition(self.before, &p) {
                self.lock(
                    &d,
                    AccessExclusive,
                    Work::Scan,
                    format!("the default partition {} is read for rows that belong to the new partition", d.name),
                );
            }
        }
        for parent in ct.inherits.iter().flatten() {
            let p = self.resolve(parent);
            self.lock(
                &p,
                ShareUpdateExclusive,
                Work::CatalogOnly,
                format!("CREATE TABLE … INHERITS ({}): the parent gains a child", p.name),
            );
        }
        if let Some(like) = like_source(text) {
            let s = self.resolve_parts(&like);
            self.lock(&s, AccessShare, Work::CatalogOnly, "CREATE TABLE (LIKE …) copies its definition");
        }
        let mut refs: Vec<ObjectName> = Vec::new();
        for c in &ct.constraints {
            if let TableConstraint::ForeignKey(fk) = c {
                refs.push(fk.foreign_table.clone());
            }
        }
        for col in &ct.columns {
            for o in &col.options {
                if let ColumnOption::ForeignKey(fk) = &o.option {
                    refs.push(fk.foreign_table.clone());
                }
            }
        }
        for r in refs {
            let r = self.resolve(&r);
            if r != q {
                self.lock(
                    &r,
                    ShareRowExclusive,
                    Work::CatalogOnly,
                    format!("a foreign key to {} adds triggers to it", r.name),
                );
            }
        }
        if let Some(query) = &ct.query {
            self.sources(query, &q, Work::Scan, "CREATE TABLE … AS reads it");
        }
    }

    fn drop(&mut self, object_type: ObjectType, q: &QualName, cascade: bool, concurrently: bool) {
        use LockMode::*;
        let before = self.before;
        match object_type {
            ObjectType::Table => {
                if !self.lock(q, AccessExclusive, Work::CatalogOnly, "DROP TABLE") {
                    return;
                }
                let Some(t) = before.table(q) else { return };
                for c in &t.constraints {
                    if let ConstraintKind::ForeignKey(fk) = &c.kind
                        && &fk.ref_table != q
                    {
                        self.lock(
                            &fk.ref_table,
                            AccessExclusive,
                            Work::CatalogOnly,
                            format!("DROP TABLE {} removes the triggers of its foreign key {}", q.name, c.name),
                        );
                    }
                }
                if let Some((parent, _)) = &t.partition_of {
                    self.lock(
                        parent,
                        AccessExclusive,
                        Work::CatalogOnly,
                        format!("DROP TABLE of its partition {}", q.name),
                    );
                }
                for child in before.descendants(q) {
                    let partition = before.table(&child).is_some_and(|c| c.partition_of.is_some());
                    if partition || cascade {
                        self.lock(&child, AccessExclusive, Work::CatalogOnly, format!("dropped with {}", q.name));
                    }
                }
                if cascade {
                    for other in referencing(before, q, None) {
                        self.lock(
                            &other,
                            AccessExclusive,
                            Work::CatalogOnly,
                            format!(
                                "DROP TABLE {} CASCADE drops the foreign keys of {} that reference it",
                                q.name, other.name
                            ),
                        );
                    }
                    self.dependent_views(q);
                }
            }
            ObjectType::View | ObjectType::MaterializedView => {
                self.lock(q, AccessExclusive, Work::CatalogOnly, "DROP VIEW");
                if cascade {
                    self.dependent_views(q);
                }
            }
            ObjectType::Index => {
                let Some(idx) = before.indexes.get(q) else { return };
                let table = idx.table.clone();
                if concurrently {
                    self.lock(
                        &table,
                        ShareUpdateExclusive,
                        Work::CatalogOnly,
                        format!(
                            "DROP INDEX CONCURRENTLY {}: waits for the queries that use it — reads and writes go on",
                            q.name
                        ),
                    );
                    self.lock(q, ShareUpdateExclusive, Work::CatalogOnly, "DROP INDEX CONCURRENTLY");
                    self.outside_transaction("DROP INDEX CONCURRENTLY cannot run inside a transaction block");
                } else {
                    self.lock(
                        &table,
                        AccessExclusive,
                        Work::CatalogOnly,
                        format!("DROP INDEX {} (CONCURRENTLY avoids blocking)", q.name),
                    );
                    self.lock(q, AccessExclusive, Work::CatalogOnly, "DROP INDEX");
                }
            }
            ObjectType::Sequence => {
                self.lock(q, AccessExclusive, Work::CatalogOnly, "DROP SEQUENCE");
            }
            _ => {}
        }
    }

    fn dependent_views(&mut self, q: &QualName) {
        let mut todo = vec![q.clone()];
        let mut seen = Vec::new();
        while let Some(r) = todo.pop() {
            for v in self.before.views.values() {
                if v.depends_on.contains(&r) && !seen.contains(&v.name) {
                    seen.push(v.name.clone());
                    todo.push(v.name.clone());
                }
            }
        }
        for v in seen {
            self.lock(&v, LockMode::AccessExclusive, Work::CatalogOnly, format!("dropped by CASCADE with {}", q.name));
        }
    }

    /// TRUNCATE: ACCESS EXCLUSIVE; the table gets new, empty storage.
    fn truncate(&mut self, q: &QualName, recurse: bool, cascade: bool) {
        self.lock_tree(
            q,
            recurse,
            LockMode::AccessExclusive,
            Work::Rewrite,
            "TRUNCATE swaps in new, empty storage: quick, but every row is gone",
        );
        if cascade {
            for other in referencing(self.before, q, None) {
                self.lock(
                    &other,
                    LockMode::AccessExclusive,
                    Work::Rewrite,
                    format!("TRUNCATE … CASCADE empties {} too", other.name),
                );
            }
        }
    }

    /// INSERT, UPDATE, DELETE, MERGE: ROW EXCLUSIVE on the target, ACCESS SHARE on what they read; an
    /// INSERT also takes ROW SHARE on the tables its foreign keys reference (the RI check locks the rows
    /// it finds FOR KEY SHARE).
    fn dml(&mut self, stmt: &Statement) {
        let target = match stmt {
            Statement::Insert(ins) => match &ins.table {
                sqlparser::ast::TableObject::TableName(n) => Some(n.clone()),
                _ => None,
            },
            Statement::Update(up) => match &up.table.relation {
                sqlparser::ast::TableFactor::Table { name, .. } => Some(name.clone()),
                _ => None,
            },
            Statement::Delete(del) => {
                let tables = match &del.from {
                    sqlparser::ast::FromTable::WithFromKeyword(t) | sqlparser::ast::FromTable::WithoutKeyword(t) => t,
                };
                tables.first().and_then(|t| match &t.relation {
                    sqlparser::ast::TableFactor::Table { name, .. } => Some(name.clone()),
                    _ => None,
                })
            }
            Statement::Merge(m) => match &m.table {
                sqlparser::ast::TableFactor::Table { name, .. } => Some(name.clone()),
                _ => None,
            },
            _ => None,
        };
        let verb = match stmt {
            Statement::Insert(_) => "INSERT",
            Statement::Update(_) => "UPDATE",
            Statement::Delete(_) => "DELETE",
            _ => "MERGE",
        };
        let target = target.map(|t| self.resolve(&t));
        if let Some(t) = &target {
            self.lock(
                t,
                LockMode::RowExclusive,
                Work::Rows,
                format!("{verb} writes rows — each changed row stays locked against other writers until commit"),
            );
        }
        let mut read = Vec::new();
        let _ = sqlparser::ast::visit_relations(stmt, |name| {
            read.push(name.clone());
            ControlFlow::<()>::Continue(())
        });
        for name in read {
            let q = self.resolve(&name);
            if Some(&q) != target.as_ref() {
                self.lock(&q, LockMode::AccessShare, Work::Rows, format!("{verb} reads it"));
            }
        }
        if let (Statement::Insert(_), Some(t)) = (stmt, &target)
            && let Some(table) = self.before.table(t)
        {
            for c in &table.constraints {
                if let ConstraintKind::ForeignKey(fk) = &c.kind
                    && &fk.ref_table != t
                {
                    self.lock(
                        &fk.ref_table,
                        LockMode::RowShare,
                        Work::Rows,
                        format!("foreign key {} checks the referenced rows (FOR KEY SHARE)", c.name),
                    );
                }
            }
        }
    }

    fn query(&mut self, stmt: &Statement, for_update: bool) {
        let mode = if for_update { LockMode::RowShare } else { LockMode::AccessShare };
        let mut read = Vec::new();
        let _ = sqlparser::ast::visit_relations(stmt, |name| {
            read.push(name.clone());
            ControlFlow::<()>::Continue(())
        });
        for name in read {
            let q = self.resolve(&name);
            let why =
                if for_update { "SELECT … FOR UPDATE/SHARE locks the rows it reads" } else { "the query reads it" };
            self.lock(&q, mode, Work::Rows, why);
        }
    }

    /// The relations a view's or CREATE TABLE AS's query reads, except the object being defined.
    fn sources(&mut self, query: &sqlparser::ast::Query, defined: &QualName, work: Work, why: &str) {
        let mut read = Vec::new();
        let _ = sqlparser::ast::visit_relations(query, |name| {
            read.push(name.clone());
            ControlFlow::<()>::Continue(())
        });
        for name in read {
            let q = self.resolve(&name);
            if &q != defined {
                self.lock(&q, LockMode::AccessShare, work, why);
            }
        }
    }

    fn alter_sequence(&mut self, name: &[String], owned_by: Option<&[String]>, rename: bool, text: &str) {
        let q = self.resolve_parts(name);
        if rename {
            self.lock(&q, LockMode::AccessExclusive, Work::CatalogOnly, "ALTER SEQUENCE … RENAME");
        }
        let toks = tokens(text);
        let changes_state = toks.iter().any(|t| {
            matches!(
                t.word.as_deref(),
                Some("RESTART" | "START" | "INCREMENT" | "MINVALUE" | "MAXVALUE" | "CACHE" | "CYCLE" | "AS" | "NO")
            )
        });
        let work = if changes_state { Work::Rewrite } else { Work::CatalogOnly };
        let why = if changes_state {
            "ALTER SEQUENCE writes the sequence anew — nextval() waits meanwhile"
        } else {
            "ALTER SEQUENCE — nextval() waits meanwhile"
        };
        if !rename || changes_state || owned_by.is_some() {
            self.lock(&q, LockMode::ShareRowExclusive, work, why);
            self.note(&q, 10, "before PostgreSQL 10, ALTER SEQUENCE did not block nextval()");
        }
        if let Some(o) = owned_by
            && o.len() >= 2
        {
            let t = self.resolve_parts(&o[..o.len() - 1]);
            self.lock(&t, LockMode::AccessShare, Work::CatalogOnly, "OWNED BY reads the owning table's definition");
        }
    }

    /// Statements the parser keeps only as text: read with the tokenizer.
    fn no_effect(&mut self, what: &str, text: &str) {
        let toks = tokens(text);
        let w = |i: usize| toks.get(i).and_then(|t| t.word.as_deref()).unwrap_or("");
        match what {
            "VACUUM" => self.vacuum(&toks),
            "ANALYZE" | "ANALYSE" => {
                let targets = name_list(&toks, skip_options(&toks, 1, &["VERBOSE", "SKIP_LOCKED"]));
                let targets = if targets.is_empty() { self.all_tables() } else { self.resolve_all(&targets) };
                for q in targets {
                    self.lock(
                        &q,
                        LockMode::ShareUpdateExclusive,
                        Work::Rows,
                        "ANALYZE reads a sample of its rows — reads and writes go on",
                    );
                }
            }
            "CLUSTER" => {
                let start = skip_options(&toks, 1, &["VERBOSE"]);
                let names = name_list(&toks, start);
                if let Some(first) = names.first() {
                    let q = self.resolve_parts(first);
                    self.lock(
                        &q,
                        LockMode::AccessExclusive,
                        Work::Rewrite,
                        "CLUSTER rewrites the table in index order and rebuilds its indexes",
                    );
                } else {
                    let clustered: Vec<QualName> =
                        self.before.indexes.values().filter(|i| i.clustered).map(|i| i.table.clone()).collect();
                    for q in clustered {
                        self.lock(
                            &q,
                            LockMode::AccessExclusive,
                            Work::Rewrite,
                            "CLUSTER (all clustered tables) rewrites it",
                        );
                    }
                    self.outside_transaction("CLUSTER without a table name cannot run inside a transaction block");
                }
            }
            "REINDEX" => self.reindex(&toks),
            "LOCK" => self.lock_statement(&toks),
            "REFRESH MATERIALIZED VIEW" => {
                let mut k = 3;
                let concurrently = w(k) == "CONCURRENTLY";
                if concurrently {
                    k += 1;
                }
                let Some(name) = toks.get(k..).map(|t| name_at(t, 0).0) else { return };
                let q = self.resolve_parts(&name);
                if concurrently {
                    self.lock(&q, LockMode::Exclusive, Work::Rows, "REFRESH MATERIALIZED VIEW CONCURRENTLY updates the changed rows — reads go on, writes to it wait");
                } else {
                    self.lock(
                        &q,
                        LockMode::AccessExclusive,
                        Work::Rewrite,
                        "REFRESH MATERIALIZED VIEW rebuilds it — reads wait (CONCURRENTLY lets them go on)",
                    );
                }
                let deps = self.before.views.get(&q).map(|v| v.depends_on.clone()).unwrap_or_default();
                for d in deps {
                    self.lock(&d, LockMode::AccessShare, Work::Rows, "REFRESH reads it");
                }
            }
            "COPY" => {
                let (name, k) = name_at(&toks, 1);
                if name.is_empty() {
                    self.undetermined("COPY (query): the relations it reads are not analysed");
                    return;
                }
                let mut k = k;
                if toks.get(k).is_some_and(|t| t.tok == Token::LParen) {
                    while k < toks.len() && toks[k].tok != Token::RParen {
                        k += 1;
                    }
                    k += 1;
                }
                let q = self.resolve_parts(&name);
                if w(k) == "FROM" {
                    self.lock(&q, LockMode::RowExclusive, Work::Rows, "COPY … FROM inserts rows");
                } else {
                    self.lock(&q, LockMode::AccessShare, Work::Rows, "COPY … TO reads its rows");
                }
            }
            "query" => {
                let dialect = sqlparser::dialect::PostgreSqlDialect {};
                let parsed = sqlparser::parser::Parser::new(&dialect)
                    .with_recursion_limit(96)
                    .try_with_sql(text)
                    .and_then(|mut p| p.parse_statements());
                match parsed {
                    Ok(stmts) => {
                        for s in &stmts {
                            if let Statement::Query(q) = s {
                                self.query(s, !q.locks.is_empty());
                            }
                        }
                    }
                    Err(_) => self.undetermined("the query could not be read: the relations it reads are not analysed"),
                }
            }
            w0 if w0.starts_with("COMMENT ON") => {
                // COMMENT ON CONSTRAINT/TRIGGER/POLICY name ON table: the table is only read.
                if let Some(on) = (3..toks.len()).find(|&i| toks[i].word.as_deref() == Some("ON")) {
                    let mut k = on + 1;
                    if w(k) == "DOMAIN" {
                        return;
                    }
                    if w(k) == "TABLE" {
                        k += 1;
                    }
                    let (name, _) = name_at(&toks, k);
                    let q = self.resolve_parts(&name);
                    self.lock(&q, LockMode::AccessShare, Work::CatalogOnly, "COMMENT ON … ON it");
                }
            }
            "CREATE STATISTICS" => {
                if let Some(from) = toks.iter().position(|t| t.word.as_deref() == Some("FROM")) {
                    let (name, _) = name_at(&toks, from + 1);
                    let q = self.resolve_parts(&name);
                    self.lock(
                        &q,
                        LockMode::ShareUpdateExclusive,
                        Work::CatalogOnly,
                        "CREATE STATISTICS: used by later ANALYZE runs",
                    );
                }
            }
            "ALTER INDEX (physical settings)" => self.alter_index_physical(&toks),
            "ALTER DOMAIN" => self.alter_domain(&toks),
            _ => {}
        }
    }

    /// CREATE PUBLICATION … FOR TABLE and ALTER PUBLICATION … ADD / DROP / SET: SHARE UPDATE EXCLUSIVE on
    /// each table named (and the tables that inherit from it, unless ONLY), and for SET on the tables the
    /// publication had. Whether the statement is one of these.
    fn publication(&mut self, stmt: &crate::sql::objects::ObjectStmt) -> bool {
        use crate::sql::objects::{ObjectStmt, PublicationOp};
        let (targets, had) = match stmt {
            ObjectStmt::CreatePublication { tables, .. } => (tables, Vec::new()),
            ObjectStmt::AlterPublicationObjects { name, op, tables, .. } => {
                let had = match (op, self.before.publications.get(name)) {
                    (PublicationOp::Set, Some(p)) => p.tables.iter().map(|t| t.table.clone()).collect(),
                    _ => Vec::new(),
                };
                (tables, had)
            }
            _ => return false,
        };
        let mut named = had;
        for target in targets {
            let q = self.resolve_parts(&target.name);
            let partitioned = self.before.table(&q).is_some_and(|t| t.kind.is_partitioned());
            let children = if target.only || partitioned { Vec::new() } else { self.before.descendants(&q) };
            named.push(q);
            named.extend(children);
        }
        for q in named {
            self.lock(
                &q,
                LockMode::ShareUpdateExclusive,
                Work::CatalogOnly,
                "the publication's list of tables changes — reads and writes go on",
            );
        }
        true
    }

    fn resolve_all(&self, names: &[Vec<String>]) -> Vec<QualName> {
        names.iter().map(|n| self.resolve_parts(n)).collect()
    }

    fn all_tables(&self) -> Vec<QualName> {
        self.before.tables.keys().cloned().collect()
    }

    /// VACUUM: SHARE UPDATE EXCLUSIVE (reads and writes go on); VACUUM FULL: ACCESS EXCLUSIVE and a
    /// rewrite. Never inside a transaction block.
    fn vacuum(&mut self, toks: &[Tok]) {
        let mut full = false;
        let mut k = 1;
        if toks.get(k).is_some_and(|t| t.tok == Token::LParen) {
            let mut j = k + 1;
            while j < toks.len() && toks[j].tok != Token::RParen {
                if toks[j].word.as_deref() == Some("FULL") {
                    let off = matches!(toks.get(j + 1).and_then(|t| t.word.as_deref()), Some("FALSE" | "OFF"))
                        || matches!(toks.get(j + 1).map(|t| &t.tok), Some(Token::Number(n, _)) if n == "0");
                    full = !off;
                }
                j += 1;
            }
            k = j + 1;
        }
        while let Some(word) = toks.get(k).and_then(|t| t.word.as_deref()) {
            match word {
                "FULL" => full = true,
                "FREEZE" | "VERBOSE" | "ANALYZE" | "ANALYSE" => {}
                _ => break,
            }
            k += 1;
        }
        let names = name_list(toks, k);
        let targets = if names.is_empty() { self.all_tables() } else { self.resolve_all(&names) };
        for q in targets {
            if full {
                self.lock(
                    &q,
                    LockMode::AccessExclusive,
                    Work::Rewrite,
                    "VACUUM FULL rewrites the table and its indexes",
                );
            } else {
                self.lock(
                    &q,
                    LockMode::ShareUpdateExclusive,
                    Work::Scan,
                    "VACUUM reads the table to remove dead rows — reads and writes go on",
                );
            }
        }
        self.outside_transaction("VACUUM cannot run inside a transaction block");
    }

    /// REINDEX: SHARE on the table (writes wait) and ACCESS EXCLUSIVE on each index rebuilt (reads that
    /// would use it wait — the planner locks every index, so in practice most reads); CONCURRENTLY
    /// (PostgreSQL 12): SHARE UPDATE EXCLUSIVE, outside a transaction block.
    fn reindex(&mut self, toks: &[Tok]) {
        let mut k = 1;
        if toks.get(k).is_some_and(|t| t.tok == Token::LParen) {
            while k < toks.len() && toks[k].tok != Token::RParen {
                k += 1;
            }
            k += 1;
        }
        let what = toks.get(k).and_then(|t| t.word.clone()).unwrap_or_default();
        k += 1;
        let concurrently = toks.get(k).and_then(|t| t.word.as_deref()) == Some("CONCURRENTLY");
        if concurrently {
            k += 1;
        }
        let (name, _) = name_at(toks, k);
        let before = self.before;
        let tables: Vec<(QualName, Vec<QualName>)> = match what.as_str() {
            "INDEX" => {
                let q = self.resolve_parts(&name);
                match before.indexes.get(&q) {
                    Some(i) => vec![(i.table.clone(), vec![q])],
                    None => Vec::new(),
                }
            }
            "TABLE" => {
                let q = self.resolve_parts(&name);
                let idx = before.indexes_of(&q).map(|i| i.name.clone()).collect();
                vec![(q, idx)]
            }
            "SCHEMA" => {
                let schema = name.first().cloned().unwrap_or_default();
                before
                    .tables
                    .keys()
                    .filter(|t| t.schema == schema)
                    .map(|t| (t.clone(), before.indexes_of(t).map(|i| i.name.clone()).collect()))
                    .collect()
            }
            _ => {
                self.undetermined(format!(
                    "REINDEX {what}: every index of the database is rebuilt, one table at a time"
                ));
                self.outside_transaction(format!("REINDEX {what} cannot run inside a transaction block"));
                return;
            }
        };
        if what == "SCHEMA" {
            self.outside_transaction("REINDEX SCHEMA cannot run inside a transaction block");
        }
        if concurrently {
            self.outside_transaction("REINDEX CONCURRENTLY cannot run inside a transaction block");
            if self.pg < 12 {
                self.undetermined("REINDEX CONCURRENTLY needs PostgreSQL 12: a syntax error before");
            }
        }
        for (table, indexes) in tables {
            if concurrently {
                self.lock(
                    &table,
                    LockMode::ShareUpdateExclusive,
                    Work::Scan,
                    "REINDEX CONCURRENTLY builds new indexes beside the old ones — reads and writes go on",
                );
                self.note(&table, 12, "REINDEX CONCURRENTLY exists since PostgreSQL 12");
                for i in indexes {
                    self.lock(&i, LockMode::ShareUpdateExclusive, Work::Rewrite, "rebuilt concurrently");
                }
            } else {
                self.lock(
                    &table,
                    LockMode::Share,
                    Work::Scan,
                    "REINDEX reads the table to rebuild its indexes — writes wait (CONCURRENTLY avoids it)",
                );
                for i in indexes {
                    self.lock(
                        &i,
                        LockMode::AccessExclusive,
                        Work::Rewrite,
                        "REINDEX rebuilds it — queries that would use it wait",
                    );
                }
            }
        }
    }

    fn lock_statement(&mut self, toks: &[Tok]) {
        let mut k = 1;
        if toks.get(k).and_then(|t| t.word.as_deref()) == Some("TABLE") {
            k += 1;
        }
        let mut targets = Vec::new();
        loop {
            let only = toks.get(k).and_then(|t| t.word.as_deref()) == Some("ONLY");
            if only {
                k += 1;
            }
            let (name, next) = name_at(toks, k);
            if name.is_empty() {
                break;
            }
            targets.push((name, only));
            k = next;
            if toks.get(k).is_some_and(|t| t.tok == Token::Mul) {
                k += 1;
            }
            if toks.get(k).is_some_and(|t| t.tok == Token::Comma) {
                k += 1;
                continue;
            }
            break;
        }
        let mut mode = LockMode::AccessExclusive;
        if toks.get(k).and_then(|t| t.word.as_deref()) == Some("IN") {
            let words: Vec<&str> =
                toks[k + 1..].iter().map_while(|t| t.word.as_deref()).take_while(|w| *w != "MODE").collect();
            if let Some(m) = LockMode::parse(&words.join(" ")) {
                mode = m;
            }
        }
        for (name, only) in targets {
            let q = self.resolve_parts(&name);
            self.lock_tree(&q, !only, mode, Work::CatalogOnly, "LOCK TABLE");
        }
    }

    /// ALTER INDEX … SET (…) / RESET (…) / SET TABLESPACE / ALTER COLUMN n SET STATISTICS.
    fn alter_index_physical(&mut self, toks: &[Tok]) {
        let mut k = 2;
        if toks.get(k).and_then(|t| t.word.as_deref()) == Some("IF") {
            k += 2;
        }
        let (name, k) = name_at(toks, k);
        let q = self.resolve_parts(&name);
        let word = |i: usize| toks.get(i).and_then(|t| t.word.as_deref()).unwrap_or("");
        match (word(k), word(k + 1)) {
            ("SET" | "RESET", "") => {
                let opts: Vec<String> = toks[k + 1..].iter().filter_map(|t| t.ident.clone()).collect();
                let light = opts.iter().all(|o| o == "fillfactor");
                let mode = if light { LockMode::ShareUpdateExclusive } else { LockMode::AccessExclusive };
                self.lock(
                    &q,
                    mode,
                    Work::CatalogOnly,
                    format!("ALTER INDEX {} {} (…): applies to later index writes", q.name, word(k)),
                );
            }
            ("SET", "TABLESPACE") => {
                // The model keeps every relation in the default tablespace: a move there copies nothing.
                let (work, why) = if word(k + 2) == "PG_DEFAULT" {
                    (Work::CatalogOnly, "ALTER INDEX … SET TABLESPACE pg_default: the index is already there")
                } else {
                    (Work::Rewrite, "ALTER INDEX … SET TABLESPACE copies the index")
                };
                self.lock(&q, LockMode::AccessExclusive, work, why);
            }
            ("ALTER", _) => {
                self.lock(&q, LockMode::ShareUpdateExclusive, Work::CatalogOnly, "ALTER INDEX … SET STATISTICS");
            }
            _ => self.undetermined(format!("ALTER INDEX … {}: not known to the lock analysis", word(k))),
        }
    }

    /// ALTER DOMAIN … ADD CONSTRAINT / SET NOT NULL checks every column of the domain's type:
    /// `validateDomainConstraint` opens each such table with SHARE (writes wait) and reads it.
    fn alter_domain(&mut self, toks: &[Tok]) {
        let (name, k) = name_at(toks, 2);
        let word = |i: usize| toks.get(i).and_then(|t| t.word.as_deref()).unwrap_or("");
        let checks = (word(k) == "ADD" && !toks.iter().any(|t| t.word.as_deref() == Some("VALID")))
            || (word(k) == "SET" && word(k + 1) == "NOT")
            || (word(k) == "VALIDATE");
        if !checks {
            return;
        }
        let d = match name.as_slice() {
            [n] => self
                .before
                .path()
                .map(|s| QualName::new(s, n.clone()))
                .find(|q| self.before.types.contains_key(q))
                .unwrap_or_else(|| QualName::public(n.clone())),
            _ => self.resolve_parts(&name),
        };
        let users: Vec<QualName> = self
            .before
            .tables
            .values()
            .filter(|t| t.columns.iter().any(|c| c.ty.schema.as_deref() == Some(&d.schema) && c.ty.name == d.name))
            .map(|t| t.name.clone())
            .collect();
        for t in users {
            self.lock(
                &t,
                LockMode::Share,
                Work::Scan,
                format!("ALTER DOMAIN {} checks every value of its columns of the domain — writes wait", d.name),
            );
        }
    }
}

/// What `ALTER COLUMN … TYPE` still does when it keeps the rows (`ATPostAlterTypeCleanup`): every constraint
/// and index that uses the column is dropped and created again against the new type, even when the type does
/// not change. A valid CHECK constraint is then checked against every row (one pass for all of them; NOT VALID
/// ones stay unchecked). An index is kept as it is only when it has neither an expression nor a predicate
/// (`CheckIndexCompatible`); otherwise it is built again from the table. Foreign keys keep their validity.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct RetypedDependents {
    /// The valid CHECK constraints that use the column.
    pub checks: Vec<String>,
    /// The indexes that use the column and have an expression or a predicate.
    pub rebuilt_indexes: Vec<String>,
}

impl RetypedDependents {
    pub(crate) fn of(catalog: &Catalog, table: &Table, col: &str) -> RetypedDependents {
        let checks = table
            .constraints
            .iter()
            .filter(|c| !c.not_valid)
            .filter(|c| matches!(&c.kind, ConstraintKind::Check { columns, .. } if columns.iter().any(|x| x == col)))
            .map(|c| c.name.to_string())
            .collect();
        let plain = |expr: &str| table.columns.iter().any(|c| names::quote_ident(&c.name) == expr);
        let rebuilt_indexes = catalog
            .indexes_of(&table.name)
            .filter(|i| i.columns.iter().any(|x| x == col))
            .filter(|i| i.predicate.is_some() || i.keys.iter().any(|k| !plain(&k.expr)))
            .map(|i| i.name.name.to_string())
            .collect();
        RetypedDependents { checks, rebuilt_indexes }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.checks.is_empty() && self.rebuilt_indexes.is_empty()
    }

    /// What is read, and why: "every row is read to check CHECK a and index b (an expression or predicate on
    /// code) is built again".
    pub(crate) fn describe(&self, col: &str) -> String {
        let list = |v: &[String]| v.join(", ");
        let mut parts = Vec::new();
        if !self.checks.is_empty() {
            let s = if self.checks.len() > 1 { "s" } else { "" };
            parts.push(format!("every row is read to check CHECK constraint{s} {} again", list(&self.checks)));
        }
        if !self.rebuilt_indexes.is_empty() {
            let (s, verb) = if self.rebuilt_indexes.len() > 1 { ("es", "are") } else { ("", "is") };
            parts.push(format!(
                "index{s} {} (an expression or predicate on {col}) {verb} built again from the table",
                list(&self.rebuilt_indexes)
            ));
        }
        parts.join(" and ")
    }
}

fn is_null_literal(e: &Expr) -> bool {
    matches!(e, Expr::Value(v) if matches!(v.value, sqlparser::ast::Value::Null))
}

/// Functions PostgreSQL marks VOLATILE that defaults use (`pg_proc.provolatile = 'v'`).
const VOLATILE_FUNCTIONS: &[&str] = &[
    "random",
    "random_normal",
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "uuidv4",
    "uuidv7",
    "clock_timestamp",
    "timeofday",
    "nextval",
    "setval",
    "currval",
    "lastval",
    "gen_random_bytes",
    "gen_salt",
];

/// The first volatile function `e` calls: a known volatile built-in, or a function created in the
/// migrations (VOLATILE unless declared otherwise, which the model does not record).
fn volatile_call(e: &Expr, catalog: &Catalog) -> Option<String> {
    let mut found = None;
    let _ = sqlparser::ast::visit_expressions(e, |e| {
        if let Expr::Function(f) = e {
            let parts = names::parts(&f.name);
            let name = parts.last().cloned().unwrap_or_default();
            if VOLATILE_FUNCTIONS.contains(&name.as_str()) {
                found = Some(format!("{name}()"));
                return ControlFlow::Break(());
            }
            let q = match parts.as_slice() {
                [.., schema, n] => QualName::new(schema.clone(), n.clone()),
                _ => catalog.resolve_unqualified(&name),
            };
            if catalog.functions.contains_key(&q) {
                found = Some(format!("{name}(), a function created in the migrations"));
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    });
    found
}

fn domain_has_constraints(catalog: &Catalog, ty: &TypeRef) -> bool {
    let Some(schema) = &ty.schema else { return false };
    matches!(
        catalog.types.get(&QualName::new(schema.clone(), ty.name.clone())).map(|t| &t.kind),
        Some(UserTypeKind::Domain { not_null, checks, .. }) if *not_null || !checks.is_empty()
    )
}

/// Whether a valid CHECK constraint has `col IS NOT NULL` as one of its top-level AND terms: what lets
/// PostgreSQL 12 skip SET NOT NULL's scan (`NotNullImpliedByRelConstraints`).
fn check_proves_not_null(t: &Table, col: &str) -> bool {
    let quoted = names::quote_ident(col);
    t.constraints.iter().any(|c| match &c.kind {
        ConstraintKind::Check { expr, .. } if !c.not_valid => split_and(expr).iter().any(|term| {
            let term = strip_parens(term);
            term.strip_suffix(" IS NOT NULL").is_some_and(|lhs| {
                let lhs = strip_parens(lhs.trim());
                lhs == quoted || lhs == col
            })
        }),
        _ => false,
    })
}

fn strip_parens(s: &str) -> &str {
    let mut s = s.trim();
    while s.starts_with('(') && s.ends_with(')') && balanced(&s[1..s.len() - 1]) {
        s = s[1..s.len() - 1].trim();
    }
    s
}

fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// Top-level ` AND `-separated terms (outside parentheses and quotes).
fn split_and(expr: &str) -> Vec<&str> {
    let s = strip_parens(expr);
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let (mut depth, mut quote, mut start, mut i) = (0i32, false, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'\'' => quote = !quote,
            b'(' if !quote => depth += 1,
            b')' if !quote => depth -= 1,
            b' ' if !quote && depth == 0 && s[i..].starts_with(" AND ") => {
                out.push(&s[start..i]);
                i += 5;
                start = i;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(&s[start..]);
    out
}

/// Tables with a foreign key to `q` (other than `q` itself); with `columns`, only keys referencing
/// exactly… any of those columns.
fn referencing(catalog: &Catalog, q: &QualName, columns: Option<&[String]>) -> Vec<QualName> {
    let mut out: Vec<QualName> = Vec::new();
    for name in catalog.tables_referencing(q) {
        let Some(t) = catalog.tables.get(&name) else { continue };
        if &t.name == q {
            continue;
        }
        let hit = t.constraints.iter().any(|c| match &c.kind {
            ConstraintKind::ForeignKey(fk) if &fk.ref_table == q => match columns {
                None => true,
                Some(cols) => fk.ref_columns.iter().any(|c| cols.contains(c)) || fk.ref_columns.is_empty(),
            },
            _ => false,
        });
        if hit && !out.contains(&t.name) {
            out.push(t.name.clone());
        }
    }
    out
}

fn default_partition(catalog: &Catalog, parent: &QualName) -> Option<QualName> {
    catalog
        .tables
        .values()
        .find(|t| t.partition_of.as_ref().is_some_and(|(p, b)| p == parent && b == "DEFAULT"))
        .map(|t| t.name.clone())
}

// ----- reading statements kept as text -----

/// A significant token: its upper-cased word when it is an unquoted word, the identifier as PostgreSQL
/// folds it when it is a word.
struct Tok {
    tok: Token,
    word: Option<String>,
    ident: Option<String>,
}

fn tokens(text: &str) -> Vec<Tok> {
    let dialect = sqlparser::dialect::PostgreSqlDialect {};
    let Ok(raw) = Tokenizer::new(&dialect, text).tokenize() else { return Vec::new() };
    raw.into_iter()
        .filter(|t| !matches!(t, Token::Whitespace(_) | Token::SemiColon | Token::EOF))
        .map(|t| {
            let (word, ident) = match &t {
                Token::Word(w) if w.quote_style.is_none() => {
                    (Some(w.value.to_ascii_uppercase()), Some(names::truncate(w.value.to_ascii_lowercase())))
                }
                Token::Word(w) => (None, Some(w.value.clone())),
                _ => (None, None),
            };
            Tok { tok: t, word, ident }
        })
        .collect()
}

/// The dotted name starting at token `k`, and the index after it.
fn name_at(toks: &[Tok], mut k: usize) -> (Vec<String>, usize) {
    let mut parts = Vec::new();
    while let Some(id) = toks.get(k).and_then(|t| t.ident.clone()) {
        parts.push(id);
        k += 1;
        if toks.get(k).is_some_and(|t| t.tok == Token::Period) {
            k += 1;
            continue;
        }
        break;
    }
    (parts, k)
}

/// Skips a parenthesised option list and the given bare keywords from token `k`.
fn skip_options(toks: &[Tok], mut k: usize, words: &[&str]) -> usize {
    if toks.get(k).is_some_and(|t| t.tok == Token::LParen) {
        while k < toks.len() && toks[k].tok != Token::RParen {
            k += 1;
        }
        k += 1;
    }
    while toks.get(k).and_then(|t| t.word.as_deref()).is_some_and(|w| words.contains(&w)) {
        k += 1;
    }
    k
}

/// `name [(cols)], name …` from token `k`.
fn name_list(toks: &[Tok], mut k: usize) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    loop {
        let (name, next) = name_at(toks, k);
        if name.is_empty() {
            break;
        }
        out.push(name);
        k = next;
        if toks.get(k).is_some_and(|t| t.tok == Token::LParen) {
            while k < toks.len() && toks[k].tok != Token::RParen {
                k += 1;
            }
            k += 1;
        }
        if toks.get(k).is_some_and(|t| t.tok == Token::Comma) {
            k += 1;
            continue;
        }
        break;
    }
    out
}

/// `CREATE TABLE t (LIKE source …)`: the source's name parts.
fn like_source(text: &str) -> Option<Vec<String>> {
    // Most CREATE TABLEs have no LIKE anywhere: skip tokenizing them.
    if !crate::text::contains_ignore_ascii_case(text, "like") {
        return None;
    }
    let toks = tokens(text);
    let open = toks.iter().position(|t| t.tok == Token::LParen)?;
    let mut depth = 0;
    for k in open..toks.len() {
        match toks[k].tok {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            _ => {}
        }
        let starts_element = k == open + 1 || toks.get(k.wrapping_sub(1)).is_some_and(|t| t.tok == Token::Comma);
        if depth == 1 && starts_element && toks[k].word.as_deref() == Some("LIKE") {
            let (name, _) = name_at(&toks, k + 1);
            return (!name.is_empty()).then_some(name);
        }
    }
    None
}

// ----- files: what is held until when -----

/// Until when a lock is held.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "until")]
pub enum Until {
    /// The file runs as one transaction (or a BEGIN is never closed): to the end of the file, at byte
    /// `offset` (the end of its last statement).
    EndOfFile { offset: u32 },
    /// An explicit COMMIT (or ROLLBACK, END) ends the transaction.
    Commit { span: Span },
    /// No transaction: the lock is released when the statement ends.
    Statement,
}

/// The strongest lock one transaction of a file holds on one relation, and from when.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hold {
    pub relation: QualName,
    pub mode: LockMode,
    /// The statement that took the strongest mode first (held from there on).
    pub since: Span,
    /// The first statement of the transaction that locked the relation at all.
    pub first: Span,
    #[serde(flatten)]
    pub until: Until,
    pub new_in_file: bool,
}

/// One statement of a file and its locks.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatementEntry {
    /// Index into [`Analysis::statements`].
    pub index: usize,
    pub span: Span,
    #[serde(flatten)]
    pub locks: StatementLocks,
}

/// The locks of one migration file, statement by statement, and what is held until when.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileLocks {
    pub file: u32,
    /// Index into [`Analysis::migrations`].
    pub migration: usize,
    /// How the file runs: the folder's runner, or statement by statement when the file asks for no
    /// transaction.
    pub runner: Runner,
    /// Whether the file has BEGIN/COMMIT of its own.
    pub explicit_transaction: bool,
    pub pg_version: u32,
    pub statements: Vec<StatementEntry>,
    pub holds: Vec<Hold>,
}

/// What a statement does to the transaction, from its first words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TxControl {
    Begin,
    End,
    None,
}

fn tx_control(text: &str) -> TxControl {
    let toks = tokens(text);
    let w = |i: usize| toks.get(i).and_then(|t| t.word.as_deref()).unwrap_or("");
    match (w(0), w(1)) {
        ("BEGIN", _) | ("START", "TRANSACTION") => TxControl::Begin,
        ("COMMIT" | "END" | "ABORT", _) => TxControl::End,
        ("ROLLBACK", "TO" | "PREPARED") => TxControl::None,
        ("ROLLBACK", _) => TxControl::End,
        _ => TxControl::None,
    }
}

/// Works out which locks are held until when. `runner` is how the file runs; `file_end` the offset
/// where the file (or its section) ends. Inside a transaction — the runner's, or one the file opens with
/// BEGIN — locks pile up until COMMIT or the end of the file; outside, each is released with its
/// statement. A COMMIT ends the runner's transaction too (`psql -1` then runs the rest in autocommit).
pub fn holds(statements: &[(Span, &str, &[LockInfo])], runner: Runner, file_end: u32) -> Vec<Hold> {
    let mut out = Vec::new();
    let mut open: Vec<Hold> = Vec::new();
    let mut in_tx = runner == Runner::Transaction;
    for (span, text, locks) in statements {
        match tx_control(text) {
            TxControl::Begin => {
                in_tx = true;
                continue;
            }
            TxControl::End => {
                for mut h in open.drain(..) {
                    h.until = Until::Commit { span: *span };
                    out.push(h);
                }
                in_tx = false;
                continue;
            }
            TxControl::None => {}
        }
        for l in locks.iter() {
            if !in_tx {
                out.push(Hold {
                    relation: l.relation.clone(),
                    mode: l.mode,
                    since: *span,
                    first: *span,
                    until: Until::Statement,
                    new_in_file: l.new_in_file,
                });
                continue;
            }
            match open.iter_mut().find(|h| h.relation == l.relation) {
                Some(h) => {
                    if l.mode > h.mode {
                        h.mode = l.mode;
                        h.since = *span;
                    }
                }
                None => open.push(Hold {
                    relation: l.relation.clone(),
                    mode: l.mode,
                    since: *span,
                    first: *span,
                    until: Until::EndOfFile { offset: file_end },
                    new_in_file: l.new_in_file,
                }),
            }
        }
    }
    out.extend(open);
    out
}

impl Analysis {
    /// The locks statement `index` (into [`Analysis::statements`]) takes, computed on demand: its file is
    /// replayed up to it, so the default analysis pays nothing for lock analysis. `options` gives the
    /// runner and the PostgreSQL version (`options.rules.pg_version`).
    pub fn locks_of(&self, index: usize, options: &Options) -> StatementLocks {
        let Some((start, group)) = self.statement_group(index) else { return StatementLocks::default() };
        let pg = pg_version(options);
        let mut out = StatementLocks::default();
        let file_start = start.clone();
        self.replay(start, &group, options, |i, parsed, text, before| {
            if i == index {
                out = explain(parsed, text, before, pg);
                mark_new(&mut out.locks, &file_start);
            }
            i < index
        });
        out
    }

    /// The locks of migration `migration` (into [`Analysis::migrations`]), statement by statement, and what
    /// each transaction of the file holds until when.
    pub fn file_locks(&self, migration: usize, options: &Options) -> Option<FileLocks> {
        let result = self.migrations.get(migration)?;
        let plan_index = self
            .plan
            .forward
            .iter()
            .enumerate()
            .filter(|(_, m)| m.role == crate::migrations::Role::Forward)
            .nth(migration)
            .map(|(i, _)| i)?;
        let body = self.plan.forward.get(plan_index)?.body.clone();
        let file = self.files.get(result.file as usize)?;
        let start = if migration == 0 { self.initial.clone() } else { self.migrations[migration - 1].catalog.clone() };
        let group: Vec<usize> =
            (0..self.statements.len()).filter(|&i| self.statements[i].migration == Some(plan_index)).collect();
        let pg = pg_version(options);
        let runner = match options.runner {
            Runner::Transaction if crate::migrations::runs_outside_transaction(&file.text) => Runner::Psql,
            r => r,
        };
        let mut entries = Vec::new();
        let file_start = start.clone();
        self.replay(start, &group, options, |i, parsed, text, before| {
            let mut locks = explain(parsed, text, before, pg);
            mark_new(&mut locks.locks, &file_start);
            entries.push(StatementEntry { index: i, span: self.statements[i].span, locks });
            true
        });
        let texts: Vec<(Span, &str, &[LockInfo])> = entries
            .iter()
            .map(|e| (e.span, file.text.get(e.span.range()).unwrap_or(""), e.locks.locks.as_slice()))
            .collect();
        let explicit_transaction = texts.iter().any(|(_, t, _)| tx_control(t) != TxControl::None);
        let end = file.text.get(..body.end.min(file.text.len())).map_or(0, |t| t.trim_end().len()) as u32;
        let holds = holds(&texts, runner, end);
        Some(FileLocks {
            file: result.file,
            migration,
            runner,
            explicit_transaction,
            pg_version: pg,
            statements: entries,
            holds,
        })
    }

    /// The statements of the run `index` belongs to (its migration, or the prelude) and the catalog that
    /// run started from.
    fn statement_group(&self, index: usize) -> Option<(Catalog, Vec<usize>)> {
        let info = self.statements.get(index)?;
        let group: Vec<usize> = (0..self.statements.len())
            .filter(|&i| {
                self.statements[i].migration == info.migration && self.statements[i].span.file == info.span.file
            })
            .collect();
        let start = match info.migration {
            None => Catalog::new(),
            Some(plan_index) => {
                let k = self.plan.forward[..plan_index.min(self.plan.forward.len())]
                    .iter()
                    .filter(|m| m.role == crate::migrations::Role::Forward)
                    .count();
                if k == 0 { self.initial.clone() } else { self.migrations.get(k - 1)?.catalog.clone() }
            }
        };
        Some((start, group))
    }

    /// Runs the statements `group` from `start` as the analysis did (each applied when PostgreSQL accepts
    /// it), calling `visit(index, parsed, text, catalog before it)` until it returns false.
    fn replay(
        &self,
        start: Catalog,
        group: &[usize],
        options: &Options,
        mut visit: impl FnMut(usize, &Parsed, &str, &Catalog) -> bool,
    ) {
        let mut catalog = start;
        catalog.search_path.clear();
        let file_text = group.first().and_then(|&i| self.files.get(self.statements[i].span.file as usize));
        let prelude = group.first().is_none_or(|&i| self.statements[i].migration.is_none());
        let in_transaction = options.runner == Runner::Transaction
            && !prelude
            && file_text.is_none_or(|f| !crate::migrations::runs_outside_transaction(&f.text));
        for &i in group {
            let span = self.statements[i].span;
            let Some(file) = self.files.get(span.file as usize) else { return };
            let Some(text) = file.text.get(span.range()) else { continue };
            let Ok(parsed) = parse::parse(&file.text, span.start as usize, span.end as usize) else { continue };
            if !visit(i, &parsed, text, &catalog) {
                return;
            }
            let mut ctx = crate::simulate::Ctx::new(span, parsed.extras(), in_transaction);
            let mut attempt = catalog.clone();
            if crate::simulate::apply(&mut attempt, &parsed, &mut ctx).is_ok() {
                catalog = attempt;
            }
        }
    }
}

fn pg_version(options: &Options) -> u32 {
    options.rules.pg_version.unwrap_or(crate::rules::DEFAULT_PG_VERSION)
}

#[cfg(test)]
mod tests;
