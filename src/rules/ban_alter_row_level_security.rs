//! Turning row-level security on or off, or forcing it, on a table in use.

use sqlparser::ast::AlterTableOperation;

use super::sql_text::Action;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::relation_name;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-alter-row-level-security",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "ALTER TABLE … ENABLE/DISABLE/FORCE/NO FORCE ROW LEVEL SECURITY on a table in use",
    why: "Row-level security decides which rows each role sees and may write. Enabling it on a table with no \
          policy hides every row from every role but the owner; enabling it with policies applies them at \
          once; disabling it shows every row to everyone allowed on the table; FORCE subjects the owner too. \
          Each changes what running clients get back without any error. The message says what the \
          change does given the table's policies; tables created earlier in the migration, and changes to \
          the state the table already has, are not reported.",
    setup: "CREATE TABLE documents (id bigint PRIMARY KEY, owner_name text NOT NULL);",
    bad: "ALTER TABLE documents ENABLE ROW LEVEL SECURITY;",
    good: "CREATE TABLE notes (id bigint PRIMARY KEY, owner_name text NOT NULL);\n\
           ALTER TABLE notes ENABLE ROW LEVEL SECURITY;\n\
           CREATE POLICY notes_owner ON notes USING (owner_name = current_user);",
    fix: "Create the policies first and check what each role sees with them, then enable row-level security \
          in a migration deployed together with the clients that expect it.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(at) = cx.alter_table() else { return };
    let Some(table) = cx.existing_table(&at.name) else { return };
    let name = relation_name(&table.name);
    // Earlier actions of the same statement count: ENABLE, DISABLE in one statement changes nothing.
    let (mut enabled, mut forced) = (table.row_security, table.force_row_security);
    for (action, range) in &at.actions {
        let Action::Op(op) = action else { continue };
        let message = match op {
            AlterTableOperation::EnableRowLevelSecurity if !enabled => {
                enabled = true;
                Some(if table.policies.is_empty() {
                    format!(
                        "row-level security is turned on for {name}, which has no policy: every role but the owner sees no row and can write none"
                    )
                } else {
                    let names: Vec<&str> = table.policies.iter().map(|p| p.name.as_str()).collect();
                    format!(
                        "row-level security is turned on for {name}: its policies ({}) start filtering every query",
                        names.join(", ")
                    )
                })
            }
            AlterTableOperation::DisableRowLevelSecurity if enabled => {
                enabled = false;
                Some(format!(
                    "row-level security is turned off for {name}: its policies stop applying and every role allowed on the table sees all rows"
                ))
            }
            AlterTableOperation::ForceRowLevelSecurity if !forced => {
                forced = true;
                Some(format!("FORCE ROW LEVEL SECURITY subjects the owner of {name} to its policies too"))
            }
            AlterTableOperation::NoForceRowLevelSecurity if forced => {
                forced = false;
                Some(format!("NO FORCE ROW LEVEL SECURITY lets the owner of {name} bypass its policies again"))
            }
            _ => None,
        };
        if let Some(message) = message {
            out.push(
                Finding::new(message)
                    .help("Change row-level security together with the clients that expect the new visibility.")
                    .at(at.span(cx, *range)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn what_enabling_does_depends_on_the_policies() {
        let found = findings(&RULE, RULE.bad);
        assert!(found[0].message.contains("has no policy"), "{}", found[0].message);
        let rule = Rule {
            setup: "CREATE TABLE d (id bigint, o text);\nCREATE POLICY mine ON d USING (o = current_user);",
            ..RULE
        };
        let found = findings(&rule, "ALTER TABLE d ENABLE ROW LEVEL SECURITY;");
        assert!(found[0].message.contains("(mine)"), "{}", found[0].message);
    }

    #[test]
    fn no_change_no_finding() {
        let rule = Rule { setup: "CREATE TABLE d (id bigint);\nALTER TABLE d ENABLE ROW LEVEL SECURITY;", ..RULE };
        assert!(findings(&rule, "ALTER TABLE d ENABLE ROW LEVEL SECURITY;").is_empty());
        assert!(findings(&rule, "ALTER TABLE d NO FORCE ROW LEVEL SECURITY;").is_empty());
        assert_eq!(findings(&rule, "ALTER TABLE d DISABLE ROW LEVEL SECURITY;").len(), 1);
    }
}
