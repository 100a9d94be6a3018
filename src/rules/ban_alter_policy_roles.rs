//! `ALTER POLICY … TO roles` on a policy in use.

use sqlparser::ast::{AlterPolicyOperation, Owner, Statement};

use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::{fold, quote_ident, relation_name};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-alter-policy-roles",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "ALTER POLICY … TO changes which roles a policy applies to",
    why: "A policy applies to the roles it names: giving it other roles changes, for the clients running as \
          them, which rows they see and may write — a permissive policy taken away from a role hides rows \
          from it, a restrictive one given to a role filters its queries. The effect is immediate and \
          silent. Policies created earlier in the same migration, and a TO list naming the roles the policy \
          already has, are not reported; the message shows the roles before and after.",
    setup: "CREATE TABLE documents (id bigint PRIMARY KEY, owner_name text NOT NULL);\n\
            ALTER TABLE documents ENABLE ROW LEVEL SECURITY;\n\
            CREATE POLICY documents_read ON documents FOR SELECT TO PUBLIC USING (true);",
    bad: "ALTER POLICY documents_read ON documents TO auditors;",
    good: "ALTER POLICY documents_read ON documents TO PUBLIC;",
    fix: "Create a new policy for the roles that need it and drop the old one once their clients are ready.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(Statement::AlterPolicy(alter)) = cx.statement() else { return };
    let AlterPolicyOperation::Apply { to: Some(to), .. } = &alter.operation else { return };
    let Some(table) = cx.existing_table(&alter.table_name) else { return };
    let name = fold(&alter.name);
    let existed =
        cx.file.start.tables.values().any(|t| t.oid == table.oid && t.policies.iter().any(|p| p.name == name));
    let Some(old) = table.policies.iter().find(|p| p.name == name).filter(|_| existed) else { return };
    // As the catalog keeps them: PUBLIC is no role at all.
    let mut new: Vec<String> = to
        .iter()
        .filter_map(|o| match o {
            Owner::Ident(i) if fold(i) == "public" => None,
            Owner::Ident(i) => Some(fold(i)),
            Owner::CurrentRole => Some("CURRENT_ROLE".into()),
            Owner::CurrentUser => Some("CURRENT_USER".into()),
            Owner::SessionUser => Some("SESSION_USER".into()),
        })
        .collect();
    new.sort();
    new.dedup();
    let mut before = old.roles.clone();
    before.sort();
    if before == new {
        return;
    }
    let show = |roles: &[String]| if roles.is_empty() { "PUBLIC".to_string() } else { roles.join(", ") };
    out.push(
        Finding::new(format!(
            "ALTER POLICY {} ON {} applies it to {} instead of {}: those roles' clients see or may write other rows",
            quote_ident(&name),
            relation_name(&table.name),
            show(&new),
            show(&before)
        ))
        .help("Create a policy for the new roles instead, and drop the old one when its clients are ready."),
    );
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn before_and_after() {
        let found = findings(&RULE, RULE.bad);
        assert!(found[0].message.contains("to auditors instead of PUBLIC"), "{}", found[0].message);
        assert!(findings(&RULE, "ALTER POLICY documents_read ON documents USING (false);").is_empty());
    }
}
