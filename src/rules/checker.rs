//! The statement rules as a stream. The analysis simulates each statement, then hands it to a
//! [`Checks`] with everything the rules read of it: the schema before and after it, the file it belongs
//! to, and the statements before it. A [`Checker`] judges them in that order and returns what it found
//! when the analysis asks at the end. Nothing is shared between the two sides, so the CLI runs the
//! checker on a thread of its own while the next statements are simulated (the engine starts none);
//! the results are the same whichever side runs it.

use std::sync::Arc;

use super::context::{Earlier, FileCx, Memo, StatementCx};
use super::{Enabled, NOT_IDEMPOTENT};
use crate::analysis::{Options, Runner, SourceFile, StatementInfo};
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
pub use crate::simulate::do_block::Steps;
use crate::span::Span;
use crate::sql::parse::Parsed;

/// A migration whose statements go through the rules.
pub struct FileStart {
    /// Its file (an index into the analysis's files).
    pub id: u32,
    /// Index into [`crate::Analysis::migrations`].
    pub migration: usize,
    pub runner: Runner,
    pub newest: bool,
    pub has_rollback: bool,
    /// The catalog when the file starts.
    pub start: Catalog,
}

/// One statement the simulator ran, for the statement rules.
pub struct Job {
    pub span: Span,
    pub parsed: Arc<Parsed>,
    /// The catalog the statement ran on, and the one it left (the same when PostgreSQL rejects it).
    pub before: Catalog,
    pub after: Catalog,
    /// Whether PostgreSQL accepts it (as simulated).
    pub applied: bool,
    /// For a `DO` block, what it ran (`simulate::Ctx::do_steps`).
    pub do_steps: Option<Option<Steps>>,
}

/// The end of a migration that went through the rules.
pub struct FileEnd {
    /// The catalog the runner leaves.
    pub after: Catalog,
    /// Whether the migration ran without error (only then is its second run simulated).
    pub ok: bool,
}

/// What the rules found in one migration.
#[derive(Debug, Default)]
pub struct Outcome {
    /// For each statement, in order: the rules' diagnostics.
    pub diagnostics: Vec<Vec<Diagnostic>>,
    /// What a second run of the migration rejects, when `not-idempotent` runs (see
    /// [`crate::MigrationResult::rerun`]).
    pub rerun: Option<Vec<(Span, String)>>,
    /// Whether any of its statements went through the rules (`unused-ignore` judges only those files).
    pub checked: bool,
}

/// Where the analysis sends the statements of the migrations the rules judge: for each such migration,
/// [`Checks::begin`], then [`Checks::statement`] for each statement, then [`Checks::end`]. The analysis
/// then takes every migration's [`Outcome`], in the same order, from [`Checks::outcomes`].
pub trait Checks {
    fn begin(&mut self, file: FileStart);
    /// `history` holds every statement analysed before this one (all files, in run order); each call's
    /// history extends the one before.
    fn statement(&mut self, job: Job, history: &[StatementInfo]);
    fn end(&mut self, end: FileEnd);
    /// The outcome of each migration sent since the last call, in order.
    fn outcomes(&mut self) -> Vec<Outcome>;
    /// The sections of files the analysis is about to run, in order, told once before the first: a
    /// `Checks` with a thread of its own may parse them ahead ([`crate::analysis::parse_section`]) while
    /// that thread waits for statements.
    fn sections(&mut self, _sections: Vec<crate::analysis::Section>) {}
    /// The pieces of the section of migration `migration` (as [`Checks::sections`] named it), when they
    /// were parsed ahead; `None` has the analysis parse them itself.
    fn parsed(&mut self, _migration: usize) -> Option<Vec<crate::analysis::ParsedPiece>> {
        None
    }
}

/// Runs the statement rules on what it is sent (see [`Checks`]).
pub struct Checker<'f> {
    enabled: Enabled,
    /// The analysis's files, the prelude included when it is not one of them.
    files: &'f [SourceFile],
    file: Option<FileCx<'f>>,
    current: Outcome,
    done: Vec<Outcome>,
    graveyard: Option<Graveyard<'f>>,
    found: Option<Findings<'f>>,
}

/// What a [`Checker`] shows each statement's findings to (see [`Checker::with_findings`]).
pub type Findings<'f> = Box<dyn FnMut(&[Diagnostic]) + 'f>;

/// Where a [`Checker`] on a thread of its own puts what it is done with, instead of dropping it: the
/// parsed statements of a file once it ends, the catalogs around each statement, and what a `DO` block
/// ran as the simulator recorded it. The CLI frees them on the thread that made them (the simulation's):
/// freed there, the memory is reused at once; freed on the rules' thread, it went to that thread's
/// allocator pages while the simulation's asked the kernel for fresh, zeroed ones (docs/performance.md,
/// "Memory freed where it was made").
pub struct Graveyard<'f> {
    pub statements: Box<dyn FnMut(Vec<Earlier>) + 'f>,
    pub catalogs: Box<dyn FnMut(Catalog) + 'f>,
    pub do_steps: Box<dyn FnMut(Steps) + 'f>,
}

