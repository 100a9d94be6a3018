//! The `schema-playground` command line: the engine on a migration folder, for people and for CI.
#![forbid(unsafe_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};

use schema_playground::config::ProjectConfig;
use schema_playground::migrations::{self, PlanOptions, Scheme};
use schema_playground::render::{json, psql};
use schema_playground::span::LineIndex;
use schema_playground::{Analysis, Options, Runner, Severity, SourceFile};

mod locks_cmd;
mod parallel;
mod rules_cmd;
mod verify;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "schema-playground", version, about = "Simulate PostgreSQL migrations without a database")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct Common {
    /// The folder of migration files.
    dir: PathBuf,
    /// How the migration runner executes each file [default: transaction, or the project file's].
    #[arg(long, value_enum)]
    runner: Option<RunnerArg>,
    /// A SQL file applied before the first migration (objects the platform or runner creates).
    #[arg(long)]
    prelude: Option<PathBuf>,
    /// The naming scheme, when detection guesses wrong: seed, golang-migrate, flyway, timestamp, dash, dot, goose, dbmate.
    #[arg(long)]
    scheme: Option<String>,
    /// Turn on rules besides the default ones (ids or families: squawk, convention, schema; comma-separated;
    /// `all` for every rule).
    #[arg(long, value_delimiter = ',')]
    include: Vec<String>,
    /// Turn rules off (ids or families: squawk, convention, schema; comma-separated; `all` for every rule not
    /// named in --include).
    #[arg(long, value_delimiter = ',')]
    exclude: Vec<String>,
    /// The PostgreSQL major version the migrations run on [default: 15, or the project file's].
    #[arg(long)]
    pg_version: Option<u32>,
}

