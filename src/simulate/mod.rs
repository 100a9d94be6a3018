//! Applies parsed statements to the [`Catalog`] with PostgreSQL's semantics. Each statement family
//! lives in its own file; this module dispatches and holds what they share. A statement PostgreSQL
//! would reject returns a [`SimError`] with PostgreSQL's message, and changes nothing.

mod alter_table;
mod attach;
mod dml;
pub(crate) mod do_block;
mod domain;
mod drop;
pub(crate) use drop::{end_session, end_transaction};
mod function;
pub(crate) mod index;
mod inheritance;
mod objects;
mod partition_bounds;
mod partition_fks;
mod publication;
mod rule;
mod statistics;
mod table;
mod trigger;
mod types;

use sqlparser::ast::{ObjectName, Statement};

use crate::catalog::model::{Catalog, QualName};
use crate::span::Span;
use crate::sql::objects::ObjectStmt;
use crate::sql::parse::{Extras, Parsed};

/// A statement PostgreSQL would reject: its message, and where it points.
#[derive(Clone, Debug, PartialEq)]
pub struct SimError {
    pub message: String,
    pub help: Option<String>,
    /// A warning (the statement was skipped but PostgreSQL would accept it), not an error.
    pub not_simulated: bool,
}

impl SimError {
    pub fn new(message: impl Into<String>) -> SimError {
        SimError { message: message.into(), help: None, not_simulated: false }
    }

    pub fn help(mut self, help: impl Into<String>) -> SimError {
        self.help = Some(help.into());
        self
    }

    pub fn not_simulated(message: impl Into<String>) -> SimError {
        SimError { message: message.into(), help: None, not_simulated: true }
    }
}

impl From<String> for SimError {
    fn from(message: String) -> SimError {
        SimError::new(message)
    }
}

pub type SimResult = Result<(), SimError>;

/// What a statement may look at besides the catalog.
pub struct Ctx<'a> {
    pub span: Span,
    pub extras: &'a Extras,
    /// Inside a transaction block (`--runner transaction`, or between BEGIN and COMMIT).
    pub in_transaction: bool,
    /// Notes to report (NOTICEs such as "relation already exists, skipping").
    pub notes: Vec<String>,
    /// How many `ON DELETE SET NULL/DEFAULT` clauses foreign keys have taken from `extras`.
    pub fk_delete_taken: std::cell::Cell<usize>,
    /// How many `AS IDENTITY` clauses identity columns have taken from `extras`.
    pub identity_taken: std::cell::Cell<usize>,
    /// After a `DO` block ran inside a transaction: what [`do_block::executed`] gives for it on the same
    /// catalog, recorded as it ran, so that the rules and the lock analysis need not run it again.
    pub do_steps: Option<Option<do_block::Steps>>,
}

/// Applies one parsed statement.
pub fn apply(catalog: &mut Catalog, parsed: &Parsed, ctx: &mut Ctx) -> SimResult {
    match parsed {
        Parsed::Statement(stmt, _) => statement(catalog, stmt, ctx),
        Parsed::Do { body, read, .. } => do_block::apply(catalog, body, read, ctx),
        Parsed::NoEffect { what } if what == crate::sql::parse::ALTER_SYSTEM && ctx.in_transaction => {
            Err(SimError::new("ALTER SYSTEM cannot run inside a transaction block").help(
                "Change the server's configuration outside the migrations, or put the statement in a migration \
                 the runner does not wrap in a transaction.",
            ))
        }
        Parsed::NoEffect { .. } => Ok(()),
        Parsed::SetSearchPath(path) => {
            // An empty path is legal; creating an unqualified object then fails, as in PostgreSQL.
            catalog.search_path = if path.is_empty() { vec!["pg_catalog".into()] } else { path.clone() };
            Ok(())
        }
        Parsed::AlterTableParts { target, parts, .. } => alter_table::apply_parts(catalog, target, parts, ctx),
        Parsed::AlterSequence { name, owned_by, rename_to, if_exists } => {
            objects::alter_sequence(catalog, name, owned_by.as_deref(), rename_to.as_deref(), *if_exists, ctx)
        }
        Parsed::Object { stmt, .. } => object(catalog, stmt, ctx),
    }
}

