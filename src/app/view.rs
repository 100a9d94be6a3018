//! Plain view types derived from an [`Analysis`]: what the components show. The app never looks
//! at sqlparser types; it reads the engine's catalog and diagnostics and turns them into rows,
//! lines and links here, where host tests can check them.

use std::rc::Rc;

use schema_playground::catalog::model::{Catalog, QualName, Table};
use schema_playground::catalog::names::relation_name;
use schema_playground::migrations::Role;
use schema_playground::span::LineIndex;
use schema_playground::{Analysis, Diagnostic, Severity};

use super::fix::{self, FixView};

/// One diagnostic, located for people (1-based line, column in characters) and for the editor
/// (byte range of the analysed text, cut at the end of its first line).
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub severity: Severity,
    pub rule: &'static str,
    pub message: schema_playground::text::Text,
    pub help: Option<schema_playground::text::Text>,
    pub start: usize,
    pub end: usize,
    /// The diagnostic's mechanical fix, when it has one in the same file.
    pub fix: Option<FixView>,
}

impl Problem {
    /// `file:line:col`, as the CLI prints it.
    pub fn location(&self) -> String {
        format!("{}:{}:{}", self.file, self.line, self.column)
    }

    /// `severity [rule]: message`, as the editor shows it on hover, saying when there is a fix.
    pub fn summary(&self) -> String {
        let mut s = format!("{} [{}]: {}", self.severity.as_str(), self.rule, self.message);
        if let Some(fix) = &self.fix {
            s.push_str(&format!(" (fix in Problems: {})", fix.title));
        }
        s
    }
}

/// Every diagnostic, by file name, then position, then severity (errors first).
#[cfg(test)]
pub fn problems(analysis: &Analysis) -> Vec<Problem> {
    problems_with(analysis, &mut ProblemCache::default(), |_| false).iter().map(|(_, p)| p.clone()).collect()
}

/// The problems of each file as [`problems_with`] made them from the file's text and diagnostics, kept for
/// the next analysis: after an edit, the files whose text and diagnostics are as before take their rows
/// from here (a long history has thousands of warnings, many with a fix to show as a diff).
#[derive(Default)]
pub struct ProblemCache {
    files: std::collections::HashMap<String, CachedFile>,
}

struct CachedFile {
    text: std::sync::Arc<str>,
    diagnostics: Vec<Diagnostic>,
    problems: Rc<FileProblems>,
}

/// One file's problem rows, by position, then severity, with how many there are of each severity.
#[derive(Debug, PartialEq)]
pub struct FileProblems {
    pub rows: Vec<Problem>,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl FileProblems {
    fn new(rows: Vec<Problem>) -> FileProblems {
        let count = |s: Severity| rows.iter().filter(|p| p.severity == s).count();
        let (errors, warnings, notes) = (count(Severity::Error), count(Severity::Warning), count(Severity::Info));
        FileProblems { rows, errors, warnings, notes }
    }
}

/// Every problem of an analysis, file by file in name order. Each file's rows are shared with the
/// [`ProblemCache`]: an analysis after an edit copies none of the rows of the files it left as they were,
/// and the panels find a file's rows, the counts and the first rows to show without visiting every row.
/// Rows are numbered in that order ([`ProblemList::get`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProblemList {
    files: Vec<Rc<FileProblems>>,
    /// The number of the first row of each file.
    starts: Vec<usize>,
    len: usize,
}

