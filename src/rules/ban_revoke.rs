//! `REVOKE` and ownership changes on objects in use.

use sqlparser::ast::AlterTableOperation;

use super::sql_text::{self, Action, Tok};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::QualName;
use crate::catalog::names::relation_name;
use crate::diagnostic::Severity;
use crate::sql::alter_table::ManualAction;

pub const RULE: Rule = Rule {
    id: "ban-revoke",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "REVOKE, or a change of owner, takes privileges away from clients in use",
    why: "Clients run as roles that were granted what they need. REVOKE (and ALTER DEFAULT PRIVILEGES … \
          REVOKE for objects created later) removes some of it, and OWNER TO moves the owner's implicit \
          privileges to another role: queries that worked fail with \"permission denied\" as soon as the \
          migration commits. Objects created earlier in the same migration have no clients yet and are not \
          reported (a REVOKE on tables is skipped when every table it names is new).",
    setup: "CREATE TABLE invoices (id bigint PRIMARY KEY);",
    bad: "REVOKE UPDATE ON invoices FROM PUBLIC;",
    good: "CREATE TABLE credit_notes (id bigint PRIMARY KEY);\nREVOKE UPDATE ON credit_notes FROM PUBLIC;",
    fix: "Check which roles the running clients use and that they keep what they need (grant it to them \
          explicitly first), then revoke.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    // Only REVOKE, ALTER DEFAULT PRIVILEGES … REVOKE and OWNER TO concern this rule.
    let upper = cx.text.to_ascii_uppercase();
    if !upper.contains("REVOKE") && !upper.contains("OWNER") {
        return;
    }
    let toks = cx.tokens();
    let end = sql_text::end(toks);
    if end == 0 {
        return;
    }
    let whole = sql_text::span(cx, toks, 0, end - 1);
    let written = || cx.text_of(whole).split_whitespace().collect::<Vec<_>>().join(" ");
    if sql_text::starts_with(toks, &["REVOKE"]) {
        if revokes_only_new_tables(cx, toks) {
            return;
        }
        out.push(
            Finding::new(format!("{}: roles that relied on these privileges get \"permission denied\"", written()))
                .help("Make sure the running clients' roles keep what they need before revoking.")
                .at(whole),
        );
        return;
    }
    if sql_text::starts_with(toks, &["ALTER", "DEFAULT", "PRIVILEGES"]) {
        if sql_text::find_words(toks, 0, &["REVOKE"]).is_some() {
            out.push(
                Finding::new(format!(
                    "{}: objects created from now on no longer grant these privileges, so clients using them get \"permission denied\"",
                    written()
                ))
                .help("Make sure the clients' roles get what they need on new objects another way.")
                .at(whole),
            );
        }
        return;
    }
    // OWNER TO: ALTER TABLE (parsed or split) and the other ALTER … OWNER TO statements.
    if let Some(at) = cx.alter_table() {
        let Some(table) = cx.existing_table(&at.name) else { return };
        for (action, range) in &at.actions {
            let owner = matches!(action, Action::Op(AlterTableOperation::OwnerTo { .. }))
                || matches!(action, Action::Manual(ManualAction::NoEffect(w)) if w == "OWNER TO");
            if owner {
                out.push(owner_finding(cx, &relation_name(&table.name), at.span(cx, *range)));
            }
        }
        return;
    }
    if sql_text::starts_with(toks, &["ALTER"])
        && let Some(k) = sql_text::find_words(toks, 0, &["OWNER", "TO"])
        && !created_in_file(cx, toks)
    {
        let object = cx.text_of(sql_text::span(cx, toks, 1, k.saturating_sub(1)));
        let object = object.split_whitespace().collect::<Vec<_>>().join(" ");
        out.push(owner_finding(cx, &object, sql_text::span(cx, toks, k, end - 1)));
    }
}

fn owner_finding(cx: &StatementCx<'_>, object: &str, at: crate::span::Span) -> Finding {
    Finding::new(format!(
        "{} changes the owner of {object}: the old owner loses its implicit privileges on it, and clients running as that role may get \"permission denied\"",
        cx.text_of(at).split_whitespace().collect::<Vec<_>>().join(" ")
    ))
    .help("Grant the old owner's role what the clients need before changing the owner.")
    .at(at)
}

