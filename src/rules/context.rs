//! What a rule sees: the statement, the catalog before and after it, and where it sits in the history.

use std::sync::Arc;

use sqlparser::ast::{ObjectName, Statement};

use crate::analysis::{Analysis, Runner, SourceFile, StatementInfo};
use crate::catalog::{Catalog, QualName, Table};
use crate::span::Span;
use crate::sql::objects::{DomainAction, ObjectStmt};
use crate::sql::parse::Parsed;

/// Settings every rule may consult.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The PostgreSQL major version the migrations run on (`pg-version` in the project file).
    pub pg_version: u32,
    pub runner: Runner,
}

/// The file a statement belongs to, and what happened earlier in it.
#[derive(Clone, Debug)]
pub struct FileCx<'a> {
    pub id: u32,
    pub name: &'a str,
    pub text: &'a str,
    /// Index into [`Analysis::migrations`].
    pub migration: usize,
    /// How this file runs: the folder's runner, or statement by statement when the file asks for no
    /// transaction (goose's `NO TRANSACTION`, dbmate's `transaction:false`, sqlx's `-- no-transaction`).
    pub runner: Runner,
    /// Whether this is the last migration of the folder (the one being written).
    pub newest: bool,
    /// Whether a rollback file exists for this migration.
    pub has_rollback: bool,
    /// The catalog when the file started.
    pub start: Catalog,
    /// Statements earlier in this file, in order.
    pub earlier: Vec<Earlier>,
    /// An explicit `BEGIN` / `START TRANSACTION` is open.
    pub explicit_transaction: bool,
    /// `SET lock_timeout` / `SET statement_timeout` ran earlier in this file.
    pub lock_timeout: bool,
    pub statement_timeout: bool,
    /// How far the timeout rules have read `earlier`, for each setting
    /// (`require_lock_timeout::first_unguarded`).
    pub(crate) timeout_scans: std::cell::Cell<[super::require_lock_timeout::TimeoutScan; 2]>,
}

/// A statement earlier in the same file.
#[derive(Clone, Debug)]
pub struct Earlier {
    pub span: Span,
    pub parsed: Arc<Parsed>,
    pub applied: bool,
    /// Whether it takes a lock that blocks traffic on a relation in use at the start of the file, read
    /// once for the timeout rules (`require_lock_timeout::first_unguarded`).
    pub blocks_at_start: std::cell::OnceCell<bool>,
}

impl FileCx<'_> {
    /// Whether the statements run inside a transaction: the runner wraps the file in one, or the file
    /// opened one itself.
    pub fn in_transaction(&self) -> bool {
        self.runner == Runner::Transaction || self.explicit_transaction
    }

    /// Updates the file state after a statement (transaction blocks, timeouts).
    pub fn note(&mut self, text: &str) {
        let words: Vec<String> = text
            .split(|c: char| c.is_whitespace() || c == '=')
            .filter(|w| !w.is_empty())
            .take(3)
            .map(str::to_ascii_lowercase)
            .collect();
        let w: Vec<&str> = words.iter().map(String::as_str).collect();
        match w.as_slice() {
            ["begin", ..] | ["start", "transaction", ..] => self.explicit_transaction = true,
            ["commit" | "end" | "rollback" | "abort", ..] => self.explicit_transaction = false,
            ["set", "local" | "session", setting, ..] | ["set", setting, ..] => match *setting {
                "lock_timeout" => self.lock_timeout = true,
                "statement_timeout" => self.statement_timeout = true,
                _ => {}
            },
            _ => {}
        }
    }
}

/// One statement, for a statement rule.
pub struct StatementCx<'a> {
    pub parsed: &'a Parsed,
    pub span: Span,
    /// The statement's own text.
    pub text: &'a str,
    pub before: &'a Catalog,
    /// Equals `before` when PostgreSQL rejects the statement.
    pub after: &'a Catalog,
    /// Whether PostgreSQL accepts it (as simulated).
    pub applied: bool,
    pub file: &'a FileCx<'a>,
    pub settings: &'a Settings,
    /// Every statement analysed before this one, all files, in run order.
    pub history: &'a [StatementInfo],
    pub files: &'a [SourceFile],
    /// What several rules read from the statement, computed once (`StatementCx::tokens`, …).
    pub memo: Memo<'a>,
}

/// Readings of one statement that several rules share, computed on first use.
#[derive(Default)]
pub struct Memo<'a> {
    pub(super) tokens: std::cell::OnceCell<Vec<super::sql_text::Tok>>,
    pub(super) alter_table: std::cell::OnceCell<Option<super::sql_text::AlterTable<'a>>>,
    pub(super) typed_columns: std::cell::OnceCell<Vec<super::column_types::TypedColumn>>,
    /// The lock that blocks traffic, for the timeout rules (`require_lock_timeout::blocking_lock`).
    pub(super) blocking: std::cell::OnceCell<Option<super::require_lock_timeout::Blocking>>,
    /// For a `DO` block: the statements it runs, each with the catalog before it
    /// ([`crate::simulate::do_block::executed`]).
    pub(super) do_steps: std::cell::OnceCell<Option<crate::simulate::do_block::Steps>>,
    /// Names resolved on [`StatementCx::before`]: many rules look up the table a statement names, and an
    /// unqualified name that resolves to nothing yet (a new table) costs a lookup in every namespace.
    pub(super) resolved: std::cell::RefCell<Vec<(ObjectName, QualName)>>,
}