impl ProblemList {
    fn push(&mut self, file: Rc<FileProblems>) {
        self.starts.push(self.len);
        self.len += file.rows.len();
        self.files.push(file);
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Row `index`.
    pub fn get(&self, index: usize) -> Option<&Problem> {
        let f = self.starts.partition_point(|&s| s <= index).checked_sub(1)?;
        self.files.get(f)?.rows.get(index - self.starts[f])
    }

    /// Every row, numbered.
    #[cfg(test)]
    pub fn iter(&self) -> impl Iterator<Item = (usize, &Problem)> {
        self.files.iter().zip(&self.starts).flat_map(|(f, &s)| f.rows.iter().enumerate().map(move |(i, p)| (s + i, p)))
    }

    /// The rows of the file named `name`, numbered.
    pub fn of_file<'a>(&'a self, name: &'a str) -> impl Iterator<Item = (usize, &'a Problem)> + 'a {
        let at = self.files.iter().position(|f| f.rows.first().is_some_and(|p| p.file == name));
        at.into_iter()
            .flat_map(move |f| self.files[f].rows.iter().enumerate().map(move |(i, p)| (self.starts[f] + i, p)))
    }

    /// How many errors, warnings and notes.
    pub fn counts(&self) -> (usize, usize, usize) {
        self.files.iter().fold((0, 0, 0), |(e, w, n), f| (e + f.errors, w + f.warnings, n + f.notes))
    }

    /// The rows the problems panel lists, numbered: errors first, then warnings (and notes when `notes`),
    /// each in file order; at most `limit` of them. Also returns how many there are in all.
    #[cfg(test)]
    pub fn shown(&self, notes: bool, limit: usize) -> (Vec<(usize, &Problem)>, usize) {
        let (rows, total) = self.pick(notes, limit);
        (rows.into_iter().map(|(n, f, i)| (n, &self.files[f].rows[i])).collect(), total)
    }

    /// [`ProblemList::shown`], each row as a [`Row`] that shares its file's rows.
    pub fn shown_rows(&self, notes: bool, limit: usize) -> (Vec<(usize, Row)>, usize) {
        let (rows, total) = self.pick(notes, limit);
        (rows.into_iter().map(|(n, f, i)| (n, Row { file: self.files[f].clone(), row: i })).collect(), total)
    }

    /// The rows shown, as (number, file, row in the file), and how many there are in all.
    fn pick(&self, notes: bool, limit: usize) -> (Vec<(usize, usize, usize)>, usize) {
        let total = self.files.iter().map(|f| f.errors + f.warnings + if notes { f.notes } else { 0 }).sum();
        let mut out = Vec::new();
        let pick = |first: bool, p: &Problem| match p.severity {
            Severity::Error => first,
            Severity::Warning => !first,
            Severity::Info => !first && notes,
        };
        for first in [true, false] {
            let files = self
                .files
                .iter()
                .zip(&self.starts)
                .enumerate()
                .filter(|(_, (f, _))| if first { f.errors > 0 } else { f.warnings > 0 || (notes && f.notes > 0) });
            for (at, (f, &start)) in files {
                for (i, p) in f.rows.iter().enumerate() {
                    if out.len() == limit {
                        return (out, total);
                    }
                    if pick(first, p) {
                        out.push((start + i, at, i));
                    }
                }
            }
        }
        (out, total)
    }
}

/// `a == b`, comparing texts eight bytes at a time. After an edit in a long history every file's
/// diagnostics are compared with the ones before (8,189 of them, most texts equal to the end), and
/// wasm32's `memcmp`, which `==` on strings calls, compares one byte at a time: 10 ms a keystroke.
/// Every field is named, so that a field added to `Diagnostic` does not go unnoticed here.
fn same_diagnostic(a: &Diagnostic, b: &Diagnostic) -> bool {
    use schema_playground::text::same_text;
    let Diagnostic { severity, rule, message, span, help, fix } = a;
    let same_fix = |x: &schema_playground::diagnostic::Fix, y: &schema_playground::diagnostic::Fix| {
        let schema_playground::diagnostic::Fix { title, span, replacement } = x;
        *span == y.span && title.same(&y.title) && replacement.same(&y.replacement)
    };
    *severity == b.severity
        && *span == b.span
        && same_text(rule, b.rule)
        && message.same(&b.message)
        && match (help, &b.help) {
            (Some(x), Some(y)) => x.same(y),
            (x, y) => x.is_none() && y.is_none(),
        }
        && match (fix, &b.fix) {
            (Some(x), Some(y)) => same_fix(x, y),
            (x, y) => x.is_none() && y.is_none(),
        }
}

/// One row of a [`ProblemList`], sharing its file's rows: compared by pointer, so a row that an analysis
/// took over from the one before (its file's text and diagnostics unchanged) is not rendered again.
#[derive(Clone, Debug)]
pub struct Row {
    file: Rc<FileProblems>,
    row: usize,
}

impl Row {
    pub fn problem(&self) -> &Problem {
        &self.file.rows[self.row]
    }
}

impl PartialEq for Row {
    fn eq(&self, other: &Row) -> bool {
        Rc::ptr_eq(&self.file, &other.file) && self.row == other.row
    }
}

