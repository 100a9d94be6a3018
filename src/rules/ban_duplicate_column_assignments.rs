//! The same column assigned or named twice in one statement.

use sqlparser::ast::{
    Assignment, AssignmentTarget, Expr, Ident, ObjectName, OnConflictAction, OnInsert, SelectItem, SetExpr, Statement,
};

use super::sql_text::ident_range;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::fold;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-duplicate-column-assignments",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "a column assigned or listed twice in one statement (UPDATE … SET, INSERT column lists, CREATE TABLE, views)",
    why: "UPDATE t SET a = 1, a = 2 does not keep the last value: PostgreSQL rejects the whole statement \
          (multiple assignments to same column), and so it does for a column listed twice in an INSERT, \
          defined twice in a CREATE TABLE or named twice in a view. In a migration that usually comes from a \
          copy-paste or a merge, and the migration fails when it runs. Assignments to different fields of \
          one composite column (SET addr.city = …, addr.zip = …) are allowed and not reported.",
    setup: "CREATE TABLE accounts (id bigint PRIMARY KEY, status text NOT NULL, plan text NOT NULL);",
    bad: "UPDATE accounts SET status = 'active', plan = 'free', status = 'trial';",
    good: "UPDATE accounts SET status = 'trial', plan = 'free';",
    fix: "Keep one assignment per column (decide which value is meant).",
    check: Check::Statement(check),
};

/// One mention of a column: its folded name, the identifier as written, and whether it assigns only a
/// field or element of it (`a.x`, `a[1]`).
struct Mention<'a> {
    column: String,
    ident: &'a Ident,
    partial: bool,
    /// For a single `col = value` assignment: its index in the SET list.
    single: Option<usize>,
}

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(stmt) = cx.statement() else { return };
    match stmt {
        Statement::Update(update) => assignments(cx, "UPDATE … SET", &update.assignments, out),
        Statement::Insert(insert) => {
            let mentions: Vec<Mention<'_>> = insert.columns.iter().filter_map(|n| mention(n, None)).collect();
            report(cx, "INSERT", "lists column", &mentions, None, out);
            if let Some(OnInsert::OnConflict(conflict)) = &insert.on
                && let OnConflictAction::DoUpdate(update) = &conflict.action
            {
                assignments(cx, "ON CONFLICT DO UPDATE SET", &update.assignments, out);
            }
        }
        Statement::CreateTable(ct) => {
            let mentions: Vec<Mention<'_>> = ct
                .columns
                .iter()
                .map(|c| Mention { column: fold(&c.name), ident: &c.name, partial: false, single: None })
                .collect();
            report(cx, "CREATE TABLE", "defines column", &mentions, None, out);
        }
        Statement::CreateView(view) => {
            let mentions: Vec<Mention<'_>> = if view.columns.is_empty() {
                select_names(&view.query.body)
            } else {
                view.columns
                    .iter()
                    .map(|c| Mention { column: fold(&c.name), ident: &c.name, partial: false, single: None })
                    .collect()
            };
            report(cx, "CREATE VIEW", "names column", &mentions, None, out);
        }
        _ => {}
    }
}

fn mention(name: &ObjectName, single: Option<usize>) -> Option<Mention<'_>> {
    let ident = name.0.first()?.as_ident()?;
    Some(Mention { column: fold(ident), ident, partial: name.0.len() > 1, single })
}

fn assignments(cx: &StatementCx<'_>, what: &str, list: &[Assignment], out: &mut Vec<Finding>) {
    let mut mentions = Vec::new();
    for (i, a) in list.iter().enumerate() {
        match &a.target {
            AssignmentTarget::ColumnName(name) => mentions.extend(mention(name, Some(i))),
            AssignmentTarget::Tuple(names) => mentions.extend(names.iter().filter_map(|n| mention(n, None))),
        }
    }
    report(cx, what, "assigns column", &mentions, Some(list), out);
}

