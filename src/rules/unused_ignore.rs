//! Suppression comments that silence nothing, or name no rule.

use super::suppress::{IgnoreComment, Ignores, canonical};
use super::{Check, Family, Rule, lookup};
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::span::Span;

pub const RULE: Rule = Rule {
    id: "unused-ignore",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "a suppression comment that silences nothing, or names no rule",
    why: "An ignore comment that no longer silences anything hides the next real finding of that rule on the \
          statement: the problem it was written for is gone (or the statement moved), but the comment stays \
          and keeps the rule quiet there for good. A misspelt id silences nothing at all, so the finding it \
          was meant for shows up anyway, and readers believe it was reviewed. Only rules that run are \
          judged: an id of a rule that is turned off is left alone. squawk's own `squawk-ignore` comments \
          are honoured but only checked for ids that no tool knows: squawk may still need a comment that \
          this tool, knowing the schema, does not.",
    setup: "CREATE TABLE legacy_events (id bigint PRIMARY KEY);",
    bad: "-- schema-playground:ignore ban-drop-tabel\nDROP TABLE legacy_events;",
    good: "-- schema-playground:ignore ban-drop-table\nDROP TABLE legacy_events;",
    fix: "Delete the comment (or the id) when the finding it silenced is gone; correct the id when it is \
          misspelt (`schema-playground rules` lists them). Silence this rule for a file with \
          `-- schema-playground:ignore-file unused-ignore`.",
    check: Check::Builtin,
};

/// Squawk's rule ids (squawk-cli 2.x and its main branch), so that a `squawk-ignore` comment for one of
/// squawk's rules this tool does not implement is not taken for a typo.
const SQUAWK_IDS: &[&str] = &[
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
    "prefer-big-int",
    "prefer-bigint-over-int",
    "prefer-bigint-over-smallint",
    "prefer-identity",
    "prefer-repack",
    "prefer-robust-stmts",
    "prefer-text-field",
    "prefer-timestamp-tz",
    "prefer-timestamptz",
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
    "require-timeout-settings",
    "syntax-error",
    "transaction-nesting",
    "unused-ignore",
];

/// The findings for one file's suppression comments. `used[c][i]` says whether id `i` of comment `c`
/// (index 0 for a comment naming no id) silenced a diagnostic; `enabled` whether a rule runs.
pub(super) fn report(
    file: u32,
    text: &str,
    ignores: &Ignores,
    used: &[Vec<bool>],
    enabled: &dyn Fn(&str) -> bool,
    severity: Severity,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // `-- schema-playground:ignore-file unused-ignore` (and only an explicit one) silences this rule.
    let silenced = ignores.comments.iter().any(|c| c.file_level && c.ids.iter().any(|i| i.id == RULE.id));
    if silenced {
        return out;
    }
    let span = |a: usize, b: usize| Span::new(file, a, b);
    let scope = |c: &IgnoreComment| if c.file_level { "in this file" } else { "on the statement after it" };
    for (c, comment) in ignores.comments.iter().enumerate() {
        let flags = used.get(c).map(Vec::as_slice).unwrap_or(&[]);
        if comment.ids.is_empty() {
            // A bare `squawk-ignore` may be there for squawk's own rules: leave it alone.
            if comment.squawk || flags.first().copied().unwrap_or(false) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    severity,
                    RULE.id,
                    format!("this ignore comment silences nothing {}", scope(comment)),
                    span(comment.start, comment.end),
                )
                .with_help("Delete the comment.")
                .with_fix(delete_comment(file, text, comment)),
            );
            continue;
        }
        for (i, id) in comment.ids.iter().enumerate() {
            if id.id == RULE.id {
                continue;
            }
            let at = span(id.start, id.end);
            let fix =
                if comment.ids.len() == 1 { delete_comment(file, text, comment) } else { delete_id(file, comment, i) };
            match lookup(canonical(&id.id)) {
                Some(rule) => {
                    // squawk reads `squawk-ignore` comments too and is less precise: a comment this tool
                    // does not need may still be needed by squawk. Only typos are reported there.
                    if comment.squawk || !enabled(rule.id) || flags.get(i).copied().unwrap_or(false) {
                        continue;
                    }
                    out.push(
                        Diagnostic::new(
                            severity,
                            RULE.id,
                            format!("{} reports nothing {}: the ignore is not needed", rule.id, scope(comment)),
                            at,
                        )
                        .with_help("Delete the id from the comment.")
                        .with_fix(fix),
                    );
                }
                None => {
                    if comment.squawk && SQUAWK_IDS.contains(&id.id.as_str()) {
                        continue;
                    }
                    let mut message = format!("\"{}\" is not a rule id: this ignore silences nothing", id.id);
                    let help = match closest(&id.id) {
                        Some(near) => {
                            message.push_str(&format!(" (did you mean {near}?)"));
                            format!("Write {near}.")
                        }
                        None => "Correct the id (`schema-playground rules` lists them) or delete it.".to_string(),
                    };
                    let mut d = Diagnostic::new(severity, RULE.id, message, at).with_help(help);
                    if let Some(near) = closest(&id.id) {
                        d = d.with_fix(Fix {
                            title: format!("Write {near}").into(),
                            span: at,
                            replacement: near.into(),
                        });
                    }
                    out.push(d);
                }
            }
        }
    }
    out
}