/// Every diagnostic, by file name, then position, then severity (errors first), re-using from `cache` the
/// rows of the files whose text and diagnostics did not change, and leaving this analysis's rows in it.
/// `unchanged(i)` says that file `i` is known to have the text it had in the analysis `cache` saw last
/// (`Memory::unchanged`, when the cache follows the same analyses): its text is not compared again.
pub fn problems_with(analysis: &Analysis, cache: &mut ProblemCache, unchanged: impl Fn(usize) -> bool) -> ProblemList {
    let mut by_file: Vec<Vec<&Diagnostic>> = vec![Vec::new(); analysis.files.len()];
    for d in &analysis.diagnostics {
        if let Some(list) = by_file.get_mut(d.span.file as usize) {
            list.push(d);
        }
    }
    let mut order: Vec<usize> = (0..analysis.files.len()).filter(|&i| !by_file[i].is_empty()).collect();
    order.sort_by(|&a, &b| analysis.files[a].name.cmp(&analysis.files[b].name));
    let mut previous = std::mem::take(&mut cache.files);
    let mut out = ProblemList::default();
    for i in order {
        let file = &analysis.files[i];
        let diagnostics = &by_file[i];
        let same = |c: &CachedFile| {
            (unchanged(i) || c.text == file.text)
                && c.diagnostics.len() == diagnostics.len()
                && c.diagnostics.iter().zip(diagnostics).all(|(a, b)| same_diagnostic(a, b))
        };
        let cached = match previous.remove(&file.name) {
            Some(c) if same(&c) => c,
            _ => CachedFile {
                text: file.text.clone(),
                diagnostics: diagnostics.iter().map(|d| (*d).clone()).collect(),
                problems: Rc::new(FileProblems::new(file_problems(analysis, diagnostics))),
            },
        };
        if !cached.problems.rows.is_empty() {
            out.push(cached.problems.clone());
        }
        cache.files.insert(file.name.clone(), cached);
    }
    out
}

/// One file's problems, by position, then severity (errors first).
fn file_problems(analysis: &Analysis, diagnostics: &[&Diagnostic]) -> Vec<Problem> {
    let mut index: Option<LineIndex> = None;
    let mut out: Vec<Problem> = diagnostics
        .iter()
        .filter_map(|d| {
            let file = analysis.files.get(d.span.file as usize)?;
            let text = &file.text;
            let start = (d.span.start as usize).min(text.len());
            let mut end = (d.span.end as usize).clamp(start, text.len());
            if let Some(nl) = text.get(start..end).and_then(|s| s.find('\n')) {
                end = start + nl;
            }
            let at = index.get_or_insert_with(|| LineIndex::new(text)).line_col(text, start);
            let fix = d.fix.as_ref().filter(|f| f.span.file == d.span.file).and_then(|f| {
                let (fix_start, fix_end) = (f.span.start as usize, f.span.end as usize);
                // The fix's line, counted from the diagnostic's (they are in the same statement, or near).
                let breaks = |a: usize, b: usize| {
                    text.as_bytes().get(a.min(b)..a.max(b)).map_or(0, |s| s.iter().filter(|&&c| c == b'\n').count())
                        as u32
                };
                let line = if fix_start >= start {
                    at.line + breaks(start, fix_start)
                } else {
                    at.line.saturating_sub(breaks(fix_start, start))
                };
                fix::view(text, line, &f.title, fix_start, fix_end, &f.replacement)
            });
            Some(Problem {
                file: file.name.clone(),
                line: at.line,
                column: at.column,
                severity: d.severity,
                rule: d.rule,
                message: d.message.clone(),
                help: d.help.clone(),
                start,
                end,
                fix,
            })
        })
        .collect();
    out.sort_by_key(|p| (p.start, std::cmp::Reverse(p.severity)));
    out
}

/// The worst severity worth a mark (errors and warnings; notes do not colour a migration).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Ok,
    Warning,
    Error,
}

