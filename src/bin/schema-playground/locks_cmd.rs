//! `check --explain-locks`: for each migration file, the lock every statement takes on existing tables, what
//! it blocks, whether it rewrites, scans or only changes the catalog, and what the file holds until when.
//!
//! With `--format json`, `check --explain-locks` prints one object `{"diagnostics": [...], "locks": [...]}`
//! (without the flag, `check --format json` keeps printing the bare array of diagnostics).

use std::io::Write;

use schema_playground::locks::{FileLocks, Hold, LockInfo, StatementEntry, Until};
use schema_playground::span::LineIndex;
use schema_playground::{Analysis, Options, Runner};

use super::Common;

/// The options the analysis ran with (the project file's, then the flags'): the runner and the PostgreSQL
/// version the lock answers depend on.
pub(crate) fn options(common: &Common, analysis: &Analysis) -> anyhow::Result<Options> {
    Ok(super::options(common, &analysis.files)?.0)
}

/// Every migration's locks, in run order.
pub(crate) fn files(analysis: &Analysis, options: &Options) -> Vec<FileLocks> {
    (0..analysis.migrations.len()).filter_map(|i| analysis.file_locks(i, options)).collect()
}

fn relation(l: &schema_playground::catalog::QualName) -> String {
    if l.schema == "public" { l.name.to_string() } else { format!("{}.{}", l.schema, l.name) }
}

/// The first line of a statement, shortened.
fn headline(text: &str) -> String {
    let first = text.trim_start().lines().next().unwrap_or("").trim_end();
    let first = first.strip_suffix(';').unwrap_or(first);
    let more = text.trim().lines().count() > 1;
    if first.chars().count() > 100 {
        let cut: String = first.chars().take(99).collect();
        format!("{cut}…")
    } else if more {
        format!("{first} …")
    } else {
        first.to_string()
    }
}

struct FileView<'a> {
    text: &'a str,
    index: LineIndex,
}

impl FileView<'_> {
    fn line(&self, offset: u32) -> u32 {
        self.index.line_col(self.text, offset as usize).line
    }
}

fn shows(e: &StatementEntry) -> bool {
    e.locks.existing().next().is_some() || e.locks.undetermined.is_some()
}

/// The text report, printed after the diagnostics.
pub(crate) fn print_text(
    out: &mut impl Write,
    analysis: &Analysis,
    options: &Options,
    dir: &str,
) -> anyhow::Result<()> {
    let files = files(analysis, options);
    let pg = files
        .first()
        .map_or(options.rules.pg_version.unwrap_or(schema_playground::rules::DEFAULT_PG_VERSION), |f| f.pg_version);
    let runner = match options.runner {
        Runner::Transaction => "transaction",
        Runner::Psql => "psql",
    };
    writeln!(out)?;
    writeln!(out, "Locks (PostgreSQL {pg}, --runner {runner}):")?;
    let mut any = false;
    for f in &files {
        if !f.statements.iter().any(shows) {
            continue;
        }
        any = true;
        let file = &analysis.files[f.file as usize];
        let view = FileView { text: &file.text, index: LineIndex::new(&file.text) };
        writeln!(out)?;
        writeln!(out, "{}/{}", dir.trim_end_matches('/'), file.name)?;
        for e in f.statements.iter().filter(|e| shows(e)) {
            let text = file.text.get(e.span.range()).unwrap_or("");
            writeln!(out, "  line {}: {}", view.line(e.span.start), headline(text))?;
            for l in e.locks.existing() {
                write_lock(out, l)?;
            }
            let new = e.locks.locks.iter().filter(|l| l.new_in_file).count();
            if new > 0 {
                let names: Vec<String> =
                    e.locks.locks.iter().filter(|l| l.new_in_file).map(|l| relation(&l.relation)).collect();
                writeln!(out, "    (also locks {}, created earlier in this file: it blocks nobody)", names.join(", "))?;
            }
            if let Some(why) = &e.locks.undetermined {
                writeln!(out, "    locks not determined: {why}")?;
            }
            if let Some(why) = &e.locks.outside_transaction
                && f.runner == Runner::Transaction
            {
                writeln!(out, "    {why}: with --runner transaction this file fails here")?;
            }
        }
        let holds: Vec<&Hold> = f.holds.iter().filter(|h| !h.new_in_file).collect();
        let lasting: Vec<&&Hold> = holds.iter().filter(|h| h.until != Until::Statement).collect();
        let lasting_any = !lasting.is_empty();
        if !lasting.is_empty() {
            writeln!(out, "  held until the transaction ends:")?;
            for h in lasting {
                writeln!(out, "    {}", hold_sentence(h, f, &view))?;
            }
        }
        if holds.iter().any(|h| h.until == Until::Statement) {
            if lasting_any {
                writeln!(out, "  outside the transaction, the other locks are released when their statement ends")?;
            } else {
                writeln!(out, "  no transaction: each lock is released when its statement ends")?;
            }
        }
    }
    if !any {
        writeln!(out, "  no statement takes a lock on a table that existed before its file")?;
    }
    Ok(())
}

