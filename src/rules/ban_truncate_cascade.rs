//! `TRUNCATE … CASCADE` also empties every table that references the truncated ones.

use sqlparser::ast::{CascadeOption, Statement};

use super::removals;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::QualName;
use crate::catalog::model::ConstraintKind;
use crate::catalog::names::relation_name;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-truncate-cascade",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "TRUNCATE CASCADE also empties every table that references the truncated ones",
    why: "TRUNCATE … CASCADE empties not only the tables it names but every table with a foreign key to them, \
          and the tables referencing those, all the way down: `a <- b <- c` truncates b and c with a. It is \
          easy to wipe data that was never meant to go. The message lists the tables CASCADE reaches, from the \
          schema; when none does, it offers to remove CASCADE, so that a foreign key added later makes the \
          TRUNCATE fail instead of emptying more tables. A TRUNCATE whose tables were all created in the same \
          file is not reported.",
    setup: "CREATE TABLE customers (id bigint PRIMARY KEY);\n\
            CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers);\n\
            CREATE TABLE order_lines (order_id bigint REFERENCES orders, sku text);\n",
    bad: "TRUNCATE customers CASCADE;",
    good: "-- Name every table to empty: a forgotten reference makes the TRUNCATE fail instead of spreading.\n\
           TRUNCATE order_lines, orders, customers;\n",
    fix: "Name every table that should be emptied and leave CASCADE out: when another table still references \
          one of them, PostgreSQL refuses instead of emptying it too.",
    check: Check::Statement(check),
};

/// The tables that reference `from` through foreign keys, at any depth, not counting `from` itself.
fn reached(cx: &StatementCx<'_>, from: &[QualName]) -> Vec<QualName> {
    let mut out: Vec<QualName> = Vec::new();
    let mut todo: Vec<QualName> = from.to_vec();
    while let Some(t) = todo.pop() {
        for other in cx.before.tables.values() {
            let refers = other
                .constraints
                .iter()
                .any(|c| matches!(&c.kind, ConstraintKind::ForeignKey(fk) if fk.ref_table == t));
            if refers && !from.contains(&other.name) && !out.contains(&other.name) {
                out.push(other.name.clone());
                todo.push(other.name.clone());
            }
        }
    }
    out
}

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(Statement::Truncate(t)) = cx.statement() else { return };
    if !matches!(t.cascade, Some(CascadeOption::Cascade)) {
        return;
    }
    let mut named: Vec<QualName> = Vec::new();
    for n in &t.table_names {
        let q = cx.resolve(&n.name);
        if cx.before.tables.contains_key(&q) && !named.contains(&q) {
            named.push(q);
        }
    }
    let reached = reached(cx, &named);
    let in_use = named.iter().chain(&reached).any(|q| removals::existing_table(cx, q).is_some());
    if !in_use {
        return;
    }
    let at = removals::find_seq(cx, &["CASCADE"], 0).unwrap_or(cx.span);
    let shown: Vec<String> = named.iter().map(relation_name).collect();
    let mut finding = if reached.is_empty() {
        Finding::new(format!(
            "TRUNCATE {} CASCADE: no table references {} now, but CASCADE would silently empty any table that \
             does by the time it runs",
            shown.join(", "),
            if named.len() == 1 { "it" } else { "them" }
        ))
        .help("Remove CASCADE: it changes nothing today and only adds risk.")
    } else {
        let reached: Vec<String> = reached.iter().map(relation_name).collect();
        Finding::new(format!(
            "TRUNCATE {} CASCADE also empties {}, which reference{} {} through foreign keys",
            shown.join(", "),
            removals::list(&reached, 8),
            if reached.len() == 1 { "s" } else { "" },
            if named.len() == 1 { "it" } else { "them" }
        ))
        .help("Name every table to empty and remove CASCADE.")
    };
    if let Some(removal) = reached.is_empty().then(|| cut(cx, at)).flatten() {
        finding = finding.fix("Remove CASCADE", removal, "");
    }
    out.push(finding.at(at));
}

/// The span of ` CASCADE` with the whitespace before it, to delete.
fn cut(cx: &StatementCx<'_>, at: crate::span::Span) -> Option<crate::span::Span> {
    if at == cx.span {
        return None;
    }
    let rel = at.start as usize - cx.span.start as usize;
    let before = cx.text.get(..rel)?;
    let trimmed = before.trim_end().len();
    Some(cx.sub_span(trimmed, at.end as usize - cx.span.start as usize))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::tests::findings;

    #[test]
    fn the_tables_cascade_reaches_are_listed() {
        let found = findings(&RULE, RULE.bad);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("also empties orders and order_lines"), "{}", found[0].message);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn a_cascade_that_reaches_nothing_can_be_removed() {
        let found = findings(&RULE, "TRUNCATE order_lines CASCADE;");
        assert_eq!(found.len(), 1);
        let fix = found[0].fix.as_ref().expect("a fix");
        assert_eq!((fix.span.start, fix.span.end), (20, 28));
    }

    #[test]
    fn new_tables_are_not_reported() {
        let sql = "CREATE TABLE scratch (id int PRIMARY KEY);\nTRUNCATE scratch CASCADE;";
        assert!(findings(&RULE, sql).is_empty());
    }
}
