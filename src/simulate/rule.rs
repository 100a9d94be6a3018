//! CREATE [OR REPLACE] RULE and DROP RULE. A rule is kept as `pg_get_ruledef(oid, true)` prints it;
//! the forms whose printing is not reproduced exactly are reported as not simulated rather than shown
//! wrong.

use sqlparser::ast::{
    AssignmentTarget, CreateRule, CreateRuleAction, CreateRuleDoKind, CreateRuleEvent, DropRule, Statement, TableFactor,
};

use super::{Ctx, SimError, SimResult};
use crate::catalog::expr::{self, Node, Scope};
use crate::catalog::model::*;
use crate::catalog::names::{self, quote_ident, relation_name};

fn not_simulated(what: &str) -> SimError {
    SimError::not_simulated(format!(
        "CREATE RULE {what} is not simulated: the rule is not shown in \\d (only DO [ALSO | INSTEAD] NOTHING \
         and an UPDATE of the rule's own table are)"
    ))
}

/// Whether the condition's columns are all `new.col` / `old.col`, of rows the event has.
fn rows_ok(node: &Node, event: CreateRuleEvent) -> bool {
    node.qualifiers().iter().all(|q| match q {
        None => false,
        Some("new") => event != CreateRuleEvent::Delete,
        Some("old") => event != CreateRuleEvent::Insert,
        _ => true,
    })
}

pub(crate) fn create_rule(catalog: &mut Catalog, cr: &CreateRule, ctx: &mut Ctx) -> SimResult {
    let q = catalog.resolve(&cr.table_name);
    if !catalog.tables.contains_key(&q) {
        if catalog.views.contains_key(&q) {
            return Err(SimError::not_simulated("CREATE RULE on a view is not simulated"));
        }
        return Err(super::missing_relation(catalog, &q));
    }
    let name = names::fold(&cr.name);
    let event = cr.event;
    let event_word = match event {
        CreateRuleEvent::Select => {
            return Err(SimError::not_simulated(
                "CREATE RULE … ON SELECT is not simulated (it would turn the table into a view)",
            ));
        }
        CreateRuleEvent::Insert => "INSERT",
        CreateRuleEvent::Update => "UPDATE",
        CreateRuleEvent::Delete => "DELETE",
    };
    let exists = catalog.table(&q).is_some_and(|t| t.rules.iter().any(|r| r.name == name));
    if exists && !cr.or_replace {
        return Err(SimError::new(format!("rule \"{name}\" for relation \"{}\" already exists", q.name)));
    }
    let cols = super::table::table_columns(catalog, &q);
    let scope = Scope { catalog, columns: &cols, trigger_rows: true };
    let mut used: Vec<String> = Vec::new();
    let mut def = format!("{} AS\n    ON {event_word} TO {}", quote_ident(&name), relation_name(&q));
    if let Some(cond) = &cr.condition {
        let node = expr::condition_node(cond, &scope, "WHERE").map_err(SimError::new)?;
        if !rows_ok(&node, event) {
            return Err(not_simulated("with a condition on columns not written as new.col or old.col"));
        }
        let Some(text) = expr::print_qualified(&node, "") else {
            return Err(not_simulated("with this condition"));
        };
        used.extend(node.columns());
        def.push_str("\n   WHERE ");
        def.push_str(&text);
    }
    def.push_str(" DO ");
    if matches!(cr.do_kind, Some(CreateRuleDoKind::Instead)) {
        def.push_str("INSTEAD ");
    }
    match &cr.action {
        CreateRuleAction::Nothing => def.push_str("NOTHING"),
        CreateRuleAction::Statement(stmt) => {
            let text = update_action(stmt, &q, &scope, event, &mut used)?;
            def.push_str(&text);
        }
        CreateRuleAction::Statements(_) => return Err(not_simulated("with several actions")),
    }
    for u in &used {
        if !cols.iter().any(|(c, _)| c == u) {
            return Err(SimError::new(format!("column \"{u}\" does not exist")));
        }
    }
    used.sort();
    used.dedup();
    let rule = Rule { name: name.clone(), definition: def, columns: used, origin: Origin::at(ctx.span) };
    let Some(t) = catalog.table_mut(&q) else { return Ok(()) };
    match t.rules.iter_mut().find(|r| r.name == name) {
        Some(r) => *r = rule,
        None => t.rules.push(rule),
    }
    Ok(())
}

