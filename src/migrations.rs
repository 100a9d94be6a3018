//! Migration files in a folder: which naming scheme the folder uses (`NNN_name.sql`, golang-migrate,
//! Flyway, timestamps, `NNNN-name.sql`, `NNNN.name.sql`, goose and dbmate sections), which files are
//! forward steps, rollbacks or not migrations at all, the order they run in (numeric, never
//! lexical), the naming diagnostics (duplicate numbers, gaps, mixed widths, stray files) and the name
//! the next migration should get. Pure and total: no I/O, no clock (callers pass `now`), no panics.

use std::cmp::Ordering;
use std::fmt;
use std::ops::Range;

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::span::{FileId, Span};

/// Numbers with at least this many digits are timestamps (`YYYYMMDDHHMM` and longer).
const TIMESTAMP_DIGITS: usize = 12;
/// Gaps are only reported between numbers shorter than this (8 digits is a `YYYYMMDD` date).
const GAP_CHECK_MAX_DIGITS: usize = 8;

const GOOSE_UP: &str = "-- +goose Up";
const GOOSE_DOWN: &str = "-- +goose Down";
const DBMATE_UP: &str = "-- migrate:up";
const DBMATE_DOWN: &str = "-- migrate:down";

/// How a folder names its migration files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scheme {
    /// `001_name.sql`, rollback `001_name_rollback.sql` (the seed project's convention).
    Seed,
    /// `001_name.up.sql` forward, `001_name.down.sql` rollback.
    GolangMigrate,
    /// `V1__name.sql`, `V1_10__name.sql`, `V1.2__name.sql`; undo `U1__name.sql`; repeatable `R__name.sql`.
    Flyway,
    /// `20240101120000_name.sql` (dbmate, Supabase, sqlx), or sqlx's `_name.up.sql` / `_name.down.sql`.
    Timestamp,
    /// `0001-name.sql`.
    Dash,
    /// `0001.name.sql`.
    Dot,
    /// `NNN_name.sql` with `-- +goose Up` / `-- +goose Down` sections.
    Goose,
    /// `NNN_name.sql` with `-- migrate:up` / `-- migrate:down` sections.
    Dbmate,
}

impl Scheme {
    /// Every scheme, in the order that breaks detection ties.
    pub const ALL: [Scheme; 8] = [
        Scheme::Seed,
        Scheme::GolangMigrate,
        Scheme::Flyway,
        Scheme::Timestamp,
        Scheme::Dash,
        Scheme::Dot,
        Scheme::Goose,
        Scheme::Dbmate,
    ];

    /// The name users see.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Seed => "NNN_name.sql",
            Scheme::GolangMigrate => "golang-migrate",
            Scheme::Flyway => "Flyway",
            Scheme::Timestamp => "timestamp",
            Scheme::Dash => "NNNN-name.sql",
            Scheme::Dot => "NNNN.name.sql",
            Scheme::Goose => "goose",
            Scheme::Dbmate => "dbmate",
        }
    }

    /// The kebab-case id used in project config (and in JSON).
    pub fn id(self) -> &'static str {
        match self {
            Scheme::Seed => "seed",
            Scheme::GolangMigrate => "golang-migrate",
            Scheme::Flyway => "flyway",
            Scheme::Timestamp => "timestamp",
            Scheme::Dash => "dash",
            Scheme::Dot => "dot",
            Scheme::Goose => "goose",
            Scheme::Dbmate => "dbmate",
        }
    }

    /// Parses a kebab-case id (ASCII case and surrounding spaces ignored).
    pub fn parse(s: &str) -> Option<Scheme> {
        let s = s.trim();
        Scheme::ALL.into_iter().find(|scheme| scheme.id().eq_ignore_ascii_case(s))
    }

    /// The up and down marker lines of a sectioned scheme.
    fn markers(self) -> Option<(&'static str, &'static str)> {
        match self {
            Scheme::Goose => Some((GOOSE_UP, GOOSE_DOWN)),
            Scheme::Dbmate => Some((DBMATE_UP, DBMATE_DOWN)),
            _ => None,
        }
    }
}

/// A migration's version: `001`, `1_10`, `1.2`, `20240101120000`.
///
/// Ordered by its numbers (missing trailing parts count as 0, so `1` equals `1.0`), then by the
/// text as written, never lexically by the text alone.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Version {
    pub parts: Vec<u64>,
    /// As written, e.g. `"001"`, `"1_10"`, `"20240101120000"`.
    pub text: String,
}

impl Version {
    /// Parses digit groups separated by `_` or `.`; `None` if a group is empty, not all digits, or
    /// does not fit in a `u64`.
    pub fn parse(text: &str) -> Option<Version> {
        let parts = text
            .split(['_', '.'])
            .map(|part| {
                if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                part.parse::<u64>().ok()
            })
            .collect::<Option<Vec<u64>>>()?;
        Some(Version { parts, text: text.to_string() })
    }

    /// Whether both versions have the same number (`1`, `001` and `1.0` all do).
    pub fn same_number(&self, other: &Version) -> bool {
        self.cmp_number(other) == Ordering::Equal
    }

    pub fn cmp_number(&self, other: &Version) -> Ordering {
        let len = self.parts.len().max(other.parts.len());
        (0..len)
            .map(|i| {
                let a = self.parts.get(i).copied().unwrap_or(0);
                let b = other.parts.get(i).copied().unwrap_or(0);
                a.cmp(&b)
            })
            .find(|ordering| ordering.is_ne())
            .unwrap_or(Ordering::Equal)
    }

    fn first(&self) -> u64 {
        self.parts.first().copied().unwrap_or(0)
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Version) -> Ordering {
        self.cmp_number(other).then_with(|| self.text.cmp(&other.text)).then_with(|| self.parts.cmp(&other.parts))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Version) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// What a file (or a section of it) is to the migration runner.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Role {
    Forward,
    Rollback,
    NotMigration { reason: String },
}

/// One file, or one section of a goose/dbmate file, as the runner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MigrationFile {
    pub file: FileId,
    pub name: String,
    /// `None` for [`Role::NotMigration`].
    pub version: Option<Version>,
    /// `"initial schema"` for `001_initial_schema.sql`.
    pub description: String,
    pub role: Role,
    /// Byte range of the SQL that runs for this role: the whole file, or one section of a goose or
    /// dbmate file (the marker lines themselves are outside it).
    pub body: Range<usize>,
}

