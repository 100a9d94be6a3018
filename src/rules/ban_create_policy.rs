//! `CREATE POLICY` on a table in use whose row-level security is on.

use sqlparser::ast::{CreatePolicyType, Statement};

use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::{fold, quote_ident, relation_name};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-create-policy",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "CREATE POLICY on a table in use changes which rows its clients see and may write",
    why: "With row-level security on, a new permissive policy lets roles see or write rows they could not \
          (on a table without any policy it opens rows that were hidden from everyone), and a restrictive \
          one hides rows and rejects writes that worked. Either takes effect for running clients the \
          moment the migration commits. The rule reports only what changes access now: a policy on a \
          table created earlier in the migration, or on one whose row-level security is off (the policy \
          waits until it is enabled, which ban-alter-row-level-security reports), is not reported.",
    setup: "CREATE TABLE documents (id bigint PRIMARY KEY, owner_name text NOT NULL);\n\
            ALTER TABLE documents ENABLE ROW LEVEL SECURITY;\n\
            CREATE POLICY documents_owner ON documents USING (owner_name = current_user);",
    bad: "CREATE POLICY documents_auditors ON documents FOR SELECT TO PUBLIC USING (true);",
    good: "CREATE TABLE reports (id bigint PRIMARY KEY, owner_name text NOT NULL);\n\
           ALTER TABLE reports ENABLE ROW LEVEL SECURITY;\n\
           CREATE POLICY reports_owner ON reports USING (owner_name = current_user);",
    fix: "Review who gains or loses rows with the new policy and deploy it together with the clients that \
          expect the new visibility.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(Statement::CreatePolicy(policy)) = cx.statement() else { return };
    let Some(table) = cx.existing_table(&policy.table_name) else { return };
    if !table.row_security {
        return;
    }
    let name = quote_ident(&fold(&policy.name));
    let table_name = relation_name(&table.name);
    let message = if matches!(policy.policy_type, Some(CreatePolicyType::Restrictive)) {
        format!(
            "restrictive policy {name} on {table_name} hides rows and rejects writes that the roles it applies to could make until now"
        )
    } else if table.policies.iter().all(|p| p.restrictive) {
        format!("policy {name} on {table_name} opens rows that row-level security hid from every role until now")
    } else {
        format!(
            "permissive policy {name} on {table_name} lets the roles it applies to see or write more rows than before"
        )
    };
    out.push(Finding::new(message).help("Deploy the policy together with the clients that expect the new visibility."));
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn only_when_it_changes_access_now() {
        let found = findings(&RULE, RULE.bad);
        assert!(found[0].message.contains("more rows"), "{}", found[0].message);
        let found = findings(&RULE, "CREATE POLICY r ON documents AS RESTRICTIVE USING (id > 0);");
        assert!(found[0].message.contains("restrictive"), "{}", found[0].message);
        let rule = Rule { setup: "CREATE TABLE d (id bigint);", ..RULE };
        assert!(findings(&rule, "CREATE POLICY p ON d USING (true);").is_empty());
    }
}
