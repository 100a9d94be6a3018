//! `ALTER ROLE` / `ALTER USER` attributes and settings.

use super::sql_text::{self, Tok};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-alter-role-options",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "ALTER ROLE / ALTER USER changes a role's attributes or its default settings",
    why: "Role attributes (LOGIN, SUPERUSER, CREATEDB, BYPASSRLS, CONNECTION LIMIT, VALID UNTIL, PASSWORD…) \
          decide whether the clients running as that role can connect and what they may do; ALTER ROLE … \
          SET changes the settings every new session of the role starts with (search_path, timeouts, \
          work_mem). Either changes the behaviour of running clients from a schema migration, usually \
          without the people who operate them knowing. Roles created earlier in the same migration are \
          not reported, nor is RENAME (renaming-object's business).",
    setup: "",
    bad: "ALTER ROLE reporting SET statement_timeout = '5s';",
    good: "CREATE ROLE reporting_v2 NOLOGIN;\nALTER ROLE reporting_v2 SET statement_timeout = '5s';",
    fix: "Manage roles where access is managed (infrastructure code, the provider's console), or set the \
          option on a new role that new clients adopt.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    if !sql_text::starts_with_words(cx.text, &["ALTER", "ROLE"])
        && !sql_text::starts_with_words(cx.text, &["ALTER", "USER"])
    {
        return;
    }
    let toks = cx.tokens();
    let kind = if sql_text::starts_with(toks, &["ALTER", "ROLE"]) {
        "ROLE"
    } else if sql_text::starts_with(toks, &["ALTER", "USER"]) && !toks.get(2).is_some_and(|t| t.is("MAPPING")) {
        "USER"
    } else {
        return;
    };
    let Some(role_tok) = toks.get(2) else { return };
    let role = role_tok.ident().unwrap_or_default();
    let mut k = 3;
    if toks.get(k).is_some_and(|t| t.is("IN")) {
        // IN DATABASE name
        k += 3;
    }
    let Some(action) = toks.get(k) else { return };
    if action.is("RENAME") {
        return;
    }
    if created_in_file(cx, &role) {
        return;
    }
    let end = sql_text::end(toks);
    let at = sql_text::span(cx, toks, k, end.saturating_sub(1).max(k));
    let written = cx.text_of(at).split_whitespace().collect::<Vec<_>>().join(" ");
    let who = if role_tok.is("ALL") { "every role".to_string() } else { format!("role {role}") };
    let message = if action.is("SET") || action.is("RESET") {
        format!("ALTER {kind} … {written} changes the settings every new session of {who} starts with")
    } else {
        format!("ALTER {kind} … {written} changes what {who} may do: its clients may fail to connect or lose rights")
    };
    out.push(
        Finding::new(message)
            .help("Change roles outside the schema migrations, with the people who run the clients.")
            .at(at),
    );
}

/// Whether `CREATE ROLE` / `CREATE USER` for this role ran earlier in the same file.
fn created_in_file(cx: &StatementCx<'_>, role: &str) -> bool {
    cx.file.earlier.iter().any(|e| {
        let toks: Vec<Tok> = sql_text::tokens(cx.text_of(e.span));
        (sql_text::starts_with(&toks, &["CREATE", "ROLE"]) || sql_text::starts_with(&toks, &["CREATE", "USER"]))
            && toks.get(2).and_then(Tok::ident).as_deref() == Some(role)
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn forms() {
        assert_eq!(findings(&RULE, "ALTER USER app WITH NOLOGIN;").len(), 1);
        assert_eq!(findings(&RULE, "ALTER ROLE app IN DATABASE shop RESET ALL;").len(), 1);
        assert_eq!(findings(&RULE, "ALTER ROLE ALL SET search_path = app;").len(), 1);
        assert!(findings(&RULE, "ALTER ROLE app RENAME TO app2;").is_empty());
        assert!(findings(&RULE, "CREATE USER tmp;\nALTER USER tmp WITH PASSWORD 'x';").is_empty());
    }
}
