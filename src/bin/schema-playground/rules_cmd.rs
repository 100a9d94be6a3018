//! `schema-playground rules` and `schema-playground explain RULE`.

use std::io::Write;
use std::process::ExitCode;

use schema_playground::rules::{ALL, Check, Rule, lookup};

pub fn list(json: bool) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    if json {
        let rules: Vec<serde_json::Value> = ALL
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id, "severity": r.severity.as_str(), "default_on": r.default_on,
                    "family": r.family.as_str(), "summary": r.summary,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &rules)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let width = ALL.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for r in ALL {
        let on = if r.default_on { "on " } else { "opt" };
        writeln!(out, "{:<width$}  {:<7}  {on}  {:<10}  {}", r.id, r.severity.as_str(), r.family.as_str(), r.summary)?;
    }
    let opt_in = ALL.iter().filter(|r| !r.default_on).count();
    writeln!(
        out,
        "\n{} rules, {opt_in} of them opt-in (turn them on with --include ID or in schema-playground.toml's [rules]).\n`schema-playground explain ID` prints a rule's documentation.",
        ALL.len()
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn explain(id: &str) -> anyhow::Result<ExitCode> {
    let Some(rule) = lookup(id) else {
        let close: Vec<&str> = ALL.iter().map(|r| r.id).filter(|r| r.contains(id) || id.contains(r)).collect();
        let hint = if close.is_empty() { String::new() } else { format!(" (did you mean {}?)", close.join(", ")) };
        anyhow::bail!("no rule named {id:?}{hint}: `schema-playground rules` lists them");
    };
    let mut out = std::io::stdout().lock();
    out.write_all(render(rule).as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// A rule's documentation as plain text.
pub fn render(r: &Rule) -> String {
    let on = if r.default_on { "on by default" } else { "opt-in" };
    let how = match r.check {
        Check::Statement(_) => "checks each statement",
        Check::Folder(_) => "checks the whole folder",
        Check::Builtin => "reported by the simulator",
    };
    let mut s = format!("{} ({}, {on}, {}; {how})\n\n{}\n\n", r.id, r.severity.as_str(), r.family.as_str(), r.summary);
    s += &format!("Why it matters\n  {}\n\n", r.why);
    if !r.setup.trim().is_empty() {
        s += &format!("Given\n{}\n", indent(r.setup));
    }
    s += &format!("Bad\n{}\nGood\n{}\n", indent(r.bad), indent(r.good));
    s += &format!("How to fix\n  {}\n", r.fix);
    s
}

fn indent(sql: &str) -> String {
    sql.lines().map(|l| format!("    {l}\n")).collect()
}
