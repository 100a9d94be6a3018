//! `ALTER TYPE … ADD VALUE` without BEFORE or AFTER.

use sqlparser::ast::{AlterTypeOperation, Statement};

use super::sql_text::{self, TokKind};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::UserTypeKind;
use crate::catalog::names::qualified_type_name;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "require-enum-value-ordering",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "ALTER TYPE … ADD VALUE without BEFORE or AFTER appends the value at the end of the enum's order",
    why: "Enum values sort in the order they were declared, not alphabetically: ORDER BY, <, > and \
          min()/max() on the column use it. A value added without BEFORE or AFTER goes last, which is rarely \
          where it belongs ('pending' after 'shipped'), and the order cannot be changed afterwards without \
          recreating the type. Saying where the value goes makes the choice visible in review. ADD VALUE \
          IF NOT EXISTS for a value the enum already has changes nothing and is not reported.",
    setup: "CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');",
    bad: "ALTER TYPE order_status ADD VALUE 'cancelled';",
    good: "ALTER TYPE order_status ADD VALUE 'refunded' AFTER 'shipped';",
    fix: "Say where the value goes: `ADD VALUE 'pending' BEFORE 'paid'` (or AFTER the last value when the end \
          is really where it belongs).",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(Statement::AlterType(alter)) = cx.statement() else { return };
    let AlterTypeOperation::AddValue(add) = &alter.operation else { return };
    if add.position.is_some() {
        return;
    }
    let value = &add.value.value;
    let qual = cx.resolve(&alter.name);
    let type_name = qualified_type_name(&qual.schema, &qual.name);
    let labels = match cx.before.types.get(&qual).map(|t| &t.kind) {
        Some(UserTypeKind::Enum { labels }) => Some(labels),
        _ => None,
    };
    if add.if_not_exists && labels.is_some_and(|l| l.contains(value)) {
        return;
    }
    let toks = cx.tokens();
    let value_tok = sql_text::find_words(toks, 0, &["VALUE"])
        .and_then(|k| toks.iter().skip(k).find(|t| matches!(&t.kind, TokKind::Str(s) if s == value)));
    let at = value_tok.map_or(cx.span, |t| cx.sub_span(t.start, t.end));
    let last = labels.and_then(|l| l.last());
    let message = match last {
        Some(last) => format!(
            "ALTER TYPE {type_name} ADD VALUE '{value}' appends it after '{last}': it sorts last in ORDER BY and comparisons"
        ),
        None => format!("ALTER TYPE {type_name} ADD VALUE '{value}' appends it at the end of the enum's sort order"),
    };
    let mut finding = Finding::new(message).help("Say where the value belongs with BEFORE or AFTER.").at(at);
    if let (Some(last), Some(t)) = (last, value_tok) {
        let end = cx.sub_span(t.end, t.end);
        finding = finding.fix(
            format!("Place it explicitly after '{last}'"),
            end,
            format!(" AFTER '{}'", last.replace('\'', "''")),
        );
    }
    out.push(finding);
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn names_the_last_value_and_offers_to_say_so() {
        let found = findings(&RULE, RULE.bad);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("after 'shipped'"), "{}", found[0].message);
        assert_eq!(found[0].fix.as_ref().unwrap().replacement, " AFTER 'shipped'");
    }

    #[test]
    fn if_not_exists_for_an_existing_value_changes_nothing() {
        assert!(findings(&RULE, "ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'paid';").is_empty());
        assert_eq!(findings(&RULE, "ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'lost';").len(), 1);
        assert!(findings(&RULE, "ALTER TYPE order_status ADD VALUE 'lost' BEFORE 'paid';").is_empty());
    }
}