#[derive(Clone, Copy, ValueEnum)]
enum RunnerArg {
    /// Each file runs as one transaction (psql -1, Flyway, sqlx, most Go runners).
    Transaction,
    /// Statement by statement, stopping at the first error (psql -v ON_ERROR_STOP=1 -f FILE).
    Psql,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Print tables exactly as `psql -c '\d TABLE'` prints them after the migrations ran.
    Describe {
        #[command(flatten)]
        common: Common,
        /// Tables to describe (`users`, `app.users`); all tables when none are given.
        tables: Vec<String>,
    },
    /// Report what PostgreSQL would reject and what looks wrong, as `path:line:col: severity[rule]: message`.
    Check {
        #[command(flatten)]
        common: Common,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// After the diagnostics, the lock each statement takes on existing tables and how long each file
        /// holds it. With --format json, prints {"diagnostics": [...], "locks": [...]} instead of the array.
        #[arg(long)]
        explain_locks: bool,
    },
    /// Print the whole analysis as JSON: plan, migrations, schema and diagnostics.
    Dump {
        #[command(flatten)]
        common: Common,
    },
    /// Tell the history: what each migration added, removed and altered.
    Changes {
        #[command(flatten)]
        common: Common,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// List the rules: id, default severity, whether it is on by default, and what it reports.
    Rules {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print a rule's documentation: why it matters, a bad and a good example, how to fix.
    Explain {
        /// The rule id, e.g. `require-concurrent-index-creation`.
        rule: String,
    },
    /// Compare the migrations with a live database (read only): every difference, one per line.
    Verify {
        #[command(flatten)]
        common: Common,
        /// The database to check, postgres://USER:PASSWORD@HOST:PORT/DATABASE [default: $DATABASE_URL].
        #[arg(long)]
        database_url: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Create the next migration file from the team's template.
    New {
        /// The folder of migration files.
        dir: PathBuf,
        /// What the migration does, e.g. "add notifications table".
        description: String,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(err) => {
            if err.chain().any(is_broken_pipe) {
                return ExitCode::SUCCESS;
            }
            eprintln!("schema-playground: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// A closed pipe (`… | head`) is not an error worth reporting.
fn is_broken_pipe(err: &(dyn std::error::Error + 'static)) -> bool {
    let pipe = std::io::ErrorKind::BrokenPipe;
    err.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == pipe)
        || err.downcast_ref::<serde_json::Error>().is_some_and(|e| e.io_error_kind() == Some(pipe))
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Describe { common, tables } => describe(&common, &tables),
        Command::Check { common, format, explain_locks } => check(&common, format, explain_locks),
        Command::Changes { common, format } => changes(&common, format),
        Command::Dump { common } => {
            let analysis = load(&common)?;
            let mut out = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &json::analysis(&analysis)?)?;
            writeln!(out)?;
            Ok(if analysis.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::New { dir, description } => new_migration(&dir, &description),
        Command::Rules { format } => rules_cmd::list(matches!(format, Format::Json)),
        Command::Explain { rule } => rules_cmd::explain(&rule),
        Command::Verify { common, database_url, format } => {
            verify::run(&common, database_url.as_deref(), matches!(format, Format::Json))
        }
    }
}

/// Reads every file of the folder: `.sql` files as text, others by name only.
fn read_folder(dir: &Path) -> anyhow::Result<Vec<SourceFile>> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("cannot read migration folder {}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let lower = name.to_ascii_lowercase();
        let config =
            name == schema_playground::config::FILE_NAME || name == schema_playground::rules::SquawkConfig::FILE_NAME;
        let text = if lower.ends_with(".sql") || config { read_text(&path)? } else { String::new() };
        files.push(SourceFile::new(name, text));
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

fn read_text(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{} is not UTF-8 text (invalid byte at offset {}): save it as UTF-8",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// Options from the project file (`schema-playground.toml` in the folder), then from the flags.
fn options(common: &Common, files: &[SourceFile]) -> anyhow::Result<(Options, Vec<schema_playground::Diagnostic>)> {
    let mut opts = Options::default();
    let config_problems = ProjectConfig::apply_from(files, &mut opts);
    let flags = flag_options(common)?;
    if common.runner.is_some() {
        opts.runner = flags.runner;
    }
    if flags.plan.scheme.is_some() {
        opts.plan.scheme = flags.plan.scheme;
    }
    if flags.prelude.is_some() {
        opts.prelude = flags.prelude;
    }
    opts.rules.include.extend(common.include.iter().cloned());
    opts.rules.exclude.extend(common.exclude.iter().cloned());
    if common.pg_version.is_some() {
        opts.rules.pg_version = common.pg_version;
    }
    let unknown: Vec<&String> =
        common.include.iter().chain(&common.exclude).filter(|id| !schema_playground::rules::is_selector(id)).collect();
    if let Some(id) = unknown.first() {
        bail!(
            "unknown rule {id:?} in --include/--exclude: `schema-playground rules` lists the rule ids, and squawk, \
             convention and schema name their families"
        );
    }
    Ok((opts, config_problems))
}

fn flag_options(common: &Common) -> anyhow::Result<Options> {
    let scheme = match &common.scheme {
        Some(s) => Some(Scheme::parse(s).with_context(|| {
            format!(
                "unknown scheme {s:?}: use one of seed, golang-migrate, flyway, timestamp, dash, dot, goose, dbmate"
            )
        })?),
        None => None,
    };
    let prelude = match &common.prelude {
        Some(p) => Some(SourceFile::new(p.display().to_string(), read_text(p)?)),
        None => None,
    };
    let runner = match common.runner {
        Some(RunnerArg::Psql) => Runner::Psql,
        _ => Runner::Transaction,
    };
    Ok(Options { runner, plan: PlanOptions { scheme }, prelude, ..Options::default() })
}

fn load(common: &Common) -> anyhow::Result<Analysis> {
    let files = read_folder(&common.dir)?;
    let (opts, config_problems) = options(common, &files)?;
    let mut analysis = parallel::analyze(files, &opts);
    analysis.diagnostics.splice(0..0, config_problems);
    Ok(analysis)
}

fn describe(common: &Common, tables: &[String]) -> anyhow::Result<ExitCode> {
    let analysis = load(common)?;
    let catalog = &analysis.catalog;
    let mut out = std::io::stdout().lock();
    let mut code = ExitCode::SUCCESS;
    if tables.is_empty() {
        for t in catalog.tables.values() {
            out.write_all(psql::describe_table(catalog, t).as_bytes())?;
        }
        return Ok(code);
    }
    for wanted in tables {
        let found = catalog.tables.values().find(|t| {
            let (schema, name) = match wanted.split_once('.') {
                Some((s, n)) => (Some(s), n),
                None => (None, wanted.as_str()),
            };
            t.name.name == unquote(name)
                && schema.is_none_or(|s| t.name.schema == unquote(s))
                && (schema.is_some() || t.name.schema == "public")
        });
        match found {
            Some(t) => out.write_all(psql::describe_table(catalog, t).as_bytes())?,
            None => {
                out.flush()?;
                eprintln!("Did not find any relation named \"{wanted}\".");
                code = ExitCode::from(1);
            }
        }
    }
    Ok(code)
}

/// psql folds unquoted names to lower case (ASCII letters, as the server does) and keeps quoted ones.
fn unquote(s: &str) -> String {
    match s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => s.to_ascii_lowercase(),
    }
}

fn check(common: &Common, format: Format, explain_locks: bool) -> anyhow::Result<ExitCode> {
    let analysis = load(common)?;
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json if explain_locks => {
            let opts = locks_cmd::options(common, &analysis)?;
            let doc = serde_json::json!({
                "diagnostics": json::diagnostics(&analysis),
                "locks": locks_cmd::json(&analysis, &opts),
            });
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &json::diagnostics(&analysis))?;
            writeln!(out)?;
        }
        Format::Text => {
            let dir = common.dir.display().to_string();
            let indexes: Vec<LineIndex> = analysis.files.iter().map(|f| LineIndex::new(&f.text)).collect();
            let mut sorted: Vec<&schema_playground::Diagnostic> = analysis.diagnostics.iter().collect();
            let name = |d: &schema_playground::Diagnostic| analysis.files[d.span.file as usize].name.as_str();
            sorted.sort_by(|a, b| (name(a), a.span.start).cmp(&(name(b), b.span.start)));
            let report = parallel::map(&sorted, |d| {
                let file = &analysis.files[d.span.file as usize];
                let path = if d.span.file as usize >= analysis.files.len() - usize::from(common.prelude.is_some())
                    && common.prelude.is_some()
                {
                    file.name.clone()
                } else {
                    format!("{}/{}", dir.trim_end_matches('/'), file.name)
                };
                let at = indexes[d.span.file as usize].line_col(&file.text, d.span.start as usize);
                let title =
                    format!("{path}:{}:{}: {}[{}]: {}", at.line, at.column, d.severity.as_str(), d.rule, d.message);
                format!("{title}\n{}\n", snippet(&path, &file.text, &indexes[d.span.file as usize], d))
            });
            for entry in report {
                out.write_all(entry.as_bytes())?;
            }
            let errors = analysis.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
            let warnings = analysis.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
            let n = analysis.plan.forward.len();
            writeln!(
                out,
                "{n} migration{} checked ({} scheme): {errors} error{}, {warnings} warning{}",
                if n == 1 { "" } else { "s" },
                analysis.plan.scheme.map_or("no", |s| s.name()),
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" },
            )?;
            if explain_locks {
                let opts = locks_cmd::options(common, &analysis)?;
                locks_cmd::print_text(&mut out, &analysis, &opts, &dir)?;
            }
        }
    }
    let code = if analysis.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS };
    // The process ends next: freeing every migration's catalog one by one would only cost time.
    std::mem::forget(analysis);
    Ok(code)
}

fn changes(common: &Common, format: Format) -> anyhow::Result<ExitCode> {
    use schema_playground::diff::ChangeKind;
    let analysis = load(common)?;
    let mut out = std::io::stdout().lock();
    let all: Vec<(String, Vec<schema_playground::diff::Change>)> =
        (0..analysis.migrations.len()).map(|i| (analysis.migrations[i].name.clone(), analysis.changes_in(i))).collect();
    match format {
        Format::Json => {
            let json: Vec<serde_json::Value> = all
                .iter()
                .map(|(name, changes)| serde_json::json!({ "migration": name, "changes": changes }))
                .collect();
            serde_json::to_writer_pretty(&mut out, &json)?;
            writeln!(out)?;
        }
        Format::Text => {
            for (name, changes) in &all {
                writeln!(out, "{name}")?;
                if changes.is_empty() {
                    writeln!(out, "  (no schema change)")?;
                }
                for c in changes {
                    let sign = match c.kind {
                        ChangeKind::Added => '+',
                        ChangeKind::Removed => '-',
                        ChangeKind::Altered | ChangeKind::Renamed => '~',
                    };
                    let owner = c.table.as_ref().map(|t| format!(" on {t}")).unwrap_or_default();
                    let detail = match (&c.before, &c.after, c.kind) {
                        (Some(b), Some(a), ChangeKind::Altered) if !b.contains('\n') && !a.contains('\n') => {
                            format!(": {b} → {a}")
                        }
                        (_, Some(a), ChangeKind::Added) if c.object != "table" && !a.contains('\n') => format!(": {a}"),
                        (Some(b), _, ChangeKind::Renamed) => format!(" (renamed from {b})"),
                        _ => String::new(),
                    };
                    writeln!(out, "  {sign} {} {}{owner}{detail}", c.object, c.name)?;
                }
            }
        }
    }
    Ok(if analysis.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The source snippet under a diagnostic, rendered as rustc does (without its title line).
fn snippet(path: &str, text: &str, index: &LineIndex, d: &schema_playground::Diagnostic) -> String {
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

fn new_migration(dir: &Path, description: &str) -> anyhow::Result<ExitCode> {
    let files = read_folder(dir)?;
    let refs: Vec<(&str, &str)> = files.iter().map(|f| (f.name.as_str(), f.text.as_str())).collect();
    let plan = migrations::plan(&refs, &PlanOptions::default());
    let now = utc_timestamp();
    let name = migrations::next_name(&plan, description, &now);
    let path = dir.join(&name);
    if path.exists() {
        bail!("{} already exists: choose another description", path.display());
    }
    let text = migrations::template(description);
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    println!("{}", path.display());
    Ok(ExitCode::SUCCESS)
}

/// YYYYMMDDHHMMSS in UTC, for timestamp-numbered folders.
fn utc_timestamp() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()) as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}{m:02}{d:02}{:02}{:02}{:02}", rem / 3600, rem % 3600 / 60, rem % 60)
}