impl Memo<'_> {
    /// A memo that knows what a `DO` block ran, as the simulator recorded it (`simulate::Ctx::do_steps`).
    pub fn with_do_steps(steps: Option<Option<crate::simulate::do_block::Steps>>) -> Self {
        let memo = Memo::default();
        if let Some(steps) = steps {
            let _ = memo.do_steps.set(steps);
        }
        memo
    }
}

impl<'a> StatementCx<'a> {
    /// For a `DO` block: the statements it runs on [`StatementCx::before`], each with the catalog
    /// before it; `None` for other statements and for blocks the simulator does not interpret.
    pub fn do_steps(&self) -> Option<&[(Statement, Catalog)]> {
        let Parsed::Do { body, read, .. } = self.parsed else { return None };
        self.memo.do_steps.get_or_init(|| crate::simulate::do_block::executed(self.before, body, read)).as_deref()
    }

    /// The sqlparser statement, when the statement parsed as one.
    pub fn statement(&self) -> Option<&'a Statement> {
        match self.parsed {
            Parsed::Statement(s, _) => Some(s),
            _ => None,
        }
    }

    /// `ALTER DOMAIN name action`, when the statement is one: the domain's name as written, and the action.
    pub fn alter_domain(&self) -> Option<(&'a [String], &'a DomainAction)> {
        match self.parsed {
            Parsed::Object { stmt, .. } => match &**stmt {
                ObjectStmt::AlterDomain { name, action } => Some((name, action)),
                _ => None,
            },
            _ => None,
        }
    }

    /// The table `name` refers to before the statement runs.
    pub fn table_before(&self, name: &ObjectName) -> Option<&'a Table> {
        self.before.table(&self.resolve(name))
    }

    /// Whether `table` was created earlier in this file (so it is new, empty, and invisible to other
    /// sessions when the file is one transaction): locks on it block nobody.
    pub fn created_in_file(&self, table: &Table) -> bool {
        // By OID: a table renamed in this file is still the old table.
        !self.file.start.had_table_oid(table.oid)
    }

    /// Whether the table `name` existed before this file, i.e. it may hold rows and be in use.
    pub fn existing_table(&self, name: &ObjectName) -> Option<&'a Table> {
        self.table_before(name).filter(|t| !self.created_in_file(t))
    }

    /// The resolved name of a relation as of before the statement.
    pub fn resolve(&self, name: &ObjectName) -> QualName {
        if let Some((_, q)) = self.memo.resolved.borrow().iter().find(|(n, _)| n == name) {
            return q.clone();
        }
        let q = self.before.resolve(name);
        self.memo.resolved.borrow_mut().push((name.clone(), q.clone()));
        q
    }

    /// The text of an earlier statement (any file).
    pub fn text_of(&self, span: Span) -> &'a str {
        self.files.get(span.file as usize).and_then(|f| f.text.get(span.range())).unwrap_or("")
    }

    /// A span inside this statement, from byte offsets relative to its text.
    pub fn sub_span(&self, start: usize, end: usize) -> Span {
        Span::new(self.span.file, self.span.start as usize + start, self.span.start as usize + end)
    }

    /// The span of the first occurrence of `needle` (ASCII case-insensitive) in the statement, or the
    /// whole statement.
    pub fn find(&self, needle: &str) -> Span {
        let hay = self.text.to_ascii_lowercase();
        match hay.find(&needle.to_ascii_lowercase()) {
            Some(i) => self.sub_span(i, i + needle.len()),
            None => self.span,
        }
    }

    pub fn in_transaction(&self) -> bool {
        self.file.in_transaction()
    }
}

/// The whole analysis, for a folder rule.
#[derive(Clone, Copy)]
pub struct FolderCx<'a> {
    pub analysis: &'a Analysis,
    pub options: &'a crate::analysis::Options,
    pub settings: &'a Settings,
    /// For the rules that judge table by table (`rules::BY_TABLE`), after an edit: the tables to judge
    /// again. `None`: every table.
    pub scope: Option<&'a Scope>,
}

impl FolderCx<'_> {
    /// Whether a table-by-table rule judges the table with this OID (every table without a scope).
    pub fn judges(&self, oid: u32) -> bool {
        self.scope.is_none_or(|s| s.tables.contains(&oid))
    }
}

/// What an edit reached, for the folder rules that judge table by table: the tables whose history,
/// foreign keys' targets or partitioned parents changed, by OID, and whether any function changed.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    pub tables: std::collections::BTreeSet<u32>,
    pub functions: bool,
}
