//! Turning triggers, rules or row-level security on or off on a table in use.

use sqlparser::ast::{AlterTableOperation, Ident};

use super::sql_text::Action;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::{fold, quote_ident, relation_name};
use crate::catalog::{ConstraintKind, Table, TriggerEnabled};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-disable-trigger",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "ALTER TABLE … DISABLE/ENABLE TRIGGER or RULE, or DISABLE/FORCE ROW LEVEL SECURITY, on a table in use",
    why: "Triggers and rewrite rules are side effects every client's writes rely on without knowing: audit \
          rows, denormalised counters, updated_at columns. Disabling one (or making it fire only during \
          replication with ENABLE REPLICA) silently drops that behaviour for every client; enabling one adds \
          it. DISABLE TRIGGER ALL also turns off the internal triggers that enforce foreign keys, so rows \
          that break them are accepted and stay. Disabling or forcing row-level security changes which rows \
          each role sees. Tables created earlier in the migration are not reported, nor is a change to the \
          state a trigger or the table already has.",
    setup: "CREATE TABLE orders (id bigint PRIMARY KEY, updated_at timestamptz);\n\
            CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;\n\
            CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();",
    bad: "ALTER TABLE orders DISABLE TRIGGER orders_touch;",
    good: "CREATE TABLE order_imports (id bigint PRIMARY KEY);\nALTER TABLE order_imports DISABLE TRIGGER ALL;",
    fix: "Keep the trigger and make the data work with it; when a bulk load must bypass it, do that in a \
          session of its own (SET session_replication_role = replica) rather than changing the table for \
          every client.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(at) = cx.alter_table() else { return };
    let Some(table) = cx.existing_table(&at.name) else { return };
    let name = relation_name(&table.name);
    for (action, range) in &at.actions {
        let Action::Op(op) = action else { continue };
        let message = match op {
            AlterTableOperation::DisableTrigger { name: t } => trigger(cx, table, t, TriggerEnabled::Disabled, &name),
            AlterTableOperation::EnableTrigger { name: t } => trigger(cx, table, t, TriggerEnabled::Origin, &name),
            AlterTableOperation::EnableReplicaTrigger { name: t } => {
                trigger(cx, table, t, TriggerEnabled::Replica, &name)
            }
            AlterTableOperation::EnableAlwaysTrigger { name: t } => {
                trigger(cx, table, t, TriggerEnabled::Always, &name)
            }
            AlterTableOperation::DisableRule { name: r } => {
                Some(format!("rule {} on {name} stops rewriting the statements of every client", quote_ident(&fold(r))))
            }
            AlterTableOperation::EnableRule { name: r }
            | AlterTableOperation::EnableReplicaRule { name: r }
            | AlterTableOperation::EnableAlwaysRule { name: r } => Some(format!(
                "rule {} on {name} changes when it rewrites the statements of every client",
                quote_ident(&fold(r))
            )),
            AlterTableOperation::DisableRowLevelSecurity if table.row_security => Some(format!(
                "row-level security is turned off on {name}: every role that may read or write it sees all rows, whatever its policies say"
            )),
            AlterTableOperation::ForceRowLevelSecurity if !table.force_row_security => Some(format!(
                "FORCE ROW LEVEL SECURITY makes the policies of {name} apply to its owner too: queries the owner ran may now see fewer rows or fail"
            )),
            AlterTableOperation::NoForceRowLevelSecurity if table.force_row_security => {
                Some(format!("NO FORCE ROW LEVEL SECURITY lets the owner of {name} bypass its policies again"))
            }
            _ => None,
        };
        if let Some(message) = message {
            out.push(
                Finding::new(message)
                    .help("Leave the table's triggers, rules and row-level security as every client expects them.")
                    .at(at.span(cx, *range)),
            );
        }
    }
}