/// Deletes the whole comment: its line when it stands alone on it.
fn delete_comment(file: u32, text: &str, c: &IgnoreComment) -> Fix {
    let (start, end) = if c.own_line {
        let line_start = text[..c.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[c.end..].find('\n').map_or(text.len(), |i| c.end + i + 1);
        (line_start, line_end)
    } else {
        // Keep the code before the comment, without the spaces that led to it.
        let code_end = text[..c.start].trim_end_matches([' ', '\t']).len();
        (code_end, c.end)
    };
    Fix { title: "Delete the ignore comment".into(), span: Span::new(file, start, end), replacement: "".into() }
}

/// Deletes one id of several, with the separator that goes with it.
fn delete_id(file: u32, c: &IgnoreComment, i: usize) -> Fix {
    let id = &c.ids[i];
    let (start, end) = match c.ids.get(i + 1) {
        Some(next) => (id.start, next.start),
        None => (c.ids.get(i.wrapping_sub(1)).map_or(id.start, |prev| prev.end), id.end),
    };
    Fix { title: format!("Delete {}", id.id).into(), span: Span::new(file, start, end), replacement: "".into() }
}

/// The rule id nearest to a misspelt one, when it is near enough to be meant.
fn closest(id: &str) -> Option<&'static str> {
    super::ALL
        .iter()
        .map(|r| (edit_distance(id, r.id), r.id))
        .filter(|(d, _)| *d <= 3 && *d < id.len() / 2)
        .min()
        .map(|(_, id)| id)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(row[j]).min(row[j + 1]) };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::super::tests::{example_files, findings};
    use super::*;
    use crate::analysis::{Options, analyze};
    use crate::rules::RuleConfig;

    /// The unused-ignore findings with ban-drop-table (and this rule) turned on.
    fn with_drop_table(sql: &str) -> Vec<Diagnostic> {
        let files = example_files(RULE.setup, sql);
        let rules = RuleConfig { only: Some(vec![RULE.id.into(), "ban-drop-table".into()]), ..RuleConfig::default() };
        let analysis = analyze(files, &Options { rules, ..Options::default() });
        analysis.diagnostics.into_iter().filter(|d| d.rule == RULE.id).collect()
    }

    #[test]
    fn a_misspelt_id_gets_a_suggestion_and_a_fix() {
        let found = findings(&RULE, RULE.bad);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("did you mean ban-drop-table"), "{}", found[0].message);
        assert_eq!(found[0].fix.as_ref().unwrap().replacement, "ban-drop-table");
    }

    #[test]
    fn an_ignore_that_silences_a_finding_is_used() {
        assert!(with_drop_table(RULE.good).is_empty());
        // The table is new: ban-drop-table says nothing, so the comment is stale.
        let sql = "CREATE TABLE scratch (id bigint);\n-- schema-playground:ignore ban-drop-table\nDROP TABLE scratch;";
        let found = with_drop_table(sql);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.starts_with("ban-drop-table reports nothing"), "{}", found[0].message);
        let fix = found[0].fix.as_ref().unwrap();
        assert_eq!(fix.replacement, "");
    }

    #[test]
    fn rules_that_are_off_and_squawk_rules_we_lack_are_left_alone() {
        // Only this rule runs: ban-drop-table is off, so its ignore cannot be judged.
        assert!(
            findings(&RULE, "CREATE TABLE s (id bigint);\n-- schema-playground:ignore ban-drop-table\nDROP TABLE s;")
                .is_empty()
        );
        assert!(findings(&RULE, "-- squawk-ignore require-timeout-settings\nSELECT 1;").is_empty());
        assert!(findings(&RULE, "-- squawk-ignore-file\nSELECT 1;").is_empty());
        assert_eq!(findings(&RULE, "-- squawk-ignore no-such-rule\nSELECT 1;").len(), 1);
        // squawk may need it even where this tool finds nothing.
        let sql = "CREATE TABLE scratch (id bigint);\n-- squawk-ignore ban-drop-table\nDROP TABLE scratch;";
        assert!(with_drop_table(sql).is_empty());
    }

    #[test]
    fn one_stale_id_among_several() {
        let sql = "CREATE TABLE scratch (id bigint);\n-- schema-playground:ignore ban-drop-table, unused-ignore\nDROP TABLE legacy_events, scratch;";
        // ban-drop-table fires on legacy_events: the comment is used.
        assert!(with_drop_table(sql).is_empty());
        let sql = "-- schema-playground:ignore-file ban-drop-table\nCREATE TABLE s (id bigint);\nDROP TABLE s;";
        let found = with_drop_table(sql);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("in this file"));
    }

    #[test]
    fn the_rule_can_be_silenced_for_a_file() {
        let sql = "-- schema-playground:ignore-file unused-ignore\n-- schema-playground:ignore ban-drop-tabel\nDROP TABLE legacy_events;";
        assert!(findings(&RULE, sql).is_empty());
    }

    #[test]
    fn deleting_an_id_keeps_the_others() {
        let text = "-- squawk-ignore a, b, c\n";
        let ignores = Ignores::read(text);
        let c = &ignores.comments[0];
        let cut = |i| {
            let f = delete_id(0, c, i);
            format!("{}{}", &text[..f.span.start as usize], &text[f.span.end as usize..])
        };
        assert_eq!(cut(0), "-- squawk-ignore b, c\n");
        assert_eq!(cut(1), "-- squawk-ignore a, c\n");
        assert_eq!(cut(2), "-- squawk-ignore a, b\n");
        let text = "SELECT 1;\n-- squawk-ignore a\nDROP TABLE t;";
        let f = delete_comment(0, text, &Ignores::read(text).comments[0]);
        assert_eq!(f.span.range(), 10..29);
        let text = "SELECT 1; -- squawk-ignore a\nDROP TABLE t;";
        let f = delete_comment(0, text, &Ignores::read(text).comments[0]);
        assert_eq!(&text[f.span.range()], " -- squawk-ignore a");
    }
}
