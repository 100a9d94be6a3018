//! The driver: files → migration plan → statements → simulated catalog, with every problem as a
//! diagnostic. Runner semantics (`transaction`, `psql`) decide what a failing statement undoes.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::catalog::{Catalog, QualName};
use crate::diagnostic::{Diagnostic, Severity};
use crate::migrations::{self, Plan, PlanOptions, Role};
use crate::rules::checker::{Checker, Checks, FileEnd, FileStart, Job};
use crate::rules::{self, Enabled, RuleConfig};
use crate::simulate::{self, Ctx};
use crate::span::Span;
use crate::sql::parse::{self, Parsed};
use crate::sql::split::{self, PieceKind};
use crate::text::same_text;

/// One input file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceFile {
    pub name: String,
    pub text: std::sync::Arc<str>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<std::sync::Arc<str>>) -> SourceFile {
        SourceFile { name: name.into(), text: text.into() }
    }
}

/// How the migration runner executes each file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Runner {
    /// Each file is one transaction (`psql -1`, Flyway, sqlx, a Go runner calling `db.Exec` on a file).
    #[default]
    Transaction,
    /// Statement by statement, stopping at the first error (`psql -v ON_ERROR_STOP=1 -f FILE`).
    Psql,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Options {
    pub runner: Runner,
    pub plan: PlanOptions,
    /// Applied before the first migration (objects the platform or the runner creates).
    pub prelude: Option<SourceFile>,
    /// Which rules run, and how loud.
    pub rules: RuleConfig,
}

/// A statement that was analysed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatementInfo {
    pub span: Span,
    /// `CREATE TABLE`, `ALTER TABLE`, `DO`, … (shared: an analysis after an edit copies the statements of
    /// the migrations it re-uses).
    pub kind: std::sync::Arc<str>,
    /// Index into [`Analysis::migrations`]; `None` for the prelude.
    pub migration: Option<usize>,
    pub applied: bool,
}

/// One forward migration and the schema after it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MigrationResult {
    pub file: u32,
    pub name: String,
    pub version: String,
    /// Whether it applied without error.
    pub ok: bool,
    /// The catalog after this migration (as the runner leaves it).
    #[serde(skip)]
    pub catalog: Catalog,
    /// What a second run of this migration on the schema its first run left rejects, with PostgreSQL's
    /// messages (see [`rerun`]); simulated during the analysis by the rules' `Checker`, from the parsed
    /// statements, when `not-idempotent` runs on this migration, up to the first failure that
    /// `prefer-robust-stmts` does not report (the one `not-idempotent` reports).
    #[serde(skip)]
    pub rerun: Option<Vec<(Span, String)>>,
    /// How the runner ran it: the folder's runner, or statement by statement for a file that asks to run
    /// outside a transaction.
    #[serde(skip)]
    pub runner: Runner,
    /// The OIDs of the tables it changed, or whose indexes it changed ([`Catalog::touched_tables`]).
    #[serde(skip)]
    pub touched: std::sync::Arc<std::collections::BTreeSet<u32>>,
}

/// Everything the engine found. Analysis never fails: problems are diagnostics.
#[derive(Clone, Debug, Serialize)]
pub struct Analysis {
    pub files: Vec<SourceFile>,
    pub plan: Plan,
    pub migrations: Vec<MigrationResult>,
    pub statements: Vec<StatementInfo>,
    /// The schema where the runner stops: after the last migration, or before the first failing one.
    #[serde(skip)]
    pub catalog: Catalog,
    /// Where a real run stops: the first statement PostgreSQL rejects.
    pub stopped_at: Option<Span>,
    /// The catalog before the first migration (after the prelude).
    #[serde(skip)]
    pub initial: Catalog,
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }

    /// What migration `index` (into [`Analysis::migrations`]) changed.
    pub fn changes_in(&self, index: usize) -> Vec<crate::diff::Change> {
        let Some(after) = self.migrations.get(index) else { return Vec::new() };
        let before = if index == 0 { &self.initial } else { &self.migrations[index - 1].catalog };
        crate::diff::changes(before, &after.catalog)
    }
}

/// Analyses a migration folder.
pub fn analyze(files: Vec<SourceFile>, options: &Options) -> Analysis {
    analyze_with(files, options, &mut Memory::default())
}

/// What an analysis remembers for the next one: each migration's run, with what went into it. After an
/// edit, [`analyze_with`] takes the runs of the migrations before the first one whose file (or place,
/// or options) changed as they are, and simulates only from there: typing in the newest migration of a
/// long history re-runs that one file.
#[derive(Default)]
pub struct Memory {
    options: Option<Options>,
    runs: Vec<Run>,
    reused: usize,
    /// The findings of the folder rules that judge table by table, with the schemas they judged.
    folder: Option<FolderMemory>,
    judged_again: Option<usize>,
    /// The files of the last analysis, as given: an analysis compares each file with its entry once, and
    /// only the files that changed are read again (runs, plan, suppression comments).
    files: Vec<SourceFile>,
    /// The plan made of `files`.
    plan: Option<Plan>,
    /// The suppression comments of each of `files`.
    ignores: Vec<rules::Ignores>,
    /// Which of `files` were not as in the analysis before.
    changed: Vec<bool>,
    /// The [`Simulated`] analysis whose rules have not run yet, when one made with this memory is waiting.
    staged: Option<u64>,
}

/// The table-by-table folder rules' findings (`rules::FolderMemo`) and the schemas at the end of the
/// history they were made on: the last migration's and where the run stopped.
struct FolderMemory {
    memo: rules::FolderMemo,
    last: Catalog,
    stop: Catalog,
}

impl Memory {
    /// How many migration runs the last analysis took from the one before.
    pub fn reused(&self) -> usize {
        self.reused
    }

