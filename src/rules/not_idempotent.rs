//! Runs every migration a second time on the schema it left, and reports where the second run fails.

use super::{Check, Family, Finding, FolderCx, Rule};
use crate::analysis::{Options, rerun};
use crate::diagnostic::Severity;
use crate::migrations::{Role, Version};

pub const RULE: Rule = Rule {
    id: "not-idempotent",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Convention,
    summary: "A migration that fails when it runs a second time, with the error PostgreSQL gives then",
    why: "The team's migrations must be safe to run again: development databases re-run them, and a runner that \
          failed part way runs the file again. The engine applies each migration a second time on the schema its \
          first run left and reports the first statement that fails then, with PostgreSQL's message. It \
          finds what reading the text cannot: a DO block whose existence check looks for another name than \
          the one it creates, a DROP TYPE of a type the second run finds in use, a statement that depends on \
          an object a guarded CREATE skipped. Statements that `prefer-robust-stmts` already reports (with a fix) are not \
          reported again; the next failure of the second run is. Deployed migrations are not re-run.",
    setup: "CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY, email text NOT NULL);",
    bad: "DO $$\n\
          BEGIN\n    \
              IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'users_email_unique') THEN\n        \
                  ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);\n    \
              END IF;\n\
          END $$;\n",
    good: "DO $$\n\
           BEGIN\n    \
               IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'users_email_key') THEN\n        \
                   ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);\n    \
               END IF;\n\
           END $$;\n",
    fix: "Make the statement safe to repeat: IF NOT EXISTS / IF EXISTS / OR REPLACE where PostgreSQL has them, a DO \
          block whose existence check names exactly what the block creates, or DROP … IF EXISTS right before a \
          CREATE that has no guard. Then check again: the second run may stop at the next statement.",
    check: Check::Folder(check),
};

fn check(cx: &FolderCx<'_>, out: &mut Vec<Finding>) {
    let a = cx.analysis;
    let forward: Vec<_> = a.plan.forward.iter().filter(|m| m.role == Role::Forward).collect();
    // Where `prefer-robust-stmts` reported, by (file, start) → end.
    let robust: std::collections::BTreeMap<(u32, u32), u32> = a
        .diagnostics
        .iter()
        .filter(|d| d.rule == "prefer-robust-stmts")
        .map(|d| ((d.span.file, d.span.start), d.span.end))
        .collect();
    for (i, result) in a.migrations.iter().enumerate() {
        let Some(section) = forward.get(i) else { continue };
        if !result.ok || deployed(cx.options, section.version.as_ref()) {
            continue;
        }
        // Simulated during the analysis when it could be; else parsed and run again here.
        let errors = result.rerun.clone().unwrap_or_else(|| rerun(a, i, cx.options));
        // The first failure that `prefer-robust-stmts` has not reported with its fix.
        let reported = |span: crate::span::Span| {
            robust.range((span.file, span.start)..=(span.file, span.end)).any(|(_, end)| *end <= span.end)
        };
        let first = errors.first().map(|(s, _)| *s);
        let Some((span, message)) = errors.into_iter().find(|(span, _)| !reported(*span)) else { continue };
        let when = if Some(span) == first { "a second run stops here" } else { "a second run also fails here" };
        out.push(
            Finding::new(format!("{} cannot run twice: {when} with \"{message}\"", result.name))
                .help("Make the statement safe to repeat (IF NOT EXISTS, IF EXISTS, OR REPLACE, or a DO block that checks for exactly what it creates).")
                .at(span),
        );
    }
}

