//! The two cores of a CI machine: the first thread parses and simulates each statement, and a second
//! judges it with the rules and renders the report entries of their findings at once, while the first
//! goes on; the rest of the report is rendered in as many pieces as there are cores. The results are the
//! same as a single thread's: the rules see each statement with the schemas before and after it, as they
//! would in line (`rules::checker`).
//!
//! Two threads, each keeping its statements' data in its own core's cache, beat more of them: with the
//! parsing on a third thread and the rendering on a fourth, `check` used 20% more CPU for the same work
//! (docs/performance.md, "Two threads, not four").

use std::sync::mpsc;

use schema_playground::analysis::{self, Memory, StatementInfo};
use schema_playground::catalog::Catalog;
use schema_playground::rules::checker::{Checker, Checks, FileEnd, FileStart, Graveyard, Job, Outcome, Steps};
use schema_playground::rules::context::Earlier;
use schema_playground::{Analysis, Options, SourceFile};

use crate::report::{Entries, Prerendered, Reporter};

/// How many statements the rules may lag behind the simulation (each holds two schemas alive).
const BEHIND: usize = 256;

/// How many messages to the rules, or catalogs back, go over a channel at once: each send may wake the
/// thread on the other side, a system call.
const BATCH: usize = 16;

/// [`schema_playground::analyze`], with the rules on a thread of their own; with a `reporter`, also the
/// report entries of the rules' findings, rendered there as the findings come.
pub fn analyze(
    files: Vec<SourceFile>,
    options: &Options,
    reporter: Option<Reporter>,
) -> (Analysis, Option<Prerendered>) {
    if cores() < 2 {
        let entries = Default::default();
        return (
            schema_playground::analyze(files, options),
            reporter.map(|reporter| Prerendered { reporter, entries }),
        );
    }
    let (texts, _) = analysis::with_prelude(files.clone(), options);
    let reporter = reporter.map(|r| r.sized(texts.len()));
    let (analysis, entries) = std::thread::scope(|scope| {
        // What the rules are done with goes back to the simulation's thread, which allocated it (see
        // `Graveyard`).
        let (spent, to_free) = mpsc::channel::<Spent>();
        let texts = &texts;
        let room = analysis::statements_room(texts);
        let reporter = reporter.as_ref();
        let (to_rules, from_sim) = mpsc::sync_channel::<Vec<Message>>(BEHIND / BATCH);
        let rules = scope.spawn(move || {
            let back = spent.clone();
            // Two per statement: the catalogs before and after it.
            let mut catalogs = Vec::with_capacity(2 * BATCH);
            let graveyard = Graveyard {
                statements: Box::new({
                    let spent = spent.clone();
                    move |dead| {
                        let _ = spent.send(Spent::Statements(dead));
                    }
                }),
                do_steps: Box::new({
                    let spent = spent.clone();
                    move |dead| {
                        let _ = spent.send(Spent::Steps(dead));
                    }
                }),
                catalogs: Box::new(move |dead| {
                    catalogs.push(dead);
                    if catalogs.len() >= 2 * BATCH {
                        let full = std::mem::replace(&mut catalogs, Vec::with_capacity(2 * BATCH));
                        let _ = spent.send(Spent::Catalogs(full));
                    }
                }),
            };
            let mut entries = Entries::default();
            let checker = Checker::new(texts, options).with_graveyard(graveyard);
            let outcomes = match reporter {
                Some(reporter) => {
                    let render = |found: &[schema_playground::Diagnostic]| {
                        for d in found {
                            if let std::collections::hash_map::Entry::Vacant(slot) = entries.entry(d.clone()) {
                                let entry = reporter.entry(texts, slot.key());
                                slot.insert(entry);
                            }
                        }
                    };
                    judge(checker.with_findings(Box::new(render)), from_sim, &back, room)
                }
                None => judge(checker, from_sim, &back, room),
            };
            (outcomes, entries)
        });
        let mut checks = Threaded {
            to: Some(to_rules),
            batch: Vec::with_capacity(BATCH),
            spare: Vec::new(),
            sent: 0,
            rules: Some(rules),
            to_free,
            entries: Entries::default(),
        };
        let analysis = analysis::analyze_with_parts(files, options, &mut Memory::default(), Some(&mut checks));
        (analysis, checks.entries)
    });
    (analysis, reporter.map(|reporter| Prerendered { reporter, entries }))
}