    /// How many tables the table-by-table folder rules judged again in the last analysis, keeping
    /// their earlier findings on the others; `None` when they judged every table.
    pub fn tables_judged_again(&self) -> Option<usize> {
        self.judged_again
    }

    /// Whether file `index` of the last analysis was the same file (name and text, at the same place) in
    /// the analysis before, with the same options: what a caller derived from that file can be kept
    /// without comparing its text again.
    pub fn unchanged(&self, index: usize) -> bool {
        self.changed.get(index) == Some(&false)
    }
}

/// One forward migration's run and its inputs (besides its file's text, which `Memory::files` keeps).
struct Run {
    key: RunKey,
    result: MigrationResult,
    statements: Vec<StatementInfo>,
    diagnostics: Vec<Diagnostic>,
    error: Option<Span>,
    /// Its statements went through the rules (`unused-ignore` judges its suppression comments).
    checked: bool,
}

/// Everything a migration's run depends on besides the runs before it and the options.
struct RunKey {
    index: usize,
    section: migrations::MigrationFile,
    newest: bool,
    has_rollback: bool,
}

/// [`analyze`], re-using from `memory` the runs an earlier analysis made of the same leading
/// migrations, and leaving this analysis's runs in it.
pub fn analyze_with(files: Vec<SourceFile>, options: &Options, memory: &mut Memory) -> Analysis {
    analyze_with_parts(files, options, memory, None)
}

/// Room for the statements of `files`, reserved up front: real migrations take about 200 bytes a
/// statement, so this over-reserves, and a list of the whole history's statements is then never copied
/// into a larger block as it grows (each copy also touched fresh pages). On the host, room that is never
/// used costs address space only; in the browser it is memory (about 1.5 MB for the 4 MB history).
pub fn statements_room(files: &[SourceFile]) -> usize {
    files.iter().map(|f| f.text.len()).sum::<usize>() / 128
}

/// A section of a file that an analysis runs: a forward migration (`migration` indexes the plan's
/// `forward` list), `range` in file `file`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    pub migration: usize,
    pub file: u32,
    pub range: std::ops::Range<usize>,
}

/// One piece of a section ([`split::Piece`]), and for a statement what it parsed to.
#[derive(Debug)]
pub struct ParsedPiece {
    piece: split::Piece,
    parsed: Option<Result<Parsed, parse::ParseError>>,
}

/// The pieces of `text[range]`, each statement parsed (and a `DO` block's body read) as the analysis
/// would parse it when it runs them: what [`Checks::parsed`] hands back. Pure, so any thread may do it.
pub fn parse_section(text: &str, range: std::ops::Range<usize>) -> Vec<ParsedPiece> {
    split::split_range(text, range)
        .into_iter()
        .map(|piece| {
            let parsed = (piece.kind == PieceKind::Statement).then(|| {
                let parsed = parse::parse(text, piece.start, piece.end);
                if let Ok(Parsed::Do { body, read, .. }) = &parsed {
                    simulate::do_block::read(body, read);
                }
                parsed
            });
            ParsedPiece { piece, parsed }
        })
        .collect()
}

/// The files as an analysis holds them: `files`, and the prelude after them when it is not one of
/// them; with the prelude's index.
pub fn with_prelude(mut files: Vec<SourceFile>, options: &Options) -> (Vec<SourceFile>, Option<u32>) {
    let Some(prelude) = &options.prelude else { return (files, None) };
    // A prelude named in the project file is already one of the files.
    let id = match files.iter().position(|f| f == prelude) {
        Some(i) => i as u32,
        None => {
            files.push(prelude.clone());
            files.len() as u32 - 1
        }
    };
    (files, Some(id))
}

/// [`analyze_with`], sending the statements the rules judge to `checks` (see
/// [`rules::checker`]) instead of judging them in line; `checks` must judge them as a
/// [`Checker`] made of [`with_prelude`]'s files would.
pub fn analyze_with_parts(
    files: Vec<SourceFile>,
    options: &Options,
    memory: &mut Memory,
    checks: Option<&mut dyn Checks>,
) -> Analysis {
    let compared = compare_files(&files, options, memory);
    let (files, prelude) = with_prelude(files, options);
    let mut inline = None;
    let checks: &mut dyn Checks = match checks {
        Some(checks) => checks,
        None => inline.insert(Checker::new(&files, options)),
    };
    let mut stage = Stage::simulate(&files, prelude, compared, options, memory, checks);
    let outcomes = checks.outcomes();
    drop(inline);
    stage.judge(outcomes);
    stage.finish(files, options, memory)
}

/// An analysis whose rules have not run yet: the schema, the plan and what the simulator reported
/// ([`Simulated::analysis`]), with everything the rules will judge. The web app shows it on its first
/// load and runs the rules after the first paint, a few migrations at a time ([`Simulated::check_some`]).
pub struct Simulated {
    stage: Stage,
    options: Options,
    preview: Analysis,
    recorded: std::collections::VecDeque<rules::checker::Recorded>,
    /// Which of the analyses `memory` is waiting for is this one.
    token: u64,
}

/// Numbers [`simulate_with`]'s analyses.
static STAGED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Simulates `files` as [`analyze_with`] does but leaves the rules for later: [`Simulated::finish`]
/// (after any number of [`Simulated::check_some`]) gives the analysis [`analyze_with`] gives, and leaves
/// `memory` as it would. Until then `memory` holds nothing: an analysis made with it meanwhile starts
/// afresh.
pub fn simulate_with(files: Vec<SourceFile>, options: &Options, memory: &mut Memory) -> Simulated {
    let compared = compare_files(&files, options, memory);
    let (files, prelude) = with_prelude(files, options);
    let mut recorder = rules::checker::Recorder::default();
    let stage = Stage::simulate(&files, prelude, compared, options, memory, &mut recorder);
    // Nothing of this analysis counts for the next one until the rules have run: an analysis made
    // meanwhile starts afresh, and then this one leaves `memory` alone.
    memory.options = None;
    let token = STAGED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    memory.staged = Some(token);
    let preview = stage.preview(files, options);
    Simulated { stage, options: options.clone(), preview, recorded: recorder.take().into(), token }
}