/// The folder as the runner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// `None` when the folder holds no `.sql` migration at all (and no override was given).
    pub scheme: Option<Scheme>,
    /// The scheme came from [`PlanOptions::scheme`] rather than from the file names.
    pub scheme_overridden: bool,
    /// In run order.
    pub forward: Vec<MigrationFile>,
    /// Each with the version of the forward migration it undoes, in version order.
    pub rollbacks: Vec<MigrationFile>,
    /// Everything else ([`Role::NotMigration`]), in name order.
    pub others: Vec<MigrationFile>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Plan {
    /// The rollback that undoes the forward migration numbered `version` (`1`, `001` and `1.0` match).
    pub fn rollback_of(&self, version: &Version) -> Option<&MigrationFile> {
        self.rollbacks.iter().find(|r| r.version.as_ref().is_some_and(|v| v.same_number(version)))
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PlanOptions {
    /// The project config's scheme; `None` detects it from the file names.
    pub scheme: Option<Scheme>,
}

/// Classifies and orders the files of one migration folder. `files[i]` is `(name, text)` of the
/// file whose [`FileId`] is `i`; names may carry a directory, which is ignored.
///
/// The scheme is the one most `.sql` files follow (ties go to the earlier [`Scheme`] variant);
/// files with goose or dbmate markers count for those schemes only. Files the folder's runner would
/// not pick up are [`Role::NotMigration`]. A number too large for a `u64` makes the file a
/// non-migration ("number does not fit in 64 bits") rather than being saturated.
pub fn plan(files: &[(&str, &str)], options: &PlanOptions) -> Plan {
    let infos: Vec<FileInfo<'_>> =
        files.iter().enumerate().map(|(i, &(name, text))| FileInfo::new(i, name, text)).collect();
    let mut order: Vec<&FileInfo<'_>> = infos.iter().collect();
    order.sort_by(|a, b| a.name.cmp(b.name).then(a.id.cmp(&b.id)));

    let sql_files = order.iter().filter(|f| f.is_sql).count();
    let mut counts = [0usize; Scheme::ALL.len()];
    for f in order.iter().filter(|f| f.is_sql) {
        for (count, scheme) in counts.iter_mut().zip(Scheme::ALL) {
            if conventional(scheme, f).is_some() {
                *count += 1;
            }
        }
    }
    let mut detected: Option<(Scheme, usize)> = None;
    for (&count, scheme) in counts.iter().zip(Scheme::ALL) {
        if count > 0 && detected.is_none_or(|(_, best)| count > best) {
            detected = Some((scheme, count));
        }
    }
    let scheme = options.scheme.or(detected.map(|(scheme, _)| scheme));
    let evidence = match (options.scheme, detected) {
        (Some(_), _) => "set in the project config".to_string(),
        (None, Some((_, count))) => format!("detected from {count} of {sql_files} .sql files"),
        (None, None) => String::new(),
    };

    let mut collected = Collected::default();
    for f in &order {
        classify(f, scheme, &mut collected);
    }
    let Collected { mut forward, mut rollbacks, mut others, findings } = collected;
    forward.sort_by(run_order);
    rollbacks.sort_by(run_order);
    others.sort_by(|a, b| a.name.cmp(&b.name).then(a.file.cmp(&b.file)));

    let mut plan = Plan {
        scheme,
        scheme_overridden: options.scheme.is_some(),
        forward,
        rollbacks,
        others,
        diagnostics: Vec::new(),
    };
    let mut diagnostics: Vec<Diagnostic> =
        findings.iter().map(|finding| finding_diagnostic(&plan, finding, &evidence)).collect();
    name_case_diagnostics(&plan, &order, &mut diagnostics);
    duplicate_diagnostics(&plan, &mut diagnostics);
    gap_diagnostics(&plan, &mut diagnostics);
    width_diagnostics(&plan, &mut diagnostics);
    orphan_diagnostics(&plan, &mut diagnostics);
    plan.diagnostics = diagnostics;
    plan
}

/// The text a new migration starts with: the team's SOP template, headed by its description. The CLI's
/// `new` and the web app's "New migration" both use it.
pub fn template(description: &str) -> String {
    format!(
        "-- Migration: {}\n\
-- What this migration changes and why.\n\
\n\
-- Create new table\n\
-- CREATE TABLE IF NOT EXISTS … (\n\
--     id UUID PRIMARY KEY DEFAULT gen_random_uuid(),\n\
--     created_at TIMESTAMPTZ NOT NULL DEFAULT now()\n\
-- );\n\
\n\
-- Create indexes\n\
-- CREATE INDEX IF NOT EXISTS … ON … (…);\n\
\n\
-- Add trigger (if needed)\n\
-- DROP TRIGGER IF EXISTS … ON …;\n\
-- CREATE TRIGGER … BEFORE UPDATE ON … FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();\n",
        description.trim()
    )
}

/// Proposes the next forward file name from a description, keeping the folder's scheme and number
/// width: `"add notifications table"` gives `011_add_notifications_table.sql` after `010_…`,
/// `V12__add_notifications_table.sql` after Flyway's `V11__…` (the last version part is
/// incremented: `V1_9` → `V1_10`), `….up.sql` for golang-migrate (and sqlx folders that use
/// `.up.sql`). Timestamp schemes (and goose/dbmate folders numbered by timestamp) use the digits of
/// `now` (`YYYYMMDDHHMMSS`, other characters ignored) unless they would not sort after the last
/// migration, in which case the last number plus one is used. Without any migration the scheme
/// defaults to `NNN_name.sql` and the width to the scheme's usual one (3, 6 for golang-migrate, 4
/// for dash/dot, 5 for goose sequential numbers).
///
/// The description is lowercased, runs of non-alphanumeric characters become one `_` (`-` for the
/// dash scheme), and the ends are trimmed; an empty result becomes `migration`. Letters outside
/// ASCII are kept.
pub fn next_name(plan: &Plan, description: &str, now: &str) -> String {
    let scheme = plan.scheme.unwrap_or(Scheme::Seed);
    let slug = slug(description, if scheme == Scheme::Dash { '-' } else { '_' });
    match scheme {
        Scheme::Seed => format!("{}_{slug}.sql", next_sequential(plan, 3)),
        Scheme::GolangMigrate => format!("{}_{slug}.up.sql", next_sequential(plan, 6)),
        Scheme::Dash => format!("{}-{slug}.sql", next_sequential(plan, 4)),
        Scheme::Dot => format!("{}.{slug}.sql", next_sequential(plan, 4)),
        Scheme::Flyway => format!("V{}__{slug}.sql", next_flyway(plan)),
        Scheme::Timestamp => {
            let suffix = if plan.forward.iter().any(|f| f.name.ends_with(".up.sql")) { ".up.sql" } else { ".sql" };
            format!("{}_{slug}{suffix}", next_timestamp(plan, now))
        }
        Scheme::Goose | Scheme::Dbmate => {
            let sequential = last_version(plan).is_some_and(|v| v.text.len() < TIMESTAMP_DIGITS);
            let number = if sequential { next_sequential(plan, 5) } else { next_timestamp(plan, now) };
            format!("{number}_{slug}.sql")
        }
    }
}

/// The rollback file name that goes with the forward file `forward_name`, in the folder's scheme:
/// `011_x_rollback.sql` for `011_x.sql`, `011_x.down.sql` for `011_x.up.sql`, `U12__x.sql` for
/// `V12__x.sql`. `None` when the scheme keeps rollbacks inside the file (goose, dbmate), has no
/// rollback files (dash, dot, plain timestamp names), or `forward_name` is not a forward name of
/// the scheme. Without a scheme, `NNN_name.sql` is assumed.
pub fn next_rollback_name(plan: &Plan, forward_name: &str) -> Option<String> {
    match plan.scheme.unwrap_or(Scheme::Seed) {
        Scheme::Seed => {
            let m = parse_seed(forward_name)?;
            let stem = forward_name.strip_suffix(".sql")?;
            (m.kind == Kind::Forward).then(|| format!("{stem}_rollback.sql"))
        }
        Scheme::GolangMigrate | Scheme::Timestamp => {
            let stem = forward_name.strip_suffix(".up.sql")?;
            let (number, _) = number_then(stem, '_')?;
            Version::parse(number)?;
            Some(format!("{stem}.down.sql"))
        }
        Scheme::Flyway => {
            let m = parse_flyway(forward_name)?;
            let rest = forward_name.strip_prefix('V')?;
            (m.kind == Kind::Forward).then(|| format!("U{rest}"))
        }
        Scheme::Dash | Scheme::Dot | Scheme::Goose | Scheme::Dbmate => None,
    }
}

// ---------------------------------------------------------------------------------------------
// File names

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Forward,
    Rollback,
    /// Flyway's `R__name.sql`.
    Repeatable,
}

/// What a name says under one scheme.
#[derive(Clone, Copy, Debug)]
struct NameMatch<'a> {
    /// The version as written (empty for repeatables).
    number: &'a str,
    description: &'a str,
    kind: Kind,
}

fn split_digits(s: &str) -> (&str, &str) {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    (s.get(..n).unwrap_or(""), s.get(n..).unwrap_or(""))
}

/// `digits SEP rest`, with at least one digit.
fn number_then(stem: &str, sep: char) -> Option<(&str, &str)> {
    let (number, rest) = split_digits(stem);
    if number.is_empty() {
        return None;
    }
    Some((number, rest.strip_prefix(sep)?))
}

/// `NNN_description.sql`, rollback `NNN_description_rollback.sql`; no dot in the description.
fn parse_seed(base: &str) -> Option<NameMatch<'_>> {
    let stem = base.strip_suffix(".sql")?;
    let (number, description) = number_then(stem, '_')?;
    if description.contains('.') {
        return None;
    }
    let (description, kind) = match description.strip_suffix("_rollback") {
        Some(d) => (d, Kind::Rollback),
        None if description == "rollback" => ("", Kind::Rollback),
        None => (description, Kind::Forward),
    };
    Some(NameMatch { number, description, kind })
}

/// `NNN_name.up.sql` / `NNN_name.down.sql`.
fn parse_golang_migrate(base: &str) -> Option<NameMatch<'_>> {
    let stem = base.strip_suffix(".sql")?;
    let (stem, kind) = match stem.strip_suffix(".up") {
        Some(s) => (s, Kind::Forward),
        None => (stem.strip_suffix(".down")?, Kind::Rollback),
    };
    let (number, description) = number_then(stem, '_')?;
    Some(NameMatch { number, description, kind })
}

/// `V1__name.sql`, `V1_10__name.sql`, `V1.2__name.sql`, `U1__name.sql`, `R__name.sql`.
fn parse_flyway(base: &str) -> Option<NameMatch<'_>> {
    let stem = base.strip_suffix(".sql")?;
    if let Some(description) = stem.strip_prefix("R__") {
        return Some(NameMatch { number: "", description, kind: Kind::Repeatable });
    }
    let (rest, kind) = match stem.strip_prefix('V') {
        Some(rest) => (rest, Kind::Forward),
        None => (stem.strip_prefix('U')?, Kind::Rollback),
    };
    let len = flyway_version_len(rest);
    if len == 0 {
        return None;
    }
    let number = rest.get(..len)?;
    let description = rest.get(len..)?.strip_prefix("__")?;
    Some(NameMatch { number, description, kind })
}

/// Length of the leading `digits([._]digits)*` of `s`.
fn flyway_version_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    let is_digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let mut i = 0;
    while is_digit(i) {
        i += 1;
    }
    if i == 0 {
        return 0;
    }
    while matches!(bytes.get(i), Some(b'.' | b'_')) && is_digit(i + 1) {
        i += 1;
        while is_digit(i) {
            i += 1;
        }
    }
    i
}

