//! `DROP FUNCTION` / `DROP PROCEDURE` breaks callers (and with CASCADE drops the triggers that call it).

use sqlparser::ast::{DropFunction, FunctionDesc, Statement};

use super::removals::{self, Replaced};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::relation_name;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-drop-function",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "DROP FUNCTION breaks clients, triggers and defaults that still call the function",
    why: "Functions are called by name from clients, from other functions and from the database itself \
          (triggers, defaults, checks). Once a function is dropped those calls fail; with CASCADE the triggers \
          that call it are dropped too, silently removing behaviour. The message lists them, from the schema. \
          A function created earlier in the same file is not reported, and neither is DROP followed by CREATE of \
          the same function in the same transaction (the way to change its return type); outside a transaction \
          clients see it missing in between, and that is reported.",
    setup: "CREATE TABLE orders (id bigint PRIMARY KEY, updated_at timestamptz);\n\
            CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$\n\
            BEGIN NEW.updated_at := now(); RETURN NEW; END $$;\n\
            CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch_updated_at();\n",
    bad: "DROP FUNCTION touch_updated_at() CASCADE;",
    good: "-- Replaced in the same transaction: callers never see it missing.\n\
           CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$\n\
           BEGIN NEW.updated_at := clock_timestamp(); RETURN NEW; END $$;\n",
    fix: "Keep the function while anything calls it; to change it, use CREATE OR REPLACE FUNCTION, or DROP and \
          CREATE it in the same transaction. When the drop is intended, silence the rule on that statement \
          with `-- schema-playground:ignore ban-drop-function`.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let (descs, drop_behavior, word) = match cx.statement() {
        Some(Statement::DropFunction(df)) => (&df.func_desc, df.drop_behavior, "FUNCTION"),
        Some(Statement::DropProcedure { proc_desc, drop_behavior, .. }) => (proc_desc, *drop_behavior, "PROCEDURE"),
        _ => return,
    };
    for (i, desc) in descs.iter().enumerate() {
        if descs[..i].iter().any(|d| d.name == desc.name && d.args == desc.args) {
            continue;
        }
        let q = cx.resolve(&desc.name);
        let one = Statement::DropFunction(DropFunction {
            if_exists: true,
            func_desc: vec![FunctionDesc { name: desc.name.clone(), args: desc.args.clone() }],
            drop_behavior,
        });
        let prefix = format!("{}(", relation_name(&q));
        let gone = removals::gone_with(cx, &one, |_| false);
        let (targets, others): (Vec<_>, Vec<_>) =
            gone.into_iter().partition(|g| matches!(g.kind, "function" | "procedure") && g.name.starts_with(&prefix));
        // Only overloads that existed before this file are in use.
        let start = cx.file.start.functions.get(&q);
        let existing: Vec<String> = targets
            .iter()
            .filter(|g| {
                start.is_some_and(|l| l.iter().any(|f| format!("{prefix}{})", f.arg_types.join(", ")) == g.name))
            })
            .map(|g| g.name.clone())
            .collect();
        let Some(signature) = existing.first() else { continue };
        let replaced =
            removals::replaced(cx, |s| matches!(s, Statement::CreateFunction(cf) if cx.resolve(&cf.name) == q));
        // Recreating it does not bring back what CASCADE took.
        if replaced == Replaced::InTransaction && others.is_empty() {
            continue;
        }
        // Overloads of one name listed apart: the n-th occurrence of the name.
        let nth = descs[..i].iter().filter(|d| d.name == desc.name).count();
        out.push(
            Finding::new(format!(
                "DROP {word} {signature} removes it: clients, functions and defaults that still call it fail{}{}",
                removals::also_drops(&others),
                if replaced == Replaced::WithGap { removals::GAP } else { "" }
            ))
            .at(removals::name_span(cx, &desc.name, nth))
            .help("Make sure nothing calls the function any more, or recreate it in the same transaction."),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::tests::findings;

    #[test]
    fn cascade_names_the_triggers_that_go() {
        let found = findings(&RULE, RULE.bad);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("trigger orders_touch on orders"), "{}", found[0].message);
    }

    #[test]
    fn drop_and_create_in_a_transaction_is_a_replacement() {
        let sql = "-- file: 002_f.sql\nCREATE FUNCTION total(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;\n\
                   -- file: 003_r.sql\nDROP FUNCTION total(int);\n\
                   CREATE FUNCTION total(a int) RETURNS bigint LANGUAGE sql AS $$ SELECT a::bigint $$;";
        assert!(findings(&RULE, sql).is_empty());
        // What CASCADE took does not come back with the function.
        let sql = "DROP FUNCTION touch_updated_at() CASCADE;\n\
                   CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;";
        assert_eq!(findings(&RULE, sql).len(), 1);
    }

    #[test]
    fn functions_new_in_the_file_are_not_reported() {
        let sql = "CREATE FUNCTION helper() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\nDROP FUNCTION helper();\n\
                   DROP FUNCTION IF EXISTS never_there(int);";
        assert!(findings(&RULE, sql).is_empty());
    }
}
