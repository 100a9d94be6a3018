//! Which rules run and how loud they are: the project file's `[rules]` table, `--include`/`--exclude`,
//! squawk's `.squawk.toml` excludes, the PostgreSQL major version and the deployed migrations.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{ALL, Rule, Settings};
use crate::analysis::Runner;
use crate::diagnostic::Severity;

/// A rule's level in the project file: `rule-id = "off" | "info" | "warning" | "error"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Info,
    Warning,
    Error,
}

impl Level {
    fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

/// The PostgreSQL major version rules assume when none is configured (Debian 12's).
pub const DEFAULT_PG_VERSION: u32 = 15;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleConfig {
    /// Rule id → level, from the project file.
    pub levels: BTreeMap<String, Level>,
    /// Rules to turn on besides the default ones (`all` turns on every rule).
    pub include: Vec<String>,
    /// Rules to turn off (wins over everything else); `all` turns off every rule not named in `include`.
    pub exclude: Vec<String>,
    /// When set, exactly these rules run.
    pub only: Option<Vec<String>>,
    /// The PostgreSQL major version the migrations run on.
    pub pg_version: Option<u32>,
    /// The newest migration version already deployed: rules do not report on it or older ones.
    pub deployed: Option<String>,
}

impl RuleConfig {
    /// Exactly one rule, at its default severity.
    pub fn only(id: &str) -> RuleConfig {
        RuleConfig { only: Some(vec![id.to_string()]), ..RuleConfig::default() }
    }

    /// The severity `rule` reports at, or `None` when it does not run.
    pub fn severity(&self, rule: &Rule) -> Option<Severity> {
        let named = |list: &[String]| list.iter().any(|id| id == rule.id || id == "all");
        if self.exclude.iter().any(|id| id == rule.id) {
            return None;
        }
        // `exclude = ["all"]` turns off every rule but those named in `include`.
        if self.exclude.iter().any(|id| id == "all") && !self.include.iter().any(|id| id == rule.id) {
            return None;
        }
        let level = self.levels.get(rule.id).copied();
        if let Some(only) = &self.only {
            return if named(only) { level.map_or(Some(rule.severity), Level::severity) } else { None };
        }
        match level {
            Some(level) => level.severity(),
            None if rule.default_on || named(&self.include) => Some(rule.severity),
            None => None,
        }
    }

    /// Ids named anywhere in this configuration that are not rules.
    pub fn unknown_ids(&self) -> Vec<String> {
        let known = |id: &str| id == "all" || ALL.iter().any(|r| r.id == id);
        let mut out: Vec<String> = self
            .levels
            .keys()
            .chain(&self.include)
            .chain(&self.exclude)
            .chain(self.only.iter().flatten())
            .filter(|id| !known(id))
            .cloned()
            .collect();
        out.sort();
        out.dedup();
        out
    }

    pub fn settings(&self, runner: Runner) -> Settings {
        Settings { pg_version: self.pg_version.unwrap_or(DEFAULT_PG_VERSION), runner }
    }
}

/// Squawk's `.squawk.toml`, so a team's squawk settings carry over.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct SquawkConfig {
    #[serde(default)]
    pub excluded_rules: Vec<String>,
    pub pg_version: Option<String>,
    pub assume_in_transaction: Option<bool>,
    /// Other keys (`excluded_paths`, `upload_to_github`, …) do not concern the analysis.
    #[serde(flatten)]
    pub other: BTreeMap<String, toml::Value>,
}

impl SquawkConfig {
    pub const FILE_NAME: &'static str = ".squawk.toml";

    pub fn parse(text: &str) -> Result<SquawkConfig, String> {
        toml::from_str(text).map_err(|e| e.message().to_string())
    }

    /// `"13.0"` or `"13"` → 13.
    pub fn major_version(&self) -> Option<u32> {
        self.pg_version.as_deref()?.split('.').next()?.trim().parse().ok()
    }
}
