//! Parity with squawk, the reference linter for PostgreSQL migrations (squawk-cli 2.70.0 from PyPI).
//!
//! Every migration set of `tests/corpus/`, the example project `migrations/`, and the parity corpus
//! `tests/parity/` (a project written to exercise every squawk rule, bad and good forms) is linted twice:
//! by squawk (`--reporter json`, `--include` of every opt-in rule, `--assume-in-transaction` for the files
//! the transaction runner wraps, `--pg-version` of the set) and by the `schema-playground` binary as users run
//! it, `schema-playground check DIR --format json --include all` (every rule on; the set's project file,
//! `.squawk.toml`, runner and `-- squawk-ignore` comments apply as they do for users). The library's analysis
//! of the same folder, with no rule on, only places the findings of both tools: in which statement of which
//! forward migration each one falls.
//!
//! Findings are matched by (file, line, rule id), then, for the rest, by (file, statement, rule id): the two
//! tools often point at different lines of one multi-line statement. The timeout rules say once per file that
//! the file sets no timeout, each tool on the statement it deems the first to need it: those match by file.
//!
//! Our extra findings (under a squawk id, where squawk reports nothing that matches) are checked too. A
//! `prefer-robust-stmts` finding in a file the runner wraps in a transaction is the documented difference
//! `robust-everywhere` when squawk reports the same statement once told the file runs outside a transaction
//! (squawk is run a second time on those files with `--no-assume-in-transaction`: its rule speaks only
//! outside a transaction, ours in every file). Every other extra finding is listed in
//! `tests/parity/EXTRAS.txt` with the key of a row of the table of differences in `docs/rules.md`.
//!
//! The test fails when
//! - squawk 2.70.0 cannot be found (scripts/test.sh installs it): never a silent pass;
//! - parity is below 95%: matched findings over squawk's findings, leaving out the misses documented as
//!   deliberate differences (squawk's mistakes, or the engine knowing better from the schema); misses
//!   documented as the engine's gaps (`not yet`) still count. The raw match rate is reported too;
//! - a rule's match rate falls below its floor in `tests/parity/FLOORS.txt`;
//! - a squawk finding the engine misses is not listed in `tests/parity/DIFFERENCES.txt` with the key of a
//!   row of the table of deliberate differences in `docs/rules.md` (whose rule column names that rule), or
//!   the list names a finding that is no longer missed;
//! - an extra finding of ours is neither `robust-everywhere` (above) nor listed in `tests/parity/EXTRAS.txt`
//!   with the key of a row that names its rule, or the list names a finding we no longer report: the lists
//!   are the ceiling on what we report beyond squawk, so precision cannot fall unnoticed.
//!
//! `PARITY_UPDATE=1 cargo test --test squawk_parity` rewrites FLOORS.txt (the current rates), DIFFERENCES.txt
//! (current misses) and EXTRAS.txt (current extra findings), keeping the keys of what was listed; new entries
//! get the key `undocumented`, which fails until a person gives the reason (or fixes the rule). The report
//! (per-rule table, misses, extra findings) is printed and written to `target/tmp/squawk-parity.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use schema_playground::analysis::{Analysis, Options, Runner, SourceFile, analyze};
use schema_playground::config::ProjectConfig;
use schema_playground::migrations::{self, Role};
use schema_playground::rules::{self, DEFAULT_PG_VERSION, SquawkConfig};
use schema_playground::span::{LineCol, LineIndex};

const SQUAWK_VERSION: &str = "2.70.0";
const MIN_PARITY: f64 = 95.0;

/// Rules both tools report at most once per file, on the first statement that needs what the file lacks: a
/// finding on another statement of the same file is the same finding.
const PER_FILE_RULES: &[&str] = &["require-lock-timeout", "require-statement-timeout"];

/// `robust-everywhere` (docs/rules.md): squawk's `prefer-robust-stmts` speaks only in files that run outside a
/// transaction, ours in every file. Our extra findings of it in a file the runner wraps are that difference
/// when squawk reports the same statement once told the file runs outside a transaction.
const ROBUST_EVERYWHERE_RULE: &str = "prefer-robust-stmts";