/// Whether migrations with this version are deployed (`deployed` in the project file): rules leave them
/// alone.
pub(super) fn deployed(options: &Options, version: Option<&Version>) -> bool {
    let Some(deployed) = options.rules.deployed.as_deref().and_then(Version::parse) else { return false };
    version.is_some_and(|v| v.cmp_number(&deployed).is_le())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(sql: &str) -> Vec<(String, String)> {
        let files = super::super::tests::example_files(RULE.setup, sql);
        let texts: Vec<std::sync::Arc<str>> = files.iter().map(|f| f.text.clone()).collect();
        super::super::tests::findings(&RULE, sql)
            .into_iter()
            .map(|d| (String::from(d.message), texts[d.span.file as usize][d.span.range()].to_string()))
            .collect()
    }

    #[test]
    fn the_second_run_stops_at_the_first_failure() {
        let got = found(
            "CREATE TABLE IF NOT EXISTS a (id int);\nALTER TABLE a ADD COLUMN b int;\nALTER TABLE a ADD COLUMN c int;",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].1, "ALTER TABLE a ADD COLUMN b int");
        assert!(got[0].0.contains("column \"b\" of relation \"a\" already exists"), "{got:?}");
    }

    #[test]
    fn idempotent_files_pass() {
        assert!(found("CREATE TABLE IF NOT EXISTS a (id int);\nALTER TABLE a ADD COLUMN IF NOT EXISTS b int;\nDROP TABLE IF EXISTS zz;").is_empty());
    }

    /// The second run the rules simulate stops at the failure this rule reports: it is the start of the
    /// whole second run ([`rerun`]), and this rule's finding is the one the whole run gives.
    #[test]
    fn the_second_run_stops_where_the_finding_is() {
        let (mut cut, mut compared) = (0, 0);
        for (dir, files) in crate::test_support::sample_folders() {
            let options = Options::default();
            let a = crate::analysis::analyze(files, &options);
            for (i, m) in a.migrations.iter().enumerate() {
                let Some(got) = &m.rerun else { continue };
                let full = rerun(&a, i, &options);
                assert!(full.starts_with(got), "{}: {got:?} is not the start of {full:?}", m.name);
                cut += usize::from(got.len() < full.len());
                compared += 1;
            }
            // The rule's findings are those of the whole second runs.
            let mut whole = a.clone();
            for m in &mut whole.migrations {
                m.rerun = None;
            }
            let folder = |a: &crate::Analysis| {
                let settings = options.rules.settings(options.runner);
                let cx = super::super::FolderCx { analysis: a, options: &options, settings: &settings, scope: None };
                let mut out = Vec::new();
                check(&cx, &mut out);
                out.into_iter().map(|f| f.message).collect::<Vec<_>>()
            };
            assert_eq!(folder(&a), folder(&whole), "{}", dir.display());
        }
        assert!(compared > 50 && cut > 0, "{compared} second runs compared, {cut} cut short");
    }

    #[test]
    fn failures_prefer_robust_stmts_reports_are_skipped() {
        let files = super::super::tests::example_files(
            RULE.setup,
            "CREATE TABLE a (id int);\nCREATE TYPE mood AS ENUM ('x');\nALTER TABLE a ADD CONSTRAINT a_pos CHECK (id > 0) NOT VALID, VALIDATE CONSTRAINT a_pos;",
        );
        let options = Options {
            rules: crate::rules::RuleConfig {
                only: Some(vec![RULE.id.into(), "prefer-robust-stmts".into()]),
                ..Default::default()
            },
            ..Options::default()
        };
        let a = crate::analysis::analyze(files, &options);
        let mine: Vec<_> = a.diagnostics.iter().filter(|d| d.rule == RULE.id).collect();
        assert!(mine.is_empty(), "every failure has a prefer-robust-stmts finding: {mine:?}");
    }

    #[test]
    fn deployed_migrations_are_not_rerun() {
        let files = super::super::tests::example_files(RULE.setup, "CREATE TABLE a (id int);");
        let options = Options {
            rules: crate::rules::RuleConfig {
                only: Some(vec![RULE.id.into()]),
                deployed: Some("2".into()),
                ..Default::default()
            },
            ..Options::default()
        };
        let a = crate::analysis::analyze(files, &options);
        assert!(a.diagnostics.iter().all(|d| d.rule != RULE.id));
    }
}
