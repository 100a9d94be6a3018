//! `ALTER TYPE … ADD VALUE` on an enum in use.

use sqlparser::ast::{AlterTypeOperation, Statement};

use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::UserTypeKind;
use crate::catalog::names::qualified_type_name;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-add-enum-value",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "ALTER TYPE … ADD VALUE gives clients enum values they do not know",
    why: "Clients map enums to closed sets: generated types, switch statements without a default, ORMs that \
          refuse unknown values. Once a new value is written by anyone, old clients that read the row \
          fail or mishandle it. Enums created earlier in the same migration have no clients yet and are not \
          reported, nor is ADD VALUE IF NOT EXISTS for a value the enum already has.",
    setup: "CREATE TYPE payment_method AS ENUM ('card', 'transfer');",
    bad: "ALTER TYPE payment_method ADD VALUE 'voucher' AFTER 'transfer';",
    good: "CREATE TYPE refund_method AS ENUM ('card', 'transfer', 'voucher');",
    fix: "Deploy clients that accept the new value (or any unknown value) first, then add it.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(Statement::AlterType(alter)) = cx.statement() else { return };
    let AlterTypeOperation::AddValue(add) = &alter.operation else { return };
    let qual = cx.resolve(&alter.name);
    let Some(UserTypeKind::Enum { labels }) = cx.file.start.types.get(&qual).map(|t| &t.kind) else { return };
    let before = match cx.before.types.get(&qual).map(|t| &t.kind) {
        Some(UserTypeKind::Enum { labels }) => labels,
        _ => labels,
    };
    if add.if_not_exists && before.contains(&add.value.value) {
        return;
    }
    out.push(
        Finding::new(format!(
            "enum {} gets the value '{}': clients that know only {} fail or misbehave on rows that hold it",
            qualified_type_name(&qual.schema, &qual.name),
            add.value.value,
            labels.iter().map(|l| format!("'{l}'")).collect::<Vec<_>>().join(", ")
        ))
        .help("Deploy clients that accept the new value first."),
    );
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn new_enums_and_existing_values() {
        assert!(findings(&RULE, "CREATE TYPE e AS ENUM ('a');\nALTER TYPE e ADD VALUE 'b';").is_empty());
        assert!(findings(&RULE, "ALTER TYPE payment_method ADD VALUE IF NOT EXISTS 'card';").is_empty());
        assert_eq!(findings(&RULE, "ALTER TYPE payment_method ADD VALUE IF NOT EXISTS 'cash';").len(), 1);
    }
}
