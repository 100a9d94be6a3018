//! Criterion benchmarks of the engine (they report; they never assert a time).
//!
//! `cargo bench --bench engine` runs:
//! - `analyze_1000_files`: the generated 1,000-file, ~4 MB history (benches/support/history.rs)
//!   through `schema_playground::analyze` (skipped, with a message, while one analyze of its first
//!   100 files takes over 0.5 s: criterion's 10 samples would then take many minutes);
//! - `analyze_100_files`: the first 100 files of that history (with the 1,000-file figure, shows
//!   whether the cost grows linearly);
//! - `keystroke_in_last_file_with_memory`: one character typed in the history's newest file, through
//!   `analyze_with` and the `Memory` of the analysis before: what the web app does while typing there;
//! - `split_and_parse_4mb`: the same files through the splitter and the parser only, no simulation;
//! - `reanalyze_example_after_edit`: the embedded example (`migrations/`, 12 files) with one character
//!   changed in its last file, through `analyze`;
//! - `reanalyze_example_after_edit_with_memory`: the same through `analyze_with` and the `Memory` of the
//!   analysis before the edit: what the web app does after each keystroke.
//!
//! Budgets (docs/performance.md): `check` on the 1,000 files no slower than squawk linting them;
//! re-analysing the example after an edit under 5 ms.

#[path = "support/history.rs"]
mod history;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use schema_playground::sql::{parse, split};
use schema_playground::{Memory, Options, SourceFile, analyze, analyze_with};

fn generated_history() -> Vec<SourceFile> {
    history::generate(1000).into_iter().map(|(name, text)| SourceFile::new(name, text)).collect()
}

/// The example project, read from `migrations/` (benches run with the package root as working dir).
fn example_files() -> Vec<SourceFile> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
    let mut files: Vec<SourceFile> = std::fs::read_dir(dir)
        .expect("migrations/ is readable")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            SourceFile::new(name, std::fs::read_to_string(&p).expect("example file is UTF-8"))
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

/// Not a timing assertion: a benchmark of an analysis full of errors would measure another path.
fn assert_no_errors(label: &str, files: Vec<SourceFile>) {
    let analysis = analyze(files, &Options::default());
    let errors: Vec<_> =
        analysis.diagnostics.iter().filter(|d| d.severity == schema_playground::Severity::Error).collect();
    assert!(errors.is_empty(), "{label}: the engine reports {} error(s), first: {:?}", errors.len(), errors[0]);
}

/// A single `analyze` of the first 100 files above this means the 1,000-file history would take minutes
/// per iteration (the cost grows faster than linearly), too long for criterion's 10 samples.
const PROBE_LIMIT: Duration = Duration::from_millis(500);

fn analyze_1000_files(c: &mut Criterion) {
    let files = generated_history();
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    let first_100: Vec<SourceFile> = files[..100].to_vec();
    let started = Instant::now();
    assert_no_errors("first 100 generated files", first_100.clone());
    let probe = started.elapsed();
    let force = std::env::var_os("BENCH_FORCE_SLOW").is_some();
    let full = probe <= PROBE_LIMIT || force;
    if full {
        assert_no_errors("generated history", files.clone());
    } else {
        eprintln!(
            "history/analyze_1000_files: skipped: one analyze of the first 100 files took {probe:.2?} (over {PROBE_LIMIT:?}), \
             so the 1,000-file history would take minutes per iteration; `schema-playground check` on it is timed \
             once by scripts/bench.sh. Set BENCH_FORCE_SLOW=1 to run it anyway."
        );
    }

    let mut group = c.benchmark_group("history");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(8));
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Bytes(files[..100].iter().map(|f| f.text.len() as u64).sum()));
    group.bench_function("analyze_100_files", |b| {
        b.iter_batched(
            || first_100.clone(),
            |files| black_box(analyze(files, &Options::default())),
            BatchSize::LargeInput,
        )
    });
    group.throughput(Throughput::Bytes(bytes as u64));
    if full {
        group.bench_function("analyze_1000_files", |b| {
            b.iter_batched(
                || files.clone(),
                |files| black_box(analyze(files, &Options::default())),
                BatchSize::LargeInput,
            )
        });
    }
    // Typing in the newest file of the history, as the web app re-analyses it: one character changed
    // (alternately two versions of the file), the memory of the analysis before kept.
    let last = files.len() - 1;
    let mut typed = files.clone();
    typed[last].text = [&*typed[last].text, "\n-- x"].concat().into();
    let mut memory = Memory::default();
    analyze_with(files.clone(), &Options::default(), &mut memory);
    let mut flip = false;
    group.throughput(Throughput::Elements(1));
    group.bench_function("keystroke_in_last_file_with_memory", |b| {
        b.iter_batched(
            || {
                flip = !flip;
                if flip { typed.clone() } else { files.clone() }
            },
            |files| black_box(analyze_with(files, &Options::default(), &mut memory)),
            BatchSize::LargeInput,
        )
    });
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("split_and_parse_4mb", |b| {
        b.iter(|| {
            let mut statements = 0usize;
            for f in &files {
                for piece in split::split(&f.text) {
                    if piece.kind == split::PieceKind::Statement {
                        let _ = black_box(parse::parse(&f.text, piece.start, piece.end));
                        statements += 1;
                    }
                }
            }
            statements
        })
    });
    group.finish();
}

fn reanalyze_example_after_edit(c: &mut Criterion) {
    let mut files = example_files();
    assert_eq!(files.len(), 12, "the example project has 12 files");
    assert_no_errors("example", files.clone());
    // The last forward migration (the rollback file sorts last by name): one character changed in a
    // comment, the edit a user makes while typing.
    let last = files.iter().rposition(|f| !f.name.contains("rollback")).unwrap();
    let text = &files[last].text;
    let at = text.find("-- ").map(|i| i + 3).unwrap_or(0);
    let mut edited = text.to_string();
    edited.replace_range(at..at + 1, "X");
    files[last].text = edited.into();
    let mut group = c.benchmark_group("example");
    group.sample_size(50).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    group.bench_function("reanalyze_example_after_edit", |b| {
        b.iter_batched(|| files.clone(), |files| black_box(analyze(files, &Options::default())), BatchSize::SmallInput)
    });
    // What the web app does: the analysis before the edit is remembered, so only the edited file runs
    // again (each iteration alternates between two versions of it).
    let mut memory = Memory::default();
    let original = example_files();
    analyze_with(original.clone(), &Options::default(), &mut memory);
    let mut flip = false;
    group.bench_function("reanalyze_example_after_edit_with_memory", |b| {
        b.iter_batched(
            || {
                flip = !flip;
                if flip { files.clone() } else { original.clone() }
            },
            |files| black_box(analyze_with(files, &Options::default(), &mut memory)),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, analyze_1000_files, reanalyze_example_after_edit);
criterion_main!(benches);
