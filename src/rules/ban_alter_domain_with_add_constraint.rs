//! `ALTER DOMAIN … ADD CONSTRAINT`: checks every column of every table that uses the domain, under locks.
//! It judges each ALTER DOMAIN against the schema at the start of its migration, read from the statement
//! text (which tables use the domain, and whether NOT VALID was written). A statement rule, so an edit
//! judges only the migrations it re-runs (a folder rule read every statement of the history again).

use super::domains;
use super::sql_text::starts_with_words;
use super::table_ops::{Tok, dotted_name, find_word, tokens};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::model::UserTypeKind;
use crate::catalog::names::{quote_ident, relation_name};
use crate::catalog::{Catalog, QualName};
use crate::diagnostic::Severity;
use crate::span::Span;

pub const RULE: Rule = Rule {
    id: "ban-alter-domain-with-add-constraint",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "ALTER DOMAIN … ADD CONSTRAINT checks every column that uses the domain while blocking writes to those tables",
    why: "Adding a constraint to a domain makes PostgreSQL check the values of every column of that type, in every \
          table, and it holds a SHARE lock on each of those tables meanwhile: writes to all of them wait until the \
          last one is scanned. Unlike a table constraint, there is no way to do it table by table. The rule looks \
          the domain up in the schema: a domain created in the same migration, or one no table uses yet, has \
          nothing to check and is not reported; neither is `ADD … NOT VALID` (VALIDATE CONSTRAINT does the scan \
          later).",
    setup: "CREATE DOMAIN email AS text;\n\
            CREATE TABLE users (id bigint PRIMARY KEY, email email NOT NULL);",
    bad: "ALTER DOMAIN email ADD CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%');",
    good: "ALTER TABLE users ADD CONSTRAINT users_email_has_at CHECK (email LIKE '%@%') NOT VALID;\n",
    fix: "Put the CHECK on the columns instead (ALTER TABLE … ADD CONSTRAINT … NOT VALID, then VALIDATE \
          CONSTRAINT in a later migration), one table at a time.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let text = cx.text;
    if !starts_with_words(text, &["ALTER", "DOMAIN"]) {
        return;
    }
    let Some((domain, constraint)) = added_constraint(text) else { return };
    let Some((qual, users)) = domain_users(&cx.file.start, &domain) else { return };
    if users.is_empty() {
        return;
    }
    let start = cx.span.start as usize;
    let at = find_word(text, "ADD", 0).map_or(cx.span, |i| Span::new(cx.span.file, start + i, start + i + 3));
    out.push(
        Finding::new(format!(
            "adding {constraint} to domain {} checks every value of {} under a SHARE lock on each table: \
             writes to them wait until the scan ends",
            relation_name(&qual),
            users.join(", ")
        ))
        .help("Add the CHECK to each column with ALTER TABLE … ADD CONSTRAINT … NOT VALID instead, and validate it later.")
        .at(at),
    );
}

/// `ALTER DOMAIN name ADD [CONSTRAINT c] …` without NOT VALID: the domain's name parts and what is added.
fn added_constraint(text: &str) -> Option<(Vec<String>, String)> {
    let toks = tokens(text);
    if !(toks.first()?.is("ALTER") && toks.get(1)?.is("DOMAIN")) {
        return None;
    }
    let (name, k) = dotted_name(&toks, 2);
    if name.is_empty() || !toks.get(k)?.is("ADD") {
        return None;
    }
    let not_valid = toks.windows(2).any(|w| w[0].is("NOT") && w[1].is("VALID"));
    if not_valid {
        return None;
    }
    let what = match (toks.get(k + 1), toks.get(k + 2)) {
        (Some(c), Some(n)) if c.is("CONSTRAINT") => match n {
            Tok::Word(_) | Tok::Quoted(_) => format!("constraint {}", quote_ident(&n.ident().unwrap_or_default())),
            _ => "a constraint".into(),
        },
        (Some(c), _) if c.is("CHECK") => "a CHECK constraint".into(),
        _ => "a NOT NULL constraint".into(),
    };
    Some((name, what))
}

/// The qualified domain and the columns (`table.column`) that use it, or `None` when there is no such
/// domain in `catalog` (it is created later, in the same migration).
fn domain_users(catalog: &Catalog, name: &[String]) -> Option<(QualName, Vec<String>)> {
    let qual = match name {
        [schema, n] => QualName::new(schema.clone(), n.clone()),
        [n] => catalog.resolve_unqualified(n),
        _ => return None,
    };
    let domain = catalog.types.get(&qual)?;
    if !matches!(domain.kind, UserTypeKind::Domain { .. }) {
        return None;
    }
    let users = domains::columns(catalog, &qual, |_| true);
    Some((qual, users))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::findings;

    #[test]
    fn unused_new_and_not_valid_domains_are_fine() {
        let sql = "CREATE DOMAIN code AS text;\nALTER DOMAIN code ADD CHECK (VALUE <> '');";
        assert!(findings(&RULE, sql).is_empty());
        let sql = "ALTER DOMAIN email ADD CONSTRAINT c CHECK (VALUE LIKE '%@%') NOT VALID;";
        assert!(findings(&RULE, sql).is_empty());
    }

    #[test]
    fn the_finding_names_the_columns() {
        let found = findings(&RULE, RULE.bad);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("users.email"), "{}", found[0].message);
    }

    #[test]
    fn statement_forms() {
        assert_eq!(
            added_constraint("ALTER DOMAIN app.email ADD NOT NULL").map(|(n, _)| n),
            Some(vec!["app".to_string(), "email".to_string()])
        );
        assert!(added_constraint("ALTER DOMAIN email DROP CONSTRAINT c").is_none());
        assert!(added_constraint("ALTER TABLE t ADD CHECK (a > 0)").is_none());
    }
}
