//! Prints how long `analyze` takes on a migration folder with no rules, with the default rules, and
//! with each default rule alone: where the time of a check goes. Then how long a re-analysis takes
//! after one character changes in the newest migration, with the previous runs kept (`Memory`, what
//! the web app does on each keystroke).
//!
//! `cargo run --release --example rule_cost -- [DIR] [ROUNDS] [edit-only]` (DIR defaults to `migrations/`).

use std::time::{Duration, Instant};

use schema_playground::rules::{ALL, RuleConfig};
use schema_playground::{Memory, Options, SourceFile, analyze, analyze_with};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/migrations").into());
    let rounds: u32 = args.next().and_then(|r| r.parse().ok()).unwrap_or(20);
    let mut files: Vec<SourceFile> = std::fs::read_dir(&dir)
        .expect("the folder is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("UTF-8 file");
            SourceFile::new(p.file_name().unwrap().to_string_lossy(), text)
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    let time = |rules: RuleConfig| -> Duration {
        let options = Options { rules, ..Options::default() };
        let started = Instant::now();
        for _ in 0..rounds {
            std::hint::black_box(analyze(files.clone(), &options));
        }
        started.elapsed() / rounds
    };
    // Typing in the newest migration: each round changes one character, the memory keeps the rest.
    let last = files.iter().rposition(|f| !f.name.contains("rollback") && !f.name.contains(".down.")).unwrap_or(0);
    let mut memory = Memory::default();
    analyze_with(files.clone(), &Options::default(), &mut memory);
    let started = Instant::now();
    for round in 0..rounds {
        let mut edited = files.clone();
        edited[last].text = [&*edited[last].text, if round % 2 == 0 { "\n-- x" } else { "\n-- y" }].concat().into();
        std::hint::black_box(analyze_with(edited, &Options::default(), &mut memory));
    }
    println!(
        "{:40} {:>10.2?}  ({} of {} runs re-used)",
        format!("edit in {}", files[last].name),
        started.elapsed() / rounds,
        memory.reused(),
        files.len()
    );
    if args.next().as_deref() == Some("edit-only") {
        return;
    }
    let none = RuleConfig { only: Some(Vec::new()), ..RuleConfig::default() };
    let base = time(none);
    println!("{:40} {:>10.2?}", "no rules", base);
    println!("{:40} {:>10.2?}", "default rules", time(RuleConfig::default()));
    let mut costs: Vec<(Duration, &str)> = ALL
        .iter()
        .filter(|r| r.default_on)
        .map(|r| (time(RuleConfig::only(r.id)).saturating_sub(base), r.id))
        .collect();
    costs.sort_by(|a, b| b.cmp(a));
    for (cost, id) in costs.iter().take(15) {
        println!("  + {id:36} {cost:>10.2?}");
    }
}