/// Every rule id squawk 2.70 reports (its `--include` also accepts the alias `require-timeout-settings`,
/// which stands for the two timeout rules, and `prefer-timestamptz` for `prefer-timestamp-tz`).
/// `unused-ignore` is not a rule of the CLI in 2.70 (`--include` rejects it, and it never reports).
const SQUAWK_RULES: &[&str] = &[
    "adding-field-with-default",
    "adding-foreign-key-constraint",
    "adding-not-nullable-field",
    "adding-required-field",
    "adding-serial-primary-key-field",
    "ban-add-column",
    "ban-add-composite-attribute",
    "ban-add-enum-value",
    "ban-alter-database-options",
    "ban-alter-domain-with-add-constraint",
    "ban-alter-extension",
    "ban-alter-function-options",
    "ban-alter-generated-expression",
    "ban-alter-identity",
    "ban-alter-policy-condition",
    "ban-alter-policy-roles",
    "ban-alter-role-options",
    "ban-alter-row-level-security",
    "ban-alter-sequence-values",
    "ban-alter-system-options",
    "ban-alter-view-options",
    "ban-char-field",
    "ban-concurrent-index-creation-in-transaction",
    "ban-create-domain-with-constraint",
    "ban-create-policy",
    "ban-detach-inheritance",
    "ban-disable-trigger",
    "ban-drop-column",
    "ban-drop-constraint",
    "ban-drop-database",
    "ban-drop-default",
    "ban-drop-domain",
    "ban-drop-extension",
    "ban-drop-function",
    "ban-drop-generated-expression",
    "ban-drop-index",
    "ban-drop-not-null",
    "ban-drop-policy",
    "ban-drop-schema",
    "ban-drop-sequence",
    "ban-drop-table",
    "ban-drop-trigger",
    "ban-drop-type",
    "ban-drop-view",
    "ban-duplicate-column-assignments",
    "ban-new-write-restriction",
    "ban-replace-view-function",
    "ban-replica-identity",
    "ban-revoke",
    "ban-set-default",
    "ban-set-schema",
    "ban-truncate-cascade",
    "ban-uncommitted-transaction",
    "changing-column-type",
    "constraint-missing-not-valid",
    "disallowed-unique-constraint",
    "identifier-too-long",
    "prefer-bigint-over-int",
    "prefer-bigint-over-smallint",
    "prefer-identity",
    "prefer-repack",
    "prefer-robust-stmts",
    "prefer-text-field",
    "prefer-timestamp-tz",
    "renaming-column",
    "renaming-object",
    "renaming-table",
    "require-concurrent-index-creation",
    "require-concurrent-index-deletion",
    "require-concurrent-partition-detach",
    "require-concurrent-reindex",
    "require-enum-value-ordering",
    "require-lock-timeout",
    "require-statement-timeout",
    "require-table-schema",
    "transaction-nesting",
];

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

// ---------------------------------------------------------------------------------------------------------
// Finding squawk

/// The squawk binary, or a panic that says how to install it.
fn squawk() -> PathBuf {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(p) = std::env::var_os("SQUAWK") {
        candidates.push(PathBuf::from(p));
    }
    for args in ["'scripts', os.name + '_user'", "'scripts'"] {
        let code = format!("import os, sysconfig; print(sysconfig.get_path({args}))");
        if let Ok(out) = Command::new("python3").args(["-c", &code]).output()
            && out.status.success()
        {
            let dir = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if !dir.is_empty() {
                candidates.push(Path::new(&dir).join("squawk"));
            }
        }
    }
    // Last: whatever PATH finds (a pyenv shim, say, which costs a shell per run).
    candidates.push(PathBuf::from("squawk"));
    let mut seen = Vec::new();
    for c in &candidates {
        match Command::new(c).arg("--version").output() {
            Ok(out) => {
                let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
                if version == format!("squawk {SQUAWK_VERSION}") {
                    return c.clone();
                }
                seen.push(format!("{} says {version:?}", c.display()));
            }
            Err(e) => seen.push(format!("{}: {e}", c.display())),
        }
    }
    panic!(
        "squawk {SQUAWK_VERSION} is required for the parity test and was not found ({}). scripts/test.sh installs \
         it; by hand: `python3 -m pip install --user squawk-cli=={SQUAWK_VERSION}`, or set SQUAWK=/path/to/squawk.",
        seen.join("; ")
    );
}

// ---------------------------------------------------------------------------------------------------------
// One set

/// A finding of either tool, located.
#[derive(Clone, Debug)]
struct Found {
    /// File name inside the set.
    file: String,
    rule: String,
    /// 1-based.
    line: u32,
    /// The statement it falls in (index into the set's statements of that file), when known.
    statement: Option<usize>,
    message: String,
}

struct SetResult {
    label: String,
    squawk: Vec<Found>,
    ours: Vec<Found>,
    /// squawk's `prefer-robust-stmts` findings on the files the runner wraps in a transaction, squawk being
    /// told they run outside one: what `robust-everywhere` says the engine reports there.
    robust_outside: Vec<Found>,
    /// Squawk findings outside the forward migrations (rollback files, down sections): rule → count.
    out_of_scope: BTreeMap<String, usize>,
    /// Squawk's syntax errors, per file: the engine cannot be compared where squawk did not parse.
    squawk_syntax_errors: Vec<String>,
}

