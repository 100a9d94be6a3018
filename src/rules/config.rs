//! Which rules run and how loud they are: the project file's `[rules]` table, `--include`/`--exclude`,
//! squawk's `.squawk.toml` excludes, the PostgreSQL major version and the deployed migrations.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::suppress::canonical;
use super::{Family, Rule, Settings, lookup};
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

/// squawk's name for require-lock-timeout and require-statement-timeout together (and a rule of its own).
const TIMEOUT_SETTINGS: &str = "require-timeout-settings";

/// Whether the id a user wrote names the rule `rule`, as squawk reads it: its spellings of our ids
/// (`prefer-timestamptz`) are ours, and `require-timeout-settings` names itself and both timeout rules.
/// A family's name (`squawk`, `convention`, `schema`) names every rule of the family.
pub fn names(id: &str, rule: &str) -> bool {
    let id = canonical(id);
    id == rule
        || (id == TIMEOUT_SETTINGS
            && (rule == super::require_lock_timeout::RULE.id || rule == super::require_statement_timeout::RULE.id))
        || family(id).is_some_and(|f| lookup(rule).is_some_and(|r| r.family == f))
}

/// Whether `id` names a rule, in our spelling or squawk's (`all` is not a rule id).
pub fn is_rule_id(id: &str) -> bool {
    lookup(canonical(id)).is_some()
}

/// Whether `id` selects rules in `--include`/`--exclude` and the project file's `[rules]`: a rule id, a
/// family's name (`squawk`, `convention`, `schema`), or `all`.
pub fn is_selector(id: &str) -> bool {
    id == "all" || is_rule_id(id) || family(id).is_some()
}

/// The family a name stands for.
fn family(id: &str) -> Option<Family> {
    [Family::Squawk, Family::Convention, Family::Schema].into_iter().find(|f| f.as_str() == id)
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

    /// The severity `rule` reports at, or `None` when it does not run. Ids are read as squawk reads them
    /// (`names`): `prefer-timestamptz` is prefer-timestamp-tz, `require-timeout-settings` also names both
    /// timeout rules. A level given to the rule's own id wins over one given through
    /// `require-timeout-settings`.
    pub fn severity(&self, rule: &Rule) -> Option<Severity> {
        let named = |list: &[String]| list.iter().any(|id| id == "all" || names(id, rule.id));
        if self.exclude.iter().any(|id| names(id, rule.id)) {
            return None;
        }
        // `exclude = ["all"]` turns off every rule but those named in `include`.
        if self.exclude.iter().any(|id| id == "all") && !self.include.iter().any(|id| names(id, rule.id)) {
            return None;
        }
        // The rule's own id wins over an alias or its family.
        let own = self.levels.iter().find(|(id, _)| canonical(id) == rule.id);
        let level = own.or_else(|| self.levels.iter().find(|(id, _)| names(id, rule.id))).map(|(_, l)| *l);
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
        let mut out: Vec<String> = self
            .levels
            .keys()
            .chain(&self.include)
            .chain(&self.exclude)
            .chain(self.only.iter().flatten())
            .filter(|id| !is_selector(id))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: &str) -> &'static Rule {
        lookup(id).unwrap()
    }

    fn strings(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn squawk_spellings_and_the_timeout_alias() {
        let config = RuleConfig { exclude: strings(&["require-timeout-settings"]), ..RuleConfig::default() };
        for id in ["require-lock-timeout", "require-statement-timeout", "require-timeout-settings"] {
            assert_eq!(config.severity(rule(id)), None, "{id}");
        }
        assert!(config.severity(rule("ban-drop-table")).is_some());

        let config = RuleConfig { exclude: strings(&["prefer-timestamptz"]), ..RuleConfig::default() };
        assert_eq!(config.severity(rule("prefer-timestamp-tz")), None);
        assert!(config.unknown_ids().is_empty(), "{:?}", config.unknown_ids());

        let config = RuleConfig { include: strings(&["require-timeout-settings"]), ..RuleConfig::default() };
        assert!(config.severity(rule("require-timeout-settings")).is_some());

        // A level for the alias reaches both timeout rules; the rule's own id wins over it.
        let mut levels = BTreeMap::new();
        levels.insert("require-timeout-settings".to_string(), Level::Error);
        levels.insert("require-lock-timeout".to_string(), Level::Off);
        levels.insert("prefer-timestamptz".to_string(), Level::Info);
        let config = RuleConfig { levels, ..RuleConfig::default() };
        assert_eq!(config.severity(rule("require-timeout-settings")), Some(Severity::Error));
        assert_eq!(config.severity(rule("require-statement-timeout")), Some(Severity::Error));
        assert_eq!(config.severity(rule("require-lock-timeout")), None);
        assert_eq!(config.severity(rule("prefer-timestamp-tz")), Some(Severity::Info));
        assert!(config.unknown_ids().is_empty(), "{:?}", config.unknown_ids());

        let config = RuleConfig { include: strings(&["prefer-timestamp"]), ..RuleConfig::default() };
        assert_eq!(config.unknown_ids(), vec!["prefer-timestamp".to_string()]);
    }

    #[test]
    fn a_family_selects_its_rules() {
        let of = |family: Family| super::super::ALL.iter().filter(move |r| r.family == family);
        let off = RuleConfig { exclude: strings(&["squawk"]), ..RuleConfig::default() };
        assert!(of(Family::Squawk).all(|r| off.severity(r).is_none()));
        assert!(off.severity(rule("duplicate-migration-number")).is_some());
        assert!(off.severity(rule("foreign-key-without-index")).is_some());
        assert!(off.unknown_ids().is_empty());

        // Only the schema rules, the default-off ones too; a rule's own level wins over its family's.
        let mut levels = BTreeMap::new();
        levels.insert("schema".to_string(), Level::Error);
        levels.insert("foreign-key-without-index".to_string(), Level::Info);
        let only =
            RuleConfig { levels, exclude: strings(&["all"]), include: strings(&["schema"]), ..RuleConfig::default() };
        assert!(of(Family::Schema).count() > 3);
        for r in of(Family::Schema).filter(|r| r.id != "foreign-key-without-index") {
            assert_eq!(only.severity(r), Some(Severity::Error), "{}", r.id);
        }
        assert_eq!(only.severity(rule("foreign-key-without-index")), Some(Severity::Info));
        assert!(of(Family::Squawk).chain(of(Family::Convention)).all(|r| only.severity(r).is_none()));

        let typo = RuleConfig { exclude: strings(&["squawks"]), ..RuleConfig::default() };
        assert_eq!(typo.unknown_ids(), vec!["squawks".to_string()]);
    }
}