impl Simulated {
    /// The analysis without the rules' findings: the files, the plan, every migration's schema, and the
    /// diagnostics of the plan and the simulator (severities and suppression comments applied).
    pub fn analysis(&self) -> &Analysis {
        &self.preview
    }

    /// Runs the statement rules on the next `migrations` migrations they judge. Returns whether every
    /// migration has been judged.
    pub fn check_some(&mut self, migrations: usize) -> bool {
        let mut checker = Checker::new(&self.preview.files, &self.options);
        for _ in 0..migrations {
            let Some(recorded) = self.recorded.pop_front() else { break };
            recorded.replay(&mut checker, &self.preview.statements);
        }
        self.stage.judge(checker.outcomes());
        self.recorded.is_empty()
    }

    /// The whole analysis: the statement rules [`Simulated::check_some`] has not run yet, then the
    /// folder rules and the suppression comments; `memory` is left as [`analyze_with`] leaves it.
    pub fn finish(mut self, memory: &mut Memory) -> Analysis {
        self.check_some(usize::MAX);
        let Simulated { mut stage, options, preview, token, .. } = self;
        stage.statements = preview.statements;
        if memory.staged != Some(token) {
            // `memory` has served another analysis since (or waits for a newer one, which keeps it):
            // this one starts no memory of its own.
            return stage.finish(preview.files, &options, &mut Memory::default());
        }
        memory.staged = None;
        memory.options = Some(options.clone());
        stage.finish(preview.files, &options, memory)
    }
}

/// What [`compare_files`] found: which files changed since the last analysis, and the plan.
struct Compared {
    changed: Vec<bool>,
    plan: Plan,
}

/// Compares `files` with those of the analysis before (at the same place) and makes the plan; `memory`
/// keeps the files. Earlier runs count only with the same options (the prelude is one of them).
fn compare_files(files: &[SourceFile], options: &Options, memory: &mut Memory) -> Compared {
    if memory.options.as_ref() != Some(options) {
        *memory = Memory { options: Some(options.clone()), ..Memory::default() };
    }
    let same = |a: &SourceFile, b: &SourceFile| same_text(&a.name, &b.name) && same_text(&a.text, &b.text);
    let changed: Vec<bool> =
        files.iter().enumerate().map(|(i, f)| !memory.files.get(i).is_some_and(|old| same(old, f))).collect();
    let plan = plan_again(files, &changed, memory, &options.plan);
    remember_files(files, &changed, memory);
    Compared { changed, plan }
}

/// An analysis between its halves: every migration simulated and the statements the rules judge sent to
/// a [`Checks`]; then their outcomes ([`Stage::judge`]); then the folder rules and the suppression
/// comments ([`Stage::finish`]).
struct Stage {
    plan: Plan,
    changed: Vec<bool>,
    /// The plan's and the prelude's diagnostics.
    diagnostics: Vec<Diagnostic>,
    statements: Vec<StatementInfo>,
    /// Every migration's run, in order.
    runs: Vec<Run>,
    /// The runs the rules judge whose outcomes have not come yet, in order, with where their findings go.
    judged: std::collections::VecDeque<(usize, Vec<usize>)>,
    /// The tables the runs taken again changed, in this analysis or the one before.
    touched: BTreeSet<u32>,
    enabled: Enabled,
    stopped_at: Option<Span>,
    /// The schema after the last migration, and where the run stops.
    last: Catalog,
    stop: Catalog,
    initial: Catalog,
}