/// `NNN_name.sql`, or sqlx's `NNN_name.up.sql` / `NNN_name.down.sql`.
fn parse_timestamp(base: &str) -> Option<NameMatch<'_>> {
    let stem = base.strip_suffix(".sql")?;
    let (stem, kind) = if let Some(s) = stem.strip_suffix(".up") {
        (s, Kind::Forward)
    } else if let Some(s) = stem.strip_suffix(".down") {
        (s, Kind::Rollback)
    } else {
        (stem, Kind::Forward)
    };
    let (number, description) = number_then(stem, '_')?;
    Some(NameMatch { number, description, kind })
}

fn parse_separated(base: &str, sep: char) -> Option<NameMatch<'_>> {
    let (number, description) = number_then(base.strip_suffix(".sql")?, sep)?;
    Some(NameMatch { number, description, kind: Kind::Forward })
}

/// dbmate takes any `digits….sql`.
fn parse_dbmate(base: &str) -> Option<NameMatch<'_>> {
    let (number, rest) = split_digits(base.strip_suffix(".sql")?);
    if number.is_empty() {
        return None;
    }
    let description = rest.trim_start_matches(['_', '-', '.']);
    Some(NameMatch { number, description, kind: Kind::Forward })
}

/// The name pattern the runner of `scheme` picks up (any number width).
fn parse_name(scheme: Scheme, base: &str) -> Option<NameMatch<'_>> {
    match scheme {
        Scheme::Seed => parse_seed(base),
        Scheme::GolangMigrate => parse_golang_migrate(base),
        Scheme::Flyway => parse_flyway(base),
        Scheme::Timestamp => parse_timestamp(base),
        Scheme::Dash => parse_separated(base, '-'),
        Scheme::Dot => parse_separated(base, '.'),
        Scheme::Goose => parse_separated(base, '_'),
        Scheme::Dbmate => parse_dbmate(base),
    }
}

/// The file as the runner of `scheme` sees it: its name pattern, and the markers for goose/dbmate.
fn accepted<'a>(scheme: Scheme, f: &FileInfo<'a>) -> Option<NameMatch<'a>> {
    let m = parse_name(scheme, f.base)?;
    let marked = match scheme {
        Scheme::Goose => f.goose.any(),
        Scheme::Dbmate => f.dbmate.any(),
        _ => true,
    };
    marked.then_some(m)
}

/// Whether the file follows `scheme`'s convention, for detection: sequential schemes have numbers
/// shorter than a timestamp, the timestamp scheme has longer ones, and files with goose or dbmate
/// markers count for those schemes only. Numbers that overflow count for nothing.
fn conventional<'a>(scheme: Scheme, f: &FileInfo<'a>) -> Option<NameMatch<'a>> {
    let marked = f.goose.any() || f.dbmate.any();
    let m = parse_name(scheme, f.base)?;
    let follows = match scheme {
        Scheme::Seed | Scheme::GolangMigrate => !marked && m.number.len() < TIMESTAMP_DIGITS,
        Scheme::Timestamp => !marked && m.number.len() >= TIMESTAMP_DIGITS,
        Scheme::Flyway | Scheme::Dash | Scheme::Dot => !marked,
        Scheme::Goose => f.goose.any(),
        Scheme::Dbmate => f.dbmate.any() && !f.goose.any(),
    };
    let valid = m.kind == Kind::Repeatable || Version::parse(m.number).is_some();
    (follows && valid).then_some(m)
}

/// Why a `.sql` file that no scheme recognises is not a migration (completes "its …").
fn unmatched_reason(base: &str) -> String {
    let stem = base.strip_suffix(".sql").unwrap_or(base);
    let (digits, rest) = split_digits(stem);
    let reason = if digits.is_empty() {
        if stem.starts_with("V__") || stem.starts_with("U__") {
            "Flyway version is empty"
        } else {
            "name does not start with a migration number"
        }
    } else if digits.parse::<u64>().is_err() {
        "number does not fit in 64 bits"
    } else if rest.is_empty() {
        "number is not followed by a description"
    } else {
        "name follows no migration naming scheme"
    };
    reason.to_string()
}

/// `"initial schema"` from `"initial_schema"`.
fn describe(raw: &str) -> String {
    raw.split(|c: char| c == '_' || c == '-' || c.is_whitespace())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lowercase, runs of non-alphanumerics as one `sep`, trimmed; `migration` when nothing is left.
fn slug(description: &str, sep: char) -> String {
    let mut out = String::new();
    let mut pending = false;
    for c in description.chars() {
        if c.is_alphanumeric() {
            if pending && !out.is_empty() {
                out.push(sep);
            }
            pending = false;
            out.extend(c.to_lowercase());
        } else {
            pending = true;
        }
    }
    if out.is_empty() { "migration".to_string() } else { out }
}

// ---------------------------------------------------------------------------------------------
// Markers

/// One line of a file: `start..end` without the line break, `next` after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Line {
    start: usize,
    end: usize,
    next: usize,
}

#[derive(Clone, Copy, Debug, Default)]
struct Markers {
    up: Option<Line>,
    down: Option<Line>,
}

impl Markers {
    fn any(&self) -> bool {
        self.up.is_some() || self.down.is_some()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    Up,
    Down,
}

/// `-- +goose Up` / `-- +goose Down`, as goose reads them (case and spacing are loose).
fn goose_marker(line: &str) -> Option<Direction> {
    let rest = line.trim_start().strip_prefix("--")?.trim_start().strip_prefix("+goose")?.trim();
    if rest.eq_ignore_ascii_case("up") {
        Some(Direction::Up)
    } else if rest.eq_ignore_ascii_case("down") {
        Some(Direction::Down)
    } else {
        None
    }
}

/// Whether a migration file asks its runner not to wrap it in a transaction: goose's
/// `-- +goose NO TRANSACTION`, dbmate's `-- migrate:up transaction:false`, sqlx's `-- no-transaction`
/// on the first line. Such files run statement by statement (what `CREATE INDEX CONCURRENTLY` needs).
pub fn runs_outside_transaction(text: &str) -> bool {
    let first = text.lines().next().unwrap_or("").trim();
    if first.eq_ignore_ascii_case("-- no-transaction") {
        return true;
    }
    // Both markers are comments that say "transaction": other lines are not lowered and split.
    let says_transaction = |line: &str| crate::text::contains_ignore_ascii_case(line, "transaction");
    text.lines().map(str::trim).filter(|line| line.starts_with("--") && says_transaction(line)).any(|line| {
        let lower = line.to_ascii_lowercase();
        let words: Vec<&str> = lower.split_whitespace().collect();
        matches!(words.as_slice(), ["--", "+goose", "no", "transaction"])
            || (words.first() == Some(&"--")
                && words.get(1) == Some(&"migrate:up")
                && words.contains(&"transaction:false"))
    })
}

/// `-- migrate:up` / `-- migrate:down`, optionally followed by options such as `transaction:false`.
fn dbmate_marker(line: &str) -> Option<Direction> {
    let rest = line.trim_start().strip_prefix("--")?.trim_start().strip_prefix("migrate:")?;
    let ends_word = |s: &str| s.is_empty() || s.starts_with(char::is_whitespace);
    if rest.strip_prefix("up").is_some_and(ends_word) {
        Some(Direction::Up)
    } else if rest.strip_prefix("down").is_some_and(ends_word) {
        Some(Direction::Down)
    } else {
        None
    }
}

/// The first up and the first down marker line.
/// `needle` is in every marker line: a file without it has none, and one substring search settles it.
fn find_markers(text: &str, needle: &str, marker: fn(&str) -> Option<Direction>) -> Markers {
    let mut markers = Markers::default();
    if !text.contains(needle) {
        return markers;
    }
    let mut start = 0;
    for raw in text.split_inclusive('\n') {
        let next = start + raw.len();
        let content = raw.trim_end_matches(['\n', '\r']);
        let line = Line { start, end: start + content.len(), next };
        match marker(content) {
            Some(Direction::Up) if markers.up.is_none() => markers.up = Some(line),
            Some(Direction::Down) if markers.down.is_none() => markers.down = Some(line),
            _ => {}
        }
        start = next;
    }
    markers
}

/// A section runs from after its marker to the other marker (when that comes later) or the end.
fn section(marker: Line, other: Option<Line>, len: usize) -> Range<usize> {
    let end = match other {
        Some(other) if other.start >= marker.next => other.start,
        _ => len,
    };
    marker.next..end
}

// ---------------------------------------------------------------------------------------------
// Classification

struct FileInfo<'a> {
    id: FileId,
    name: &'a str,
    /// The name without any directory.
    base: &'a str,
    text: &'a str,
    is_sql: bool,
    goose: Markers,
    dbmate: Markers,
}

