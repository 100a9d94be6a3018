//! The engine against PostgreSQL's own output for the corpus in `tests/corpus/` (captured from a real
//! PostgreSQL 15 by `scripts/capture-corpus.sh`). Every set whose tables the engine describes exactly
//! must keep doing so; sets listed in `tests/corpus/KNOWN_DIFFERENCES.txt` are the engine's known gaps
//! and must still differ, so that fixing one forces the list to shrink. `FIDELITY_VERBOSE=1` prints
//! the diffs.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use schema_playground::catalog::QualName;
use schema_playground::render::psql::describe_table;
use schema_playground::{Options, Runner, SourceFile, analyze};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// `"Order"` → `Order`, `app."Daily Stats"` → (`app`, `Daily Stats`), unquoted parts folded.
fn parse_arg(arg: &str) -> QualName {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = arg.chars().peekable();
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => {
                quoted = !quoted;
                was_quoted = true;
            }
            '.' if !quoted => {
                parts.push(if was_quoted { cur.clone() } else { cur.to_lowercase() });
                cur.clear();
                was_quoted = false;
            }
            c => cur.push(c),
        }
    }
    parts.push(if was_quoted { cur } else { cur.to_lowercase() });
    match parts.as_slice() {
        [t] => QualName::public(t.clone()),
        [s, t] => QualName::new(s.clone(), t.clone()),
        _ => QualName::public(arg.to_string()),
    }
}

fn file_name(q: &QualName) -> String {
    let raw = if q.schema == "public" { q.name.to_string() } else { format!("{}.{}", q.schema, q.name) };
    raw.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' }).collect()
}

/// Describes every table of one set; returns the differences found.
fn check_set(dir: &Path) -> Vec<String> {
    let mut files: Vec<SourceFile> = fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            p.is_file()
                .then(|| SourceFile::new(p.file_name().unwrap().to_string_lossy(), fs::read_to_string(&p).unwrap()))
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    let analysis = analyze(files, &Options { runner: Runner::Psql, ..Options::default() });
    let mut problems = Vec::new();
    let expected = dir.join("expected");
    // A set in which PostgreSQL rejects a migration records where it stopped; the engine must stop there.
    match fs::read_to_string(expected.join("_stop.txt")) {
        Ok(stop) => {
            // `file: NAME` on the first line.
            let first = stop.lines().next().unwrap_or("");
            let want = first.strip_prefix("file:").unwrap_or(first).trim().to_string();
            let got = analysis.stopped_at.map(|s| analysis.files[s.file as usize].name.clone());
            if got.as_deref() != Some(want.as_str()) {
                problems.push(format!("PostgreSQL stops in {want}; the engine stops in {got:?}"));
            }
        }
        Err(_) => {
            // The engine's own problems (rule findings about style and locking are not fidelity problems).
            let engine = |d: &&schema_playground::Diagnostic| {
                d.severity != schema_playground::Severity::Info && schema_playground::rules::lookup(d.rule).is_none()
            };
            for d in analysis.diagnostics.iter().filter(engine) {
                let file = &analysis.files[d.span.file as usize].name;
                problems.push(format!("{file}: {}[{}] {}", d.severity.as_str(), d.rule, d.message));
            }
        }
    }
    if !expected.join("_tables.txt").exists() {
        problems.push("expected/_tables.txt is missing: run scripts/capture-corpus.sh for this set".into());
    }
    let list = fs::read_to_string(expected.join("_tables.txt")).unwrap_or_default();
    for arg in list.lines().filter(|l| !l.is_empty()) {
        let q = parse_arg(arg);
        let want = fs::read_to_string(expected.join(format!("{}.txt", file_name(&q)))).unwrap_or_default();
        let got = match analysis.catalog.table(&q) {
            Some(t) => describe_table(&analysis.catalog, t),
            None => format!("(no table {arg})\n"),
        };
        if got != want {
            problems.push(format!("\\d {arg}:\n--- postgres\n{want}--- engine\n{got}"));
        }
    }
    problems
}

#[test]
fn corpus_matches_postgres() {
    let known: Vec<String> = fs::read_to_string(corpus().join("KNOWN_DIFFERENCES.txt"))
        .unwrap_or_default()
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let mut sets: Vec<PathBuf> =
        fs::read_dir(corpus()).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    sets.sort();
    assert!(sets.len() >= 40, "the corpus should have at least 40 sets, found {}", sets.len());
    let verbose = std::env::var_os("FIDELITY_VERBOSE").is_some();
    let mut results = BTreeMap::new();
    let mut tables = 0;
    for set in &sets {
        let name = set.file_name().unwrap().to_string_lossy().into_owned();
        tables += fs::read_to_string(set.join("expected/_tables.txt")).unwrap_or_default().lines().count();
        let problems = check_set(set);
        if verbose && !problems.is_empty() {
            eprintln!("=== {name}\n{}", problems.join("\n"));
        }
        results.insert(name, problems.is_empty());
    }
    let passing = results.values().filter(|ok| **ok).count();
    eprintln!("corpus: {passing} of {} sets ({tables} tables) identical to PostgreSQL", results.len());
    let newly_broken: Vec<&String> =
        results.iter().filter(|(n, ok)| !**ok && !known.contains(n)).map(|(n, _)| n).collect();
    let fixed: Vec<&String> = results.iter().filter(|(n, ok)| **ok && known.contains(n)).map(|(n, _)| n).collect();
    assert!(
        newly_broken.is_empty(),
        "sets that differ from PostgreSQL (run with FIDELITY_VERBOSE=1 for diffs): {newly_broken:?}"
    );
    assert!(
        fixed.is_empty(),
        "sets now identical to PostgreSQL: remove them from tests/corpus/KNOWN_DIFFERENCES.txt: {fixed:?}"
    );
}