impl Stage {
    /// The first half: simulates every migration (or takes its run from `memory`), sending the
    /// statements the rules judge to `checks`. `files` and `prelude` as [`with_prelude`] gives them.
    fn simulate(
        files: &[SourceFile],
        prelude: Option<u32>,
        Compared { changed, plan }: Compared,
        options: &Options,
        memory: &mut Memory,
        checks: &mut dyn Checks,
    ) -> Stage {
        let mut diagnostics = plan.diagnostics.clone();
        let mut statements = Vec::with_capacity(statements_room(files));
        let mut catalog = Catalog::new();
        if let Some(id) = prelude {
            diagnostics.retain(|d| !(d.span.file == id && d.rule == "not-a-migration"));
            let text = &files[id as usize].text;
            let mut run = FileRun::new(id, text, None, Runner::Psql);
            let (after, _) = run.apply(&catalog, 0..text.len(), &mut statements, &mut diagnostics);
            catalog = after;
        }
        let previous = std::mem::take(&mut memory.runs);
        let mut previous = previous.into_iter();
        let mut reusing = true;
        memory.reused = 0;
        let mut touched = BTreeSet::new();
        let enabled = Enabled::new(&options.rules, options.runner);
        let newest = plan.forward.iter().rposition(|m| m.role == Role::Forward);
        let initial = catalog.clone();
        let mut runs: Vec<Run> = Vec::new();
        let mut judged = std::collections::VecDeque::new();
        let mut stopped_at = None;
        let mut final_catalog = None;
        checks.sections(
            plan.forward
                .iter()
                .enumerate()
                .filter(|(_, m)| m.role == Role::Forward)
                .map(|(migration, m)| Section { migration, file: m.file, range: m.body.clone() })
                .collect(),
        );
        for (idx, m) in plan.forward.iter().enumerate() {
            if m.role != Role::Forward {
                continue;
            }
            let text = &files[m.file as usize].text;
            let deployed = m.version.as_ref().is_some_and(|v| enabled.is_deployed(v));
            let has_rollback = m.version.as_ref().is_some_and(|v| plan.rollback_of(v).is_some());
            let newest = newest == Some(idx);
            let same =
                |k: &RunKey| k.index == idx && k.section == *m && k.newest == newest && k.has_rollback == has_rollback;
            let run = match previous.next() {
                Some(run) if reusing && same(&run.key) && !changed[m.file as usize] => {
                    if run.checked {
                        enabled.note_checked(m.file);
                    }
                    memory.reused += 1;
                    run
                }
                old => {
                    reusing = false;
                    touched.extend(old.iter().flat_map(|r| r.result.touched.iter().copied()));
                    let runner = match options.runner {
                        Runner::Transaction if migrations::runs_outside_transaction(text) => Runner::Psql,
                        r => r,
                    };
                    if !deployed {
                        let start = catalog.clone();
                        checks.begin(FileStart { id: m.file, migration: idx, runner, newest, has_rollback, start });
                    }
                    let (first_statement, first_diagnostic) = (statements.len(), diagnostics.len());
                    let mut run = FileRun::new(m.file, text, Some(idx), runner);
                    run.ahead = checks.parsed(idx);
                    run.checks = (!deployed).then_some(&mut *checks);
                    let (after, error) = run.apply(&catalog, m.body.clone(), &mut statements, &mut diagnostics);
                    let marks: Vec<usize> = run.marks.iter().map(|at| at - first_diagnostic).collect();
                    if !deployed {
                        checks.end(FileEnd { after: after.clone(), ok: error.is_none() });
                        judged.push_back((runs.len(), marks));
                    }
                    let run_statements = statements.split_off(first_statement);
                    let run_diagnostics = diagnostics.split_off(first_diagnostic);
                    let result = MigrationResult {
                        file: m.file,
                        name: m.name.clone(),
                        version: m.version.as_ref().map(|v| v.text.clone()).unwrap_or_default(),
                        ok: error.is_none(),
                        rerun: None,
                        runner,
                        touched: std::sync::Arc::new(catalog.touched_tables(&after)),
                        catalog: after,
                    };
                    touched.extend(result.touched.iter().copied());
                    Run {
                        key: RunKey { index: idx, section: m.clone(), newest, has_rollback },
                        checked: false,
                        result,
                        statements: run_statements,
                        diagnostics: run_diagnostics,
                        error,
                    }
                }
            };
            statements.extend_from_slice(&run.statements);
            if let Some(span) = run.error
                && stopped_at.is_none()
            {
                stopped_at = Some(span);
                final_catalog = Some(run.result.catalog.clone());
            }
            catalog = run.result.catalog.clone();
            runs.push(run);
        }
        touched.extend(previous.flat_map(|r| r.result.touched.iter().copied().collect::<Vec<_>>()));
        Stage {
            plan,
            changed,
            diagnostics,
            statements,
            runs,
            judged,
            touched,
            enabled,
            stopped_at,
            stop: final_catalog.unwrap_or_else(|| catalog.clone()),
            last: catalog,
            initial,
        }
    }

    /// Takes the outcomes of the next judged runs, in order. The rules' findings go where the rules
    /// ran: after what the simulator reported before running each statement, before what it reported
    /// of its result.
    fn judge(&mut self, outcomes: Vec<rules::checker::Outcome>) {
        for outcome in outcomes {
            let Some((i, marks)) = self.judged.pop_front() else { break };
            let run = &mut self.runs[i];
            run.diagnostics = interleave(std::mem::take(&mut run.diagnostics), &marks, outcome.diagnostics);
            run.result.rerun = outcome.rerun;
            run.checked = outcome.checked;
            if outcome.checked {
                self.enabled.note_checked(run.result.file);
            }
        }
    }

    /// The analysis as far as the simulator goes, for [`Simulated::analysis`]: the rules' findings are
    /// missing, and no file counts as judged (`unused-ignore` has nothing to say yet).
    fn preview(&self, files: Vec<SourceFile>, options: &Options) -> Analysis {
        let mut diagnostics = self.diagnostics.clone();
        for run in &self.runs {
            diagnostics.extend_from_slice(&run.diagnostics);
        }
        let ignores: Vec<rules::Ignores> = files.iter().map(|f| rules::Ignores::read(&f.text)).collect();
        Enabled::new(&options.rules, options.runner).finish_with(&files, &ignores, &mut diagnostics);
        Analysis {
            files,
            plan: self.plan.clone(),
            migrations: self.runs.iter().map(|r| r.result.clone()).collect(),
            statements: self.statements.clone(),
            catalog: self.stop.clone(),
            stopped_at: self.stopped_at,
            initial: self.initial.clone(),
            diagnostics,
        }
    }

