//! The project file `schema-playground.toml`, read from the migrations folder: how the runner executes
//! files, the naming scheme when detection guesses wrong, and a prelude of objects the platform
//! provides. Unknown keys are an error, never silence.
//!
//! ```toml
//! runner = "psql"            # or "transaction" (the default)
//! scheme = "golang-migrate"  # seed, golang-migrate, flyway, timestamp, dash, dot, goose, dbmate
//! prelude = "prelude.sql"    # a file in the same folder, applied before the first migration
//! ```

use serde::Deserialize;

use crate::analysis::{Options, Runner, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::migrations::Scheme;
use crate::span::Span;

/// The file name the engine looks for among the input files.
pub const FILE_NAME: &str = "schema-playground.toml";

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProjectConfig {
    pub runner: Option<Runner>,
    pub scheme: Option<String>,
    pub prelude: Option<String>,
}

impl ProjectConfig {
    pub fn parse(text: &str) -> Result<ProjectConfig, String> {
        toml::from_str(text).map_err(|e| e.message().to_string())
    }

    /// Reads `schema-playground.toml` from the files, if there is one, and applies it to `options`.
    /// Problems are diagnostics on the config file.
    pub fn apply_from(files: &[SourceFile], options: &mut Options) -> Vec<Diagnostic> {
        let Some((id, file)) = files.iter().enumerate().find(|(_, f)| f.name == FILE_NAME) else {
            return Vec::new();
        };
        let at = Span::new(id as u32, 0, 0);
        let config = match ProjectConfig::parse(&file.text) {
            Ok(c) => c,
            Err(message) => {
                return vec![
                    Diagnostic::error("config-error", format!("{FILE_NAME}: {message}"), at)
                        .with_help("Keys are runner, scheme and prelude; see the README."),
                ];
            }
        };
        let mut out = Vec::new();
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
        out
    }
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
    fn unknown_keys_are_errors() {
        let err = ProjectConfig::parse("runer = \"psql\"").unwrap_err();
        assert!(err.contains("unknown field `runer`"), "{err}");
    }
}