/// The folder as the CLI reads it: `.sql` files and the configuration files with their text, other files by
/// name only.
fn read_folder(dir: &Path) -> Vec<SourceFile> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        if !path.is_file() {
            continue;
        }
        let name = path.file_name().expect("a file name").to_string_lossy().into_owned();
        let config = name == schema_playground::config::FILE_NAME || name == SquawkConfig::FILE_NAME;
        let text = if name.to_ascii_lowercase().ends_with(".sql") || config {
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
        } else {
            String::new()
        };
        files.push(SourceFile::new(name, text));
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

/// The sets: every corpus set, the example project, the parity corpus and its sub-sets.
fn sets() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let subdirs = |rel: &str| -> Vec<(String, PathBuf)> {
        let mut dirs: Vec<(String, PathBuf)> = std::fs::read_dir(repo(rel))
            .unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
            .map(|e| e.expect("a directory entry").path())
            .filter(|p| p.is_dir() && p.file_name().is_some_and(|n| n != "expected"))
            .map(|p| (format!("{rel}/{}", p.file_name().expect("a name").to_string_lossy()), p))
            .collect();
        dirs.sort();
        dirs
    };
    out.extend(subdirs("tests/corpus"));
    out.push(("migrations".to_string(), repo("migrations")));
    out.push(("tests/parity".to_string(), repo("tests/parity")));
    out.extend(subdirs("tests/parity"));
    out
}

#[derive(serde::Deserialize)]
struct SquawkFinding {
    file: String,
    /// 0-based.
    line: u32,
    /// 0-based, in characters.
    column: u32,
    message: String,
    rule_name: String,
}