/// What the simulation sends the rules' thread. A statement's job goes inline, not boxed: the batch
/// that holds it comes back to be filled again, where a box would be freed on the rules' thread.
#[allow(clippy::large_enum_variant)]
enum Message {
    Begin(FileStart),
    /// A statement analysed since the last one sent: the history the rules read grows by it.
    Seen(StatementInfo),
    /// The history starts again (an analysis that took runs from an earlier one).
    Forget,
    Statement(Job),
    End(FileEnd),
}

/// What the rules' thread is done with, sent back to be freed, or filled again, on the simulation's
/// thread, which allocated it.
#[allow(dead_code, reason = "what a variant holds is only dropped")]
enum Spent {
    Catalogs(Vec<Catalog>),
    Statements(Vec<Earlier>),
    Steps(Steps),
    /// An emptied batch of messages.
    Batch(Vec<Message>),
}

/// The rules' thread: judges what it is sent, in order, until the simulation hangs up.
fn judge(
    mut checker: Checker<'_>,
    batches: mpsc::Receiver<Vec<Message>>,
    spent: &mpsc::Sender<Spent>,
    room: usize,
) -> Vec<Outcome> {
    let mut history = Vec::with_capacity(room);
    for mut batch in batches {
        for message in batch.drain(..) {
            match message {
                Message::Begin(file) => checker.begin(file),
                Message::Seen(info) => history.push(info),
                Message::Forget => history.clear(),
                Message::Statement(job) => checker.statement(job, &history),
                Message::End(end) => checker.end(end),
            }
        }
        let _ = spent.send(Spent::Batch(batch));
    }
    checker.outcomes()
}

/// The simulation's side of the rules' thread.
struct Threaded<'scope> {
    to: Option<mpsc::SyncSender<Vec<Message>>>,
    /// Messages not sent yet.
    batch: Vec<Message>,
    /// Emptied batches back from the rules' thread, to fill again.
    spare: Vec<Vec<Message>>,
    /// How much of the history the rules' thread has.
    sent: usize,
    rules: Option<std::thread::ScopedJoinHandle<'scope, (Vec<Outcome>, Entries)>>,
    /// What the rules are done with, to free on this thread.
    to_free: mpsc::Receiver<Spent>,
    /// The report entries the rules' thread rendered, once it has ended.
    entries: Entries,
}

impl Threaded<'_> {
    fn send(&mut self, message: Message) {
        self.batch.push(message);
        if self.batch.len() >= BATCH {
            self.flush();
        }
    }

    fn flush(&mut self) {
        // A send fails only when the rules' thread has stopped (it panicked): `outcomes` reports it.
        if let Some(to) = &self.to
            && !self.batch.is_empty()
        {
            let next = self.spare.pop().unwrap_or_else(|| Vec::with_capacity(BATCH));
            let _ = to.send(std::mem::replace(&mut self.batch, next));
        }
    }

    /// Frees what the rules are done with, keeping emptied batches to fill again.
    fn collect(&mut self) {
        for spent in self.to_free.try_iter() {
            if let Spent::Batch(batch) = spent
                && self.spare.len() < BEHIND / BATCH
            {
                self.spare.push(batch);
            }
        }
    }
}

impl Checks for Threaded<'_> {
    fn begin(&mut self, file: FileStart) {
        self.send(Message::Begin(file));
    }

    fn statement(&mut self, job: Job, history: &[StatementInfo]) {
        self.collect();
        if history.len() < self.sent {
            self.send(Message::Forget);
            self.sent = 0;
        }
        for info in &history[self.sent..] {
            self.send(Message::Seen(info.clone()));
        }
        self.sent = history.len();
        self.send(Message::Statement(job));
    }

    fn end(&mut self, end: FileEnd) {
        self.send(Message::End(end));
    }

    fn outcomes(&mut self) -> Vec<Outcome> {
        // Hanging up ends the thread once it has judged everything.
        self.flush();
        self.to = None;
        match self.rules.take().map(|h| h.join()) {
            Some(Ok((outcomes, entries))) => {
                self.entries = entries;
                outcomes
            }
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            None => Vec::new(),
        }
    }
}

