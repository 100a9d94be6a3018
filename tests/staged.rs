//! `simulate_with` shows the schema before the rules run, then finishes into the analysis `analyze`
//! gives: the same report, and a `Memory` that serves the next edit as `analyze_with`'s would.

use std::fs;
use std::path::{Path, PathBuf};

use schema_playground::render::json;
use schema_playground::rules::{self, Check};
use schema_playground::{
    Analysis, Diagnostic, Memory, Options, Runner, SourceFile, analyze, analyze_with, simulate_with,
};

use support::folder::sql_files as read_folder;

mod support;

fn example() -> Vec<SourceFile> {
    read_folder(&Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations"))
}

fn corpus_sets() -> Vec<PathBuf> {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut sets: Vec<PathBuf> =
        fs::read_dir(&corpus).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    sets.sort();
    assert!(sets.len() >= 50, "the corpus has {} sets", sets.len());
    sets
}

fn assert_same(label: &str, got: &Analysis, fresh: &Analysis) {
    assert_eq!(json::analysis(got).unwrap(), json::analysis(fresh).unwrap(), "{label}: the reports differ");
    assert_eq!(got.migrations, fresh.migrations, "{label}: the migrations' schemas differ");
    assert!(got.catalog == fresh.catalog && got.initial == fresh.initial, "{label}: the schemas differ");
    assert_eq!(got.stopped_at, fresh.stopped_at, "{label}");
    assert_eq!(got.plan, fresh.plan, "{label}: the plans differ");
    assert_eq!(got.statements, fresh.statements, "{label}: the statements differ");
    assert_eq!(got.diagnostics, fresh.diagnostics, "{label}: the diagnostics differ");
}

/// Whether the planner or the simulator reported it, not a rule.
fn builtin(d: &Diagnostic) -> bool {
    rules::lookup(d.rule).is_none_or(|r| matches!(r.check, Check::Builtin))
}

/// The preview holds the schema of the whole analysis, and of its diagnostics exactly those the
/// planner and the simulator reported, in the same order.
fn assert_preview(label: &str, preview: &Analysis, full: &Analysis) {
    assert!(preview.catalog == full.catalog && preview.initial == full.initial, "{label}: the schemas differ");
    assert_eq!(preview.files, full.files, "{label}");
    assert_eq!(preview.plan, full.plan, "{label}");
    assert_eq!(preview.statements, full.statements, "{label}");
    assert_eq!(preview.stopped_at, full.stopped_at, "{label}");
    assert_eq!(preview.migrations.len(), full.migrations.len(), "{label}");
    for (p, f) in preview.migrations.iter().zip(&full.migrations) {
        assert!(p.catalog == f.catalog && p.ok == f.ok && p.name == f.name, "{label}: {} differs", f.name);
    }
    let builtins: Vec<&Diagnostic> = preview.diagnostics.iter().filter(|d| builtin(d)).collect();
    let expected: Vec<&Diagnostic> = full.diagnostics.iter().filter(|d| builtin(d)).collect();
    assert_eq!(builtins, expected, "{label}: the preview's diagnostics are not the simulator's");
    // The rules' findings it holds are those of the runs an earlier analysis judged, in their place.
    let mut rest = full.diagnostics.iter();
    for d in &preview.diagnostics {
        assert!(rest.any(|f| f == d), "{label}: {d:?} is not in the analysis, or not in its order");
    }
}

/// Simulates, checks `step` migrations at a time, finishes; compares with a fresh analysis. When no run
/// was re-used, the preview holds no rule's finding.
fn staged(label: &str, files: &[SourceFile], options: &Options, memory: &mut Memory, step: usize) -> Analysis {
    let fresh = analyze(files.to_vec(), options);
    let mut simulated = simulate_with(files.to_vec(), options, memory);
    assert_preview(label, simulated.analysis(), &fresh);
    if memory.reused() == 0 {
        assert!(simulated.analysis().diagnostics.iter().all(builtin), "{label}: a rule ran before check_some");
    }
    let mut rounds = 0;
    while !simulated.check_some(step) {
        rounds += 1;
        assert!(rounds <= files.len() + 1, "{label}: check_some never ends");
    }
    let got = simulated.finish(memory);
    assert_same(label, &got, &fresh);
    got
}

#[test]
fn every_corpus_set_staged_equals_a_fresh_analysis() {
    let mut sets = corpus_sets();
    sets.insert(0, PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("migrations"));
    let mut rule_findings = 0;
    for (n, set) in sets.iter().enumerate() {
        let files = read_folder(set);
        let runner = if n % 2 == 0 { Runner::Transaction } else { Runner::Psql };
        let options = Options { runner, ..Options::default() };
        let label = set.display().to_string();
        let full = staged(&label, &files, &options, &mut Memory::default(), 1 + n % 3);
        rule_findings += full.diagnostics.iter().filter(|d| !builtin(d)).count();
    }
    // The comparison means something only if the rules found things the preview leaves out.
    assert!(rule_findings > 100, "{rule_findings} rule findings in the corpus");
}

#[test]
fn the_memory_a_staged_analysis_leaves_serves_the_next_edit() {
    let files = example();
    let options = Options::default();
    let mut memory = Memory::default();
    staged("example", &files, &options, &mut memory, 2);
    // Typing at the end of the newest migration re-runs it alone, and gives the fresh analysis.
    let last = files.iter().rposition(|f| !f.name.contains("rollback")).unwrap();
    let mut edited = files.clone();
    edited[last].text = [&*edited[last].text, "\nALTER TABLE users ADD COLUMN nickname text;\n"].concat().into();
    let again = analyze_with(edited.clone(), &options, &mut memory);
    assert_same("after the edit", &again, &analyze(edited.clone(), &options));
    let forward = files.iter().filter(|f| !f.name.contains("rollback")).count();
    assert_eq!(memory.reused(), forward - 1, "the runs before the edited file are re-used");
    assert_eq!(
        memory.tables_judged_again().map(|n| n > 0),
        Some(true),
        "the folder rules judge only the tables reached"
    );
    // A staged analysis after an edit re-uses the runs too.
    edited[last].text = [&*edited[last].text, "CREATE INDEX ON users (nickname);\n"].concat().into();
    staged("staged after the edit", &edited, &options, &mut memory, 1);
    assert_eq!(memory.reused(), forward - 1);
}

/// That `memory` follows the analysis of `files` (three migrations): an edit of the third re-uses the
/// first two runs and gives the fresh analysis.
fn assert_follows(label: &str, files: &[SourceFile], options: &Options, memory: &mut Memory) {
    let mut edited = files.to_vec();
    edited[2].text = [&*edited[2].text, "\nSELECT 1;\n"].concat().into();
    let again = analyze_with(edited.clone(), options, memory);
    assert_same(&format!("{label}, edited"), &again, &analyze(edited, options));
    assert_eq!(memory.reused(), 2, "the memory follows {label}");
}

#[test]
fn an_analysis_made_while_the_rules_wait_keeps_the_memory_true() {
    let files = example();
    let options = Options::default();
    let mut memory = Memory::default();
    let waiting = simulate_with(files.clone(), &options, &mut memory);
    // Another analysis with the same memory, of other files, before the first one is finished.
    let mut other = files.clone();
    other.truncate(3);
    analyze_with(other.clone(), &options, &mut memory);
    assert_eq!(memory.reused(), 0, "the waiting analysis left nothing to re-use");
    // Finishing the first gives its own analysis and leaves the memory to the other one.
    assert_same("finished late", &waiting.finish(&mut memory), &analyze(files.clone(), &options));
    assert_follows("the other analysis", &other, &options, &mut memory);
    // A waiting analysis dropped unfinished leaves a memory that starts afresh.
    drop(simulate_with(files.clone(), &options, &mut memory));
    let again = analyze_with(files.clone(), &options, &mut memory);
    assert_eq!(memory.reused(), 0);
    assert_same("after a dropped analysis", &again, &analyze(files, &options));
}

#[test]
fn finishing_an_older_staged_analysis_leaves_the_memory_to_the_newer_one() {
    let files = example();
    let options = Options::default();
    let mut memory = Memory::default();
    let older = simulate_with(files.clone(), &options, &mut memory);
    let mut other = files.clone();
    other.truncate(3);
    let newer = simulate_with(other.clone(), &options, &mut memory);
    // The older one finishes first (the page cancelled it too late): its analysis is right, and the
    // memory still waits for the newer one.
    assert_same("older", &older.finish(&mut memory), &analyze(files.clone(), &options));
    assert_same("newer", &newer.finish(&mut memory), &analyze(other.clone(), &options));
    assert_follows("the newer analysis", &other, &options, &mut memory);
}

#[test]
fn a_prelude_and_the_rules_settings_are_kept_until_the_rules_run() {
    let files = example();
    let prelude =
        SourceFile::new("prelude.sql", "CREATE SCHEMA auth;\nCREATE TABLE auth.users (id uuid PRIMARY KEY);\n");
    let rules = rules::RuleConfig { include: vec!["all".into()], ..rules::RuleConfig::default() };
    let options = Options { prelude: Some(prelude), rules, ..Options::default() };
    staged("prelude, every rule", &files, &options, &mut Memory::default(), 4);
}