fn run_squawk(bin: &Path, dir: &Path, files: &[&str], pg_version: u32, in_transaction: bool) -> Vec<SquawkFinding> {
    if files.is_empty() {
        return Vec::new();
    }
    let mut cmd = Command::new(bin);
    cmd.current_dir(dir)
        .arg("--reporter")
        .arg("json")
        .arg(format!("--pg-version={pg_version}.0"))
        .arg(format!("--include={}", SQUAWK_RULES.join(",")));
    if in_transaction {
        cmd.arg("--assume-in-transaction");
    } else {
        cmd.arg("--no-assume-in-transaction");
    }
    cmd.args(files);
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    match serde_json::from_str(&stdout) {
        Ok(v) => v,
        Err(e) => panic!(
            "squawk in {} (exit {:?}) printed no JSON ({e}): {stdout}\n{}",
            dir.display(),
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

/// The arguments after `check DIR`: every rule on, as squawk runs with `--include` of every opt-in rule. The
/// runner and the PostgreSQL version come from the set's project file or `.squawk.toml`, as for users.
const CHECK_ARGS: &[&str] = &["--format", "json", "--include", "all"];

/// One diagnostic of `schema-playground check --format json`.
#[derive(serde::Deserialize)]
struct OurFinding {
    file: String,
    /// 1-based.
    line: u32,
    /// 1-based, in characters.
    column: u32,
    rule: String,
    message: String,
}

/// `schema-playground check DIR --format json --include all`: the binary users run, not the library.
fn run_ours(dir: &Path) -> Vec<OurFinding> {
    let out = Command::new(env!("CARGO_BIN_EXE_schema-playground"))
        .arg("check")
        .arg(dir)
        .args(CHECK_ARGS)
        .output()
        .unwrap_or_else(|e| panic!("cannot run schema-playground: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Exit status 1 says some diagnostic is an error (what PostgreSQL rejects); 2 is a failure of the command.
    match (out.status.code(), serde_json::from_str(&stdout)) {
        (Some(0 | 1), Ok(v)) => v,
        (code, parsed) => panic!(
            "`schema-playground check {} {}` (exit {code:?}) printed no diagnostics ({:?}): {stdout}\n{}",
            dir.display(),
            CHECK_ARGS.join(" "),
            parsed.err(),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

/// The statement of `file` that holds byte `offset`: the first one that does not end before it (so a
/// position in the comments before a statement belongs to it).
fn statement_at(analysis: &Analysis, file: u32, offset: usize) -> Option<usize> {
    analysis
        .statements
        .iter()
        .enumerate()
        .filter(|(_, s)| s.span.file == file && s.migration.is_some())
        .find(|(_, s)| s.span.end as usize > offset)
        .map(|(i, _)| i)
}

fn check_set(bin: &Path, label: &str, dir: &Path) -> SetResult {
    let files = read_folder(dir);
    // The configuration as the CLI reads it; no rule runs: the findings are the binary's.
    let mut options = Options::default();
    let _ = ProjectConfig::apply_from(&files, &mut options);
    let pg_version = options.rules.pg_version.unwrap_or(DEFAULT_PG_VERSION);
    options.rules.only = Some(Vec::new());
    let analysis = analyze(files, &options);

    // Forward bodies, by file id.
    let mut bodies: BTreeMap<u32, Vec<std::ops::Range<usize>>> = BTreeMap::new();
    for m in &analysis.plan.forward {
        if m.role == Role::Forward {
            bodies.entry(m.file).or_default().push(m.body.clone());
        }
    }
    let sql_files: Vec<(u32, &SourceFile)> = analysis
        .files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.name.to_ascii_lowercase().ends_with(".sql"))
        .map(|(i, f)| (i as u32, f))
        .collect();
    let indexes: BTreeMap<u32, LineIndex> = sql_files.iter().map(|(i, f)| (*i, LineIndex::new(&f.text))).collect();
    let in_transaction =
        |f: &SourceFile| options.runner == Runner::Transaction && !migrations::runs_outside_transaction(&f.text);
    let wrapped: Vec<&str> =
        sql_files.iter().filter(|(_, f)| in_transaction(f)).map(|(_, f)| f.name.as_str()).collect();
    let unwrapped: Vec<&str> =
        sql_files.iter().filter(|(_, f)| !in_transaction(f)).map(|(_, f)| f.name.as_str()).collect();
    let mut raw = run_squawk(bin, dir, &wrapped, pg_version, true);
    raw.extend(run_squawk(bin, dir, &unwrapped, pg_version, false));
    let robust_raw: Vec<SquawkFinding> = run_squawk(bin, dir, &wrapped, pg_version, false)
        .into_iter()
        .filter(|f| f.rule_name == ROBUST_EVERYWHERE_RULE)
        .collect();

    // (file id, byte offset) of a 1-based line and column, and whether it is in a forward migration.
    let place = |name: &str, line: u32, column: u32| -> (u32, usize, bool) {
        let Some((id, file)) = sql_files.iter().find(|(_, s)| s.name == name) else {
            panic!("a finding on {name:?}, which is not an SQL file of {label}");
        };
        let offset = indexes[id].offset(&file.text, LineCol { line, column });
        let forward = bodies.get(id).is_some_and(|b| b.iter().any(|r| r.start <= offset && offset <= r.end));
        (*id, offset, forward)
    };

    let mut result = SetResult {
        label: label.to_string(),
        squawk: Vec::new(),
        ours: Vec::new(),
        robust_outside: Vec::new(),
        out_of_scope: BTreeMap::new(),
        squawk_syntax_errors: Vec::new(),
    };
    for f in raw {
        let name = f.file.trim_start_matches("./").to_string();
        if f.rule_name == "syntax-error" {
            result.squawk_syntax_errors.push(format!("{name}:{}", f.line + 1));
            continue;
        }
        assert!(
            SQUAWK_RULES.contains(&f.rule_name.as_str()),
            "squawk reported the rule {:?}, which SQUAWK_RULES does not list",
            f.rule_name
        );
        let (id, offset, forward) = place(&name, f.line + 1, f.column + 1);
        if !forward {
            *result.out_of_scope.entry(f.rule_name).or_default() += 1;
            continue;
        }
        result.squawk.push(Found {
            file: name,
            rule: f.rule_name,
            line: f.line + 1,
            statement: statement_at(&analysis, id, offset),
            message: f.message,
        });
    }
    for f in robust_raw {
        let name = f.file.trim_start_matches("./").to_string();
        let (id, offset, forward) = place(&name, f.line + 1, f.column + 1);
        if forward {
            result.robust_outside.push(Found {
                file: name,
                rule: f.rule_name,
                line: f.line + 1,
                statement: statement_at(&analysis, id, offset),
                message: f.message,
            });
        }
    }
    for d in run_ours(dir) {
        let rule = if d.rule == "prefer-timestamptz" { "prefer-timestamp-tz".to_string() } else { d.rule };
        // Squawk's ids only, on the migration files (not `config-error` on the project file, say).
        if !SQUAWK_RULES.contains(&rule.as_str()) || !d.file.to_ascii_lowercase().ends_with(".sql") {
            continue;
        }
        let (id, offset, _) = place(&d.file, d.line, d.column);
        result.ours.push(Found {
            file: d.file,
            rule,
            line: d.line,
            statement: statement_at(&analysis, id, offset),
            message: d.message,
        });
    }
    result
}

// ---------------------------------------------------------------------------------------------------------
// Matching and the tally

#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    squawk: usize,
    same_line: usize,
    same_statement: usize,
    /// Per-file rules only: the same file, another statement.
    same_file: usize,
    missed: usize,
    /// Our findings squawk does not report, `robust` included.
    extra: usize,
    /// Extra findings squawk reports too when told the file runs outside a transaction (`robust-everywhere`).
    robust: usize,
    out_of_scope: usize,
}

impl Tally {
    fn matched(&self) -> usize {
        self.same_line + self.same_statement + self.same_file
    }

    fn rate(&self) -> Option<f64> {
        (self.squawk > 0).then(|| 100.0 * self.matched() as f64 / self.squawk as f64)
    }

    fn add(self, t: &Tally) -> Tally {
        Tally {
            squawk: self.squawk + t.squawk,
            same_line: self.same_line + t.same_line,
            same_statement: self.same_statement + t.same_statement,
            same_file: self.same_file + t.same_file,
            missed: self.missed + t.missed,
            extra: self.extra + t.extra,
            robust: self.robust + t.robust,
            out_of_scope: self.out_of_scope + t.out_of_scope,
        }
    }
}

/// A miss or an extra finding, located: `set/file:line`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Located {
    rule: String,
    location: String,
    message: String,
}

impl Located {
    /// Rule, then file, then line as a number.
    fn sort_key(&self) -> (&str, &str, u32) {
        let (file, line) = self.location.rsplit_once(':').unwrap_or((&self.location, "0"));
        (&self.rule, file, line.parse().unwrap_or(0))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pairing {
    Line,
    Statement,
}

/// Pairs each finding of `theirs` with a finding of `ours` not `used` yet (and marks it used): on the same
/// line first, then, for the rest, in the same statement. Returns how each finding of `theirs` was paired.
fn pair(theirs: &[&Found], ours: &[&Found], used: &mut [bool]) -> Vec<Option<Pairing>> {
    let mut how = vec![None; theirs.len()];
    for (k, t) in theirs.iter().enumerate() {
        if let Some(i) = (0..ours.len()).find(|&i| !used[i] && ours[i].line == t.line) {
            used[i] = true;
            how[k] = Some(Pairing::Line);
        }
    }
    for (k, t) in theirs.iter().enumerate() {
        if how[k].is_some() || t.statement.is_none() {
            continue;
        }
        if let Some(i) = (0..ours.len()).find(|&i| !used[i] && ours[i].statement == t.statement) {
            used[i] = true;
            how[k] = Some(Pairing::Statement);
        }
    }
    how
}

/// Matches one set's findings; returns (misses, extras), leaving out of the extras those `robust-everywhere`
/// accounts for (counted in the tally's `robust`).
fn match_set(set: &SetResult, tallies: &mut BTreeMap<String, Tally>) -> (Vec<Located>, Vec<Located>) {
    let mut misses = Vec::new();
    let mut extras = Vec::new();
    // (file, rule) → (squawk's, ours).
    type Pair<'a> = (Vec<&'a Found>, Vec<&'a Found>);
    let mut groups: BTreeMap<(String, String), Pair> = BTreeMap::new();
    for f in &set.squawk {
        groups.entry((f.file.clone(), f.rule.clone())).or_default().0.push(f);
    }
    for f in &set.ours {
        groups.entry((f.file.clone(), f.rule.clone())).or_default().1.push(f);
    }
    for ((file, rule), (theirs, ours)) in groups {
        let tally = tallies.entry(rule.clone()).or_default();
        tally.squawk += theirs.len();
        let mut used = vec![false; ours.len()];
        let paired = pair(&theirs, &ours, &mut used);
        for (t, how) in theirs.iter().zip(paired) {
            match how {
                Some(Pairing::Line) => tally.same_line += 1,
                Some(Pairing::Statement) => tally.same_statement += 1,
                None => {
                    // A per-file rule says "this file lacks X" once; the tools may pick different statements to
                    // say it on.
                    let same_file =
                        PER_FILE_RULES.contains(&rule.as_str()).then(|| (0..ours.len()).find(|&i| !used[i])).flatten();
                    match same_file {
                        Some(i) => {
                            used[i] = true;
                            tally.same_file += 1;
                        }
                        None => {
                            tally.missed += 1;
                            misses.push(Located {
                                rule: rule.clone(),
                                location: format!("{}/{file}:{}", set.label, t.line),
                                message: t.message.clone(),
                            });
                        }
                    }
                }
            }
        }
        let extra = used.iter().filter(|u| !**u).count();
        tally.extra += extra;
        if rule == ROBUST_EVERYWHERE_RULE {
            let outside: Vec<&Found> = set.robust_outside.iter().filter(|f| f.file == file).collect();
            let paired = pair(&outside, &ours, &mut used);
            tally.robust += paired.iter().filter(|p| p.is_some()).count();
        }
        for (i, o) in ours.iter().enumerate() {
            if !used[i] {
                extras.push(Located {
                    rule: rule.clone(),
                    location: format!("{}/{file}:{}", set.label, o.line),
                    message: o.message.clone(),
                });
            }
        }
    }
    for (rule, n) in &set.out_of_scope {
        tallies.entry(rule.clone()).or_default().out_of_scope += n;
    }
    (misses, extras)
}

// ---------------------------------------------------------------------------------------------------------
// The committed files

/// A row of `docs/rules.md`'s table of differences.
struct Documented {
    /// The rule ids the row names (`*` for any).
    rules: BTreeSet<String>,
    /// `not yet` marks the engine's own gaps: their misses count against parity.
    gap: bool,
}

/// `docs/rules.md`'s table of differences, by key.
fn documented_differences() -> BTreeMap<String, Documented> {
    let path = repo("docs/rules.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let section = text
        .split("\n## ")
        .find(|s| s.starts_with("Deliberate differences"))
        .expect("docs/rules.md has a section `## Deliberate differences with squawk`");
    let mut out = BTreeMap::new();
    for line in section.lines().filter(|l| l.trim_start().starts_with('|')) {
        let cells: Vec<&str> = line.trim().trim_matches('|').split('|').map(str::trim).collect();
        if cells.len() < 4 {
            continue;
        }
        let Some(key) = cells[0].strip_prefix('`').and_then(|k| k.strip_suffix('`')) else { continue };
        let rules: BTreeSet<String> =
            cells[1].split(',').map(|r| r.trim().trim_matches('`').to_string()).filter(|r| !r.is_empty()).collect();
        let gap = cells[2].eq_ignore_ascii_case("not yet");
        assert!(
            out.insert(key.to_string(), Documented { rules, gap }).is_none(),
            "docs/rules.md: the key `{key}` names two rows of the table of differences"
        );
    }
    assert!(!out.is_empty(), "docs/rules.md: the table of deliberate differences has no rows");
    out
}

const DIFFERENCES: &str = "tests/parity/DIFFERENCES.txt";
const EXTRAS: &str = "tests/parity/EXTRAS.txt";
const FLOORS: &str = "tests/parity/FLOORS.txt";
const UNDOCUMENTED: &str = "undocumented";

const DIFFERENCES_HEADER: &str = "\
# Every squawk finding the engine does not report: KEY RULE SET/FILE:LINE, where KEY is the first column of a
# row of the table of deliberate differences in docs/rules.md that names RULE. Checked by
# tests/squawk_parity.rs; `PARITY_UPDATE=1 cargo test --test squawk_parity` rewrites this list (keeping
# keys; new misses get `undocumented`, which fails until their reason is documented, or the rule fixed).
";

const EXTRAS_HEADER: &str = "\
# Every finding the engine reports under a squawk rule id where squawk reports nothing that matches (same
# file and rule, same line or statement): KEY RULE SET/FILE:LINE, where KEY is the first column of a row of
# the table of deliberate differences in docs/rules.md that names RULE. This list is the ceiling on what we
# report beyond squawk: tests/squawk_parity.rs fails on an extra finding it does not list (fix the rule, or
# document the difference and list it) and on a listed one we no longer report. Not listed: the
# prefer-robust-stmts findings that squawk reports too once told the file runs outside a transaction
# (robust-everywhere, checked by a second squawk run). `PARITY_UPDATE=1 cargo test --test squawk_parity`
# rewrites this list (keeping keys; new findings get `undocumented`, which fails until a person keys them).
";

/// A list of `KEY RULE SET/FILE:LINE` lines: (rule, location) → keys, one per listed finding (a location can
/// hold two findings of one rule).
fn read_keyed(rel: &str) -> BTreeMap<(String, String), Vec<String>> {
    let text = std::fs::read_to_string(repo(rel)).unwrap_or_default();
    let mut out: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let [key, rule, location] = words[..] else {
            panic!("{rel}:{}: expected `KEY RULE SET/FILE:LINE`, found {line:?}", n + 1)
        };
        out.entry((rule.to_string(), location.to_string())).or_default().push(key.to_string());
    }
    out
}

/// Rewrites a keyed list with `found`, keeping the keys `listed` gives them; new entries get `undocumented`.
fn write_keyed(rel: &str, header: &str, found: &[Located], listed: &BTreeMap<(String, String), Vec<String>>) {
    let mut text = header.to_string();
    let mut remaining = listed.clone();
    let mut lines: Vec<(String, String, String)> = found
        .iter()
        .map(|m| {
            let key = remaining
                .get_mut(&(m.rule.clone(), m.location.clone()))
                .and_then(|keys| (!keys.is_empty()).then(|| keys.remove(0)))
                .unwrap_or_else(|| UNDOCUMENTED.to_string());
            (key, m.rule.clone(), m.location.clone())
        })
        .collect();
    lines.sort_by(|a, b| (&a.1, &a.0, &a.2).cmp(&(&b.1, &b.0, &b.2)));
    for (key, rule, location) in lines {
        let _ = writeln!(text, "{key} {rule} {location}");
    }
    std::fs::write(repo(rel), text).unwrap_or_else(|e| panic!("cannot write {rel}: {e}"));
}

/// Looks each of `found` up in a keyed list, consuming the keys it uses from `remaining`: counts the findings
/// keyed to a row of `docs` that names their rule per (rule, key), and says what is wrong with the others.
fn check_keyed(
    found: &[Located],
    remaining: &mut BTreeMap<(String, String), Vec<String>>,
    docs: &BTreeMap<String, Documented>,
    unlisted: impl Fn(&Located) -> String,
    problems: &mut Vec<String>,
) -> BTreeMap<(String, String), usize> {
    let mut keyed: BTreeMap<(String, String), usize> = BTreeMap::new();
    for f in found {
        let key =
            remaining.get_mut(&(f.rule.clone(), f.location.clone())).and_then(|k| (!k.is_empty()).then(|| k.remove(0)));
        match key {
            None => problems.push(unlisted(f)),
            Some(key) => match docs.get(&key) {
                None => problems.push(format!(
                    "{} {}: listed with key `{key}`, which is not a row of docs/rules.md's table of differences ({}): \
                     add the row, or fix the rule",
                    f.location, f.rule, f.message
                )),
                Some(d) if !d.rules.contains(&f.rule) && !d.rules.contains("*") => problems.push(format!(
                    "{} {}: the row `{key}` of docs/rules.md's table of differences does not name this rule",
                    f.location, f.rule
                )),
                Some(_) => *keyed.entry((f.rule.clone(), key)).or_default() += 1,
            },
        }
    }
    keyed
}

fn read_floors() -> BTreeMap<String, f64> {
    let text = std::fs::read_to_string(repo(FLOORS)).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            Some((words.next()?.to_string(), words.next()?.trim_end_matches('%').parse().ok()?))
        })
        .collect()
}

fn write_floors(tallies: &BTreeMap<String, Tally>) {
    let mut text = String::from(
        "# The lowest share of squawk's findings, per rule, the engine must match (tests/squawk_parity.rs).\n\
         # `PARITY_UPDATE=1 cargo test --test squawk_parity` records the current figures.\n",
    );
    for (rule, t) in tallies {
        if let Some(rate) = t.rate() {
            let _ = writeln!(text, "{rule} {:.1}", (rate * 10.0).floor() / 10.0);
        }
    }
    std::fs::write(repo(FLOORS), text).expect("write FLOORS.txt");
}

// ---------------------------------------------------------------------------------------------------------
// The test

#[test]
fn squawk_parity() {
    let bin = squawk();
    let mut tallies: BTreeMap<String, Tally> = SQUAWK_RULES.iter().map(|r| (r.to_string(), Tally::default())).collect();
    let mut misses = Vec::new();
    let mut extras = Vec::new();
    let mut syntax = Vec::new();
    for (label, dir) in sets() {
        let set = check_set(&bin, &label, &dir);
        let (m, e) = match_set(&set, &mut tallies);
        misses.extend(m);
        extras.extend(e);
        syntax.extend(set.squawk_syntax_errors.iter().map(|s| format!("{label}/{s}")));
    }
    misses.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    extras.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));

    let total = tallies.values().fold(Tally::default(), Tally::add);
    let overall = total.rate().unwrap_or(0.0);
    let floors = read_floors();
    let docs = documented_differences();
    let listed = read_keyed(DIFFERENCES);
    let listed_extras = read_keyed(EXTRAS);

    // Each miss's documented difference; misses documented as deliberate (not as a gap) do not count against
    // parity.
    let mut problems = Vec::new();
    let mut remaining = listed.clone();
    let missed_keys = check_keyed(
        &misses,
        &mut remaining,
        &docs,
        |m| format!("{} {}: missed and not listed in {DIFFERENCES} ({})", m.location, m.rule, m.message),
        &mut problems,
    );
    let mut deliberate: BTreeMap<String, usize> = BTreeMap::new();
    for ((rule, key), n) in &missed_keys {
        if !docs[key].gap {
            *deliberate.entry(rule.clone()).or_default() += n;
        }
    }
    let deliberate_total: usize = deliberate.values().sum();
    let comparable = total.squawk - deliberate_total;
    let parity = if comparable == 0 { 100.0 } else { 100.0 * total.matched() as f64 / comparable as f64 };

    // Each extra finding's documented difference.
    let mut remaining_extras = listed_extras.clone();
    let extra_keys = check_keyed(
        &extras,
        &mut remaining_extras,
        &docs,
        |e| {
            format!(
                "{} {}: reported by schema-playground, not by squawk, and not listed in {EXTRAS} ({}). If squawk is \
                 right, fix the rule; if we report more on purpose, document why in docs/rules.md's table of \
                 differences (a row naming the rule) and list the finding in {EXTRAS} with that row's key \
                 (PARITY_UPDATE=1 lists it as `undocumented`)",
                e.location, e.rule, e.message
            )
        },
        &mut problems,
    );
    let mut keyed_extras: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for ((rule, key), n) in &extra_keys {
        keyed_extras.entry(rule.clone()).or_default().push(format!("{n} {key}"));
    }

    // The report.
    let mut report = String::new();
    let _ = writeln!(
        report,
        "# Parity with squawk {SQUAWK_VERSION}\n\nParity {parity:.1}%: {} of the {comparable} squawk findings that are not deliberate \
         differences are matched. Raw: {} of {} squawk findings matched ({overall:.1}%): {} on the same line, {} in \
         the same statement, {} in the same file (rules reported once per file); {} missed ({deliberate_total} of them \
         deliberate differences); {} extra findings of ours ({} robust-everywhere, checked by squawk itself; the other {} \
         checked against {EXTRAS}); {} squawk findings outside the forward migrations (rollback files, down \
         sections) not compared.\n",
        total.matched(),
        total.matched(),
        total.squawk,
        total.same_line,
        total.same_statement,
        total.same_file,
        total.missed,
        total.extra,
        total.robust,
        extras.len(),
        total.out_of_scope,
    );
    let _ = writeln!(
        report,
        "| rule | ours | squawk | matched | missed | deliberate | extra | documented extra | match | floor |"
    );
    let _ = writeln!(report, "|---|---|---:|---:|---:|---:|---:|---|---:|---:|");
    for (rule, t) in &tallies {
        let ours = match rules::lookup(rule) {
            Some(r) if r.default_on => "on",
            Some(_) => "opt-in",
            None => "—",
        };
        let rate = t.rate().map_or("—".to_string(), |r| format!("{r:.1}%"));
        let floor = floors.get(rule).map_or("—".to_string(), |f| format!("{f:.1}%"));
        let mut documented = keyed_extras.get(rule).cloned().unwrap_or_default();
        if t.robust > 0 {
            documented.insert(0, format!("{} robust-everywhere", t.robust));
        }
        let _ = writeln!(
            report,
            "| {rule} | {ours} | {} | {} | {} | {} | {} | {} | {rate} | {floor} |",
            t.squawk,
            t.matched(),
            t.missed,
            deliberate.get(rule).copied().unwrap_or(0),
            t.extra,
            documented.join(", "),
        );
    }
    let _ = writeln!(report, "\n## Missed ({})\n", misses.len());
    for m in &misses {
        let keys = listed.get(&(m.rule.clone(), m.location.clone())).map(|k| k.join(",")).unwrap_or_default();
        let _ = writeln!(report, "- {} {} [{}]: {}", m.location, m.rule, keys, m.message);
    }
    let _ = writeln!(
        report,
        "\n## Extra findings of ours ({}, besides {} robust-everywhere)\n",
        extras.len(),
        total.robust
    );
    for e in &extras {
        let keys = listed_extras.get(&(e.rule.clone(), e.location.clone())).map(|k| k.join(",")).unwrap_or_default();
        let _ = writeln!(report, "- {} {} [{}]: {}", e.location, e.rule, keys, e.message);
    }
    if !syntax.is_empty() {
        let _ = writeln!(report, "\n## Where squawk reports a syntax error ({})\n", syntax.len());
        for s in &syntax {
            let _ = writeln!(report, "- {s}");
        }
    }
    let report_path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("squawk-parity.md");
    let _ = std::fs::write(&report_path, &report);
    println!("{report}\n(written to {})", report_path.display());

    if std::env::var_os("PARITY_UPDATE").is_some_and(|v| v == "1") {
        write_floors(&tallies);
        write_keyed(DIFFERENCES, DIFFERENCES_HEADER, &misses, &listed);
        write_keyed(EXTRAS, EXTRAS_HEADER, &extras, &listed_extras);
        println!("PARITY_UPDATE=1: rewrote {FLOORS}, {DIFFERENCES} and {EXTRAS}");
    }

    // The checks.
    if parity < MIN_PARITY {
        problems.push(format!(
            "parity {parity:.1}% (matched / squawk findings that are not deliberate differences) is below {MIN_PARITY}%"
        ));
    }
    for (rule, t) in &tallies {
        if let (Some(rate), Some(floor)) = (t.rate(), floors.get(rule))
            && rate + 1e-9 < *floor
        {
            problems.push(format!("{rule}: {rate:.1}% of squawk's findings matched, below its floor {floor:.1}%"));
        }
    }
    for ((rule, location), keys) in &remaining {
        for key in keys {
            problems.push(format!("{location} {rule}: listed in {DIFFERENCES} ({key}) but no longer missed"));
        }
    }
    for ((rule, location), keys) in &remaining_extras {
        for key in keys {
            problems.push(format!(
                "{location} {rule}: listed in {EXTRAS} ({key}) but no longer an extra finding of ours (PARITY_UPDATE=1 \
                 drops it)"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "squawk parity: {} problem(s) (PARITY_UPDATE=1 rewrites the floors and the lists of differences and extra \
         findings; the report is in {}):\n  {}",
        problems.len(),
        report_path.display(),
        problems.join("\n  ")
    );
}
