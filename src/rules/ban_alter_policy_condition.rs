//! `ALTER POLICY … USING / WITH CHECK` on a policy in use.

use sqlparser::ast::{AlterPolicyOperation, Statement};

use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::{fold, quote_ident, relation_name};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-alter-policy-condition",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "ALTER POLICY … USING / WITH CHECK changes which rows a policy lets clients see or write",
    why: "A policy's USING condition filters the rows every query of its roles sees, its WITH CHECK \
          condition decides which rows they may write. Changing either changes the result of running \
          clients' queries, or makes their writes fail, with no error to point at the migration. Policies \
          created earlier in the same migration are not reported; the message shows the condition being \
          replaced.",
    setup: "CREATE TABLE documents (id bigint PRIMARY KEY, owner_name text NOT NULL, team text);\n\
            ALTER TABLE documents ENABLE ROW LEVEL SECURITY;\n\
            CREATE POLICY documents_owner ON documents USING (owner_name = current_user);",
    bad: "ALTER POLICY documents_owner ON documents USING (owner_name = current_user OR team = 'ops');",
    good: "CREATE POLICY documents_ops ON documents FOR SELECT USING (team = 'ops');",
    fix: "Add a new policy for the new access (permissive policies add up) and drop the old one once the \
          clients are ready, or change the condition together with them.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(Statement::AlterPolicy(alter)) = cx.statement() else { return };
    let AlterPolicyOperation::Apply { using, with_check, .. } = &alter.operation else { return };
    let Some(table) = cx.existing_table(&alter.table_name) else { return };
    let name = fold(&alter.name);
    // A policy created earlier in this migration has no clients yet.
    let existed =
        cx.file.start.tables.values().any(|t| t.oid == table.oid && t.policies.iter().any(|p| p.name == name));
    let Some(old) = table.policies.iter().find(|p| p.name == name).filter(|_| existed) else { return };
    let mut parts = Vec::new();
    if using.is_some() {
        parts.push(format!("USING (was {})", old.using.as_deref().unwrap_or("none")));
    }
    if with_check.is_some() {
        parts.push(format!("WITH CHECK (was {})", old.with_check.as_deref().unwrap_or("none")));
    }
    if parts.is_empty() {
        return;
    }
    out.push(
        Finding::new(format!(
            "ALTER POLICY {} ON {} changes {}: running clients see or may write other rows",
            quote_ident(&name),
            relation_name(&table.name),
            parts.join(" and ")
        ))
        .help("Add a new policy for the new access instead, or change it together with the clients."),
    );
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn shows_the_old_condition_and_ignores_roles_only() {
        let found = findings(&RULE, RULE.bad);
        assert!(found[0].message.contains("was (owner_name = CURRENT_USER)"), "{}", found[0].message);
        assert!(findings(&RULE, "ALTER POLICY documents_owner ON documents TO PUBLIC;").is_empty());
        let sql = "CREATE POLICY p ON documents USING (true);\nALTER POLICY p ON documents USING (false);";
        assert!(findings(&RULE, sql).is_empty());
    }
}