impl Status {
    pub fn class(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warning => "warning",
            Status::Error => "error",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Status::Ok => "✓",
            Status::Warning => "⚠",
            Status::Error => "✕",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warning => "warning",
            Status::Error => "error",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemRole {
    Forward,
    Rollback,
    Other,
}

/// One row of the migrations list.
#[derive(Clone, Debug, PartialEq)]
pub struct MigrationItem {
    pub name: String,
    /// `001`, `V12`, or empty for files that are not migrations.
    pub number: String,
    pub role: ItemRole,
    pub status: Status,
    /// Why the runner ignores the file ([`ItemRole::Other`]).
    pub note: Option<String>,
    pub errors: usize,
    pub warnings: usize,
}

/// The migrations in run order, then rollbacks, then other files.
pub fn migration_items(analysis: &Analysis) -> Vec<MigrationItem> {
    let plan = &analysis.plan;
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    // Errors and warnings by file, and the files whose migration failed: one pass each.
    let mut counts = vec![(0, 0); analysis.files.len()];
    for d in &analysis.diagnostics {
        let Some((errors, warnings)) = counts.get_mut(d.span.file as usize) else { continue };
        match d.severity {
            Severity::Error => *errors += 1,
            Severity::Warning => *warnings += 1,
            Severity::Info => {}
        }
    }
    let failed: std::collections::BTreeSet<u32> =
        analysis.migrations.iter().filter(|r| !r.ok).map(|r| r.file).collect();
    let groups =
        [(&plan.forward, ItemRole::Forward), (&plan.rollbacks, ItemRole::Rollback), (&plan.others, ItemRole::Other)];
    for (files, role) in groups {
        for m in files.iter() {
            if !seen.insert(m.file) {
                continue;
            }
            let (errors, warnings) = counts.get(m.file as usize).copied().unwrap_or_default();
            let failed = role == ItemRole::Forward && failed.contains(&m.file);
            let status = if errors > 0 || failed {
                Status::Error
            } else if warnings > 0 {
                Status::Warning
            } else {
                Status::Ok
            };
            let note = match &m.role {
                Role::NotMigration { reason } => Some(reason.clone()),
                _ => None,
            };
            out.push(MigrationItem {
                name: m.name.clone(),
                number: m.version.as_ref().map(|v| v.text.clone()).unwrap_or_default(),
                role,
                status,
                note,
                errors,
                warnings,
            });
        }
    }
    out
}

/// Byte offset in `new` at the line and column (in characters) that `offset` has in `old`, clamped to
/// the line's end: keeps diagnostics of the last analysis in place while the user types.
pub fn remap_offset(old: &str, new: &str, offset: usize) -> usize {
    if old == new {
        return offset.min(new.len());
    }
    let at = LineIndex::new(old).line_col(old, offset);
    let Some(line) = new.split_inclusive('\n').nth(at.line as usize - 1) else {
        return new.len();
    };
    let line_start = line.as_ptr() as usize - new.as_ptr() as usize;
    let body = line.strip_suffix('\n').unwrap_or(line);
    let col = body.char_indices().nth(at.column as usize - 1).map_or(body.len(), |(i, _)| i);
    line_start + col
}

/// The UTF-16 offset of byte `offset` (what `HTMLTextAreaElement.selectionStart` counts).
pub fn utf16_offset(text: &str, offset: usize) -> u32 {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    text[..offset].encode_utf16().count() as u32
}

/// The byte offset of UTF-16 offset `units` (clamped).
pub fn byte_offset(text: &str, units: u32) -> usize {
    let mut count = 0u32;
    for (i, c) in text.char_indices() {
        if count >= units {
            return i;
        }
        count += c.len_utf16() as u32;
    }
    text.len()
}

/// The 1-based line of byte `offset`.
pub fn line_of(text: &str, offset: usize) -> u32 {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count() as u32 + 1
}

/// The locks the statement at byte `offset` of file `name` takes, in one line for the editor's status
/// bar (`ACCESS EXCLUSIVE on orders: blocks reads and writes, rewrites the table`), or `None` when the
/// cursor is not in a statement that locks a relation.
pub fn locks_at(
    analysis: &Analysis,
    options: &schema_playground::Options,
    name: &str,
    offset: usize,
) -> Option<String> {
    let file = analysis.files.iter().position(|f| f.name == name)? as u32;
    let index = analysis.statements.iter().position(|s| {
        s.span.file == file && s.migration.is_some() && (s.span.start as usize..=s.span.end as usize).contains(&offset)
    })?;
    let found = analysis.locks_of(index, options);
    let mut parts: Vec<String> = found
        .locks
        .iter()
        .map(|l| {
            let mut s = format!("{} on {}: blocks {}", l.mode.name(), relation_name(&l.relation), l.blocks());
            if !l.new_in_file {
                s.push_str(&format!(", {}", l.work.describe()));
            }
            s
        })
        .collect();
    if let Some(why) = found.outside_transaction {
        parts.push(format!("cannot run in a transaction: {why}"));
    }
    if let Some(why) = found.undetermined {
        parts.push(why);
    }
    (!parts.is_empty()).then(|| format!("Locks: {}", parts.join(" · ")))
}

pub use schema_playground::render::psql::{HEADERS, Part};

/// A heading of `\d`'s footer (`Indexes:`, or a line of its own such as `Partition key: …`) and the
/// indented lines under it.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub heading: String,
    pub lines: Vec<Vec<Part>>,
}

/// `\d TABLE` as data for the page: psql's title, column grid and footer (from the engine's
/// `render::psql::describe`, so the page and the CLI cannot disagree), the footer grouped by heading.
#[derive(Clone, Debug, PartialEq)]
pub struct TableDescription {
    pub title: String,
    pub rows: Vec<[String; 5]>,
    pub sections: Vec<Section>,
}

/// What psql's `\d` shows for `table`, as data.
pub fn describe(catalog: &Catalog, table: &Table) -> TableDescription {
    let d = schema_playground::render::psql::describe(catalog, table);
    let mut sections: Vec<Section> = Vec::new();
    for line in d.footer {
        let indented = line.first().is_some_and(|p| p.text.starts_with(' '));
        match sections.last_mut() {
            Some(section) if indented => section.lines.push(line),
            _ => {
                // A heading with a link (`Partition of: parent …`, `Inherits: parent`) keeps it as a line.
                if line.iter().any(|p| p.link.is_some()) {
                    sections.push(Section { heading: String::new(), lines: vec![line] });
                } else {
                    sections.push(Section { heading: line.into_iter().map(|p| p.text).collect(), lines: Vec::new() });
                }
            }
        }
    }
    TableDescription { title: d.title, rows: d.rows, sections }
}

#[cfg(test)]
impl TableDescription {
    /// psql's text, built from this description (it must equal `describe_table`).
    pub fn to_psql_text(&self) -> String {
        let mut footer = Vec::new();
        for s in &self.sections {
            if !s.heading.is_empty() {
                footer.push(s.heading.clone());
            }
            for line in &s.lines {
                footer.push(line.iter().map(|p| p.text.as_str()).collect());
            }
        }
        schema_playground::render::psql::aligned(&self.title, &HEADERS, &self.rows, &footer)
    }
}

/// Tables in name order (schema, then name), with the name as psql prints it.
pub fn tables(catalog: &Catalog) -> Vec<(QualName, String)> {
    catalog.tables.keys().map(|q| (q.clone(), relation_name(q))).collect()
}

/// Finds a table by its printed name (`users`, `app.users`).
pub fn find_table<'a>(catalog: &'a Catalog, printed: &str) -> Option<&'a Table> {
    catalog.tables.values().map(|t| &**t).find(|t| relation_name(&t.name) == printed)
}

