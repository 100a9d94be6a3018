//! The project file `schema-playground.toml`, read from the migrations folder: how the runner executes
//! files, the naming scheme when detection guesses wrong, and a prelude of objects the platform
//! provides. Unknown keys are an error, never silence.
//!
//! ```toml
//! runner = "psql"            # or "transaction" (the default)
//! scheme = "golang-migrate"  # seed, golang-migrate, flyway, timestamp, dash, dot, goose, dbmate
//! prelude = "prelude.sql"    # a file in the same folder, applied before the first migration
//! pg-version = 15            # the PostgreSQL major version the migrations run on (lock answers change)
//! deployed = "012"           # migrations up to this version are deployed: rules leave them alone
//!
//! [rules]                    # rule id = "off" | "info" | "warning" | "error"
//! ban-drop-column = "error"
//! prefer-robust-stmts = "off"
//! require-timeout-settings = "warning"   # squawk's name for both timeout rules: all three at this level
//! require-lock-timeout = "error"         # a rule's own id wins over require-timeout-settings
//! ```
//!
//! A squawk `.squawk.toml` in the folder is read too: its `excluded_rules`, `pg_version` and
//! `assume_in_transaction` carry over (the project file wins where both say something).

use serde::Deserialize;

use crate::analysis::{Options, Runner, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::migrations::Scheme;
use crate::rules::{Level, SquawkConfig};
use crate::span::Span;

/// The file name the engine looks for among the input files.
pub const FILE_NAME: &str = "schema-playground.toml";

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProjectConfig {
    pub runner: Option<Runner>,
    pub scheme: Option<String>,
    pub prelude: Option<String>,
    pub pg_version: Option<u32>,
    pub deployed: Option<String>,
    #[serde(default)]
    pub rules: std::collections::BTreeMap<String, Level>,
}

impl ProjectConfig {
    pub fn parse(text: &str) -> Result<ProjectConfig, String> {
        toml::from_str(text).map_err(|e| e.message().to_string())
    }

    /// Reads `schema-playground.toml` from the files, if there is one, and applies it to `options`.
    /// Problems are diagnostics on the config file.
    pub fn apply_from(files: &[SourceFile], options: &mut Options) -> Vec<Diagnostic> {
        let mut out = apply_squawk(files, options);
        let Some((id, file)) = files.iter().enumerate().find(|(_, f)| f.name == FILE_NAME) else {
            return out;
        };
        let at = Span::new(id as u32, 0, 0);
        let config = match ProjectConfig::parse(&file.text) {
            Ok(c) => c,
            Err(message) => {
                out.push(Diagnostic::error("config-error", format!("{FILE_NAME}: {message}"), at).with_help(
                    "Keys are runner, scheme, prelude, pg-version, deployed and a [rules] table; see the README.",
                ));
                return out;
            }
        };
        if let Some(runner) = config.runner {
            options.runner = runner;
        }
        if let Some(scheme) = &config.scheme {
            match Scheme::parse(scheme) {
                Some(s) => options.plan.scheme = Some(s),
                None => out.push(
                    Diagnostic::error("config-error", format!("{FILE_NAME}: unknown scheme {scheme:?}"), at)
                        .with_help("Use one of seed, golang-migrate, flyway, timestamp, dash, dot, goose, dbmate."),
                ),
            }
        }
        if let Some(prelude) = &config.prelude {
            match files.iter().find(|f| &f.name == prelude) {
                Some(f) => options.prelude = Some(f.clone()),
                None => out.push(
                    Diagnostic::error(
                        "config-error",
                        format!("{FILE_NAME}: prelude file {prelude:?} is not in the folder"),
                        at,
                    )
                    .with_help("Put the prelude next to the migrations, or fix its name."),
                ),
            }
        }
        if let Some(version) = config.pg_version {
            options.rules.pg_version = Some(version);
        }
        if let Some(deployed) = &config.deployed {
            match crate::migrations::Version::parse(deployed) {
                Some(_) => options.rules.deployed = Some(deployed.clone()),
                None => out.push(
                    Diagnostic::error(
                        "config-error",
                        format!("{FILE_NAME}: deployed = {deployed:?} is not a migration version"),
                        at,
                    )
                    .with_help(
                        "Give the version of the newest deployed migration, as in its file name: deployed = \"012\".",
                    ),
                ),
            }
        }
        let unknown: Vec<String> = config.rules.keys().filter(|id| !crate::rules::is_selector(id)).cloned().collect();
        options.rules.levels.extend(config.rules);
        if !unknown.is_empty() {
            out.push(
                Diagnostic::error("config-error", format!("{FILE_NAME}: unknown rule {}", unknown.join(", ")), at)
                    .with_help("`schema-playground rules` lists the rule ids."),
            );
        }
        out
    }
}

/// Squawk's `.squawk.toml`: excluded rules, PostgreSQL version, and whether files run in a transaction.
fn apply_squawk(files: &[SourceFile], options: &mut Options) -> Vec<Diagnostic> {
    let Some((id, file)) = files.iter().enumerate().find(|(_, f)| f.name == SquawkConfig::FILE_NAME) else {
        return Vec::new();
    };
    let at = Span::new(id as u32, 0, 0);
    let name = SquawkConfig::FILE_NAME;
    let config = match SquawkConfig::parse(&file.text) {
        Ok(c) => c,
        Err(message) => {
            return vec![Diagnostic::error("config-error", format!("{name}: {message}"), at)];
        }
    };
    // Squawk's ids are ours, in either spelling (`prefer-timestamptz`), and `require-timeout-settings` turns
    // off both timeout rules as in squawk; an id neither knows is reported, not ignored.
    options.rules.exclude.extend(config.excluded_rules.iter().cloned());
    if let Some(v) = config.major_version() {
        options.rules.pg_version = Some(v);
    }
    if config.assume_in_transaction == Some(true) {
        options.runner = Runner::Transaction;
    }
    let unknown: Vec<&String> = config.excluded_rules.iter().filter(|id| !crate::rules::is_rule_id(id)).collect();
    if unknown.is_empty() {
        return Vec::new();
    }
    let list: Vec<&str> = unknown.iter().map(|s| s.as_str()).collect();
    vec![
        Diagnostic::warning(
            "config-error",
            format!("{name}: excluded_rules names unknown rule {}", list.join(", ")),
            at,
        )
        .with_help("`schema-playground rules` lists the rule ids; squawk's ids are the same."),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_three_keys() {
        let c = ProjectConfig::parse("runner = \"psql\"\nscheme = \"flyway\"\nprelude = \"p.sql\"\n").unwrap();
        assert_eq!(c.runner, Some(Runner::Psql));
        assert_eq!(c.scheme.as_deref(), Some("flyway"));
        assert_eq!(c.prelude.as_deref(), Some("p.sql"));
    }

    #[test]
    fn rules_versions_and_squawk_settings() {
        let files = vec![
            SourceFile::new(FILE_NAME, "pg-version = 11\ndeployed = \"003\"\n[rules]\nno-such-rule = \"off\"\n"),
            SourceFile::new(".squawk.toml", "excluded_rules = [\"ban-drop-table\"]\npg_version = \"13.0\"\n"),
        ];
        let mut options = Options::default();
        let diags = ProjectConfig::apply_from(&files, &mut options);
        assert_eq!(options.rules.pg_version, Some(11), "the project file wins over .squawk.toml");
        assert_eq!(options.rules.deployed.as_deref(), Some("003"));
        assert!(options.rules.exclude.contains(&"ban-drop-table".to_string()));
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(diags.iter().any(|d| d.message.contains("unknown rule no-such-rule")), "{diags:?}");
    }

    #[test]
    fn squawk_ids_carry_over() {
        let files = vec![
            SourceFile::new(
                ".squawk.toml",
                "excluded_rules = [\"require-timeout-settings\", \"prefer-timestamptz\"]\n",
            ),
            SourceFile::new(FILE_NAME, "[rules]\nprefer-timestamptz = \"error\"\n"),
        ];
        let mut options = Options::default();
        let diags = ProjectConfig::apply_from(&files, &mut options);
        assert!(diags.is_empty(), "{diags:?}");
        for id in ["require-lock-timeout", "require-statement-timeout", "prefer-timestamp-tz"] {
            let rule = crate::rules::lookup(id).unwrap();
            assert_eq!(options.rules.severity(rule), None, "{id} stays on");
        }
        let files = vec![SourceFile::new(FILE_NAME, "[rules]\nprefer-timestamptz = \"error\"\n")];
        let mut options = Options::default();
        assert!(ProjectConfig::apply_from(&files, &mut options).is_empty());
        let rule = crate::rules::lookup("prefer-timestamp-tz").unwrap();
        assert_eq!(options.rules.severity(rule), Some(crate::diagnostic::Severity::Error));
    }

    #[test]
    fn unknown_keys_are_errors() {
        let err = ProjectConfig::parse("runer = \"psql\"").unwrap_err();
        assert!(err.contains("unknown field `runer`"), "{err}");
    }
}