/// `REVOKE … ON [TABLE] a, b FROM …` where every table was created earlier in this migration.
fn revokes_only_new_tables(cx: &StatementCx<'_>, toks: &[Tok]) -> bool {
    let Some(on) = sql_text::find_words(toks, 0, &["ON"]) else { return false };
    let Some(from) = sql_text::find_words(toks, on, &["FROM"]) else { return false };
    let mut k = on + 1;
    if toks.get(k).is_some_and(|t| t.is("TABLE")) {
        k += 1;
    }
    // Any other object kind (SCHEMA, SEQUENCE, FUNCTION, ALL TABLES IN SCHEMA …) is not a table list.
    let kinds = [
        "ALL",
        "SCHEMA",
        "SEQUENCE",
        "SEQUENCES",
        "FUNCTION",
        "FUNCTIONS",
        "PROCEDURE",
        "ROUTINE",
        "DATABASE",
        "TYPE",
        "DOMAIN",
        "LANGUAGE",
        "LARGE",
        "FOREIGN",
        "TABLESPACE",
        "PARAMETER",
    ];
    if toks.get(k).is_some_and(|t| kinds.iter().any(|w| t.is(w))) {
        return false;
    }
    let mut names = Vec::new();
    for (a, b) in sql_text::split_commas(toks, k, from) {
        let (parts, next) = sql_text::dotted_name(toks, a);
        if next != b || parts.is_empty() {
            return false;
        }
        names.push(sql_text::object_name(&parts));
    }
    !names.is_empty() && names.iter().all(|n| cx.table_before(n).is_some() && cx.existing_table(n).is_none())
}

/// `ALTER <kind> name … OWNER TO`: whether the object was created earlier in this migration.
fn created_in_file(cx: &StatementCx<'_>, toks: &[Tok]) -> bool {
    let mut k = 1;
    let kind: String = match toks.get(k) {
        Some(t) if t.is("MATERIALIZED") => {
            k += 2;
            "VIEW".into()
        }
        Some(t) => {
            k += 1;
            match &t.kind {
                sql_text::TokKind::Word(w) => w.clone(),
                _ => return false,
            }
        }
        None => return false,
    };
    if toks.get(k).is_some_and(|t| t.is("IF")) {
        k += 2;
    }
    let (parts, _) = sql_text::dotted_name(toks, k);
    let qual = match parts.as_slice() {
        [schema, name] => QualName::new(schema.clone(), name.clone()),
        [name] => cx.before.resolve_unqualified(name),
        _ => return false,
    };
    let (start, now) = (&cx.file.start, cx.before);
    let (was, is) = match kind.as_str() {
        "VIEW" => (start.views.contains_key(&qual), now.views.contains_key(&qual)),
        "SEQUENCE" => (start.sequences.contains_key(&qual), now.sequences.contains_key(&qual)),
        "TYPE" | "DOMAIN" => (start.types.contains_key(&qual), now.types.contains_key(&qual)),
        "FUNCTION" | "PROCEDURE" | "ROUTINE" => {
            (start.functions.contains_key(&qual), now.functions.contains_key(&qual))
        }
        "SCHEMA" => (start.schemas.contains_key(qual.name.as_str()), now.schemas.contains_key(qual.name.as_str())),
        "INDEX" => (start.indexes.contains_key(&qual), now.indexes.contains_key(&qual)),
        _ => return false,
    };
    is && !was
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    fn count(sql: &str) -> usize {
        findings(&RULE, sql).len()
    }

    #[test]
    fn revoke_forms() {
        assert_eq!(count("REVOKE ALL ON TABLE invoices, credit FROM app;"), 1);
        assert_eq!(count("REVOKE SELECT ON ALL TABLES IN SCHEMA public FROM app;"), 1);
        assert_eq!(count("REVOKE app_admin FROM alice;"), 1);
        assert_eq!(count("ALTER DEFAULT PRIVILEGES REVOKE SELECT ON TABLES FROM app;"), 1);
        assert_eq!(count("ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO app;"), 0);
        assert_eq!(count("GRANT SELECT ON invoices TO app;"), 0);
        assert_eq!(count("CREATE TABLE a (id int);\nCREATE TABLE b (id int);\nREVOKE ALL ON a, b FROM PUBLIC;"), 0);
        assert_eq!(count("CREATE TABLE a (id int);\nREVOKE ALL ON a, invoices FROM PUBLIC;"), 1);
    }

    #[test]
    fn owner_changes() {
        assert_eq!(count("ALTER TABLE invoices OWNER TO billing;"), 1);
        assert_eq!(count("CREATE VIEW v AS SELECT 1 AS x;\nALTER VIEW v OWNER TO billing;"), 0);
        assert_eq!(count("CREATE TABLE t (id int);\nALTER TABLE t OWNER TO billing;"), 0);
        let rule = Rule { setup: "CREATE VIEW v AS SELECT 1 AS x;", ..RULE };
        assert_eq!(findings(&rule, "ALTER VIEW v OWNER TO billing;").len(), 1);
        assert_eq!(findings(&rule, "ALTER SCHEMA public OWNER TO billing;").len(), 1);
    }
}
