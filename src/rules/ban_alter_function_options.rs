//! `ALTER FUNCTION` (or PROCEDURE / ROUTINE) options on a function in use.

use sqlparser::ast::{AlterFunctionOperation, Statement};

use super::sql_text;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-alter-function-options",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "ALTER FUNCTION … SECURITY, volatility, STRICT, SET … and other options change how a function in use runs",
    why: "The options of a function are part of its behaviour: SECURITY DEFINER/INVOKER changes whose \
          privileges it runs with, STRICT makes it return NULL on NULL input without running, IMMUTABLE / \
          STABLE / VOLATILE changes when the planner may cache or inline it (and whether indexes on it stay \
          valid), and SET search_path or other settings change what its body sees. Callers observe a \
          different function without any change on their side. Functions created earlier in the same \
          migration are not reported; RENAME, OWNER TO, SET SCHEMA and DEPENDS ON EXTENSION are other \
          rules' business. (ALTER PROCEDURE and ALTER ROUTINE are read the same way once the simulator \
          parses them.)",
    setup: "CREATE FUNCTION order_total(order_id bigint) RETURNS numeric LANGUAGE sql AS $$ SELECT 0::numeric $$;",
    bad: "ALTER FUNCTION order_total(bigint) SECURITY DEFINER;",
    good: "CREATE FUNCTION order_total_v2(order_id bigint) RETURNS numeric LANGUAGE sql SECURITY DEFINER AS $$ SELECT 0::numeric $$;",
    fix: "Create a new function with the options wanted and move the callers to it, or change the options in \
          a migration deployed together with the callers that expect them.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(Statement::AlterFunction(alter)) = cx.statement() else { return };
    let AlterFunctionOperation::Actions { actions, .. } = &alter.operation else { return };
    if actions.is_empty() {
        return;
    }
    let qual = cx.resolve(&alter.function.name);
    // A function created earlier in this migration has no callers yet.
    if cx.before.functions.contains_key(&qual) && !cx.file.start.functions.contains_key(&qual) {
        return;
    }
    let toks = cx.tokens();
    let end = sql_text::end(toks);
    // The options start after the signature's closing parenthesis (or after the name).
    let (_, after_name) = sql_text::dotted_name(toks, 2);
    let mut k = after_name;
    if toks.get(k).is_some_and(|t| t.is_sym("(")) {
        let mut depth = 0;
        while k < end {
            if toks[k].is_sym("(") {
                depth += 1;
            } else if toks[k].is_sym(")") {
                depth -= 1;
                if depth == 0 {
                    k += 1;
                    break;
                }
            }
            k += 1;
        }
    }
    let at = if k < end { sql_text::span(cx, toks, k, end - 1) } else { cx.span };
    let options = cx.text_of(at).split_whitespace().collect::<Vec<_>>().join(" ");
    out.push(
        Finding::new(format!(
            "ALTER FUNCTION {} {options} changes how the function runs for every caller",
            crate::catalog::names::relation_name(&qual)
        ))
        .help("Create a new function with these options and move the callers to it.")
        .at(at),
    );
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn options_only_and_existing_functions_only() {
        assert_eq!(findings(&RULE, "ALTER FUNCTION order_total(bigint) STABLE STRICT;").len(), 1);
        assert_eq!(findings(&RULE, "ALTER FUNCTION order_total(bigint) SET search_path = pg_catalog;").len(), 1);
        assert!(findings(&RULE, "ALTER FUNCTION order_total(bigint) RENAME TO total;").is_empty());
        let sql = "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';\nALTER FUNCTION f() IMMUTABLE;";
        assert!(findings(&RULE, sql).is_empty());
    }
}
