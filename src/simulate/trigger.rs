//! CREATE [OR REPLACE] [CONSTRAINT] TRIGGER and DROP TRIGGER.

use sqlparser::ast::{CreateTrigger, DropTrigger, TriggerEvent as AstEvent, TriggerObject, TriggerPeriod};

use super::{Ctx, SimError, SimResult};
use crate::catalog::expr::{self, Scope};
use crate::catalog::model::*;
use crate::catalog::names;

pub(crate) fn create_trigger(catalog: &mut Catalog, ct: &CreateTrigger, ctx: &mut Ctx) -> SimResult {
    let table_q = catalog.resolve(&ct.table_name);
    let on_view = match catalog.views.get(&table_q) {
        Some(v) if v.materialized => {
            return Err(SimError::new(format!("\"{}\" is not a table or view", table_q.name)));
        }
        Some(_) => true,
        None if catalog.tables.contains_key(&table_q) => false,
        None => return Err(super::missing_relation(catalog, &table_q)),
    };
    let name = names::parts(&ct.name).last().cloned().unwrap_or_default();
    let Some(exec) = &ct.exec_body else {
        return Err(SimError::new("syntax error: CREATE TRIGGER needs EXECUTE FUNCTION"));
    };
    let timing = match ct.period {
        Some(TriggerPeriod::Before) => TriggerTiming::Before,
        Some(TriggerPeriod::InsteadOf) => TriggerTiming::InsteadOf,
        _ => TriggerTiming::After,
    };
    let mut events = Vec::new();
    let mut update_columns = Vec::new();
    for e in &ct.events {
        match e {
            AstEvent::Insert => events.push(TriggerEvent::Insert),
            AstEvent::Delete => events.push(TriggerEvent::Delete),
            AstEvent::Truncate => events.push(TriggerEvent::Truncate),
            AstEvent::Update(cols) => {
                events.push(TriggerEvent::Update);
                update_columns.extend(cols.iter().map(names::fold));
            }
        }
    }
    events.sort();
    events.dedup();
    let for_each_row = matches!(
        ct.trigger_object,
        Some(sqlparser::ast::TriggerObjectKind::ForEach(TriggerObject::Row))
            | Some(sqlparser::ast::TriggerObjectKind::For(TriggerObject::Row))
    );
    // CreateTriggerFiringOn's checks, in its order.
    let relation = &table_q.name;
    if on_view {
        if timing != TriggerTiming::InsteadOf && for_each_row {
            return Err(SimError::new(format!("\"{relation}\" is a view"))
                .help("Views cannot have row-level BEFORE or AFTER triggers: use INSTEAD OF, or FOR EACH STATEMENT."));
        }
        if events.contains(&TriggerEvent::Truncate) {
            return Err(SimError::new(format!("\"{relation}\" is a view")).help("Views cannot have TRUNCATE triggers."));
        }
    } else if timing == TriggerTiming::InsteadOf {
        return Err(SimError::new(format!("\"{relation}\" is a table"))
            .help("Tables cannot have INSTEAD OF triggers: use BEFORE or AFTER."));
    }
    if timing == TriggerTiming::InsteadOf {
        if !for_each_row {
            return Err(SimError::new("INSTEAD OF triggers must be FOR EACH ROW"));
        }
        if ct.condition.is_some() {
            return Err(SimError::new("INSTEAD OF triggers cannot have WHEN conditions"));
        }
        if !update_columns.is_empty() {
            return Err(SimError::new("INSTEAD OF triggers cannot have column lists"));
        }
    }
    let fq = catalog.resolve(&exec.func_desc.name);
    let funcs = catalog.functions.get(&fq);
    let Some(f) = funcs.and_then(|l| l.iter().find(|f| f.arg_types.is_empty())) else {
        return Err(SimError::new(format!("function {}() does not exist", names::object_name(&exec.func_desc.name)))
            .help("Create the trigger function (CREATE OR REPLACE FUNCTION … RETURNS trigger) before the trigger."));
    };
    if f.returns != "trigger" {
        return Err(SimError::new(format!("function {}() must return type trigger", fq.name)));
    }
    if let Some(table) = catalog.table(&table_q) {
        for c in &update_columns {
            if table.column(c).is_none() {
                return Err(SimError::new(format!("column \"{c}\" of relation \"{}\" does not exist", table_q.name)));
            }
        }
    }
    let when = match &ct.condition {
        Some(cond) => {
            if !for_each_row {
                return Err(SimError::new("statement trigger's WHEN condition cannot reference column values"));
            }
            let cols = super::table::table_columns(catalog, &table_q);
            let scope = Scope { catalog, columns: &cols, trigger_rows: true };
            Some(expr::condition(cond, &scope, "WHEN")?.0)
        }
        None => None,
    };
    let chars = super::table::chars(&ct.characteristics);
    let trigger = Trigger {
        name: name.clone(),
        timing,
        events,
        update_columns,
        for_each_row,
        when,
        function: fq,
        args: ctx.extras.trigger_args.clone(),
        referencing: referencing(&ct.referencing),
        constraint: ct.is_constraint,
        deferrable: chars.deferrable,
        initially_deferred: chars.initially_deferred,
        enabled: TriggerEnabled::Origin,
        origin: Origin::at(ctx.span),
    };
    let list = match catalog.views.get_mut(&table_q) {
        Some(v) => &mut v.triggers,
        None => &mut catalog.table_mut(&table_q).ok_or_else(|| SimError::new("table vanished"))?.triggers,
    };
    if let Some(existing) = list.iter_mut().find(|tr| tr.name == name) {
        if !ct.or_replace {
            return Err(SimError::new(format!("trigger \"{name}\" for relation \"{}\" already exists", table_q.name))
                .help(format!(
                    "Add DROP TRIGGER IF EXISTS {} ON {}; before it, or use CREATE OR REPLACE TRIGGER.",
                    names::quote_ident(&name),
                    names::relation_name(&table_q)
                )));
        }
        let created = existing.origin.created;
        *existing = trigger;
        existing.origin.created = created;
    } else {
        list.push(trigger);
    }
    Ok(())
}