/// Maps `items` with `f` on every core, in order.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let chunk = items.len().div_ceil(cores()).max(64);
    if items.len() <= chunk {
        return items.iter().map(&f).collect();
    }
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> =
            items.chunks(chunk).map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>())).collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    })
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use schema_playground::Runner;

    use super::*;

    fn same(files: Vec<SourceFile>, options: &Options) {
        let one = schema_playground::analyze(files.clone(), options);
        let (two, prerendered) = analyze(files, options, Some(Reporter::new("dir", options.prelude.is_some())));
        // An entry rendered ahead is the one rendered in the end for the same diagnostic: same file
        // texts, same line starts.
        let Prerendered { reporter, entries } = prerendered.expect("the reporter comes back");
        let reporter = reporter.sized(two.files.len());
        for (d, entry) in &entries {
            assert_eq!(entry, &reporter.entry(&two.files, d));
        }
        assert_eq!(one.diagnostics, two.diagnostics);
        assert_eq!(one.statements, two.statements);
        assert_eq!(one.catalog, two.catalog);
        // Each migration's schema, and what its second run rejects (judged on the rules' thread).
        assert_eq!(one.migrations, two.migrations);
        let reruns = |a: &Analysis| a.migrations.iter().map(|m| m.rerun.clone()).collect::<Vec<_>>();
        assert_eq!(reruns(&one), reruns(&two));
    }

    #[test]
    fn threads_change_nothing() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![root.join("migrations")];
        let corpus = std::fs::read_dir(root.join("tests/corpus")).expect("the corpus is there");
        dirs.extend(corpus.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir()));
        assert!(dirs.len() > 20);
        for dir in dirs {
            let files = crate::read_folder(&dir).expect("a readable folder");
            for runner in [Runner::Transaction, Runner::Psql] {
                same(files.clone(), &Options { runner, ..Options::default() });
            }
        }
    }

    #[test]
    fn a_prelude_and_a_folder_out_of_order_change_nothing() {
        let files = vec![
            SourceFile::new("001_a.sql", "CREATE TABLE a (id int PRIMARY KEY);\nCREATE INDEX ON a (id);"),
            // The plan runs 002 before 010, whatever the folder's order.
            SourceFile::new("010_c.sql", "ALTER TABLE a ADD COLUMN c text;\nDO $$ BEGIN NULL; END $$;"),
            SourceFile::new("002_b.sql", "-- +goose Up\nALTER TABLE a ADD COLUMN b text;\nCREATE TABLE ("),
            SourceFile::new("003_b_rollback.sql", "ALTER TABLE a DROP COLUMN b;"),
            SourceFile::new("prelude.sql", "CREATE SCHEMA auth;\nCREATE TABLE auth.users (id uuid);"),
        ];
        let prelude = SourceFile::new("platform.sql", "CREATE SCHEMA extensions;");
        same(files.clone(), &Options { prelude: Some(prelude), ..Options::default() });
        let listed = files[4].clone();
        same(files.clone(), &Options { prelude: Some(listed), ..Options::default() });
        // Deployed migrations skip the rules; suppression comments count only in judged files.
        let rules = schema_playground::rules::RuleConfig { deployed: Some("002".into()), ..Default::default() };
        same(files, &Options { rules, ..Options::default() });
    }

    #[test]
    fn the_rules_thread_reports_what_the_rules_find() {
        let files = vec![
            SourceFile::new("001_a.sql", "CREATE TABLE a (id int PRIMARY KEY, n int);"),
            SourceFile::new(
                "002_b.sql",
                "-- squawk-ignore ban-drop-column\nALTER TABLE a DROP COLUMN n;\nCREATE INDEX ON a (id);",
            ),
        ];
        let (analysis, prerendered) = analyze(files, &Options::default(), Some(Reporter::new("dir", false)));
        let rules: Vec<&str> = analysis.diagnostics.iter().map(|d| d.rule).collect();
        assert!(rules.contains(&"require-concurrent-index-creation"), "{rules:?}");
        assert!(!rules.contains(&"ban-drop-column"), "{rules:?}");
        // The findings are rendered as they come, the suppressed one too: the report prints the entries
        // of the analysis's diagnostics only.
        let entries = prerendered.expect("the reporter comes back").entries;
        let ahead: Vec<&str> = entries.keys().map(|d| d.rule).collect();
        assert!(ahead.contains(&"require-concurrent-index-creation"), "{ahead:?}");
        assert!(ahead.contains(&"ban-drop-column"), "{ahead:?}");
        let entry =
            &entries[analysis.diagnostics.iter().find(|d| d.rule == "require-concurrent-index-creation").unwrap()];
        assert!(entry.starts_with("dir/002_b.sql:3:1: warning[require-concurrent-index-creation]: "), "{entry}");
        assert!(entry.contains("3 | CREATE INDEX ON a (id);"), "{entry}");
        assert!(analysis.migrations.iter().all(|m| m.rerun.is_some()), "not-idempotent runs each migration twice");
    }

    #[test]
    fn map_keeps_the_order() {
        let items: Vec<u32> = (0..1000).collect();
        assert_eq!(map(&items, |i| i * 2), items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(map(&items[..3], |i| i + 1), vec![1, 2, 3]);
    }
}