impl<'a> FileInfo<'a> {
    fn new(index: usize, name: &'a str, text: &'a str) -> FileInfo<'a> {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        FileInfo {
            id: FileId::try_from(index).unwrap_or(FileId::MAX),
            name,
            base,
            text,
            is_sql: base.ends_with(".sql"),
            goose: find_markers(text, "+goose", goose_marker),
            dbmate: find_markers(text, "migrate:", dbmate_marker),
        }
    }

    fn span(&self) -> Span {
        Span::new(self.id, 0, 0)
    }
}

/// A per-file finding, turned into a diagnostic once the plan is known (helps name the next file).
enum Finding {
    UpperExtension { span: Span, name: String },
    NotAMigration { span: Span, name: String, reason: String },
    Repeatable { span: Span, name: String, description: String },
    OtherScheme { span: Span, name: String, other: Scheme, description: String },
    MissingMarkers { span: Span, name: String },
    EmbeddedDown { span: Span, name: String, marker: &'static str },
    MissingUp { span: Span, name: String },
}

#[derive(Default)]
struct Collected {
    forward: Vec<MigrationFile>,
    rollbacks: Vec<MigrationFile>,
    others: Vec<MigrationFile>,
    findings: Vec<Finding>,
}

fn classify(f: &FileInfo<'_>, scheme: Option<Scheme>, out: &mut Collected) {
    let stem = f.base.rsplit_once('.').map_or(f.base, |(stem, _)| stem);
    let not_migration = |reason: String, description: String| MigrationFile {
        file: f.id,
        name: f.name.to_string(),
        version: None,
        description,
        role: Role::NotMigration { reason },
        body: 0..f.text.len(),
    };
    let name = f.name.to_string();
    let span = f.span();

    if !f.is_sql {
        let upper_sql = f.base.rsplit_once('.').is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("sql"));
        if upper_sql {
            out.others.push(not_migration("extension is not lower-case .sql".into(), describe(stem)));
            out.findings.push(Finding::UpperExtension { span, name });
        } else {
            out.others.push(not_migration("not a .sql file".into(), describe(stem)));
        }
        return;
    }
    let Some(scheme) = scheme else {
        let reason = unmatched_reason(f.base);
        out.others.push(not_migration(reason.clone(), describe(stem)));
        out.findings.push(Finding::NotAMigration { span, name, reason });
        return;
    };

    if let Some(m) = accepted(scheme, f) {
        let description = describe(m.description);
        if m.kind == Kind::Repeatable {
            out.others.push(not_migration("repeatable migration (R__), not simulated".into(), description.clone()));
            out.findings.push(Finding::Repeatable { span, name, description });
            return;
        }
        let Some(version) = Version::parse(m.number) else {
            let reason = "number does not fit in 64 bits".to_string();
            out.others.push(not_migration(reason.clone(), description));
            out.findings.push(Finding::NotAMigration { span, name, reason });
            return;
        };
        let entry = |role: Role, body: Range<usize>| MigrationFile {
            file: f.id,
            name: f.name.to_string(),
            version: Some(version.clone()),
            description: description.clone(),
            role,
            body,
        };
        let len = f.text.len();
        let markers = match scheme {
            Scheme::Goose => Some(f.goose),
            Scheme::Dbmate => Some(f.dbmate),
            _ => None,
        };
        match markers {
            Some(markers) => {
                match markers.up {
                    Some(up) => out.forward.push(entry(Role::Forward, section(up, markers.down, len))),
                    // The runner refuses the file; an empty forward step keeps the numbering whole.
                    None => out.forward.push(entry(Role::Forward, 0..0)),
                }
                if let Some(down) = markers.down {
                    out.rollbacks.push(entry(Role::Rollback, section(down, markers.up, len)));
                    if markers.up.is_none() {
                        let span = Span::new(f.id, down.start, down.end);
                        out.findings.push(Finding::MissingUp { span, name });
                    }
                }
            }
            None => {
                if m.kind == Kind::Rollback {
                    out.rollbacks.push(entry(Role::Rollback, 0..len));
                } else {
                    out.forward.push(entry(Role::Forward, 0..len));
                }
                let embedded = match (f.goose.down, f.dbmate.down) {
                    (Some(line), _) => Some((line, GOOSE_DOWN)),
                    (None, Some(line)) => Some((line, DBMATE_DOWN)),
                    (None, None) => None,
                };
                if let Some((line, marker)) = embedded {
                    let span = Span::new(f.id, line.start, line.end);
                    out.findings.push(Finding::EmbeddedDown { span, name, marker });
                }
            }
        }
        return;
    }

    if let Some((up, _)) = scheme.markers()
        && let Some(m) = parse_name(scheme, f.base).filter(|_| !f.goose.any() && !f.dbmate.any())
    {
        let reason = format!("has no `{up}` marker");
        out.others.push(not_migration(reason, describe(m.description)));
        out.findings.push(Finding::MissingMarkers { span, name });
        return;
    }
    let other = Scheme::ALL.into_iter().filter(|&s| s != scheme).find_map(|s| Some((s, conventional(s, f)?)));
    if let Some((other, m)) = other {
        let reason = format!("named in the {} style, but the folder uses {}", other.name(), scheme.name());
        let description = describe(m.description);
        out.others.push(not_migration(reason, description.clone()));
        out.findings.push(Finding::OtherScheme { span, name, other, description });
        return;
    }
    let reason = unmatched_reason(f.base);
    out.others.push(not_migration(reason.clone(), describe(stem)));
    out.findings.push(Finding::NotAMigration { span, name, reason });
}

fn run_order(a: &MigrationFile, b: &MigrationFile) -> Ordering {
    let number = match (&a.version, &b.version) {
        (Some(x), Some(y)) => x.cmp_number(y),
        (x, y) => x.is_some().cmp(&y.is_some()),
    };
    number.then_with(|| a.name.cmp(&b.name)).then(a.file.cmp(&b.file)).then(a.body.start.cmp(&b.body.start))
}

// ---------------------------------------------------------------------------------------------
// Diagnostics

fn finding_diagnostic(plan: &Plan, finding: &Finding, evidence: &str) -> Diagnostic {
    let scheme = plan.scheme.unwrap_or(Scheme::Seed);
    match finding {
        Finding::UpperExtension { span, name } => {
            let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
            Diagnostic::warning(
                "migration-name-convention",
                format!("{name} ends in `.{ext}`: migration runners only pick up lower-case `.sql` files, so it is not run"),
                *span,
            )
            .with_help(format!("Rename it to {stem}.sql."))
        }
        Finding::NotAMigration { span, name, reason } => {
            let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
            let stem = base.strip_suffix(".sql").unwrap_or(base);
            let suggestion = next_name(plan, stem, "");
            Diagnostic::info("not-a-migration", format!("{name} is not a migration: its {reason}; it is not run"), *span)
                .with_help(format!(
                    "Move it out of the migrations folder, or rename it to {suggestion} if it should run."
                ))
        }
        Finding::Repeatable { span, name, description } => Diagnostic::info(
            "not-a-migration",
            format!(
                "{name} is a Flyway repeatable migration: Flyway reruns it after the versioned ones whenever it changes; it is not simulated"
            ),
            *span,
        )
        .with_help(format!(
            "Rename it to {} if the simulation should include it.",
            next_name(plan, description, "")
        )),
        Finding::OtherScheme { span, name, other, description } => {
            let message = if other.markers().is_some() {
                format!(
                    "{name} uses {} markers, but this folder uses {} ({evidence}): it is not run",
                    other.name(),
                    scheme.name()
                )
            } else {
                format!(
                    "{name} is named in the {} style, but this folder uses {} ({evidence}): it is not run",
                    other.name(),
                    scheme.name()
                )
            };
            let help = match (other.markers(), scheme.markers()) {
                (Some((old_up, old_down)), Some((up, down))) => {
                    format!("Replace its `{old_up}` and `{old_down}` lines with `{up}` and `{down}`.")
                }
                _ => format!("Rename it to {}.", next_name(plan, description, "")),
            };
            Diagnostic::warning("migration-name-convention", message, *span).with_help(help)
        }
        Finding::MissingMarkers { span, name } => {
            let (up, _) = scheme.markers().unwrap_or((GOOSE_UP, GOOSE_DOWN));
            let runner = scheme.name();
            Diagnostic::warning(
                "migration-name-convention",
                format!(
                    "{name} has no `{up}` line, but this folder uses {runner} ({evidence}): {runner} cannot run it, so it is not simulated"
                ),
                *span,
            )
            .with_help(format!("Add a `{up}` line before its SQL."))
        }
        Finding::EmbeddedDown { span, name, marker } => {
            let help = match next_rollback_name(plan, name) {
                Some(rollback) => format!("Move the SQL after `{marker}` into {rollback}."),
                None => format!("Remove the SQL after `{marker}` from this file."),
            };
            Diagnostic::warning(
                "migration-name-convention",
                format!(
                    "{name} has a `{marker}` section, but this folder uses {} ({evidence}), which runs the whole file: its rollback SQL runs right after the forward SQL",
                    scheme.name()
                ),
                *span,
            )
            .with_help(help)
        }
        Finding::MissingUp { span, name } => {
            let (up, down) = scheme.markers().unwrap_or((GOOSE_UP, GOOSE_DOWN));
            Diagnostic::error(
                "missing-up-section",
                format!("{name} has a `{down}` line but no `{up}` line: {} refuses to run it", scheme.name()),
                *span,
            )
            .with_help(format!("Add a `{up}` line above the SQL that applies the migration."))
        }
    }
}