    /// The second half, once every judged run's outcome has come: the folder rules (after an edit that
    /// left the first migrations as they were, the table-by-table ones judge only the tables it
    /// reached), severities and suppression comments; `memory` keeps the runs.
    fn finish(self, files: Vec<SourceFile>, options: &Options, memory: &mut Memory) -> Analysis {
        let Stage {
            plan,
            changed,
            mut diagnostics,
            statements,
            runs,
            touched,
            enabled,
            stopped_at,
            last,
            stop,
            initial,
            ..
        } = self;
        let mut results = Vec::with_capacity(runs.len());
        for run in runs {
            diagnostics.extend_from_slice(&run.diagnostics);
            results.push(run.result.clone());
            memory.runs.push(run);
        }
        let mut analysis =
            Analysis { files, plan, migrations: results, statements, catalog: stop, stopped_at, initial, diagnostics };
        let mut found = Vec::new();
        let earlier = memory.folder.take().filter(|_| memory.reused > 0).map(|f| {
            let scope = scope(touched, [(&f.last, &last), (&f.stop, &analysis.catalog)], &f.memo);
            (scope, f.memo)
        });
        memory.judged_again = earlier.as_ref().map(|(scope, _)| scope.tables.len());
        let cx = rules::FolderCx { analysis: &analysis, options, settings: &enabled.settings, scope: None };
        // The findings before are handed over, not copied: the new memo replaces them.
        let (scope, before) = earlier.unzip();
        let memo = enabled.check_folder(&cx, scope.as_ref().zip(before), &mut found);
        memory.folder = Some(FolderMemory { memo, last, stop: analysis.catalog.clone() });
        analysis.diagnostics.extend(found);
        // The suppression comments of the files that changed are read again; a prelude added to the files
        // is read each time.
        memory.ignores.truncate(changed.len());
        for (i, f) in analysis.files.iter().enumerate() {
            match memory.ignores.get_mut(i) {
                Some(_) if changed.get(i) == Some(&false) => {}
                Some(ignores) => *ignores = rules::Ignores::read(&f.text),
                None => memory.ignores.push(rules::Ignores::read(&f.text)),
            }
        }
        enabled.finish_with(&analysis.files, &memory.ignores, &mut analysis.diagnostics);
        memory.ignores.truncate(changed.len());
        memory.changed = changed;
        analysis
    }
}

/// The plan of `files`: the one `memory` made of the files before when no name changed and the files
/// that changed have no goose or dbmate markers, before and after (the plan reads nothing else of a
/// file's text than its markers and its length, so only the changed files' bodies move); else a new one.
fn plan_again(files: &[SourceFile], changed: &[bool], memory: &mut Memory, options: &PlanOptions) -> Plan {
    let plain = |text: &str| !text.contains("+goose") && !text.contains("migrate:");
    let old = &memory.files;
    let patchable =
        old.len() == files.len()
            && files.iter().zip(old).zip(changed).all(|((new, old), &changed)| {
                new.name == old.name && (!changed || (plain(&new.text) && plain(&old.text)))
            });
    if let Some(mut plan) = memory.plan.take().filter(|_| patchable) {
        let mut moved = true;
        for m in plan.forward.iter_mut().chain(&mut plan.rollbacks).chain(&mut plan.others) {
            let i = m.file as usize;
            if changed.get(i) == Some(&true) {
                moved &= m.body == (0..old[i].text.len());
                m.body = 0..files[i].text.len();
            }
        }
        if moved {
            memory.plan = Some(plan.clone());
            return plan;
        }
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|f| (f.name.as_str(), f.text.as_ref())).collect();
    let plan = migrations::plan(&refs, options);
    memory.plan = Some(plan.clone());
    plan
}

/// Keeps a copy of the files that changed in `memory`, for the next analysis to compare with.
fn remember_files(files: &[SourceFile], changed: &[bool], memory: &mut Memory) {
    memory.files.truncate(files.len());
    for (i, f) in files.iter().enumerate() {
        match memory.files.get_mut(i) {
            Some(_) if !changed[i] => {}
            Some(old) => old.clone_from(f),
            None => memory.files.push(f.clone()),
        }
    }
}

/// What an edit reached, for the folder rules that judge table by table (`rules::BY_TABLE`): the tables
/// the runs taken again changed (`touched`, before and after the edit), then, until nothing is added,
/// the tables whose foreign keys reference one of them or whose partitioned parent is one of them (by
/// name, in the schemas at the end of the history before and after the edit), and the tables whose
/// findings depend on a relation name that appeared or disappeared. Unchanged tables are shared between
/// the two schemas, so the diffs visit only what changed.
fn scope(touched: BTreeSet<u32>, ends: [(&Catalog, &Catalog); 2], memo: &rules::FolderMemo) -> rules::Scope {
    use imbl::ordmap::DiffItem;
    let mut tables = touched;
    let catalogs: Vec<&Catalog> = ends.iter().flat_map(|(a, b)| [*a, *b]).collect();
    let mut appeared = BTreeSet::new();
    let mut functions = false;
    fn names<V: PartialEq>(
        before: &imbl::OrdMap<QualName, V>,
        after: &imbl::OrdMap<QualName, V>,
        out: &mut BTreeSet<QualName>,
    ) {
        for item in before.diff(after) {
            if let DiffItem::Add(name, _) | DiffItem::Remove(name, _) = item {
                out.insert(name.clone());
            }
        }
    }
    for (before, after) in ends {
        names(&before.tables, &after.tables, &mut appeared);
        names(&before.indexes, &after.indexes, &mut appeared);
        names(&before.sequences, &after.sequences, &mut appeared);
        names(&before.views, &after.views, &mut appeared);
        functions |= before.functions.diff(&after.functions).next().is_some();
    }
    tables.extend(memo.tables_naming(&appeared));
    // Every table of the four catalogs once: those of the first, then what the others hold differently
    // (the catalogs share most tables).
    let mut every: Vec<&std::sync::Arc<crate::catalog::Table>> = catalogs[0].tables.values().collect();
    for c in &catalogs[1..] {
        every.extend(catalogs[0].tables.diff(&c.tables).filter_map(|item| match item {
            DiffItem::Add(_, t) | DiffItem::Update { new: (_, t), .. } => Some(t),
            DiffItem::Remove(..) => None,
        }));
    }
    let mut names: BTreeSet<&QualName> = BTreeSet::new();
    loop {
        names.extend(every.iter().filter(|t| tables.contains(&t.oid)).map(|t| &t.name));
        if names.is_empty() {
            break;
        }
        let mut added = Vec::new();
        for t in every.iter().filter(|t| !tables.contains(&t.oid)) {
            let references = t.constraints.iter().any(|k| match &k.kind {
                crate::catalog::model::ConstraintKind::ForeignKey(fk) => names.contains(&fk.ref_table),
                _ => false,
            });
            if references || t.partition_of.as_ref().is_some_and(|(parent, _)| names.contains(parent)) {
                added.push(t.oid);
            }
        }
        if added.is_empty() {
            break;
        }
        tables.extend(added);
    }
    rules::Scope { tables, functions }
}