/// The table to show when `picked` is the one asked for: that table when `catalog` has it, else the first
/// of the list (a project without it, a table an edit renamed or dropped, a point in time before it
/// existed); `None` when there is no table at all. The pick itself is kept by the caller, so the table
/// comes back with the schema that has it.
pub fn shown_table<'a>(catalog: &'a Catalog, picked: &str) -> Option<&'a Table> {
    find_table(catalog, picked).or_else(|| catalog.tables.values().next().map(|t| &**t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema_playground::render::psql::describe_table;
    use schema_playground::{Options, SourceFile, analyze};

    fn example() -> Analysis {
        analyze(crate::app::example::files(), &Options::default())
    }

    #[test]
    fn html_description_holds_exactly_psqls_text() {
        let analysis = example();
        assert!(analysis.catalog.tables.len() > 5);
        for table in analysis.catalog.tables.values() {
            let desc = describe(&analysis.catalog, table);
            assert_eq!(desc.to_psql_text(), describe_table(&analysis.catalog, table), "{}", desc.title);
        }
    }

    #[test]
    fn partitions_inheritance_and_policies_show_as_psql_prints_them() {
        let sql = "CREATE TABLE events (id bigint, at date NOT NULL) PARTITION BY RANGE (at);\n\
                   CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\n\
                   CREATE TABLE base (id int);\n\
                   CREATE TABLE child (extra text) INHERITS (base);\n\
                   ALTER TABLE base ENABLE ROW LEVEL SECURITY;\n\
                   CREATE POLICY own ON base USING (id > 0);\n";
        let analysis = analyze(vec![SourceFile::new("001_a.sql", sql)], &Options::default());
        assert!(!analysis.has_errors(), "{:?}", analysis.diagnostics);
        for table in analysis.catalog.tables.values() {
            let desc = describe(&analysis.catalog, table);
            assert_eq!(desc.to_psql_text(), describe_table(&analysis.catalog, table), "{}", desc.title);
        }
        let part = describe(&analysis.catalog, find_table(&analysis.catalog, "events_2026").unwrap());
        let parent: Vec<&Part> =
            part.sections.iter().flat_map(|s| s.lines.iter().flatten()).filter(|p| p.link.is_some()).collect();
        assert_eq!(parent.iter().map(|p| p.text.as_str()).collect::<Vec<_>>(), ["events"]);
        let child = describe(&analysis.catalog, find_table(&analysis.catalog, "child").unwrap());
        assert!(
            child.sections.iter().flat_map(|s| s.lines.iter().flatten()).any(|p| p.text == "base" && p.link.is_some())
        );
        let base = describe(&analysis.catalog, find_table(&analysis.catalog, "base").unwrap());
        assert!(base.sections.iter().any(|s| s.heading == "Policies:"), "{:?}", base.sections);
        assert!(base.sections.iter().any(|s| s.heading.starts_with("Number of child tables: 1")));
    }

    #[test]
    fn the_status_bar_names_the_locks_of_the_statement_under_the_cursor() {
        let files = vec![
            SourceFile::new("001_a.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, note text);\n"),
            SourceFile::new(
                "002_b.sql",
                "CREATE TABLE fresh (id bigint);\nALTER TABLE fresh ADD COLUMN x text;\nALTER TABLE orders ALTER COLUMN note TYPE varchar(10);\n",
            ),
        ];
        let options = Options::default();
        let analysis = analyze(files, &options);
        let text = &analysis.files[1].text;
        let at = |needle: &str| text.find(needle).unwrap() + 3;
        let existing = locks_at(&analysis, &options, "002_b.sql", at("ALTER TABLE orders")).unwrap();
        assert!(existing.starts_with("Locks: ACCESS EXCLUSIVE on orders: blocks"), "{existing}");
        assert!(existing.contains("rewrites the table"), "{existing}");
        let new = locks_at(&analysis, &options, "002_b.sql", at("ALTER TABLE fresh")).unwrap();
        assert!(new.contains("nobody"), "{new}");
        assert_eq!(locks_at(&analysis, &options, "002_b.sql", text.len() + 10), None);
    }

    #[test]
    fn the_shown_table_falls_back_to_the_first_one() {
        let analysis = example();
        let shown = |catalog: &Catalog, picked: &str| shown_table(catalog, picked).map(|t| relation_name(&t.name));
        assert_eq!(shown(&analysis.catalog, "users").as_deref(), Some("users"));
        // Not in this schema: the first table of the list.
        let first = tables(&analysis.catalog)[0].1.clone();
        assert_ne!(first, "users");
        assert_eq!(shown(&analysis.catalog, "no_such_table"), Some(first));
        // Before the table existed.
        let at_1 = &analysis.migrations[0].catalog;
        assert!(
            find_table(&analysis.catalog, "notifications").is_some() && find_table(at_1, "notifications").is_none()
        );
        assert_eq!(shown(at_1, "notifications"), Some(tables(at_1)[0].1.clone()));
        assert_eq!(shown(&Catalog::default(), "users"), None);

        // A project with no users table, and a picked table that a later edit renames.
        let files = |second: &str| {
            vec![
                SourceFile::new("001_shop.sql", "CREATE TABLE orders (id int);\nCREATE TABLE customers (id int);\n"),
                SourceFile::new("002_more.sql", second),
            ]
        };
        let shop = analyze(files("CREATE TABLE items (id int);\n"), &Options::default());
        assert_eq!(shown(&shop.catalog, "users").as_deref(), Some("customers"));
        assert_eq!(shown(&shop.catalog, "orders").as_deref(), Some("orders"));
        let renamed = analyze(files("ALTER TABLE orders RENAME TO purchases;\n"), &Options::default());
        assert_eq!(shown(&renamed.catalog, "orders").as_deref(), Some("customers"));
    }

    #[test]
    fn foreign_keys_link_both_ways() {
        let analysis = example();
        let tasks = find_table(&analysis.catalog, "tasks").unwrap();
        let desc = describe(&analysis.catalog, tasks);
        let fks = desc.sections.iter().find(|s| s.heading == "Foreign-key constraints:").unwrap();
        let linked: Vec<&str> =
            fks.lines.iter().flatten().filter(|p| p.link.is_some()).map(|p| p.text.as_str()).collect();
        assert!(linked.contains(&"users") && linked.contains(&"projects"), "{linked:?}");
        let users = describe(&analysis.catalog, find_table(&analysis.catalog, "users").unwrap());
        let refs = users.sections.iter().find(|s| s.heading == "Referenced by:").unwrap();
        assert!(refs.lines.iter().all(|l| l[1].link.is_some()));
    }

    #[test]
    fn problems_are_located_and_sorted() {
        let files = vec![
            SourceFile::new("001_a.sql", "CREATE TABLE a (id bigint);\n"),
            SourceFile::new("002_b.sql", "-- ok\nCREATE TABLE b (x int REFERENCES nope(id),\n  y int);\n"),
        ];
        // The engine's own findings only: no style rules.
        let quiet = schema_playground::rules::RuleConfig { only: Some(Vec::new()), ..Default::default() };
        let analysis = analyze(files, &Options { rules: quiet, ..Options::default() });
        let ps = problems(&analysis);
        let p = ps.iter().find(|p| p.severity == Severity::Error).unwrap();
        assert_eq!((p.file.as_str(), p.line, p.column), ("002_b.sql", 2, 1));
        assert!(p.message.contains("nope"), "{}", p.message);
        assert_eq!(&analysis.files[1].text[p.start..p.end], "CREATE TABLE b (x int REFERENCES nope(id),");
        let items = migration_items(&analysis);
        let statuses: Vec<(&str, Status)> = items.iter().map(|i| (i.number.as_str(), i.status)).collect();
        assert_eq!(statuses, [("001", Status::Ok), ("002", Status::Error)]);
    }

    #[test]
    fn problems_kept_from_the_analysis_before_equal_fresh_ones() {
        let example = super::super::example::files();
        let last = example.len() - 1;
        let mut cache = ProblemCache::default();
        // A cache that follows the analyses of one `Memory` and takes its word for the unchanged files.
        let (mut memory, mut followed) = (schema_playground::Memory::default(), ProblemCache::default());
        let edits = ["", "\nCREATE TABLE t (id int);", "\nCREATE TABLE t (id int);\nDROP TABLE nope;", "-- x\n", ""];
        for (i, edit) in edits.iter().enumerate() {
            let mut files = example.clone();
            files[1].text = [if i % 2 == 0 { "" } else { "-- moved\n" }, &files[1].text].concat().into();
            files[last].text = [&*files[last].text, edit].concat().into();
            let again = schema_playground::analyze_with(files.clone(), &Options::default(), &mut memory);
            let analysis = analyze(files, &Options::default());
            let taken = problems_with(&again, &mut followed, |i| memory.unchanged(i));
            assert_eq!(taken.iter().map(|(_, p)| p.clone()).collect::<Vec<_>>(), problems(&analysis), "edit {i}");
            let list = problems_with(&analysis, &mut cache, |_| false);
            let kept: Vec<Problem> = list.iter().map(|(_, p)| p.clone()).collect();
            assert_eq!(kept, problems(&analysis), "edit {i}");
            assert!(list.iter().all(|(n, p)| list.get(n) == Some(p)), "rows are numbered in order");
            let key = |p: &Problem| (p.file.clone(), p.start, std::cmp::Reverse(p.severity));
            assert!(kept.windows(2).all(|w| key(&w[0]) <= key(&w[1])), "by file, position, severity");
            assert_eq!(kept.len(), analysis.diagnostics.len());
        }
    }

    #[test]
    fn the_panel_lists_errors_first_then_the_others_in_file_order() {
        let mut files = super::super::example::files();
        let last = files.len() - 1;
        files[last].text = [&*files[last].text, "\nDROP TABLE nope;\nCREATE TABLE t (id int);"].concat().into();
        let analysis = analyze(files, &Options::default());
        let list = problems_with(&analysis, &mut ProblemCache::default(), |_| false);
        let all = problems(&analysis);
        for notes in [false, true] {
            let mut naive: Vec<(usize, &Problem)> =
                all.iter().enumerate().filter(|(_, p)| notes || p.severity != Severity::Info).collect();
            naive.sort_by_key(|(_, p)| p.severity != Severity::Error);
            for limit in [0, 1, 3, 10, usize::MAX] {
                let (shown, total) = list.shown(notes, limit);
                assert_eq!(total, naive.len());
                assert_eq!(
                    shown,
                    naive.iter().copied().take(limit).collect::<Vec<_>>(),
                    "notes {notes}, limit {limit}"
                );
                let (rows, again) = list.shown_rows(notes, limit);
                assert_eq!(again, total);
                let rows: Vec<(usize, &Problem)> = rows.iter().map(|(n, r)| (*n, r.problem())).collect();
                assert_eq!(rows, shown);
            }
        }
        let count = |s: Severity| all.iter().filter(|p| p.severity == s).count();
        assert_eq!(list.counts(), (count(Severity::Error), count(Severity::Warning), count(Severity::Info)));
        let name = &all[0].file;
        let mine: Vec<(usize, &Problem)> = all.iter().enumerate().filter(|(_, p)| &p.file == name).collect();
        assert_eq!(list.of_file(name).collect::<Vec<_>>(), mine);
        assert!(list.of_file("no such file").next().is_none());
    }

    #[test]
    fn a_problem_carries_its_fix_as_a_diff_of_its_lines() {
        let text = "-- Übersicht\nCREATE TABLE t (id bigint);\n";
        let options =
            Options { rules: schema_playground::rules::RuleConfig::only("prefer-robust-stmts"), ..Options::default() };
        let analysis = analyze(vec![SourceFile::new("001_a.sql", text)], &options);
        let ps = problems(&analysis);
        let p = ps.iter().find(|p| p.rule == "prefer-robust-stmts").expect("a prefer-robust-stmts warning");
        let fix = p.fix.as_ref().expect("a fix");
        assert_eq!(fix.title, "Add IF NOT EXISTS");
        let diff: Vec<(fix::Side, u32, &str)> = fix.diff.iter().map(|l| (l.side, l.line, l.text.as_str())).collect();
        assert_eq!(
            diff,
            [
                (fix::Side::Removed, 2, "CREATE TABLE t (id bigint);"),
                (fix::Side::Added, 2, "CREATE TABLE IF NOT EXISTS t (id bigint);"),
            ]
        );
        assert_eq!(fix.diff[1].parts().1, " IF NOT EXISTS");
        assert!(p.summary().starts_with("warning [prefer-robust-stmts]: CREATE TABLE t"), "{}", p.summary());
        assert!(p.summary().ends_with(" (fix in Problems: Add IF NOT EXISTS)"), "{}", p.summary());
        let fixed = fix.edit.apply(text).unwrap();
        assert_eq!(fixed, "-- Übersicht\nCREATE TABLE IF NOT EXISTS t (id bigint);\n");
        // Fixed, the warning is gone.
        let again = analyze(vec![SourceFile::new("001_a.sql", fixed)], &options);
        assert!(problems(&again).iter().all(|p| p.rule != "prefer-robust-stmts"));
    }

    #[test]
    fn every_fix_of_the_example_shows_the_lines_it_changes_with_their_numbers() {
        let analysis = example();
        let ps = problems(&analysis);
        let fixes: Vec<(&Problem, &FixView)> = ps.iter().filter_map(|p| Some((p, p.fix.as_ref()?))).collect();
        assert!(fixes.len() > 10, "{}", fixes.len());
        for (p, fix) in fixes {
            let text = &analysis.files.iter().find(|f| f.name == p.file).unwrap().text;
            let fixed = fix.edit.apply(text).unwrap();
            for l in &fix.diff {
                let source = if l.side == fix::Side::Removed { &**text } else { fixed.as_str() };
                assert_eq!(
                    source.lines().nth(l.line as usize - 1),
                    Some(l.text.as_str()),
                    "{} {}",
                    p.location(),
                    fix.title
                );
            }
        }
    }

    #[test]
    fn offsets_survive_edits_and_utf16() {
        let old = "ab\ncdef\n";
        let new = "XXab\ncd\n";
        assert_eq!(remap_offset(old, new, 5), 7); // line 2, col 3 -> clamped to the end of "cd"
        assert_eq!(remap_offset(old, new, 1), 1);
        assert_eq!(remap_offset(old, "", 5), 0);
        let text = "é🐘x";
        assert_eq!(utf16_offset(text, text.len()), 4);
        assert_eq!(byte_offset(text, 3), "é🐘".len());
        assert_eq!(line_of("a\nb\nc", 4), 3);
    }
}