/// `UPDATE table SET col = expr, … [WHERE cond]` on the rule's own table, as ruleutils prints it:
/// ` UPDATE t SET col = expr\n  WHERE cond` with the table's columns qualified.
fn update_action(
    stmt: &Statement,
    q: &QualName,
    scope: &Scope,
    event: CreateRuleEvent,
    used: &mut Vec<String>,
) -> Result<String, SimError> {
    let Statement::Update(u) = stmt else {
        let kind = super::statement_kind(stmt);
        return Err(not_simulated(&format!("with a {kind} action")));
    };
    let target = match &u.table.relation {
        TableFactor::Table { name, alias: None, .. } if u.table.joins.is_empty() => scope.catalog.resolve(name),
        _ => return Err(not_simulated("with an UPDATE of an aliased or joined table")),
    };
    if &target != q {
        return Err(not_simulated("with an UPDATE of another table"));
    }
    if u.from.is_some() || u.returning.is_some() {
        return Err(not_simulated("with UPDATE … FROM or RETURNING"));
    }
    let prefix = quote_ident(&q.name);
    let mut out = format!(" UPDATE {} SET ", relation_name(q));
    for (i, a) in u.assignments.iter().enumerate() {
        let AssignmentTarget::ColumnName(col) = &a.target else {
            return Err(not_simulated("with a multiple-column assignment"));
        };
        let col = names::parts(col).last().cloned().unwrap_or_default();
        let Some((_, ty)) = scope.columns.iter().find(|(c, _)| *c == col) else {
            return Err(SimError::new(format!("column \"{col}\" of relation \"{}\" does not exist", q.name)));
        };
        let node = expr::assignment(&a.value, ty, scope).map_err(SimError::new)?;
        let Some(text) = expr::print_qualified(&node, &prefix) else {
            return Err(not_simulated("with this SET expression"));
        };
        check_rows(&node, event)?;
        used.push(col.clone());
        used.extend(node.columns());
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&quote_ident(&col));
        out.push_str(" = ");
        out.push_str(&text);
    }
    if let Some(w) = &u.selection {
        let node = expr::condition_node(w, scope, "WHERE").map_err(SimError::new)?;
        check_rows(&node, event)?;
        let Some(text) = expr::print_qualified(&node, &prefix) else {
            return Err(not_simulated("with this WHERE condition"));
        };
        used.extend(node.columns());
        out.push_str("\n  WHERE ");
        out.push_str(&text);
    }
    Ok(out)
}

/// `new` in a DELETE rule or `old` in an INSERT rule: not simulated (PostgreSQL rejects them).
fn check_rows(node: &Node, event: CreateRuleEvent) -> SimResult {
    let bad = node.qualifiers().iter().any(|q| {
        (*q == Some("new") && event == CreateRuleEvent::Delete)
            || (*q == Some("old") && event == CreateRuleEvent::Insert)
    });
    if bad {
        return Err(not_simulated("referring to a row its event does not have"));
    }
    Ok(())
}

pub(crate) fn drop_rule(catalog: &mut Catalog, dr: &DropRule, ctx: &mut Ctx) -> SimResult {
    let q = catalog.resolve(&dr.table_name);
    let name = names::fold(&dr.name);
    let Some(t) = catalog.table_mut(&q) else {
        if dr.if_exists {
            ctx.notes.push(format!("relation \"{}\" does not exist, skipping", q.name));
            return Ok(());
        }
        return Err(super::missing_relation(catalog, &q));
    };
    if !t.rules.iter().any(|r| r.name == name) {
        if dr.if_exists {
            ctx.notes.push(format!("rule \"{name}\" for relation \"{}\" does not exist, skipping", q.name));
            return Ok(());
        }
        return Err(SimError::new(format!("rule \"{name}\" for relation \"{}\" does not exist", q.name)));
    }
    t.rules.retain(|r| r.name != name);
    Ok(())
}