/// Runs one section of a file (a forward migration or a rollback) on `before`, as the runner would run
/// it (the folder's runner, or statement by statement when the file asks for no transaction), with no
/// rules. Returns the catalog the runner leaves and the statements PostgreSQL rejects, with its
/// messages: the first is where the run stops; later ones are checked on the schema before it, as
/// [`analyze`] does, so that every problem shows at once.
pub fn run_section(
    analysis: &Analysis,
    section: &migrations::MigrationFile,
    before: &Catalog,
    options: &Options,
) -> (Catalog, Vec<(Span, String)>) {
    let Some(file) = analysis.files.get(section.file as usize) else { return (before.clone(), Vec::new()) };
    let runner = match options.runner {
        Runner::Transaction if migrations::runs_outside_transaction(&file.text) => Runner::Psql,
        r => r,
    };
    let mut run = FileRun::new(section.file, &file.text, None, runner);
    let (mut statements, mut diagnostics) = (Vec::new(), Vec::new());
    let (after, _) = run.apply(before, section.body.clone(), &mut statements, &mut diagnostics);
    let errors = diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.span, String::from(d.message)))
        .collect();
    (after, errors)
}

/// Runs migration `migration` (an index into [`Analysis::migrations`]) a second time, on the schema its
/// first run left, and returns the statements that fail then, with PostgreSQL's messages (the first is
/// where the second run stops). Empty when the second run succeeds, or when the first run failed.
pub fn rerun(analysis: &Analysis, migration: usize, options: &Options) -> Vec<(Span, String)> {
    let Some(result) = analysis.migrations.get(migration).filter(|m| m.ok) else { return Vec::new() };
    let Some(section) = analysis.plan.forward.iter().filter(|m| m.role == Role::Forward).nth(migration) else {
        return Vec::new();
    };
    run_section(analysis, section, &result.catalog, options).1
}

/// Simulates already parsed statements of one file again on `before` and returns those PostgreSQL
/// rejects, as [`run_section`] does (after the first error, later statements are checked on the
/// schema before it), up to the first rejected statement for which `last` holds.
pub(crate) fn replay(
    before: &Catalog,
    statements: &[rules::context::Earlier],
    in_transaction: bool,
    last: impl Fn(Span) -> bool,
) -> Vec<(Span, String)> {
    let mut catalog = before.clone();
    catalog.search_path.clear();
    let mut scratch: Option<Catalog> = None;
    let mut errors = Vec::new();
    for statement in statements {
        let mut ctx = Ctx::new(statement.span, statement.parsed.extras(), in_transaction);
        let target = scratch.as_mut().unwrap_or(&mut catalog);
        let mut attempt = target.clone();
        match simulate::apply(&mut attempt, &statement.parsed, &mut ctx) {
            Ok(()) => *target = attempt,
            Err(err) if err.not_simulated => {}
            Err(err) => {
                errors.push((statement.span, err.message));
                if last(statement.span) {
                    break;
                }
                if scratch.is_none() {
                    scratch = Some(catalog.clone());
                }
            }
        }
    }
    errors
}

/// `sim`, a migration's own diagnostics, with the rules' findings on each statement (`found[i]`) inserted
/// at `marks[i]` (an index into `sim`, in order).
fn interleave(sim: Vec<Diagnostic>, marks: &[usize], found: Vec<Vec<Diagnostic>>) -> Vec<Diagnostic> {
    if found.iter().all(Vec::is_empty) {
        return sim;
    }
    let mut out = Vec::with_capacity(sim.len() + found.iter().map(Vec::len).sum::<usize>());
    let mut sim = sim.into_iter();
    let mut taken = 0;
    for (&mark, found) in marks.iter().zip(found) {
        out.extend(sim.by_ref().take(mark.saturating_sub(taken)));
        taken = taken.max(mark);
        out.extend(found);
    }
    out.extend(sim);
    out
}

struct FileRun<'a> {
    file: u32,
    text: &'a str,
    migration: Option<usize>,
    runner: Runner,
    /// Where each statement goes for the rules; `None` for the prelude and for deployed migrations.
    checks: Option<&'a mut dyn Checks>,
    /// For each statement sent to `checks`, where its findings go among the diagnostics.
    marks: Vec<usize>,
    /// The section's pieces, parsed ahead ([`Checks::parsed`]).
    ahead: Option<Vec<ParsedPiece>>,
}

impl<'a> FileRun<'a> {
    fn new(file: u32, text: &'a str, migration: Option<usize>, runner: Runner) -> Self {
        FileRun { file, text, migration, runner, checks: None, marks: Vec::new(), ahead: None }
    }

