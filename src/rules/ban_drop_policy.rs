//! `DROP POLICY` / `DROP RULE` silently changes which rows clients see or may write (opt-in).

use sqlparser::ast::Statement;

use super::removals::{self, Replaced};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::model::{Policy, Table};
use crate::catalog::names::{self, quote_ident, relation_name};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-drop-policy",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "DROP POLICY or DROP RULE silently changes which rows clients see or may write",
    why: "With row level security, policies decide row by row what each role may read and write. Dropping a \
          permissive policy hides the rows only it let through, and when it was the last one for a command, \
          non-owners see no rows at all; dropping a restrictive policy exposes the rows it kept hidden. No \
          error is raised: queries just return different rows. A rewrite rule changes what queries do in the \
          same silent way. The message says which of these happens, from the schema. A policy created earlier \
          in the same file is not reported, and neither is DROP POLICY followed by CREATE POLICY of the same \
          name on the same table in the same transaction. Off by default: enable it with \
          `--include ban-drop-policy`.",
    setup: "CREATE TABLE documents (id bigint PRIMARY KEY, owner text NOT NULL, body text);\n\
            ALTER TABLE documents ENABLE ROW LEVEL SECURITY;\n\
            CREATE POLICY documents_owner ON documents USING (owner = current_user);\n",
    bad: "DROP POLICY documents_owner ON documents;",
    good: "-- Redefined in the same transaction: no query runs without it.\n\
           DROP POLICY IF EXISTS documents_owner ON documents;\n\
           CREATE POLICY documents_owner ON documents USING (owner = current_user OR owner = 'shared');\n",
    fix: "Create the policy that replaces it before dropping it, or drop and create it in the same \
          transaction. When the drop is intended, silence the rule on that statement with \
          `-- schema-playground:ignore ban-drop-policy`.",
    check: Check::Statement(check),
};

fn applies_to(p: &Policy, command: Option<&str>) -> bool {
    p.command.is_none() || command.is_none() || p.command == command
}

/// What dropping `policy` does to the rows of `table`.
fn effect(table: &Table, policy: &Policy) -> String {
    let cmd = policy.command.unwrap_or("ALL");
    let roles = if policy.roles.is_empty() { "every role".to_string() } else { policy.roles.join(", ") };
    let condition = policy.using.as_ref().or(policy.with_check.as_ref()).map(|c| format!(" ({c})")).unwrap_or_default();
    let label = relation_name(&table.name);
    let mut out = if policy.restrictive {
        format!("rows it kept hidden{condition} become visible to {roles} for {cmd}")
    } else {
        let others =
            table.policies.iter().any(|p| p.name != policy.name && !p.restrictive && applies_to(p, policy.command));
        if others {
            format!("rows that only it let through{condition} disappear for {roles} for {cmd}")
        } else {
            format!("it is the last permissive policy for {cmd}, so roles other than the owner get no rows of {label}")
        }
    };
    if !table.row_security {
        out.push_str(&format!(" once row level security is enabled (these migrations never enable it on {label})"));
    }
    out
}

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    match cx.statement() {
        Some(Statement::DropPolicy(dp)) => {
            let name = names::fold(&dp.name);
            let q = cx.resolve(&dp.table_name);
            let Some(table) = removals::existing_table(cx, &q) else { return };
            let Some(policy) = table.policies.iter().find(|p| p.name == name) else { return };
            let existed = removals::at_start(cx, table).is_some_and(|t| t.policies.iter().any(|p| p.name == name));
            if !existed {
                return;
            }
            let replaced = removals::replaced(cx, |s| {
                matches!(s, Statement::CreatePolicy(cp)
                    if cx.resolve(&cp.table_name) == q && names::fold(&cp.name) == name)
            });
            if replaced == Replaced::InTransaction {
                return;
            }
            let at = removals::find_seq(cx, &[&name], 0).unwrap_or(cx.span);
            out.push(
                Finding::new(format!(
                    "DROP POLICY {} ON {} silently changes which rows clients get: {}{}",
                    quote_ident(&name),
                    relation_name(&table.name),
                    effect(table, policy),
                    if replaced == Replaced::WithGap { removals::GAP } else { "" }
                ))
                .at(at)
                .help("Create the replacing policy first, or recreate this one in the same transaction."),
            );
        }
        Some(Statement::DropRule(dr)) => {
            // Rewrite rules are not in the schema model: every DROP RULE is reported.
            let q = cx.resolve(&dr.table_name);
            let name = names::fold(&dr.name);
            let at = removals::find_seq(cx, &[&name], 0).unwrap_or(cx.span);
            out.push(
                Finding::new(format!(
                    "DROP RULE {} ON {} silently changes what queries on {} do: the rewrite it made stops applying",
                    quote_ident(&name),
                    relation_name(&q),
                    relation_name(&q)
                ))
                .at(at)
                .help("Make sure no client relies on the rule's rewrite before dropping it."),
            );
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::tests::findings;

    #[test]
    fn the_last_permissive_policy_hides_every_row() {
        let found = findings(&RULE, RULE.bad);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("last permissive policy for ALL"), "{}", found[0].message);
    }

    #[test]
    fn a_restrictive_policy_exposes_rows() {
        let sql = "-- file: 002_p.sql\nCREATE POLICY not_archived ON documents AS RESTRICTIVE USING (body IS NOT NULL);\n\
                   -- file: 003_d.sql\nDROP POLICY not_archived ON documents;";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("rows it kept hidden"), "{}", found[0].message);
    }

    #[test]
    fn policies_new_in_the_file_are_not_reported() {
        let sql = "CREATE POLICY readers ON documents FOR SELECT USING (true);\nDROP POLICY readers ON documents;";
        assert!(findings(&RULE, sql).is_empty());
    }
}