fn object(catalog: &mut Catalog, stmt: &ObjectStmt, ctx: &mut Ctx) -> SimResult {
    match stmt {
        ObjectStmt::CreateStatistics { name, if_not_exists, kinds, items, table } => {
            statistics::create(catalog, name, *if_not_exists, kinds, items, table, ctx)
        }
        ObjectStmt::AlterStatistics { name, if_exists, action } => {
            statistics::alter(catalog, name, *if_exists, action, ctx)
        }
        ObjectStmt::DropStatistics { names, if_exists } => statistics::drop(catalog, names, *if_exists, ctx),
        ObjectStmt::CreatePublication { name, all_tables, tables, schemas } => {
            publication::create(catalog, name, *all_tables, tables, schemas, ctx)
        }
        ObjectStmt::AlterPublication { name, action } => publication::alter(catalog, name, action),
        ObjectStmt::AlterPublicationObjects { name, op, tables, schemas } => {
            publication::alter_objects(catalog, name, *op, tables, schemas)
        }
        ObjectStmt::DropPublication { names, if_exists } => publication::drop(catalog, names, *if_exists, ctx),
        ObjectStmt::AlterDomain { name, action } => domain::alter(catalog, name, action, ctx),
        ObjectStmt::AlterTypeAttributes { name, actions } => types::alter_attributes(catalog, name, actions, ctx),
        ObjectStmt::AlterTypeSetSchema { name, schema } => types::set_schema(catalog, name, schema, ctx),
        ObjectStmt::Rejected(message) => Err(SimError::new(message.clone())),
    }
}

pub fn statement(catalog: &mut Catalog, stmt: &Statement, ctx: &mut Ctx) -> SimResult {
    match stmt {
        Statement::CreateTable(ct) => table::create_table(catalog, ct, ctx),
        Statement::AlterTable(at) => alter_table::alter_table(catalog, at, ctx),
        Statement::CreateIndex(ci) => index::create_index(catalog, ci, ctx),
        Statement::AlterIndex { name, operation } => index::alter_index(catalog, name, operation, ctx),
        Statement::CreateFunction(cf) => function::create_function(catalog, cf, ctx),
        Statement::DropFunction(df) => function::drop_function(catalog, df),
        Statement::CreateTrigger(ct) => trigger::create_trigger(catalog, ct, ctx),
        Statement::DropTrigger(dt) => trigger::drop_trigger(catalog, dt),
        Statement::CreateType { name, representation } => {
            types::create_type(catalog, name, representation.as_ref(), ctx)
        }
        Statement::AlterType(at) => types::alter_type(catalog, at, ctx),
        Statement::CreateDomain(cd) => types::create_domain(catalog, cd, ctx),
        Statement::Drop { object_type, if_exists, names, cascade, .. } => {
            drop::drop(catalog, *object_type, *if_exists, names, *cascade, ctx)
        }
        Statement::DropDomain(dd) => drop::drop_domain(catalog, dd, ctx),
        Statement::DropExtension(de) => objects::drop_extension(catalog, de, ctx),
        Statement::CreateExtension(ce) => objects::create_extension(catalog, ce, ctx),
        Statement::CreateSchema { schema_name, if_not_exists, .. } => {
            objects::create_schema(catalog, schema_name, *if_not_exists, ctx)
        }
        Statement::CreateSequence { name, temporary, if_not_exists, sequence_options } => {
            let data_type = sequence_options.iter().find_map(|o| match o {
                sqlparser::ast::SequenceOptions::DataType(d) => Some(d),
                _ => None,
            });
            let owned_by = sequence_options.iter().find_map(|o| match o {
                sqlparser::ast::SequenceOptions::OwnedBy(Some(n)) => Some(n),
                _ => None,
            });
            objects::create_sequence(catalog, name, *temporary, *if_not_exists, data_type, owned_by, ctx)
        }
        Statement::CreateView(cv) => objects::create_view(catalog, cv, ctx),
        Statement::Comment { object_type, object_name, comment, if_exists, .. } => {
            objects::comment(catalog, *object_type, object_name, comment.as_deref(), *if_exists)
        }
        Statement::Insert(_)
        | Statement::Update(_)
        | Statement::Delete(_)
        | Statement::Merge(_)
        | Statement::Truncate(_) => dml::apply(catalog, stmt),
        Statement::Query(_) | Statement::Set(_) | Statement::Grant(_) | Statement::Revoke(_) => Ok(()),
        Statement::StartTransaction { .. } | Statement::Commit { .. } | Statement::Rollback { .. } => Ok(()),
        Statement::Savepoint { .. } | Statement::ReleaseSavepoint { .. } => Ok(()),
        Statement::CreatePolicy(cp) => objects::create_policy(catalog, cp, ctx),
        Statement::DropPolicy(dp) => objects::drop_policy(catalog, dp),
        Statement::CreateRule(cr) => rule::create_rule(catalog, cr, ctx),
        Statement::DropRule(dr) => rule::drop_rule(catalog, dr, ctx),
        Statement::AlterPolicy { .. } => Err(SimError::not_simulated("ALTER POLICY is not simulated yet")),
        Statement::CreateRole(_) | Statement::AlterRole { .. } | Statement::AlterSchema(_) => Ok(()),
        Statement::AlterView(av) => objects::alter_view(catalog, av, ctx),
        Statement::AlterFunction(_) | Statement::AlterTrigger(_) => {
            Err(SimError::not_simulated(format!("{} is not simulated yet", statement_kind(stmt))))
        }
        Statement::Analyze { .. } | Statement::Call(_) | Statement::Copy { .. } | Statement::Discard { .. } => Ok(()),
        Statement::LISTEN { .. } | Statement::NOTIFY { .. } | Statement::UNLISTEN { .. } | Statement::Lock(_) => Ok(()),
        other => Err(SimError::not_simulated(format!(
            "{} is not simulated: the schema model ignores it",
            statement_kind(other)
        ))),
    }
}