    /// Runs one file's statements on a copy of `before`. Returns the catalog the runner leaves and the
    /// span of the first error, if any.
    fn apply(
        &mut self,
        before: &Catalog,
        range: std::ops::Range<usize>,
        statements: &mut Vec<StatementInfo>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> (Catalog, Option<Span>) {
        let mut catalog = before.clone();
        // Each file runs in a new session: the search path starts from the default.
        catalog.search_path.clear();
        let mut first_error: Option<Span> = None;
        // After an error the run stops; later statements are still checked on a scratch copy so that
        // users see every problem at once.
        let mut scratch: Option<Catalog> = None;
        let in_transaction = self.runner == Runner::Transaction;
        // Statement by statement, psql commits after each one, unless BEGIN opened a transaction block; the
        // transaction runner's block lasts until the file ends, or until a COMMIT in the file ends it early.
        let mut block = in_transaction;
        // Parsed ahead, or split here and parsed as each statement comes.
        let mut ahead = self.ahead.take().map(Vec::into_iter);
        let mut own = match ahead {
            Some(_) => Vec::new(),
            None => split::split_range(self.text, range),
        }
        .into_iter();
        loop {
            let (piece, parsed) = match &mut ahead {
                Some(pieces) => match pieces.next() {
                    Some(ParsedPiece { piece, parsed }) => (piece, parsed),
                    None => break,
                },
                None => match own.next() {
                    Some(piece) => (piece, None),
                    None => break,
                },
            };
            let span = Span::new(self.file, piece.start, piece.end);
            match piece.kind {
                PieceKind::CopyData => continue,
                PieceKind::MetaCommand => {
                    let cmd = self.text[piece.start..piece.end].split_whitespace().next().unwrap_or("\\");
                    diagnostics.push(
                        Diagnostic::warning(
                            "psql-meta-command",
                            format!("psql meta-command {cmd} is not SQL: the simulator skips it"),
                            span,
                        )
                        .with_help(
                            "Keep migrations to plain SQL, or run this file with psql; the command has no effect here.",
                        ),
                    );
                    continue;
                }
                PieceKind::Unterminated { opened_at, what } => {
                    let at = Span::new(self.file, opened_at, opened_at + 1);
                    diagnostics.push(
                        Diagnostic::error("syntax-error", format!("unterminated {what}"), at)
                            .with_help("Close it: everything after this point is read as part of it."),
                    );
                    first_error.get_or_insert(at);
                    continue;
                }
                PieceKind::Statement => {}
            }
            let parsed = match parsed.unwrap_or_else(|| parse::parse(self.text, piece.start, piece.end)) {
                Ok(p) => p,
                Err(err) => {
                    let at = Span::new(self.file, err.offset, (err.offset + 1).min(piece.end.max(err.offset)));
                    diagnostics.push(Diagnostic::error("syntax-error", syntax_error(&err.message), at).with_help(
                        "Fix the statement; if PostgreSQL accepts it, the simulator does not understand this form yet.",
                    ));
                    statements.push(StatementInfo {
                        span,
                        kind: "?".into(),
                        migration: self.migration,
                        applied: false,
                    });
                    if first_error.is_none() {
                        first_error = Some(at);
                        scratch = Some(catalog.clone());
                    }
                    continue;
                }
            };
            let kind: std::sync::Arc<str> = parsed_kind(&parsed, &self.text[piece.start..piece.end]).into();
            if let Parsed::NoEffect { what } = &parsed {
                diagnostics.push(Diagnostic::info(
                    "no-schema-effect",
                    format!("{what} has no effect on the schema model"),
                    span,
                ));
            }
            let mut ctx = Ctx::new(span, parsed.extras(), in_transaction);
            let target = scratch.as_mut().unwrap_or(&mut catalog);
            let mut attempt = target.clone();
            let result = simulate::apply(&mut attempt, &parsed, &mut ctx);
            let applied = result.is_ok();
            if applied && commits(&parsed, &self.text[piece.start..piece.end], &mut block) {
                simulate::end_transaction(&mut attempt);
            }
            // The rules' findings go before what the simulator says of the statement's result.
            let job = self.checks.is_some().then(|| {
                self.marks.push(diagnostics.len());
                let after = if applied { attempt.clone() } else { target.clone() };
                (target.clone(), after, ctx.do_steps.take())
            });
            match result {
                Ok(()) => *target = attempt,
                Err(err) if err.not_simulated => {
                    let mut d = Diagnostic::warning("not-simulated", err.message, span);
                    d.help =
                        Some(err.help.map_or("The schema shown may differ from PostgreSQL's here.".into(), Into::into));
                    diagnostics.push(d);
                }
                Err(err) => {
                    let mut d = Diagnostic::error("postgres-error", err.message, span);
                    d.help = err.help.map(Into::into);
                    diagnostics.push(d);
                    if first_error.is_none() {
                        first_error = Some(span);
                        scratch = Some(catalog.clone());
                    }
                }
            }
            if let (Some(checks), Some((before, after, do_steps))) = (&mut self.checks, job) {
                let parsed = std::sync::Arc::new(parsed);
                checks.statement(Job { span, parsed, before, after, applied, do_steps }, statements);
            }
            statements.push(StatementInfo {
                span,
                kind,
                migration: self.migration,
                applied: applied && scratch.is_none(),
            });
        }
        if first_error.is_some() && self.runner == Runner::Transaction {
            // The whole file rolls back.
            return (before.clone(), first_error);
        }
        catalog.search_path.clear();
        simulate::end_session(&mut catalog);
        (catalog, first_error)
    }
}

/// A parse error as users read it: sqlparser's messages (`Expected: …, found: …`) get PostgreSQL's prefix;
/// the statement readers' own messages are PostgreSQL's already.
fn syntax_error(message: &str) -> String {
    if message.starts_with("syntax error") { message.to_string() } else { format!("syntax error: {message}") }
}

/// Whether a statement psql runs on its own ends with a commit, `block` telling whether a transaction
/// block is open (and kept up to date).
fn commits(parsed: &Parsed, text: &str, block: &mut bool) -> bool {
    let Parsed::NoEffect { what } = parsed else { return !*block };
    let words: Vec<String> = text.split_whitespace().map(|w| w.trim_end_matches(';').to_ascii_uppercase()).collect();
    // COMMIT AND CHAIN opens the next block at once (outside a block PostgreSQL refuses it).
    let chain = *block && words.windows(2).any(|w| w[0] == "AND" && w[1] == "CHAIN");
    let to_savepoint = words.iter().skip(1).find(|w| *w != "TRANSACTION" && *w != "WORK").is_some_and(|w| w == "TO");
    match what.as_str() {
        "BEGIN" | "START" => {
            *block = true;
            false
        }
        "ROLLBACK" if to_savepoint => false,
        "COMMIT" | "END" | "ROLLBACK" | "ABORT" => {
            *block = chain;
            true
        }
        _ => !*block,
    }
}

fn parsed_kind(p: &Parsed, text: &str) -> String {
    match p {
        Parsed::Statement(..) => simulate::statement_kind_of_text(text),
        Parsed::Do { .. } => "DO".into(),
        Parsed::NoEffect { what } => what.clone(),
        Parsed::AlterSequence { .. } => "ALTER SEQUENCE".into(),
        Parsed::Object { what, .. } => what.clone(),
        Parsed::AlterTableParts { .. } => "ALTER TABLE".into(),
        Parsed::SetSearchPath(_) => "SET search_path".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(message: &str) -> Diagnostic {
        Diagnostic::warning("x", message, Span::default())
    }

    fn messages(ds: &[Diagnostic]) -> Vec<&str> {
        ds.iter().map(|d| d.message.as_str()).collect()
    }

    #[test]
    fn psql_commits_after_each_statement_outside_a_block() {
        let no_effect = |what: &str| Parsed::NoEffect { what: what.into() };
        let mut block = false;
        let steps = [
            (no_effect("SET"), "SET lock_timeout = '1s'", true),
            (no_effect("BEGIN"), "BEGIN", false),
            (no_effect("SAVEPOINT"), "SAVEPOINT s", false),
            (no_effect("ROLLBACK"), "ROLLBACK TO SAVEPOINT s", false),
            (no_effect("ROLLBACK"), "ROLLBACK TRANSACTION TO s", false),
            (no_effect("ROLLBACK"), "rollback work to savepoint s", false),
            (no_effect("COMMIT"), "COMMIT AND CHAIN", true),
            (no_effect("SET"), "SET x.y = 1", false),
            (no_effect("ROLLBACK"), "rollback;", true),
            (no_effect("SET"), "SET x.y = 1", true),
            (no_effect("START"), "START TRANSACTION", false),
            (no_effect("END"), "END", true),
            // Outside a block there is nothing to chain.
            (no_effect("COMMIT"), "COMMIT AND CHAIN", true),
            (no_effect("SET"), "SET x.y = 1", true),
        ];
        for (parsed, text, expected) in steps {
            assert_eq!(commits(&parsed, text, &mut block), expected, "{text}");
        }
        assert!(!block);
    }

    /// A [`Checker`] that hands the analysis every section parsed ahead, and counts them.
    struct ParsesAhead<'f> {
        checker: Checker<'f>,
        files: &'f [SourceFile],
        sections: Vec<Section>,
        handed: usize,
    }

    impl Checks for ParsesAhead<'_> {
        fn begin(&mut self, file: rules::checker::FileStart) {
            self.checker.begin(file);
        }
        fn statement(&mut self, job: rules::checker::Job, history: &[StatementInfo]) {
            self.checker.statement(job, history);
        }
        fn end(&mut self, end: rules::checker::FileEnd) {
            self.checker.end(end);
        }
        fn outcomes(&mut self) -> Vec<rules::checker::Outcome> {
            self.checker.outcomes()
        }
        fn sections(&mut self, sections: Vec<Section>) {
            self.sections = sections;
        }
        fn parsed(&mut self, migration: usize) -> Option<Vec<ParsedPiece>> {
            let section = self.sections.iter().find(|s| s.migration == migration)?;
            self.handed += 1;
            Some(parse_section(&self.files[section.file as usize].text, section.range.clone()))
        }
    }