impl<'f> Checker<'f> {
    /// `files` as the analysis holds them: [`crate::analysis::with_prelude`].
    pub fn new(files: &'f [SourceFile], options: &Options) -> Checker<'f> {
        Checker {
            enabled: Enabled::new(&options.rules, options.runner),
            files,
            file: None,
            current: Outcome::default(),
            done: Vec::new(),
            graveyard: None,
            found: None,
        }
    }

    /// The same checker, handing what it is done with to `graveyard`.
    pub fn with_graveyard(self, graveyard: Graveyard<'f>) -> Checker<'f> {
        Checker { graveyard: Some(graveyard), ..self }
    }

    /// The same checker, showing `found` each statement's findings as soon as it has judged the statement.
    /// They are what [`Checks::outcomes`] returns later, before the analysis's last steps: a finding may
    /// still be suppressed or change severity (rule settings, suppression comments).
    pub fn with_findings(self, found: Findings<'f>) -> Checker<'f> {
        Checker { found: Some(found), ..self }
    }

    fn text(&self, id: u32) -> &'f str {
        self.files.get(id as usize).map_or("", |f| f.text.as_ref())
    }
}

impl Checks for Checker<'_> {
    fn begin(&mut self, file: FileStart) {
        let files = self.files;
        self.file = Some(FileCx {
            id: file.id,
            name: files.get(file.id as usize).map_or("", |f| f.name.as_str()),
            text: self.text(file.id),
            migration: file.migration,
            runner: file.runner,
            newest: file.newest,
            has_rollback: file.has_rollback,
            start: file.start,
            earlier: Vec::new(),
            explicit_transaction: false,
            lock_timeout: false,
            statement_timeout: false,
            timeout_scans: Default::default(),
        });
        self.current = Outcome::default();
    }

    fn statement(&mut self, job: Job, history: &[StatementInfo]) {
        let Some(file) = &mut self.file else { return };
        let text = file.text.get(job.span.range()).unwrap_or("");
        // What the simulator recorded goes back to its thread; what the rules work out stays here.
        let recorded = job.do_steps.is_some();
        let cx = StatementCx {
            parsed: &job.parsed,
            span: job.span,
            text,
            before: &job.before,
            after: &job.after,
            applied: job.applied,
            file,
            settings: &self.enabled.settings,
            history,
            files: self.files,
            memo: Memo::with_do_steps(job.do_steps),
        };
        let mut found = Vec::new();
        self.enabled.check_statement(&cx, &mut found);
        if let (true, Some(steps), Some(graveyard)) =
            (recorded, cx.memo.do_steps.into_inner().flatten(), &mut self.graveyard)
        {
            (graveyard.do_steps)(steps);
        }
        if let Some(show) = self.found.as_mut().filter(|_| !found.is_empty()) {
            show(&found);
        }
        self.current.diagnostics.push(found);
        self.current.checked = true;
        file.note(text);
        let Job { span, parsed, before, after, applied, .. } = job;
        file.earlier.push(Earlier { span, parsed, applied, blocks_at_start: Default::default() });
        if let Some(graveyard) = &mut self.graveyard {
            (graveyard.catalogs)(before);
            (graveyard.catalogs)(after);
        }
    }

    fn end(&mut self, end: FileEnd) {
        let Some(file) = self.file.take() else { return };
        if end.ok && self.enabled.severity(NOT_IDEMPOTENT).is_some() {
            let in_transaction = file.runner == Runner::Transaction;
            // not-idempotent reports the first failure that prefer-robust-stmts has not reported: the
            // second run can stop there. Later steps may drop findings (suppressions), never add one, so
            // a failure unreported now is unreported in the end.
            let robust: Vec<Span> = self
                .current
                .diagnostics
                .iter()
                .flatten()
                .filter(|d| d.rule == super::prefer_robust_stmts::RULE.id)
                .map(|d| d.span)
                .collect();
            let unreported = |span: Span| {
                !robust
                    .iter()
                    .any(|r| r.file == span.file && (span.start..=span.end).contains(&r.start) && r.end <= span.end)
            };
            self.current.rerun = Some(crate::analysis::replay(&end.after, &file.earlier, in_transaction, unreported));
        }
        if let Some(graveyard) = &mut self.graveyard {
            (graveyard.statements)(file.earlier);
            (graveyard.catalogs)(end.after);
        }
        self.done.push(std::mem::take(&mut self.current));
    }

    fn outcomes(&mut self) -> Vec<Outcome> {
        std::mem::take(&mut self.done)
    }
}

/// One migration's share of what a [`Recorder`] was sent.
pub struct Recorded {
    start: FileStart,
    /// Each statement, with the length of the history it came with.
    jobs: Vec<(Job, usize)>,
    end: Option<FileEnd>,
}

impl Recorded {
    /// Sends the migration to `checks` as the analysis sent it: `history` is the analysis's whole list of
    /// statements, of which each statement saw the beginning.
    pub fn replay(self, checks: &mut dyn Checks, history: &[StatementInfo]) {
        checks.begin(self.start);
        for (job, seen) in self.jobs {
            checks.statement(job, history.get(..seen).unwrap_or(history));
        }
        if let Some(end) = self.end {
            checks.end(end);
        }
    }
}

/// Keeps what it is sent, to be judged later ([`Recorded::replay`]): the analysis can show the schema
/// before the rules have run (`crate::analysis::simulate_with`).
#[derive(Default)]
pub struct Recorder {
    recorded: Vec<Recorded>,
}

impl Recorder {
    /// Every migration it was sent, in order.
    pub fn take(&mut self) -> Vec<Recorded> {
        std::mem::take(&mut self.recorded)
    }
}

impl Checks for Recorder {
    fn begin(&mut self, start: FileStart) {
        self.recorded.push(Recorded { start, jobs: Vec::new(), end: None });
    }

    fn statement(&mut self, job: Job, history: &[StatementInfo]) {
        if let Some(file) = self.recorded.last_mut() {
            file.jobs.push((job, history.len()));
        }
    }

    fn end(&mut self, end: FileEnd) {
        if let Some(file) = self.recorded.last_mut() {
            file.end = Some(end);
        }
    }

    /// Nothing: the outcomes come from the checker the recorded migrations are replayed into.
    fn outcomes(&mut self) -> Vec<Outcome> {
        Vec::new()
    }
}
