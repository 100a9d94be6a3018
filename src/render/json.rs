//! The analysis as JSON: diagnostics with line and column, for CI tools and editors.

use serde::Serialize;

use crate::analysis::Analysis;
use crate::span::LineIndex;

/// One diagnostic, located by file, line and column (1-based, in characters).
#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    pub file: &'a str,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub severity: &'static str,
    pub rule: &'static str,
    pub message: &'a str,
    pub help: Option<&'a str>,
}

pub fn diagnostics(analysis: &Analysis) -> Vec<JsonDiagnostic<'_>> {
    let indexes: Vec<LineIndex> = analysis.files.iter().map(|f| LineIndex::new(&f.text)).collect();
    analysis
        .diagnostics
        .iter()
        .map(|d| {
            let file = &analysis.files[d.span.file as usize];
            let idx = &indexes[d.span.file as usize];
            let start = idx.line_col(&file.text, d.span.start as usize);
            let end = idx.line_col(&file.text, d.span.end as usize);
            JsonDiagnostic {
                file: &file.name,
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                severity: d.severity.as_str(),
                rule: d.rule,
                message: &d.message,
                help: d.help.as_deref(),
            }
        })
        .collect()
}

/// The whole analysis as one JSON document: the migration plan, each migration's outcome, the schema
/// where the run stops, and the diagnostics with line and column.
pub fn analysis(a: &Analysis) -> Result<serde_json::Value, serde_json::Error> {
    let stopped_at = a.stopped_at.map(|s| {
        let file = &a.files[s.file as usize];
        let at = LineIndex::new(&file.text).line_col(&file.text, s.start as usize);
        serde_json::json!({ "file": file.name, "line": at.line, "column": at.column })
    });
    let schema = serde_json::to_value(&a.catalog)?;
    Ok(serde_json::json!({
        "scheme": a.plan.scheme.map(|s| s.id()),
        "migrations": a.migrations.iter().map(|m| serde_json::json!({
            "file": m.name, "version": m.version, "ok": m.ok,
        })).collect::<Vec<_>>(),
        "not_migrations": a.plan.others.iter().map(|m| &m.name).collect::<Vec<_>>(),
        "stopped_at": stopped_at,
        "schema": schema,
        "diagnostics": diagnostics(a),
    }))
}