/// `REFERENCING OLD TABLE AS o NEW TABLE AS n`: PostgreSQL prints OLD first.
fn referencing(refs: &[sqlparser::ast::TriggerReferencing]) -> Option<String> {
    if refs.is_empty() {
        return None;
    }
    let mut parts: Vec<(bool, String)> = refs
        .iter()
        .map(|r| {
            let old = matches!(r.refer_type, sqlparser::ast::TriggerReferencingType::OldTable);
            (!old, names::quote_ident(&names::parts(&r.transition_relation_name).join(".")))
        })
        .collect();
    parts.sort();
    let text: Vec<String> =
        parts.iter().map(|(new, name)| format!("{} TABLE AS {name}", if *new { "NEW" } else { "OLD" })).collect();
    Some(format!("REFERENCING {}", text.join(" ")))
}

pub(crate) fn drop_trigger(catalog: &mut Catalog, dt: &DropTrigger) -> SimResult {
    let name = names::parts(&dt.trigger_name).last().cloned().unwrap_or_default();
    let Some(table_name) = &dt.table_name else {
        return Err(SimError::new("syntax error: DROP TRIGGER needs ON table"));
    };
    let table_q = catalog.resolve(table_name);
    if !catalog.tables.contains_key(&table_q) && !catalog.views.contains_key(&table_q) {
        if dt.if_exists {
            return Ok(());
        }
        return Err(super::missing_relation(catalog, &table_q));
    }
    let triggers = match catalog.views.get_mut(&table_q) {
        Some(v) => &mut v.triggers,
        None => &mut catalog.table_mut(&table_q).ok_or_else(|| SimError::new("table vanished"))?.triggers,
    };
    if !triggers.iter().any(|tr| tr.name == name) {
        if dt.if_exists {
            return Ok(());
        }
        return Err(SimError::new(format!("trigger \"{name}\" for table \"{}\" does not exist", table_q.name))
            .help("Use DROP TRIGGER IF EXISTS to make the migration safe to re-run."));
    }
    triggers.retain(|tr| tr.name != name);
    Ok(())
}
