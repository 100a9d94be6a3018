//! The two cores of a CI machine: the first thread parses and simulates each statement, and a second
//! judges it with the rules and renders the report entries of their findings at once, while the first
//! goes on; the rest of the report is rendered in as many pieces as there are cores. The results are the
//! same as a single thread's: the rules see each statement with the schemas before and after it, as they
//! would in line (`rules::checker`). Whenever the second thread has nothing to judge, it parses the
//! next sections the first will run ([`analysis::parse_section`]), a few files ahead: the rules take
//! less time than the simulation, and the two threads then share the work about evenly.
//!
//! Two threads, each keeping its statements' data in its own core's cache, beat more of them: with the
//! parsing on a third thread and the rendering on a fourth, `check` used 20% more CPU for the same work
//! (docs/performance.md, "Two threads, not four").

use std::cell::Cell;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{OnceLock, mpsc};

use schema_playground::analysis::{self, Memory, ParsedPiece, Section, StatementInfo};
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

/// How many sections past the one the simulation runs the rules' thread may parse ahead.
const LOOKAHEAD: usize = 4;

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
    let ahead = &Ahead::default();
    let (analysis, entries) = std::thread::scope(|scope| {
        // What the rules are done with goes back to the simulation's thread, which allocated it (see
        // `Graveyard`).
        let (spent, to_free) = mpsc::channel::<Spent>();
        let texts = &texts;
        let room = analysis::statements_room(texts);
        let reporter = reporter.as_ref();
        let (to_rules, from_sim) = mpsc::sync_channel::<Vec<Message>>(BEHIND / BATCH);
        let (parsed_ahead, from_ahead) = mpsc::channel::<(usize, Vec<ParsedPiece>)>();
        let rules = scope.spawn(move || {
            let back = spent.clone();
            // Whether the file being judged was parsed on this thread: its statements are then freed here.
            let parsed_here = &Cell::new(false);
            // Two per statement: the catalogs before and after it.
            let mut catalogs = Vec::with_capacity(2 * BATCH);
            let graveyard = Graveyard {
                statements: Box::new({
                    let spent = spent.clone();
                    move |dead| {
                        if !parsed_here.get() {
                            let _ = spent.send(Spent::Statements(dead));
                        }
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
            let mut parser =
                AheadParser { ahead, texts, to_sim: parsed_ahead, next: 0, parsed: Vec::new(), here: parsed_here };
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
                    judge(checker.with_findings(Box::new(render)), from_sim, &back, room, &mut parser)
                }
                None => judge(checker, from_sim, &back, room, &mut parser),
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
            ahead: AheadTaker { ahead, from_ahead, pending: VecDeque::new(), at: 0 },
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

/// The rules' thread: judges what it is sent, in order, until the simulation hangs up; while nothing
/// waits to be judged, parses the sections the simulation runs next.
fn judge(
    mut checker: Checker<'_>,
    batches: mpsc::Receiver<Vec<Message>>,
    spent: &mpsc::Sender<Spent>,
    room: usize,
    parser: &mut AheadParser<'_>,
) -> Vec<Outcome> {
    let mut history = Vec::with_capacity(room);
    loop {
        let mut batch = match batches.try_recv() {
            Ok(batch) => batch,
            Err(mpsc::TryRecvError::Empty) => {
                if parser.parse_one() {
                    continue;
                }
                match batches.recv() {
                    Ok(batch) => batch,
                    Err(_) => break,
                }
            }
            Err(mpsc::TryRecvError::Disconnected) => break,
        };
        for message in batch.drain(..) {
            match message {
                Message::Begin(file) => {
                    parser.here.set(parser.parsed.contains(&file.migration));
                    checker.begin(file)
                }
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

/// The sections the simulation runs, as it told them ([`Checks::sections`]), which of them either thread
/// has taken to parse, and how far the simulation is.
#[derive(Default)]
struct Ahead {
    sections: OnceLock<(Vec<Section>, Vec<AtomicBool>)>,
    /// The index (into `sections`) of the section the simulation runs.
    at: AtomicUsize,
}

/// The rules' thread's side of [`Ahead`]: parses sections the simulation has not reached, and sends
/// them over.
struct AheadParser<'a> {
    ahead: &'a Ahead,
    texts: &'a [SourceFile],
    to_sim: mpsc::Sender<(usize, Vec<ParsedPiece>)>,
    /// The next section to look at.
    next: usize,
    /// The migrations whose sections this thread parsed.
    parsed: Vec<usize>,
    /// Whether the file being judged is one of them.
    here: &'a Cell<bool>,
}

impl AheadParser<'_> {
    /// Parses the next section the simulation has not taken, up to [`LOOKAHEAD`] past the one it runs.
    /// Returns whether it parsed one.
    fn parse_one(&mut self) -> bool {
        let Some((sections, taken)) = self.ahead.sections.get() else { return false };
        let at = self.ahead.at.load(Ordering::Acquire);
        let mut k = self.next.max(at + 1);
        while k < sections.len() && k <= at + LOOKAHEAD {
            if !taken[k].swap(true, Ordering::AcqRel) {
                let section = &sections[k];
                let pieces = analysis::parse_section(&self.texts[section.file as usize].text, section.range.clone());
                self.parsed.push(section.migration);
                let _ = self.to_sim.send((k, pieces));
                self.next = k + 1;
                return true;
            }
            k += 1;
        }
        self.next = k;
        false
    }
}

/// The simulation's side of [`Ahead`].
struct AheadTaker<'a> {
    ahead: &'a Ahead,
    /// Sections the rules' thread parsed ahead, by index into `ahead.sections`, in order.
    from_ahead: mpsc::Receiver<(usize, Vec<ParsedPiece>)>,
    /// One received before the simulation reached it.
    pending: VecDeque<(usize, Vec<ParsedPiece>)>,
    /// The index of the section the simulation runs.
    at: usize,
}

impl AheadTaker<'_> {
    /// The section of `migration`, when the rules' thread has taken it to parse (waiting for it if need
    /// be); `None` when the simulation is to parse it, which the rules' thread will then not.
    fn take(&mut self, migration: usize) -> Option<Vec<ParsedPiece>> {
        let (sections, taken) = self.ahead.sections.get()?;
        while self.at < sections.len() && sections[self.at].migration < migration {
            self.at += 1;
        }
        let k = self.at;
        if sections.get(k)?.migration != migration {
            return None;
        }
        self.ahead.at.store(k, Ordering::Release);
        if !taken[k].swap(true, Ordering::AcqRel) {
            return None;
        }
        loop {
            let (i, pieces) = match self.pending.pop_front() {
                Some(got) => got,
                None => self.from_ahead.recv().ok()?,
            };
            match i.cmp(&k) {
                // A section the simulation did not run (it re-used the run of an analysis before).
                std::cmp::Ordering::Less => {}
                std::cmp::Ordering::Equal => return Some(pieces),
                std::cmp::Ordering::Greater => {
                    self.pending.push_front((i, pieces));
                    return None;
                }
            }
        }
    }
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
    ahead: AheadTaker<'scope>,
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

    fn sections(&mut self, sections: Vec<Section>) {
        let taken = sections.iter().map(|_| AtomicBool::new(false)).collect();
        let _ = self.ahead.ahead.sections.set((sections, taken));
    }

    fn parsed(&mut self, migration: usize) -> Option<Vec<ParsedPiece>> {
        self.ahead.take(migration)
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
    fn sections_are_parsed_ahead_in_order_within_reach() {
        let files: Vec<SourceFile> = (0..8)
            .map(|i| {
                SourceFile::new(
                    format!("{i:03}_m.sql"),
                    format!("CREATE TABLE t{i} (id int);\nDO $$ BEGIN NULL; END $$;"),
                )
            })
            .collect();
        // Every other migration of the plan runs (the others are, say, rollbacks).
        let sections: Vec<Section> = files
            .iter()
            .enumerate()
            .map(|(i, f)| Section { migration: 2 * i, file: i as u32, range: 0..f.text.len() })
            .collect();
        let ahead = Ahead::default();
        let (to_sim, from_ahead) = mpsc::channel();
        let here = Cell::new(false);
        let mut parser = AheadParser { ahead: &ahead, texts: &files, to_sim, next: 0, parsed: Vec::new(), here: &here };
        let mut taker = AheadTaker { ahead: &ahead, from_ahead, pending: VecDeque::new(), at: 0 };
        // Nothing is known before the simulation tells its sections.
        assert!(!parser.parse_one());
        assert!(taker.take(0).is_none());
        let taken = sections.iter().map(|_| AtomicBool::new(false)).collect();
        ahead.sections.set((sections.clone(), taken)).expect("told once");
        // The simulation runs section 0 and parses it itself; the rules' thread parses 1 to 4, no further.
        assert!(taker.take(0).is_none());
        for _ in 1..=LOOKAHEAD {
            assert!(parser.parse_one());
        }
        assert!(!parser.parse_one());
        assert_eq!(parser.parsed, [2, 4, 6, 8]);
        let same = |pieces: Option<Vec<ParsedPiece>>, k: usize| {
            let expected = analysis::parse_section(&files[k].text, sections[k].range.clone());
            assert_eq!(format!("{:?}", pieces.expect("parsed ahead")), format!("{expected:?}"));
        };
        same(taker.take(2), 1);
        // Section 2 is skipped (its run re-used): section 3 comes from the rules' thread all the same.
        same(taker.take(6), 3);
        // Now four past section 3: 5, 6 and 7.
        for _ in 5..8 {
            assert!(parser.parse_one());
        }
        assert!(!parser.parse_one());
        same(taker.take(8), 4);
        same(taker.take(14), 7);
        // A migration with no section is the simulation's to parse.
        assert!(taker.take(15).is_none());
    }

    #[test]
    fn map_keeps_the_order() {
        let items: Vec<u32> = (0..1000).collect();
        assert_eq!(map(&items, |i| i * 2), items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(map(&items[..3], |i| i + 1), vec![1, 2, 3]);
    }
}