/// What setting a trigger (or ALL / USER) to `to` changes, or `None` when nothing does.
fn trigger(cx: &StatementCx<'_>, table: &Table, which: &Ident, to: TriggerEnabled, table_name: &str) -> Option<String> {
    let which_name = fold(which);
    let all = which.quote_style.is_none() && which_name == "all";
    let user = which.quote_style.is_none() && which_name == "user";
    let affected: Vec<_> =
        table.triggers.iter().filter(|t| (all || user || t.name == which_name) && t.enabled != to).collect();
    // The internal triggers of foreign keys sit on both tables: the referencing and the referenced one.
    let foreign_keys = all
        && (table.constraints.iter().any(|c| matches!(c.kind, ConstraintKind::ForeignKey(_)))
            || cx.before.tables.values().any(|t| {
                t.constraints
                    .iter()
                    .any(|c| matches!(&c.kind, ConstraintKind::ForeignKey(fk) if fk.ref_table == table.name))
            }));
    if affected.is_empty() && !foreign_keys {
        // The trigger is unknown (the statement fails) or already in that state.
        return None;
    }
    let list = affected
        .iter()
        .map(|t| format!("{} (runs {})", quote_ident(&t.name), relation_name(&t.function)))
        .collect::<Vec<_>>()
        .join(", ");
    let what = match to {
        TriggerEnabled::Disabled => "stops firing: writes from every client go on without it",
        TriggerEnabled::Origin => "fires again on every client's writes",
        TriggerEnabled::Replica => "fires only in replication sessions from now on: normal writes skip it",
        TriggerEnabled::Always => "fires on every write, replication included",
    };
    let mut message = if list.is_empty() {
        format!("DISABLE TRIGGER ALL on {table_name}")
    } else {
        format!("on {table_name}, {list} {what}")
    };
    if foreign_keys && to == TriggerEnabled::Disabled {
        message.push_str("; ALL also disables the internal triggers that enforce the foreign keys it takes part in, so rows that break them are accepted");
    }
    Some(message)
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn names_the_trigger_and_its_function() {
        let found = findings(&RULE, RULE.bad);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("orders_touch (runs touch)"), "{}", found[0].message);
    }

    #[test]
    fn no_change_no_finding() {
        assert!(findings(&RULE, "ALTER TABLE orders ENABLE TRIGGER orders_touch;").is_empty());
        let sql = "ALTER TABLE orders DISABLE TRIGGER orders_touch;\nALTER TABLE orders ENABLE TRIGGER orders_touch;";
        assert_eq!(findings(&RULE, sql).len(), 2);
        assert_eq!(findings(&RULE, "ALTER TABLE orders ENABLE REPLICA TRIGGER orders_touch;").len(), 1);
    }

    #[test]
    fn all_with_foreign_keys() {
        let rule = Rule {
            setup: "CREATE TABLE a (id bigint PRIMARY KEY);\nCREATE TABLE b (id bigint PRIMARY KEY, a_id bigint REFERENCES a);",
            ..RULE
        };
        let found = findings(&rule, "ALTER TABLE b DISABLE TRIGGER ALL;");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("foreign keys"), "{}", found[0].message);
        assert_eq!(findings(&rule, "ALTER TABLE a DISABLE TRIGGER ALL;").len(), 1);
        let rule = Rule { setup: "CREATE TABLE a (id bigint PRIMARY KEY);", ..RULE };
        assert!(findings(&rule, "ALTER TABLE a DISABLE TRIGGER ALL;").is_empty());
    }

    #[test]
    fn row_level_security() {
        let rule = Rule { setup: "CREATE TABLE a (id bigint);\nALTER TABLE a ENABLE ROW LEVEL SECURITY;", ..RULE };
        assert_eq!(findings(&rule, "ALTER TABLE a DISABLE ROW LEVEL SECURITY;").len(), 1);
        assert_eq!(findings(&rule, "ALTER TABLE a FORCE ROW LEVEL SECURITY;").len(), 1);
        assert!(findings(&rule, "ALTER TABLE a NO FORCE ROW LEVEL SECURITY;").is_empty());
    }
}
