//! The documentation's examples are true: every rule's bad example triggers it, its good one does not.

use super::*;
use crate::analysis::{Options, SourceFile, analyze};

/// The files of an example: `001_setup.sql` (when there is a setup), then the example, split at
/// `-- file: NAME` lines or named `002_example.sql`.
pub(crate) fn example_files(setup: &str, example: &str) -> Vec<SourceFile> {
    let mut files = Vec::new();
    if !setup.trim().is_empty() {
        files.push(SourceFile::new("001_setup.sql", setup));
    }
    let mut current: Option<(String, String)> = None;
    for line in example.split_inclusive('\n') {
        if let Some(name) = line.trim().strip_prefix("-- file:") {
            files.extend(current.take().map(|(n, t)| SourceFile::new(n, t)));
            current = Some((name.trim().to_string(), String::new()));
            continue;
        }
        current.get_or_insert_with(|| ("002_example.sql".into(), String::new())).1.push_str(line);
    }
    files.extend(current.map(|(n, t)| SourceFile::new(n, t)));
    files
}

/// The diagnostics `rule` reports on an example, outside the setup file.
pub(crate) fn findings(rule: &Rule, example: &str) -> Vec<Diagnostic> {
    let files = example_files(rule.setup, example);
    let options = Options { rules: RuleConfig::only(rule.id), ..Options::default() };
    let analysis = analyze(files, &options);
    let setup = if rule.setup.trim().is_empty() { None } else { Some(0) };
    analysis.diagnostics.into_iter().filter(|d| d.rule == rule.id && Some(d.span.file) != setup).collect()
}

#[test]
fn examples_are_true() {
    let mut failures = Vec::new();
    for rule in ALL {
        if findings(rule, rule.bad).is_empty() {
            failures.push(format!("{}: the bad example does not trigger the rule", rule.id));
        }
        let good = findings(rule, rule.good);
        if !good.is_empty() {
            failures.push(format!("{}: the good example triggers the rule: {}", rule.id, good[0].message));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn good_examples_apply_cleanly() {
    for rule in ALL {
        let files = example_files(rule.setup, rule.good);
        let analysis = analyze(files, &Options { rules: RuleConfig::only(rule.id), ..Options::default() });
        let errors: Vec<_> =
            analysis.diagnostics.iter().filter(|d| d.severity == Severity::Error && d.rule != rule.id).collect();
        assert!(errors.is_empty(), "{}: the good example has errors: {errors:?}", rule.id);
    }
}

#[test]
fn the_registry_is_sound() {
    let mut ids: Vec<&str> = ALL.iter().map(|r| r.id).collect();
    let sorted = {
        let mut s = ids.clone();
        s.sort();
        s
    };
    assert_eq!(ids, sorted, "ALL is kept in id order");
    ids.dedup();
    assert_eq!(ids.len(), ALL.len(), "rule ids are unique");
    for rule in ALL {
        assert!(
            rule.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{} is kebab-case",
            rule.id
        );
        for (what, text) in [("summary", rule.summary), ("why", rule.why), ("fix", rule.fix)] {
            assert!(!text.trim().is_empty(), "{}: {what} is empty", rule.id);
        }
        assert!(!rule.summary.ends_with('.'), "{}: the summary is one line without a final period", rule.id);
    }
}

#[test]
fn configuration_resolves_levels() {
    let Some(rule) = ALL.iter().find(|r| !r.default_on) else { return };
    assert_eq!(RuleConfig::default().severity(rule), None);
    let on = RuleConfig { include: vec![rule.id.into()], ..RuleConfig::default() };
    assert_eq!(on.severity(rule), Some(rule.severity));
    let all = RuleConfig { include: vec!["all".into()], exclude: vec![rule.id.into()], ..RuleConfig::default() };
    assert_eq!(all.severity(rule), None);
    let loud = RuleConfig { levels: [(rule.id.to_string(), Level::Error)].into(), ..RuleConfig::default() };
    assert_eq!(loud.severity(rule), Some(Severity::Error));
    let bogus = RuleConfig { exclude: vec!["no-such-rule".into()], ..RuleConfig::default() };
    assert_eq!(bogus.unknown_ids(), vec!["no-such-rule".to_string()]);
    // `exclude all` silences every rule but the ones included by name.
    let none = RuleConfig { exclude: vec!["all".into()], ..RuleConfig::default() };
    assert!(ALL.iter().all(|r| none.severity(r).is_none()));
    let just = RuleConfig { exclude: vec!["all".into()], include: vec![rule.id.into()], ..RuleConfig::default() };
    assert_eq!(ALL.iter().filter(|r| just.severity(r).is_some()).map(|r| r.id).collect::<Vec<_>>(), vec![rule.id]);
    assert!(just.unknown_ids().is_empty());
}
