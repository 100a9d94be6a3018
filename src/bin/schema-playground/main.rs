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
use schema_playground::{Analysis, Options, Runner, Severity, SourceFile};

use report::{Prerendered, Reporter};

mod locks_cmd;
mod parallel;
mod report;
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

/// Standard output, buffered: a report is written in large pieces, not a system call per line (the
/// lock alone flushes at every line break). Each command flushes it before it returns, so a write error
/// is reported.
fn stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock())
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Describe { common, tables } => describe(&common, &tables),
        Command::Check { common, format, explain_locks } => check(&common, format, explain_locks),
        Command::Changes { common, format } => changes(&common, format),
        Command::Dump { common } => {
            let analysis = load(&common)?;
            let mut out = stdout();
            serde_json::to_writer_pretty(&mut out, &json::analysis(&analysis)?)?;
            writeln!(out)?;
            out.flush()?;
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

/// Reads every file of the folder: `.sql` files as text, others by name only. The texts are read on
/// every core (a thousand files are a thousand opens and reads); the first unreadable one, in the
/// folder's order, is the error.
fn read_folder(dir: &Path) -> anyhow::Result<Vec<SourceFile>> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("cannot read migration folder {}", dir.display()))?;
    let mut wanted = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        let path = entry.path();
        // The listing says what most entries are; a link is followed to what it names.
        let is_file = match entry.file_type() {
            Ok(t) if !t.is_symlink() => t.is_file(),
            _ => path.is_file(),
        };
        if !is_file {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let lower = name.to_ascii_lowercase();
        let config =
            name == schema_playground::config::FILE_NAME || name == schema_playground::rules::SquawkConfig::FILE_NAME;
        wanted.push((name, path, lower.ends_with(".sql") || config));
    }
    let texts = parallel::map(&wanted, |(_, path, read)| if *read { read_text(path) } else { Ok(String::new()) });
    let mut files = Vec::with_capacity(wanted.len());
    for ((name, ..), text) in wanted.into_iter().zip(texts) {
        files.push(SourceFile::new(name, text?));
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
    Ok(load_rendering(common, None)?.0)
}

/// [`load`], with `reporter` rendering the report entries of the statement rules' findings while the
/// analysis runs (see [`parallel::analyze`]).
fn load_rendering(common: &Common, reporter: Option<Reporter>) -> anyhow::Result<(Analysis, Option<Prerendered>)> {
    let files = read_folder(&common.dir)?;
    let (opts, config_problems) = options(common, &files)?;
    let (mut analysis, rendered) = parallel::analyze(files, &opts, reporter);
    analysis.diagnostics.splice(0..0, config_problems);
    Ok((analysis, rendered))
}

fn describe(common: &Common, tables: &[String]) -> anyhow::Result<ExitCode> {
    let analysis = load(common)?;
    let catalog = &analysis.catalog;
    let mut out = stdout();
    let mut code = ExitCode::SUCCESS;
    if tables.is_empty() {
        for t in catalog.tables.values() {
            out.write_all(psql::describe_table(catalog, t).as_bytes())?;
        }
        out.flush()?;
        return Ok(code);
    }
    for wanted in tables {
        let named = |q: &schema_playground::catalog::QualName| {
            let (schema, name) = match wanted.split_once('.') {
                Some((s, n)) => (Some(s), n),
                None => (None, wanted.as_str()),
            };
            q.name == unquote(name)
                && schema.is_none_or(|s| q.schema == unquote(s))
                && (schema.is_some() || q.schema == "public")
        };
        if let Some(t) = catalog.tables.values().find(|t| named(&t.name)) {
            out.write_all(psql::describe_table(catalog, t).as_bytes())?;
            continue;
        }
        out.flush()?;
        code = ExitCode::from(1);
        // Another kind of relation: psql would describe it, this command does not (yet), and says so
        // rather than that it does not exist.
        let other = match catalog.views.values().find(|v| named(&v.name)) {
            Some(v) if v.materialized => Some("a materialized view"),
            Some(_) => Some("a view"),
            None if catalog.sequences.keys().any(named) => Some("a sequence"),
            None if catalog.indexes.keys().any(named) => Some("an index"),
            None => None,
        };
        match other {
            Some(kind) => eprintln!(
                "\"{wanted}\" is {kind}: describe prints tables only (`schema-playground dump` has every relation)."
            ),
            None => eprintln!("Did not find any relation named \"{wanted}\"."),
        }
    }
    out.flush()?;
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
    let dir = common.dir.display().to_string();
    let reporter = matches!(format, Format::Text).then(|| Reporter::new(&dir, common.prelude.is_some()));
    let (analysis, prerendered) = load_rendering(common, reporter)?;
    let mut out = stdout();
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
            let (reporter, entries) = match prerendered {
                Some(Prerendered { reporter, entries }) => (reporter, entries),
                None => (Reporter::new(&dir, common.prelude.is_some()), Default::default()),
            };
            let reporter = reporter.sized(analysis.files.len());
            let mut sorted: Vec<&schema_playground::Diagnostic> = analysis.diagnostics.iter().collect();
            let name = |d: &schema_playground::Diagnostic| analysis.files[d.span.file as usize].name.as_str();
            sorted.sort_by(|a, b| (name(a), a.span.start).cmp(&(name(b), b.span.start)));
            // An entry rendered while the analysis ran is the one for the same diagnostic.
            let report = parallel::map(&sorted, |d| match entries.get(*d) {
                Some(entry) => std::borrow::Cow::Borrowed(entry.as_str()),
                None => std::borrow::Cow::Owned(reporter.entry(&analysis.files, d)),
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
    out.flush()?;
    let code = if analysis.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS };
    // The process ends next: freeing every migration's catalog one by one would only cost time.
    std::mem::forget(analysis);
    Ok(code)
}

fn changes(common: &Common, format: Format) -> anyhow::Result<ExitCode> {
    use schema_playground::diff::ChangeKind;
    let analysis = load(common)?;
    let mut out = stdout();
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
    out.flush()?;
    Ok(if analysis.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn new_migration(dir: &Path, description: &str) -> anyhow::Result<ExitCode> {
    let files = read_folder(dir)?;
    let refs: Vec<(&str, &str)> = files.iter().map(|f| (f.name.as_str(), f.text.as_ref())).collect();
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
