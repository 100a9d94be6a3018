//! `check`'s text report: for each diagnostic, its title line (`path:line:col: severity[rule]: message`)
//! and the source snippet under it, rendered as rustc renders one. An entry depends on the diagnostic and
//! its file only, so entries can be rendered in any order, on any thread, and ahead of time: while the
//! analysis still runs, `parallel::analyze` renders the statement rules' findings as they come
//! ([`Prerendered`]), and the report takes an entry from there when the analysis ends with the same
//! diagnostic.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use schema_playground::span::LineIndex;
use schema_playground::{Diagnostic, Severity, SourceFile};

/// Renders report entries for one folder's files (as the analysis holds them: the prelude last, when it
/// is not one of the folder's files).
pub struct Reporter {
    /// The folder, as the user named it: paths in the report start with it.
    dir: String,
    /// Whether the last file is a prelude from outside the folder (its path is shown as given).
    prelude: bool,
    /// Each file's line starts, computed on first use.
    indexes: Vec<OnceLock<LineIndex>>,
}

/// Entries rendered ahead of time, by the diagnostic each was rendered for, and the reporter that
/// rendered them (with the line starts it computed).
pub struct Prerendered {
    pub reporter: Reporter,
    pub entries: Entries,
}

/// Report entries by the diagnostic each was rendered for.
pub type Entries = FxHashMap<Diagnostic, String>;

impl Reporter {
    pub fn new(dir: &str, prelude: bool) -> Reporter {
        Reporter { dir: dir.trim_end_matches('/').to_string(), prelude, indexes: Vec::new() }
    }

    /// The same reporter, for `files` files.
    pub fn sized(mut self, files: usize) -> Reporter {
        self.indexes.resize_with(files, OnceLock::new);
        self
    }

    /// The entry of `d`, a diagnostic of `files` (with a line break after it).
    pub fn entry(&self, files: &[SourceFile], d: &Diagnostic) -> String {
        let id = d.span.file as usize;
        let (Some(file), Some(index)) = (files.get(id), self.indexes.get(id)) else {
            return format!("{}[{}]: {}\n", d.severity.as_str(), d.rule, d.message);
        };
        let path = if self.prelude && id + 1 == files.len() {
            file.name.clone()
        } else {
            [self.dir.as_str(), "/", &file.name].concat()
        };
        let index = index.get_or_init(|| LineIndex::new(&file.text));
        let at = index.line_col(&file.text, d.span.start as usize);
        let snippet = snippet(&path, &file.text, index, d);
        // Pieces pushed in turn: `format!` costs more than the copying here, thousands of times a report.
        let mut entry = String::with_capacity(path.len() + d.message.len() + snippet.len() + 48);
        for piece in [&path, ":", &at.line.to_string(), ":", &at.column.to_string(), ": ", d.severity.as_str(), "["] {
            entry.push_str(piece);
        }
        for piece in [d.rule, "]: ", d.message.as_str(), "\n", &snippet, "\n"] {
            entry.push_str(piece);
        }
        entry
    }
}

/// The source snippet under a diagnostic, rendered as rustc does (without its title line).
fn snippet(path: &str, text: &str, index: &LineIndex, d: &Diagnostic) -> String {
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    };
    let start = (d.span.start as usize).min(text.len());
    let mut end = (d.span.end as usize).clamp(start, text.len());
    // Underline the first line of the statement only.
    if let Some(nl) = text[start..end].find('\n') {
        end = start + nl;
    }
    let (excerpt, first_line, base) = lines_around(text, index, start..end);
    // No title: the caller writes its own first line (with the path, line and column).
    let mut report = vec![
        Group::with_level(level).element(
            Snippet::source(excerpt)
                .path(path)
                .line_start(first_line)
                .annotation(AnnotationKind::Primary.span(start - base..end - base)),
        ),
    ];
    if let Some(help) = &d.help {
        report.push(Group::with_title(Level::HELP.secondary_title(help.as_str())));
    }
    if let Some(fix) = d.fix.as_ref().filter(|f| f.span.file == d.span.file) {
        let fix_start = (fix.span.start as usize).min(text.len());
        let fix_end = (fix.span.end as usize).clamp(fix_start, text.len());
        let (excerpt, first_line, base) = lines_around(text, index, fix_start..fix_end);
        report.push(
            Level::HELP.secondary_title(fix.title.as_str()).element(
                Snippet::source(excerpt)
                    .path(path)
                    .line_start(first_line)
                    .patch(annotate_snippets::Patch::new(fix_start - base..fix_end - base, fix.replacement.as_str())),
            ),
        );
    }
    Renderer::plain().render(&report)
}

/// The whole lines of `text` that `range` touches, their first line's number (1-based) and the byte
/// offset they start at: the renderer then reads those lines, not the whole file, for every diagnostic.
fn lines_around<'t>(text: &'t str, index: &LineIndex, range: std::ops::Range<usize>) -> (&'t str, usize, usize) {
    let start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    // Through the line break, as the renderer shows a range that ends at a line's start on that line.
    let end = text[range.end..].find('\n').map_or(text.len(), |i| range.end + i + 1);
    (&text[start..end], index.line_col(text, start).line as usize, start)
}