/// A short name for a statement, for messages and rules (`CREATE TABLE`, `ALTER TABLE`).
pub fn statement_kind(stmt: &Statement) -> String {
    statement_kind_of_text(&stmt.to_string())
}

/// The same, read from the statement's own text (no printing of the parsed statement).
pub fn statement_kind_of_text(text: &str) -> String {
    let mut words = leading_words(text, 3);
    let n = match words.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["CREATE", "OR", ..] | ["CREATE", "UNIQUE", ..] | ["CREATE", "MATERIALIZED", ..] => 3,
        ["CREATE" | "ALTER" | "DROP" | "COMMENT", ..] => 2,
        _ => 1,
    };
    words.truncate(n);
    words.join(" ")
}

/// The first `n` words of a statement, in upper case, past comments.
fn leading_words(text: &str, n: usize) -> Vec<String> {
    let mut words = Vec::new();
    let mut rest = text;
    while words.len() < n {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("--") {
            rest = after.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, r)| r);
        } else {
            let len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
            if len == 0 {
                break;
            }
            words.push(rest[..len].to_ascii_uppercase());
            rest = &rest[len..];
        }
    }
    words
}

impl<'a> Ctx<'a> {
    /// The context for one statement: its span, what the parser set aside, and whether a transaction
    /// block is open.
    pub fn new(span: Span, extras: &'a Extras, in_transaction: bool) -> Ctx<'a> {
        Ctx {
            span,
            extras,
            in_transaction,
            notes: Vec::new(),
            fk_delete_taken: Default::default(),
            identity_taken: Default::default(),
            do_steps: None,
        }
    }

    /// The sequence name the next `AS IDENTITY` clause gives, if it gives one.
    pub(crate) fn next_identity_sequence(&self) -> Option<Vec<String>> {
        let n = self.identity_taken.get();
        self.identity_taken.set(n + 1);
        self.extras.identity_sequences.get(n).cloned().flatten()
    }
}

/// Looks a table up; PostgreSQL's message when it is missing.
pub(crate) fn resolve_table(catalog: &Catalog, name: &ObjectName) -> Result<QualName, SimError> {
    let q = catalog.resolve(name);
    if catalog.tables.contains_key(&q) {
        return Ok(q);
    }
    Err(missing_relation(catalog, &q))
}

pub(crate) fn missing_relation(catalog: &Catalog, q: &QualName) -> SimError {
    let shown = if q.schema == "public" { q.name.to_string() } else { format!("{}.{}", q.schema, q.name) };
    if !catalog.schemas.contains_key(q.schema.as_str()) {
        return SimError::new(format!("schema \"{}\" does not exist", q.schema)).help(
            "Create the schema in an earlier migration, or add a prelude file that creates what the platform provides.",
        );
    }
    let err = SimError::new(format!("relation \"{shown}\" does not exist"));
    if q.schema != "public" {
        return err.help("If the platform or the migration runner creates this table, add it to a prelude file.");
    }
    err.help("Check the name and that the migration creating it runs earlier.")
}

pub(crate) fn ensure_schema(catalog: &Catalog, q: &QualName) -> SimResult {
    if catalog.schemas.contains_key(q.schema.as_str()) {
        return Ok(());
    }
    Err(SimError::new(format!("schema \"{}\" does not exist", q.schema)).help(
        "Create the schema in an earlier migration, or add a prelude file that creates what the platform provides.",
    ))
}

/// The error PostgreSQL raises when a relation name is taken.
pub(crate) fn relation_exists_error(q: &QualName) -> SimError {
    SimError::new(format!("relation \"{}\" already exists", q.name))
        .help("Use CREATE … IF NOT EXISTS, or drop the existing relation first.")
}

/// The kind of relation a name refers to, for messages like `"x" is not a table`.
pub(crate) fn relation_kind(catalog: &Catalog, q: &QualName) -> Option<&'static str> {
    if catalog.tables.contains_key(q) {
        Some("table")
    } else if catalog.indexes.contains_key(q) {
        Some("index")
    } else if catalog.sequences.contains_key(q) {
        Some("sequence")
    } else if let Some(v) = catalog.views.get(q) {
        Some(if v.materialized { "materialized view" } else { "view" })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use crate::{Options, Runner, Severity, SourceFile, analyze};

    /// (severity, rule, message) of each diagnostic of a one-file run.
    fn diagnostics(sql: &str, runner: Runner) -> Vec<(Severity, &'static str, String)> {
        let options = Options { runner, ..Options::default() };
        let a = analyze(vec![SourceFile::new("001_a.sql", sql.to_string())], &options);
        a.diagnostics
            .into_iter()
            .filter(|d| d.rule != "not-idempotent")
            .map(|d| (d.severity, d.rule, String::from(d.message)))
            .collect()
    }

    #[test]
    fn comment_on_column_finds_the_table_through_the_search_path() {
        let sql = "CREATE SCHEMA app;\nSET search_path = app;\nCREATE TABLE orders (id int);\n\
                   COMMENT ON COLUMN orders.id IS 'the key';";
        let a = analyze(vec![SourceFile::new("001_a.sql", sql.to_string())], &Options::default());
        let errors: Vec<_> = a.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
        assert!(errors.is_empty(), "{errors:?}");
        let table = a.catalog.tables.get(&crate::catalog::QualName::new("app", "orders")).expect("app.orders");
        assert_eq!(table.column("id").and_then(|c| c.comment.as_deref()), Some("the key"));
    }

    #[test]
    fn alter_system_fails_in_a_transaction_block_and_changes_nothing_outside_one() {
        let cases = [
            "ALTER SYSTEM SET work_mem = '64MB';",
            "ALTER SYSTEM SET work_mem TO DEFAULT;",
            "ALTER SYSTEM RESET work_mem;",
            "ALTER SYSTEM RESET ALL;",
        ];
        for sql in cases {
            let in_transaction = diagnostics(sql, Runner::Transaction);
            assert!(
                in_transaction.iter().any(|d| d.0 == Severity::Error
                    && d.1 == "postgres-error"
                    && d.2 == "ALTER SYSTEM cannot run inside a transaction block"),
                "{sql}: {in_transaction:?}"
            );
            let alone = diagnostics(sql, Runner::Psql);
            assert_eq!(
                alone,
                [(Severity::Info, "no-schema-effect", "ALTER SYSTEM has no effect on the schema model".to_string())],
                "{sql}"
            );
        }
        let garbled = diagnostics("ALTER SYSTEM work_mem = '1MB';", Runner::Psql);
        assert!(garbled.iter().any(|d| d.0 == Severity::Error && d.1 == "syntax-error"), "{garbled:?}");
    }
}