/// The output column names of a SELECT: aliases, column references, function names.
fn select_names(body: &SetExpr) -> Vec<Mention<'_>> {
    let SetExpr::Select(select) = body else { return Vec::new() };
    select
        .projection
        .iter()
        .filter_map(|item| {
            let ident = match item {
                SelectItem::ExprWithAlias { alias, .. } => alias,
                SelectItem::UnnamedExpr(Expr::Identifier(i)) => i,
                SelectItem::UnnamedExpr(Expr::CompoundIdentifier(parts)) => parts.last()?,
                _ => return None,
            };
            Some(Mention { column: fold(ident), ident, partial: false, single: None })
        })
        .collect()
}

fn report(
    cx: &StatementCx<'_>,
    what: &str,
    verb: &str,
    mentions: &[Mention<'_>],
    list: Option<&[Assignment]>,
    out: &mut Vec<Finding>,
) {
    let mut done: Vec<&str> = Vec::new();
    for m in mentions {
        if done.contains(&m.column.as_str()) {
            continue;
        }
        let same: Vec<&Mention<'_>> = mentions.iter().filter(|o| o.column == m.column).collect();
        // Fields of one composite column may each be assigned; anything else twice is an error.
        if same.len() < 2 || same.iter().all(|o| o.partial) {
            continue;
        }
        done.push(&m.column);
        let later = same[1];
        let times = if same.len() == 2 { "twice".to_string() } else { format!("{} times", same.len()) };
        let at = ident_range(cx.text, later.ident).map_or(cx.span, |(a, b)| cx.sub_span(a, b));
        let mut finding =
            Finding::new(format!("{what} {verb} \"{}\" {times}: PostgreSQL rejects the statement", m.column))
                .help("Keep one of them.")
                .at(at);
        if let (Some(list), [first, second]) = (list, same.as_slice())
            && let (Some(i), Some(_)) = (first.single, second.single)
            && let Some(next) = list.get(i + 1)
            && let AssignmentTarget::ColumnName(next_name) = &next.target
            && let Some(next_ident) = next_name.0.first().and_then(|p| p.as_ident())
            && let (Some((start, _)), Some((next_start, _))) =
                (ident_range(cx.text, first.ident), ident_range(cx.text, next_ident))
            && next_start > start
        {
            finding = finding.fix(
                format!("Delete the first assignment to \"{}\"", m.column),
                cx.sub_span(start, next_start),
                "",
            );
        }
        out.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn one_finding_per_column_with_a_fix() {
        let found = findings(&RULE, RULE.bad);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("\"status\" twice"));
        assert!(found[0].fix.is_some());
    }

    #[test]
    fn case_folding_tuples_and_fields() {
        assert_eq!(findings(&RULE, "UPDATE accounts SET status = 'a', STATUS = 'b';").len(), 1);
        assert_eq!(findings(&RULE, "UPDATE accounts SET (status, plan) = ('a', 'b'), plan = 'c';").len(), 1);
        assert!(findings(&RULE, "UPDATE accounts SET \"Status\" = 'a', status = 'b';").is_empty());
    }

    #[test]
    fn insert_lists_on_conflict_tables_and_views() {
        assert_eq!(findings(&RULE, "INSERT INTO accounts (id, status, id) VALUES (1, 'a', 2);").len(), 1);
        let sql = "INSERT INTO accounts (id, status, plan) VALUES (1, 'a', 'b') ON CONFLICT (id) DO UPDATE SET plan = 'x', plan = 'y';";
        assert_eq!(findings(&RULE, sql).len(), 1);
        assert_eq!(findings(&RULE, "CREATE TABLE t (a int, b int, a text);").len(), 1);
        assert_eq!(findings(&RULE, "CREATE VIEW v AS SELECT id, status AS id FROM accounts;").len(), 1);
        assert_eq!(findings(&RULE, "CREATE VIEW v (a, a) AS SELECT id, status FROM accounts;").len(), 1);
        assert!(findings(&RULE, "CREATE VIEW v AS SELECT a.id, b.id AS other FROM accounts a, accounts b;").is_empty());
    }
}