fn write_lock(out: &mut impl Write, l: &LockInfo) -> std::io::Result<()> {
    writeln!(out, "    {} on {}: blocks {}; {}", l.mode, relation(&l.relation), l.blocks(), l.work.describe())?;
    for reason in l.reason.split("; ") {
        writeln!(out, "      {reason}")?;
    }
    if let Some(note) = &l.version_note {
        writeln!(out, "      ({note})")?;
    }
    Ok(())
}

/// "with --runner transaction, ACCESS EXCLUSIVE on orders is held from line 3 to the end of the file (line 40)".
fn hold_sentence(h: &Hold, f: &FileLocks, view: &FileView<'_>) -> String {
    let from = view.line(h.since.start);
    let first = view.line(h.first.start);
    let context = if f.explicit_transaction {
        "in the file's own transaction".to_string()
    } else {
        "with --runner transaction".to_string()
    };
    let since = if first < from { format!(" (locked since line {first})") } else { String::new() };
    match h.until {
        Until::EndOfFile { offset } => format!(
            "{context}, {} on {} is held from line {from}{since} to the end of the file (line {})",
            h.mode,
            relation(&h.relation),
            view.line(offset.saturating_sub(1).max(h.since.start))
        ),
        Until::Commit { span } => format!(
            "{context}, {} on {} is held from line {from}{since} until the COMMIT on line {}",
            h.mode,
            relation(&h.relation),
            view.line(span.start)
        ),
        Until::Statement => {
            format!("{} on {} is released when the statement on line {from} ends", h.mode, relation(&h.relation))
        }
    }
}

/// The `locks` array of `check --format json --explain-locks`.
pub(crate) fn json(analysis: &Analysis, options: &Options) -> serde_json::Value {
    let files = files(analysis, options);
    let out: Vec<serde_json::Value> = files
        .iter()
        .map(|f| {
            let file = &analysis.files[f.file as usize];
            let view = FileView { text: &file.text, index: LineIndex::new(&file.text) };
            let statements: Vec<serde_json::Value> = f
                .statements
                .iter()
                .filter(|e| !e.locks.locks.is_empty() || e.locks.undetermined.is_some())
                .map(|e| {
                    let start = view.index.line_col(view.text, e.span.start as usize);
                    let end = view.index.line_col(view.text, e.span.end as usize);
                    let locks: Vec<serde_json::Value> = e
                        .locks
                        .locks
                        .iter()
                        .map(|l| {
                            serde_json::json!({
                                "relation": relation(&l.relation),
                                "schema": l.relation.schema,
                                "name": l.relation.name,
                                "kind": l.kind,
                                "mode": l.mode,
                                "blocks_reads": l.blocks_reads && !l.new_in_file,
                                "blocks_writes": l.blocks_writes && !l.new_in_file,
                                "work": l.work,
                                "reason": l.reason,
                                "changed_in": l.changed_in,
                                "version_note": l.version_note,
                                "new_in_file": l.new_in_file,
                            })
                        })
                        .collect();
                    serde_json::json!({
                        "line": start.line,
                        "column": start.column,
                        "end_line": end.line,
                        "end_column": end.column,
                        "statement": headline(file.text.get(e.span.range()).unwrap_or("")),
                        "locks": locks,
                        "undetermined": e.locks.undetermined,
                        "outside_transaction": e.locks.outside_transaction,
                    })
                })
                .collect();
            let holds: Vec<serde_json::Value> = f
                .holds
                .iter()
                .map(|h| {
                    let (until, until_line) = match h.until {
                        Until::EndOfFile { offset } => {
                            ("end-of-file", Some(view.line(offset.saturating_sub(1).max(h.since.start))))
                        }
                        Until::Commit { span } => ("commit", Some(view.line(span.start))),
                        Until::Statement => ("statement", None),
                    };
                    serde_json::json!({
                        "relation": relation(&h.relation),
                        "mode": h.mode,
                        "from_line": view.line(h.since.start),
                        "first_line": view.line(h.first.start),
                        "until": until,
                        "until_line": until_line,
                        "new_in_file": h.new_in_file,
                    })
                })
                .collect();
            serde_json::json!({
                "file": file.name,
                "runner": f.runner,
                "pg_version": f.pg_version,
                "explicit_transaction": f.explicit_transaction,
                "statements": statements,
                "holds": holds,
            })
        })
        .collect();
    serde_json::Value::Array(out)
}
