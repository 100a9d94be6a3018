//! What the engine tells users: errors PostgreSQL would raise, warnings from rules, notes.

use serde::Serialize;

use crate::span::Span;
use crate::text::Text;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding, always with a location.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Kebab-case id: a rule id, or a built-in kind such as `syntax-error` or `postgres-error`.
    pub rule: &'static str,
    pub message: Text,
    pub span: Span,
    /// One imperative sentence that says what to do.
    pub help: Option<Text>,
    /// A mechanical fix: replace the text at `span` (shown as a diff).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

/// A mechanical edit that resolves a diagnostic: replace the bytes of `span` with `replacement`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Fix {
    /// What the edit does, imperative: "Add IF NOT EXISTS".
    pub title: Text,
    pub span: Span,
    pub replacement: Text,
}

impl Diagnostic {
    pub fn new(severity: Severity, rule: &'static str, message: impl Into<Text>, span: Span) -> Diagnostic {
        Diagnostic { severity, rule, message: message.into(), span, help: None, fix: None }
    }

    pub fn error(rule: &'static str, message: impl Into<Text>, span: Span) -> Diagnostic {
        Diagnostic::new(Severity::Error, rule, message, span)
    }

    pub fn warning(rule: &'static str, message: impl Into<Text>, span: Span) -> Diagnostic {
        Diagnostic::new(Severity::Warning, rule, message, span)
    }

    pub fn info(rule: &'static str, message: impl Into<Text>, span: Span) -> Diagnostic {
        Diagnostic::new(Severity::Info, rule, message, span)
    }

    pub fn with_help(mut self, help: impl Into<Text>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Diagnostic {
        self.fix = Some(fix);
        self
    }
}