    #[test]
    fn sections_parsed_ahead_change_nothing() {
        let mut handed = 0;
        for (dir, files) in crate::test_support::sample_folders() {
            for runner in [Runner::Transaction, Runner::Psql] {
                let options = Options { runner, ..Options::default() };
                let plain = analyze(files.clone(), &options);
                let (texts, _) = with_prelude(files.clone(), &options);
                let mut ahead = ParsesAhead {
                    checker: Checker::new(&texts, &options),
                    files: &texts,
                    sections: Vec::new(),
                    handed: 0,
                };
                let parsed = analyze_with_parts(files.clone(), &options, &mut Memory::default(), Some(&mut ahead));
                let forward = plain.plan.forward.iter().filter(|m| m.role == migrations::Role::Forward).count();
                assert_eq!(ahead.handed, forward, "{}", dir.display());
                handed += ahead.handed;
                assert_eq!(plain.diagnostics, parsed.diagnostics, "{}", dir.display());
                assert_eq!(plain.statements, parsed.statements, "{}", dir.display());
                assert_eq!(plain.migrations, parsed.migrations, "{}", dir.display());
                assert_eq!(plain.catalog, parsed.catalog, "{}", dir.display());
            }
        }
        assert!(handed > 100, "{handed}");
    }

    #[test]
    fn findings_go_where_the_rules_ran() {
        // Statement 1: a note before the rules, an error after; statement 2: nothing of its own.
        let sim = vec![d("note 1"), d("error 1")];
        let found = vec![vec![d("rule 1a"), d("rule 1b")], vec![d("rule 2")]];
        let out = interleave(sim, &[1, 2], found);
        assert_eq!(messages(&out), ["note 1", "rule 1a", "rule 1b", "error 1", "rule 2"]);
        // Nothing found: the simulator's diagnostics as they were.
        let out = interleave(vec![d("a"), d("b")], &[0, 2], vec![Vec::new(), Vec::new()]);
        assert_eq!(messages(&out), ["a", "b"]);
    }
}
