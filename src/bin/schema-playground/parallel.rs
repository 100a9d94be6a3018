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
use schema_playground::rules::checker::{Checker, Checks, FileEnd, FileStart, Graveyard, Job, Outcome};
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
        // The catalogs the rules are done with go back to the simulation's thread, which allocated them
        // (see `Graveyard`).
        let (dead_catalogs, catalogs_to_free) = mpsc::channel::<Vec<Catalog>>();
        let texts = &texts;
        let reporter = reporter.as_ref();
        let (to_rules, from_sim) = mpsc::sync_channel::<Vec<Message>>(BEHIND / BATCH);
        let rules = scope.spawn(move || {
            // Two per statement: the catalogs before and after it.
            let mut catalogs = Vec::with_capacity(2 * BATCH);
            let graveyard = Graveyard {
                // The parsed statements were made on the other thread too, but freeing them here costs
                // no more (measured).
                statements: Box::new(drop),
                catalogs: Box::new(move |dead| {
                    catalogs.push(dead);
                    if catalogs.len() >= 2 * BATCH {
                        let _ = dead_catalogs.send(std::mem::replace(&mut catalogs, Vec::with_capacity(2 * BATCH)));
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
                    judge(checker.with_findings(Box::new(render)), from_sim)
                }
                None => judge(checker, from_sim),
            };
            (outcomes, entries)
        });
        let mut checks = Threaded {
            to: Some(to_rules),
            batch: Vec::new(),
            sent: 0,
            rules: Some(rules),
            catalogs_to_free,
            entries: Entries::default(),
        };
        let analysis = analysis::analyze_with_parts(files, options, &mut Memory::default(), Some(&mut checks));
        (analysis, checks.entries)
    });
    (analysis, reporter.map(|reporter| Prerendered { reporter, entries }))
}

/// What the simulation sends the rules' thread.
enum Message {
    Begin(FileStart),
    /// A statement, with the statements analysed since the last one sent (the history grows by them);
    /// `true` when they replace the history instead.
    Statement(Box<Job>, Vec<StatementInfo>, bool),
    End(FileEnd),
}

/// The rules' thread: judges what it is sent, in order, until the simulation hangs up.
fn judge(mut checker: Checker<'_>, batches: mpsc::Receiver<Vec<Message>>) -> Vec<Outcome> {
    let mut history = Vec::new();
    for message in batches.into_iter().flatten() {
        match message {
            Message::Begin(file) => checker.begin(file),
            Message::Statement(job, since, replace) => {
                if replace {
                    history.clear();
                }
                history.extend(since);
                checker.statement(*job, &history);
            }
            Message::End(end) => checker.end(end),
        }
    }
    checker.outcomes()
}

/// The simulation's side of the rules' thread.
struct Threaded<'scope> {
    to: Option<mpsc::SyncSender<Vec<Message>>>,
    /// Messages not sent yet.
    batch: Vec<Message>,
    /// How much of the history the rules' thread has.
    sent: usize,
    rules: Option<std::thread::ScopedJoinHandle<'scope, (Vec<Outcome>, Entries)>>,
    /// Catalogs the rules are done with, to free on this thread.
    catalogs_to_free: mpsc::Receiver<Vec<Catalog>>,
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
            let _ = to.send(std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH)));
        }
    }
}

impl Checks for Threaded<'_> {
    fn begin(&mut self, file: FileStart) {
        self.send(Message::Begin(file));
    }

    fn statement(&mut self, job: Job, history: &[StatementInfo]) {
        self.catalogs_to_free.try_iter().for_each(drop);
        let replace = history.len() < self.sent;
        let since = history[if replace { 0 } else { self.sent }..].to_vec();
        self.sent = history.len();
        self.send(Message::Statement(Box::new(job), since, replace));
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
