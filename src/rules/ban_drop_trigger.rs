//! `DROP TRIGGER` silently removes behaviour the table had (opt-in).

use sqlparser::ast::Statement;

use super::removals::{self, Replaced};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::model::{Trigger, TriggerEvent, TriggerTiming};
use crate::catalog::names::{self, quote_ident, relation_name};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-drop-trigger",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "DROP TRIGGER silently removes behaviour that writes to the table relied on",
    why: "A trigger does work on every write: it stamps updated_at, keeps an audit log, maintains a counter, \
          enforces a rule. Dropping it raises no error anywhere; the work simply stops, and the data drifts. \
          The message says what stops, from the schema. A trigger created earlier in the same file is not \
          reported, and neither is the usual way of redefining one, DROP TRIGGER followed by CREATE TRIGGER of \
          the same name on the same table in the same transaction (outside a transaction writes in between \
          skip it, and that is reported). Off by default: enable it with `--include ban-drop-trigger`.",
    setup: "CREATE TABLE orders (id bigint PRIMARY KEY, updated_at timestamptz);\n\
            CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$\n\
            BEGIN NEW.updated_at := now(); RETURN NEW; END $$;\n\
            CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch_updated_at();\n",
    bad: "DROP TRIGGER orders_touch ON orders;",
    good: "-- Redefined in the same transaction: no write goes without it.\n\
           DROP TRIGGER IF EXISTS orders_touch ON orders;\n\
           CREATE TRIGGER orders_touch BEFORE INSERT OR UPDATE ON orders\n    \
           FOR EACH ROW EXECUTE FUNCTION touch_updated_at();\n",
    fix: "Keep the trigger until its work is done elsewhere (in the application, or by a new trigger created \
          first). To redefine a trigger, drop and create it in the same transaction. When the drop is intended, \
          silence the rule on that statement with `-- schema-playground:ignore ban-drop-trigger`.",
    check: Check::Statement(check),
};

/// `BEFORE UPDATE FOR EACH ROW`.
fn when(tr: &Trigger) -> String {
    let timing = match tr.timing {
        TriggerTiming::Before => "BEFORE",
        TriggerTiming::After => "AFTER",
        TriggerTiming::InsteadOf => "INSTEAD OF",
    };
    let events: Vec<&str> = tr
        .events
        .iter()
        .map(|e| match e {
            TriggerEvent::Insert => "INSERT",
            TriggerEvent::Delete => "DELETE",
            TriggerEvent::Update => "UPDATE",
            TriggerEvent::Truncate => "TRUNCATE",
        })
        .collect();
    let each = if tr.for_each_row { "ROW" } else { "STATEMENT" };
    format!("{timing} {} FOR EACH {each}", events.join(" OR "))
}

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(Statement::DropTrigger(dt)) = cx.statement() else { return };
    let Some(table_name) = &dt.table_name else { return };
    let name = names::parts(&dt.trigger_name).last().cloned().unwrap_or_default();
    let q = cx.resolve(table_name);
    let Some(table) = removals::existing_table(cx, &q) else { return };
    let Some(trigger) = table.triggers.iter().find(|t| t.name == name) else { return };
    let existed = removals::at_start(cx, table).is_some_and(|t| t.triggers.iter().any(|x| x.name == name));
    if !existed {
        return;
    }
    let replaced = removals::replaced(cx, |s| {
        matches!(s, Statement::CreateTrigger(ct)
            if cx.resolve(&ct.table_name) == q && names::parts(&ct.name).last() == Some(&name))
    });
    if replaced == Replaced::InTransaction {
        return;
    }
    out.push(
        Finding::new(format!(
            "DROP TRIGGER {} ON {} silently stops {}() from running {} on {}{}",
            quote_ident(&name),
            relation_name(&table.name),
            relation_name(&trigger.function),
            when(trigger),
            relation_name(&table.name),
            if replaced == Replaced::WithGap { removals::GAP } else { "" }
        ))
        .at(removals::name_span(cx, &dt.trigger_name, 0))
        .help("Move the trigger's work elsewhere first, or recreate the trigger in the same transaction."),
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::tests::findings;

    #[test]
    fn the_message_says_what_stops() {
        let found = findings(&RULE, RULE.bad);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("touch_updated_at() from running BEFORE UPDATE FOR EACH ROW"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn a_trigger_that_is_not_there_yet_is_not_reported() {
        let sql = "DROP TRIGGER IF EXISTS orders_audit ON orders;";
        assert!(findings(&RULE, sql).is_empty());
    }
}