/// Upper-case letters or spaces in the names of migration files.
fn name_case_diagnostics(plan: &Plan, order: &[&FileInfo<'_>], out: &mut Vec<Diagnostic>) {
    let scheme = plan.scheme.unwrap_or(Scheme::Seed);
    let sep = if scheme == Scheme::Dash { '-' } else { '_' };
    for f in order {
        let is_migration = plan.forward.iter().chain(&plan.rollbacks).any(|m| m.file == f.id);
        if !is_migration {
            continue;
        }
        let flyway_prefix = scheme == Scheme::Flyway && f.base.starts_with(['V', 'U', 'R']);
        let (prefix, rest) = if flyway_prefix { f.base.split_at(1) } else { ("", f.base) };
        let upper = rest.chars().any(char::is_uppercase);
        let spaces = rest.chars().any(char::is_whitespace);
        let what = match (upper, spaces) {
            (true, true) => "upper-case letters and spaces",
            (true, false) => "upper-case letters",
            (false, true) => "spaces",
            (false, false) => continue,
        };
        let mut fixed = prefix.to_string();
        let mut in_space = false;
        for c in rest.chars() {
            if c.is_whitespace() {
                if !in_space {
                    fixed.push(sep);
                }
                in_space = true;
            } else {
                in_space = false;
                fixed.extend(c.to_lowercase());
            }
        }
        let name = f.name;
        out.push(
            Diagnostic::warning(
                "migration-name-convention",
                format!(
                    "{name} has {what} in its name: migration names are lower-case by convention, names that differ only in case clash on case-insensitive file systems, and spaces break unquoted shell commands"
                ),
                f.span(),
            )
            .with_help(format!("Rename it to {fixed}.")),
        );
    }
}

fn duplicate_diagnostics(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let mut first: Option<(&MigrationFile, &Version)> = None;
    for f in &plan.forward {
        let Some(version) = &f.version else { continue };
        match first {
            Some((earlier, v)) if v.same_number(version) => {
                let suggestion = next_name(plan, &f.description, "");
                out.push(
                    Diagnostic::error(
                        "duplicate-migration-number",
                        format!(
                            "migration number {} is used by {} and {}: the runner's order between them is undefined",
                            v.text, earlier.name, f.name
                        ),
                        Span::new(f.file, 0, 0),
                    )
                    .with_help(format!("Rename {} to {suggestion} unless a database has already run it.", f.name)),
                );
            }
            _ => first = Some((f, version)),
        }
    }
}

fn gap_diagnostics(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let sequential =
        matches!(plan.scheme, Some(Scheme::Seed | Scheme::GolangMigrate | Scheme::Dash | Scheme::Dot | Scheme::Goose));
    if !sequential {
        return;
    }
    let small = |v: &Version| v.parts.len() == 1 && v.text.len() < GAP_CHECK_MAX_DIGITS;
    let mut previous: Option<(&MigrationFile, &Version)> = None;
    for f in &plan.forward {
        let Some(version) = &f.version else { continue };
        if let Some((p, pv)) = previous {
            if pv.same_number(version) {
                continue;
            }
            let (a, b) = (pv.first(), version.first());
            if small(pv) && small(version) && b > a.saturating_add(1) {
                let width = pv.text.len();
                let (missing_first, missing_last) = (a + 1, b - 1);
                let missing = if missing_first == missing_last {
                    format!("migration {missing_first:0width$} is missing")
                } else {
                    format!("migrations {missing_first:0width$} to {missing_last:0width$} are missing")
                };
                out.push(
                    Diagnostic::warning(
                        "migration-number-gap",
                        format!("{missing}: {} is followed by {}", p.name, f.name),
                        Span::new(f.file, 0, 0),
                    )
                    .with_help(format!(
                        "Add the missing migration, or renumber {} to {missing_first:0width$} if no database has run it yet.",
                        f.name
                    )),
                );
            }
        }
        previous = Some((f, version));
    }
}

/// The most frequent value; ties go to the larger one.
fn most_common(values: impl Iterator<Item = usize>) -> Option<usize> {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for value in values {
        match counts.iter_mut().find(|(v, _)| *v == value) {
            Some((_, count)) => *count += 1,
            None => counts.push((value, 1)),
        }
    }
    counts.into_iter().max_by_key(|&(value, count)| (count, value)).map(|(value, _)| value)
}

fn width_diagnostics(plan: &Plan, out: &mut Vec<Diagnostic>) {
    if plan.scheme == Some(Scheme::Flyway) {
        return;
    }
    let mut files: Vec<(&MigrationFile, &Version)> = Vec::new();
    for f in plan.forward.iter().chain(&plan.rollbacks) {
        if let Some(v) = &f.version
            && v.parts.len() == 1
            && !files.iter().any(|(g, _)| g.file == f.file)
        {
            files.push((f, v));
        }
    }
    let is_stamp = |v: &Version| v.text.len() >= TIMESTAMP_DIGITS;
    let stamps = files.iter().filter(|(_, v)| is_stamp(v)).count();
    if stamps * 2 > files.len() {
        let width = most_common(files.iter().filter(|(_, v)| is_stamp(v)).map(|(_, v)| v.text.len())).unwrap_or(14);
        let Some(&(example, _)) = files.iter().find(|(_, v)| v.text.len() == width) else { return };
        let earliest = files.iter().filter(|(_, v)| is_stamp(v)).map(|(_, v)| v.first()).min().unwrap_or(0);
        for &(f, v) in files.iter().filter(|(_, v)| !is_stamp(v)) {
            let consequence = if v.first() < earliest { ": it runs before all of them" } else { "" };
            out.push(
                Diagnostic::warning(
                    "mixed-number-width",
                    format!(
                        "{} is numbered {}, but the other migrations use {width}-digit timestamps (like {}){consequence}",
                        f.name, v.text, example.name
                    ),
                    Span::new(f.file, 0, 0),
                )
                .with_help(format!(
                    "Rename it with a {width}-digit timestamp prefix that puts it where it belongs."
                )),
            );
        }
        return;
    }
    let sequential: Vec<(&MigrationFile, &Version)> = files.iter().copied().filter(|(_, v)| !is_stamp(v)).collect();
    if let Some(&(example, _)) = sequential.first() {
        for &(f, v) in files.iter().filter(|(_, v)| is_stamp(v)) {
            out.push(
                Diagnostic::warning(
                    "mixed-number-width",
                    format!(
                        "{} is numbered with a {}-digit timestamp, but the other migrations use small sequential numbers (like {}): it runs after all of them",
                        f.name,
                        v.text.len(),
                        example.name
                    ),
                    Span::new(f.file, 0, 0),
                )
                .with_help("Rename it with the next sequential number, like the other migrations."),
            );
        }
    }
    let padded = |v: &Version| v.text.len() > 1 && v.text.starts_with('0');
    let Some(width) = most_common(sequential.iter().filter(|(_, v)| padded(v)).map(|(_, v)| v.text.len())) else {
        return;
    };
    let Some(&(example, _)) = sequential.iter().find(|(_, v)| padded(v) && v.text.len() == width) else { return };
    for &(f, v) in &sequential {
        let len = v.text.len();
        if len >= width && !(len > width && v.text.starts_with('0')) {
            continue;
        }
        let base = f.name.rsplit(['/', '\\']).next().unwrap_or(&f.name);
        let rest = base.get(len..).unwrap_or("");
        let renamed = format!("{:0width$}{rest}", v.first());
        let digits = if len == 1 { "1 digit".to_string() } else { format!("{len} digits") };
        out.push(
            Diagnostic::warning(
                "mixed-number-width",
                format!(
                    "{} is numbered with {digits}, but the folder pads migration numbers to {width} digits (like {}): tools that sort by name put it out of order",
                    f.name, example.name
                ),
                Span::new(f.file, 0, 0),
            )
            .with_help(format!("Rename it to {renamed}.")),
        );
    }
}

fn orphan_diagnostics(plan: &Plan, out: &mut Vec<Diagnostic>) {
    for rollback in &plan.rollbacks {
        let Some(version) = &rollback.version else { continue };
        let paired = plan.forward.iter().any(|f| f.version.as_ref().is_some_and(|v| v.same_number(version)));
        if paired {
            continue;
        }
        out.push(
            Diagnostic::warning(
                "orphan-rollback",
                format!(
                    "{} is a rollback for migration {}, but there is no forward migration {}: it never pairs with anything",
                    rollback.name, version.text, version.text
                ),
                Span::new(rollback.file, 0, 0),
            )
            .with_help("Rename it to the number of the migration it undoes, or delete it."),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Next names

/// The highest version among forward migrations and rollbacks.
fn last_version(plan: &Plan) -> Option<&Version> {
    plan.forward.iter().chain(&plan.rollbacks).filter_map(|f| f.version.as_ref()).max()
}

fn next_sequential(plan: &Plan, default_width: usize) -> String {
    match last_version(plan) {
        Some(v) => format!("{:0width$}", v.first().saturating_add(1), width = v.text.len()),
        None => format!("{:0default_width$}", 1),
    }
}

fn next_timestamp(plan: &Plan, now: &str) -> String {
    let digits: String = now.chars().filter(char::is_ascii_digit).collect();
    let now_value = digits.parse::<u64>().ok();
    match (now_value, last_version(plan)) {
        (Some(n), Some(last)) if n > last.first() => digits,
        (Some(_), None) => digits,
        (_, Some(last)) => format!("{:0width$}", last.first().saturating_add(1), width = last.text.len()),
        (None, None) => format!("{:0width$}", 1, width = 14),
    }
}

/// The last version with its last number incremented, separators and width kept: `1_9` → `1_10`.
fn next_flyway(plan: &Plan) -> String {
    let Some(last) = last_version(plan) else { return "1".to_string() };
    let text = &last.text;
    let start = text.rfind(|c: char| !c.is_ascii_digit()).map_or(0, |i| i + 1);
    let head = text.get(..start).unwrap_or("");
    let tail = text.get(start..).unwrap_or("");
    let next = tail.parse::<u64>().unwrap_or(0).saturating_add(1);
    format!("{head}{next:0width$}", width = tail.len())
}

#[cfg(test)]
mod transaction_marker_tests {
    use super::runs_outside_transaction;

    #[test]
    fn the_runners_markers() {
        assert!(runs_outside_transaction(
            "-- +goose Up\n-- +goose NO TRANSACTION\nCREATE INDEX CONCURRENTLY i ON t (a);"
        ));
        assert!(runs_outside_transaction("-- migrate:up transaction:false\nSELECT 1;\n-- migrate:down\n"));
        assert!(runs_outside_transaction("-- no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);"));
        assert!(!runs_outside_transaction("-- migrate:up\nSELECT 1;"));
        assert!(!runs_outside_transaction("SELECT 1;\n-- no-transaction\n"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    fn plan_of(files: &[(&str, &str)]) -> Plan {
        plan(files, &PlanOptions::default())
    }

    fn names(files: &[MigrationFile]) -> Vec<&str> {
        files.iter().map(|f| f.name.as_str()).collect()
    }

    fn empty(names: &[&'static str]) -> Vec<(&'static str, &'static str)> {
        names.iter().map(|&n| (n, "SELECT 1;\n")).collect()
    }

    /// Detected scheme, forward names in run order, rollback names, other names.
    #[track_caller]
    fn check_plan(
        files: &[&'static str],
        scheme: Option<Scheme>,
        forward: &[&str],
        rollbacks: &[&str],
        others: &[&str],
    ) {
        let p = plan_of(&empty(files));
        assert_eq!(p.scheme, scheme, "scheme");
        assert_eq!(names(&p.forward), forward, "forward");
        assert_eq!(names(&p.rollbacks), rollbacks, "rollbacks");
        assert_eq!(names(&p.others), others, "others");
    }

    #[test]
    fn schemes_and_order() {
        check_plan(
            &[
                "010_backfill_missing_owners.sql",
                "001_initial_schema.sql",
                "002_x.sql",
                "VERIFY_NOTIFY.sql",
                "README.md",
            ],
            Some(Scheme::Seed),
            &["001_initial_schema.sql", "002_x.sql", "010_backfill_missing_owners.sql"],
            &[],
            &["README.md", "VERIFY_NOTIFY.sql"],
        );
        check_plan(
            &["9_x.sql", "10_y.sql", "1_a.sql", "002_b.sql"],
            Some(Scheme::Seed),
            &["1_a.sql", "002_b.sql", "9_x.sql", "10_y.sql"],
            &[],
            &[],
        );
        check_plan(
            &["001_a.sql", "001_a_rollback.sql", "002_b.sql"],
            Some(Scheme::Seed),
            &["001_a.sql", "002_b.sql"],
            &["001_a_rollback.sql"],
            &[],
        );
        check_plan(
            &["10_c.up.sql", "9_b.up.sql", "9_b.down.sql", "1_a.up.sql", "1_a.down.sql"],
            Some(Scheme::GolangMigrate),
            &["1_a.up.sql", "9_b.up.sql", "10_c.up.sql"],
            &["1_a.down.sql", "9_b.down.sql"],
            &[],
        );
        check_plan(
            &["V1_10__c.sql", "V1_9__b.sql", "V1__a.sql", "V1.2__x.sql", "U1_9__b.sql", "R__views.sql", "V2__d.sql"],
            Some(Scheme::Flyway),
            &["V1__a.sql", "V1.2__x.sql", "V1_9__b.sql", "V1_10__c.sql", "V2__d.sql"],
            &["U1_9__b.sql"],
            &["R__views.sql"],
        );
        check_plan(
            &["20240101120000_b.sql", "20231231235959_a.sql", "202402011200_c.sql"],
            Some(Scheme::Timestamp),
            &["202402011200_c.sql", "20231231235959_a.sql", "20240101120000_b.sql"],
            &[],
            &[],
        );
        check_plan(
            &["20240101120000_a.up.sql", "20240101120000_a.down.sql", "20240202120000_b.up.sql"],
            Some(Scheme::Timestamp),
            &["20240101120000_a.up.sql", "20240202120000_b.up.sql"],
            &["20240101120000_a.down.sql"],
            &[],
        );
        check_plan(
            &["0010-b.sql", "0001-a.sql", "0002-c.sql"],
            Some(Scheme::Dash),
            &["0001-a.sql", "0002-c.sql", "0010-b.sql"],
            &[],
            &[],
        );
        check_plan(&["0002.b.sql", "0001.a.sql"], Some(Scheme::Dot), &["0001.a.sql", "0002.b.sql"], &[], &[]);
        check_plan(&["notes.txt", "VERIFY_NOTIFY.sql"], None, &[], &[], &["VERIFY_NOTIFY.sql", "notes.txt"]);
        check_plan(&[], None, &[], &[], &[]);
    }

    #[test]
    fn ties_go_to_the_earlier_scheme() {
        check_plan(&["0002.b.sql", "0001-a.sql"], Some(Scheme::Dash), &["0001-a.sql"], &[], &["0002.b.sql"]);
        check_plan(&["1_a.up.sql", "2_b.sql"], Some(Scheme::Seed), &["2_b.sql"], &[], &["1_a.up.sql"]);
    }

    #[test]
    fn descriptions_and_versions() {
        let p = plan_of(&empty(&["001_initial_schema.sql", "002_add-refresh__tokens_rollback.sql"]));
        let f = &p.forward[0];
        assert_eq!(f.description, "initial schema");
        assert_eq!(f.version, Some(Version { parts: vec![1], text: "001".into() }));
        assert_eq!(f.role, Role::Forward);
        assert_eq!(f.body, 0..10);
        assert_eq!(p.rollbacks[0].description, "add refresh tokens");
        let p = plan_of(&empty(&["V1_10__add_users.sql"]));
        assert_eq!(p.forward[0].version, Some(Version { parts: vec![1, 10], text: "1_10".into() }));
        assert_eq!(p.forward[0].description, "add users");
        let p = plan_of(&empty(&["V1__a.sql", "R__refresh_views.sql"]));
        assert_eq!(p.others[0].role, Role::NotMigration { reason: "repeatable migration (R__), not simulated".into() });
    }

    #[test]
    fn version_order() {
        let v = |s: &str| Version::parse(s).unwrap();
        assert!(v("9") < v("10"));
        assert!(v("1_9") < v("1_10"));
        assert!(v("1.2") < v("1_10"));
        assert!(v("001") < v("2"));
        assert!(v("1") < v("1.0.1"));
        assert!(v("1").same_number(&v("1.0")));
        assert!(v("1").same_number(&v("001")));
        assert_eq!(v("001").cmp(&v("1")), Ordering::Less, "then by text");
        assert_eq!(Version::parse("99999999999999999999999"), None);
        assert_eq!(Version::parse("1__2"), None);
        assert_eq!(Version::parse(""), None);
    }

    #[test]
    fn rollbacks_pair_with_forward_migrations() {
        let cases: &[(&[&str], &str, Option<&str>)] = &[
            (&["001_a.sql", "001_a_rollback.sql"], "1", Some("001_a_rollback.sql")),
            (&["1_a.up.sql", "1_a.down.sql"], "001", Some("1_a.down.sql")),
            (&["V1_1__a.sql", "U1_1__a.sql"], "1.1", Some("U1_1__a.sql")),
            (
                &["20240101120000_a.up.sql", "20240101120000_a.down.sql"],
                "20240101120000",
                Some("20240101120000_a.down.sql"),
            ),
            (&["001_a.sql", "001_a_rollback.sql"], "2", None),
        ];
        for &(files, version, expect) in cases {
            let p = plan_of(&empty(files));
            let found = p.rollback_of(&Version::parse(version).unwrap()).map(|f| f.name.as_str());
            assert_eq!(found, expect, "{files:?} {version}");
            assert!(p.diagnostics.iter().all(|d| d.rule != "orphan-rollback"), "{:?}", p.diagnostics);
        }
    }

    /// (name, text) → forward body, rollback body.
    #[track_caller]
    fn check_sections(files: &[(&str, &str)], scheme: Scheme, forward: &[&str], rollbacks: &[&str]) {
        let p = plan_of(files);
        assert_eq!(p.scheme, Some(scheme));
        let text = |f: &MigrationFile| files[f.file as usize].1.get(f.body.clone()).unwrap().to_string();
        assert_eq!(p.forward.iter().map(text).collect::<Vec<_>>(), forward);
        assert_eq!(p.rollbacks.iter().map(text).collect::<Vec<_>>(), rollbacks);
    }

    #[test]
    fn goose_sections() {
        check_sections(
            &[
                ("00001_users.sql", "-- +goose Up\nCREATE TABLE users (id int);\n-- +goose Down\nDROP TABLE users;\n"),
                (
                    "00002_fn.sql",
                    "-- header\n-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;\n-- +goose StatementEnd\n",
                ),
                ("00003_crlf.sql", "--  +goose up\r\nSELECT 3;\r\n-- +goose DOWN\r\nSELECT -3;"),
            ],
            Scheme::Goose,
            &[
                "CREATE TABLE users (id int);\n",
                "-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;\n-- +goose StatementEnd\n",
                "SELECT 3;\r\n",
            ],
            &["DROP TABLE users;\n", "SELECT -3;"],
        );
        let p = plan_of(&[("20240101120000_a.sql", "-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 2;\n")]);
        assert_eq!(p.forward[0].file, p.rollbacks[0].file);
        assert_eq!(p.forward[0].version, p.rollbacks[0].version);
        assert_eq!(p.forward[0].role, Role::Forward);
        assert_eq!(p.rollbacks[0].role, Role::Rollback);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    }

    #[test]
    fn dbmate_sections() {
        check_sections(
            &[
                (
                    "20240101120000_users.sql",
                    "-- migrate:up\nCREATE TABLE users (id int);\n\n-- migrate:down\nDROP TABLE users;\n",
                ),
                (
                    "20240102120000_down_first.sql",
                    "-- migrate:down\nSELECT 2;\n-- migrate:up transaction:false\nSELECT 1;\n",
                ),
                ("20240103120000_no_down.sql", "-- migrate:up\nSELECT 3;"),
            ],
            Scheme::Dbmate,
            &["CREATE TABLE users (id int);\n\n", "SELECT 1;\n", "SELECT 3;"],
            &["DROP TABLE users;\n", "SELECT 2;\n"],
        );
    }

    /// Files → (rule, severity, file name, exact message).
    #[track_caller]
    fn check_diagnostics(files: &[(&str, &str)], expect: &[(&str, Severity, &str, &str)]) {
        let p = plan_of(files);
        let got: Vec<(&str, Severity, &str, &str)> = p
            .diagnostics
            .iter()
            .map(|d| (d.rule, d.severity, files[d.span.file as usize].0, d.message.as_str()))
            .collect();
        assert_eq!(got, expect);
        for d in &p.diagnostics {
            let help = d.help.as_deref().unwrap_or("");
            assert!(help.ends_with('.') && help.starts_with(char::is_uppercase), "help: {help:?}");
        }
    }

    #[test]
    fn diagnostics() {
        use Severity::*;
        let seed = |names: &[&'static str]| empty(names);
        check_diagnostics(
            &seed(&["001_a.sql", "002_b.sql", "003_add_refresh_tokens.sql", "003_add_index.sql"]),
            &[(
                "duplicate-migration-number",
                Error,
                "003_add_refresh_tokens.sql",
                "migration number 003 is used by 003_add_index.sql and 003_add_refresh_tokens.sql: the runner's order between them is undefined",
            )],
        );
        check_diagnostics(
            &seed(&["004_x.sql", "006_y.sql", "010_z.sql"]),
            &[
                (
                    "migration-number-gap",
                    Warning,
                    "006_y.sql",
                    "migration 005 is missing: 004_x.sql is followed by 006_y.sql",
                ),
                (
                    "migration-number-gap",
                    Warning,
                    "010_z.sql",
                    "migrations 007 to 009 are missing: 006_y.sql is followed by 010_z.sql",
                ),
            ],
        );
        check_diagnostics(&seed(&["20240101120000_a.sql", "20240301120000_b.sql"]), &[]);
        check_diagnostics(&seed(&["V1__a.sql", "V3__b.sql"]), &[]);
        check_diagnostics(
            &seed(&["1_a.sql", "002_b.sql"]),
            &[(
                "mixed-number-width",
                Warning,
                "1_a.sql",
                "1_a.sql is numbered with 1 digit, but the folder pads migration numbers to 3 digits (like 002_b.sql): tools that sort by name put it out of order",
            )],
        );
        check_diagnostics(
            &seed(&["20240101120000_a.sql", "20240301120000_b.sql", "011_c.sql"]),
            &[(
                "mixed-number-width",
                Warning,
                "011_c.sql",
                "011_c.sql is numbered 011, but the other migrations use 14-digit timestamps (like 20240101120000_a.sql): it runs before all of them",
            )],
        );
        check_diagnostics(
            &seed(&["001_a.sql", "002_b.sql", "V3__c.sql"]),
            &[(
                "migration-name-convention",
                Warning,
                "V3__c.sql",
                "V3__c.sql is named in the Flyway style, but this folder uses NNN_name.sql (detected from 2 of 3 .sql files): it is not run",
            )],
        );
        check_diagnostics(
            &seed(&["001_a.sql", "002_Add Users.sql"]),
            &[(
                "migration-name-convention",
                Warning,
                "002_Add Users.sql",
                "002_Add Users.sql has upper-case letters and spaces in its name: migration names are lower-case by convention, names that differ only in case clash on case-insensitive file systems, and spaces break unquoted shell commands",
            )],
        );
        check_diagnostics(
            &seed(&["001_a.sql", "002_b.SQL"]),
            &[(
                "migration-name-convention",
                Warning,
                "002_b.SQL",
                "002_b.SQL ends in `.SQL`: migration runners only pick up lower-case `.sql` files, so it is not run",
            )],
        );
        check_diagnostics(
            &seed(&["001_a.sql", "VERIFY_NOTIFY.sql"]),
            &[(
                "not-a-migration",
                Info,
                "VERIFY_NOTIFY.sql",
                "VERIFY_NOTIFY.sql is not a migration: its name does not start with a migration number; it is not run",
            )],
        );
        check_diagnostics(
            &seed(&["001_a.sql", "004_x_rollback.sql"]),
            &[(
                "orphan-rollback",
                Warning,
                "004_x_rollback.sql",
                "004_x_rollback.sql is a rollback for migration 004, but there is no forward migration 004: it never pairs with anything",
            )],
        );
        check_diagnostics(
            &[("001_a.sql", "-- +goose Up\nSELECT 1;\n"), ("002_b.sql", "SELECT 2;\n-- +goose Down\nSELECT 3;\n")],
            &[(
                "missing-up-section",
                Error,
                "002_b.sql",
                "002_b.sql has a `-- +goose Down` line but no `-- +goose Up` line: goose refuses to run it",
            )],
        );
        check_diagnostics(
            &[
                ("001_a.sql", "-- +goose Up\nSELECT 1;\n"),
                ("002_b.sql", "-- +goose Up\n"),
                ("003_c.sql", "SELECT 3;\n"),
            ],
            &[(
                "migration-name-convention",
                Warning,
                "003_c.sql",
                "003_c.sql has no `-- +goose Up` line, but this folder uses goose (detected from 2 of 3 .sql files): goose cannot run it, so it is not simulated",
            )],
        );
        check_diagnostics(
            &[
                ("001_a.sql", "SELECT 1;\n"),
                ("002_b.sql", "SELECT 2;\n"),
                ("003_c.sql", "-- +goose Up\nSELECT 3;\n-- +goose Down\nSELECT 4;\n"),
            ],
            &[(
                "migration-name-convention",
                Warning,
                "003_c.sql",
                "003_c.sql has a `-- +goose Down` section, but this folder uses NNN_name.sql (detected from 2 of 3 .sql files), which runs the whole file: its rollback SQL runs right after the forward SQL",
            )],
        );
        check_diagnostics(
            &seed(&["V1__a.sql", "R__views.sql"]),
            &[(
                "not-a-migration",
                Info,
                "R__views.sql",
                "R__views.sql is a Flyway repeatable migration: Flyway reruns it after the versioned ones whenever it changes; it is not simulated",
            )],
        );
    }

    #[test]
    fn diagnostic_spans_and_helps() {
        let files =
            [("001_a.sql", "-- +goose Up\nSELECT 1;\n"), ("002_b.sql", "SELECT 2;\n-- +goose Down\nSELECT 3;\n")];
        let p = plan_of(&files);
        let d = &p.diagnostics[0];
        assert_eq!(d.span, Span::new(1, 10, 24));
        assert_eq!(files[1].1.get(d.span.range()), Some(GOOSE_DOWN));
        let p = plan_of(&empty(&["001_a.sql", "010_backfill.sql", "VERIFY_NOTIFY.sql", "002_b.sql", "002_c.sql"]));
        let help = |rule: &str| p.diagnostics.iter().find(|d| d.rule == rule).and_then(|d| d.help.clone());
        assert_eq!(
            help("not-a-migration").as_deref(),
            Some("Move it out of the migrations folder, or rename it to 011_verify_notify.sql if it should run.")
        );
        assert_eq!(
            help("duplicate-migration-number").as_deref(),
            Some("Rename 002_c.sql to 011_c.sql unless a database has already run it.")
        );
        assert_eq!(
            p.diagnostics.iter().find(|d| d.rule == "duplicate-migration-number").unwrap().span,
            Span::new(4, 0, 0)
        );
        let p = plan_of(&empty(&["001_a.sql", "1_b.sql"]));
        assert_eq!(
            p.diagnostics.iter().map(|d| d.rule).collect::<Vec<_>>(),
            ["duplicate-migration-number", "mixed-number-width"]
        );
        let p = plan_of(&empty(&["001_a.sql", "002_Add Users.sql"]));
        assert_eq!(p.diagnostics[0].help.as_deref(), Some("Rename it to 002_add_users.sql."));
    }

    #[test]
    fn override_scheme() {
        let files = empty(&["001_a.sql", "002_b.sql", "003_c.up.sql"]);
        let p = plan(&files, &PlanOptions { scheme: Some(Scheme::GolangMigrate) });
        assert_eq!(p.scheme, Some(Scheme::GolangMigrate));
        assert!(p.scheme_overridden);
        assert_eq!(names(&p.forward), ["003_c.up.sql"]);
        assert!(p.diagnostics[0].message.contains("(set in the project config)"), "{:?}", p.diagnostics);
        let p = plan_of(&files);
        assert!(!p.scheme_overridden);
        assert_eq!(p.scheme, Some(Scheme::Seed));
    }

    #[test]
    fn scheme_ids() {
        for scheme in Scheme::ALL {
            assert_eq!(Scheme::parse(scheme.id()), Some(scheme));
        }
        assert_eq!(Scheme::parse(" Golang-Migrate "), Some(Scheme::GolangMigrate));
        assert_eq!(Scheme::parse("NNN_name.sql"), None);
        assert_eq!(Scheme::Seed.name(), "NNN_name.sql");
    }

    /// Folder, description, expected next name.
    type NextNameCase = (Vec<(&'static str, &'static str)>, &'static str, &'static str);

    #[test]
    fn next_names() {
        let goose_files = [("00001_a.sql", "-- +goose Up\n"), ("00002_b.sql", "-- +goose Up\n")];
        let goose_stamps = [("20240101120000_a.sql", "-- +goose Up\n")];
        let dbmate_files = [("20240101120000_a.sql", "-- migrate:up\n")];
        let now = "20250102030405";
        let cases: &[NextNameCase] = &[
            (
                empty(&["001_a.sql", "010_backfill_missing_owners.sql"]),
                "add notifications table",
                "011_add_notifications_table.sql",
            ),
            (empty(&["0009_x.sql"]), "Add Notifications!", "0010_add_notifications.sql"),
            (empty(&["9_x.sql"]), "x", "10_x.sql"),
            (empty(&["1_a.up.sql", "1_a.down.sql"]), "b", "2_b.up.sql"),
            (empty(&["V1__a.sql", "V11__b.sql"]), "add notifications table", "V12__add_notifications_table.sql"),
            (empty(&["V1_9__a.sql"]), "b", "V1_10__b.sql"),
            (empty(&["V001__a.sql"]), "b", "V002__b.sql"),
            (empty(&["20240101120000_a.sql"]), "b", "20250102030405_b.sql"),
            (empty(&["20240101120000_a.up.sql"]), "b", "20250102030405_b.up.sql"),
            (empty(&["29990101120000_a.sql"]), "b", "29990101120001_b.sql"),
            (empty(&["0009-x.sql"]), "Add Users Table", "0010-add-users-table.sql"),
            (empty(&["0009.x.sql"]), "add users", "0010.add_users.sql"),
            (goose_files.to_vec(), "c", "00003_c.sql"),
            (goose_stamps.to_vec(), "c", "20250102030405_c.sql"),
            (dbmate_files.to_vec(), "c", "20250102030405_c.sql"),
            (vec![], "  --  ", "001_migration.sql"),
            (empty(&["001_a.sql"]), "Ünïcode  names", "002_ünïcode_names.sql"),
        ];
        for (files, description, expect) in cases {
            let p = plan_of(files);
            assert_eq!(next_name(&p, description, now), *expect, "{files:?}");
        }
        let p = plan_of(&empty(&["20240101120000_a.sql"]));
        assert_eq!(next_name(&p, "b", "2025-01-02T03:04:05"), "20250102030405_b.sql");
        assert_eq!(next_name(&p, "b", ""), "20240101120001_b.sql");
        let p = plan_of(&[]);
        assert_eq!(next_name(&p, "b", ""), "001_b.sql");
    }

    #[test]
    fn next_rollback_names() {
        let cases: &[(&[&str], &str, Option<&str>)] = &[
            (&["001_a.sql"], "011_x.sql", Some("011_x_rollback.sql")),
            (&["001_a.sql"], "011_x_rollback.sql", None),
            (&["001_a.sql"], "notes.sql", None),
            (&["1_a.up.sql"], "011_x.up.sql", Some("011_x.down.sql")),
            (&["1_a.up.sql"], "011_x.sql", None),
            (&["V1__a.sql"], "V12__x.sql", Some("U12__x.sql")),
            (&["V1__a.sql"], "U12__x.sql", None),
            (&["20240101120000_a.up.sql"], "20250101120000_x.up.sql", Some("20250101120000_x.down.sql")),
            (&["20240101120000_a.sql"], "20250101120000_x.sql", None),
            (&["0001-a.sql"], "0002-x.sql", None),
        ];
        for &(files, forward, expect) in cases {
            let p = plan_of(&empty(files));
            assert_eq!(next_rollback_name(&p, forward).as_deref(), expect, "{files:?} {forward}");
        }
        let p = plan_of(&[("00001_a.sql", "-- +goose Up\n")]);
        assert_eq!(next_rollback_name(&p, "00002_b.sql"), None);
    }

    #[test]
    fn odd_names_do_not_panic() {
        let odd = [
            "",
            ".sql",
            "_.sql",
            "V__x.sql",
            "U__x.sql",
            "R__.sql",
            "V.sql",
            "V1.sql",
            "V1__.sql",
            "V1._2__x.sql",
            "999999999999999999999999_x.sql",
            "V99999999999999999999999__x.sql",
            "99999999999999999999999.up.sql",
            "1",
            "1_",
            "1_.up.sql",
            "1-.sql",
            "1..sql",
            "001.sql",
            "/",
            "dir/002_x.sql",
            "é_ü.sql",
            "00١_arabic.sql",
            "😀.sql",
            "18446744073709551615_max.sql",
            "18446744073709551616_over.sql",
        ];
        let texts = ["", "-- +goose Down", "-- +goose Up", "-- migrate:down\r", "é\n-- migrate:up\n😀", "\n\n\r\n"];
        for (i, name) in odd.iter().enumerate() {
            for text in texts {
                let files = [(*name, text), (odd[(i + 1) % odd.len()], text), ("001_a.sql", text)];
                for scheme in Scheme::ALL.into_iter().map(Some).chain([None]) {
                    let p = plan(&files, &PlanOptions { scheme });
                    for f in p.forward.iter().chain(&p.rollbacks).chain(&p.others) {
                        assert!(files[f.file as usize].1.get(f.body.clone()).is_some(), "{name}: {f:?}");
                    }
                    let next = next_name(&p, name, text);
                    assert!(!next.is_empty());
                    let _ = next_rollback_name(&p, name);
                    let _ = next_rollback_name(&p, &next);
                }
            }
        }
        let p = plan_of(&empty(&["999999999999999999999999_x.sql"]));
        assert_eq!(p.scheme, None);
        assert_eq!(p.others[0].role, Role::NotMigration { reason: "number does not fit in 64 bits".into() });
        let p = plan_of(&empty(&["18446744073709551615_max.sql"]));
        assert_eq!(next_name(&p, "x", ""), "18446744073709551615_x.sql", "saturates instead of overflowing");
        let p = plan_of(&empty(&["V__x.sql"]));
        assert_eq!(p.others[0].role, Role::NotMigration { reason: "Flyway version is empty".into() });
    }

    #[test]
    fn serializes() {
        // serde_json is not a dependency of this module's tests; check the derive compiles and tags.
        fn assert_serialize<T: Serialize>() {}
        assert_serialize::<Plan>();
        assert_serialize::<PlanOptions>();
    }
}
