//! Identifiers longer than 63 bytes: PostgreSQL truncates them without an error.

use std::collections::BTreeSet;

use super::sql_text::TokKind;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::{MAX_IDENT_BYTES, quote_ident, truncate};
use crate::diagnostic::Severity;
use crate::sql::parse::Parsed;

pub const RULE: Rule = Rule {
    id: "identifier-too-long",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "identifiers longer than 63 bytes are silently truncated",
    why: "PostgreSQL keeps the first 63 bytes of an identifier (NAMEDATALEN - 1) and drops the rest with a \
          mere NOTICE. The object gets a name other than the one in the migration: tools and code that look \
          it up by its full name do not find it, and two long names that share their first 63 bytes become \
          the same name, so the second CREATE fails with \"already exists\" or, worse, a later statement \
          silently acts on the other object. Bytes count, not characters: 32 two-byte letters are too many.",
    setup: "",
    bad: "CREATE TABLE customer_subscription_renewal_reminder_email_notification_delivery_attempts (\n    id bigint PRIMARY KEY\n);",
    good: "CREATE TABLE subscription_renewal_reminder_deliveries (\n    id bigint PRIMARY KEY\n);",
    fix: "Choose a name of at most 63 bytes (and name implicit objects such as constraints and indexes \
          explicitly when the generated name would be long).",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    // A DO body runs its statements later, one by one; they are not identifiers of this statement.
    if matches!(cx.parsed, Parsed::Do { .. }) {
        return;
    }
    if !may_hold_a_long_identifier(cx.text) {
        return;
    }
    let mut seen = BTreeSet::new();
    for tok in cx.tokens() {
        let name = match &tok.kind {
            TokKind::Word(_) | TokKind::Quoted(_) => tok.ident().unwrap_or_default(),
            _ => continue,
        };
        if name.len() <= MAX_IDENT_BYTES || !seen.insert(name.clone()) {
            continue;
        }
        let short = truncate(name.clone());
        let mut message = format!(
            "identifier \"{name}\" is {} bytes long: PostgreSQL truncates it to 63 bytes, \"{short}\", without an error",
            name.len()
        );
        if !cx.applied && taken(cx, &short) {
            message.push_str(&format!(
                "; the truncated name \"{short}\" is already taken, which is why this statement fails"
            ));
        }
        let replacement = if matches!(tok.kind, TokKind::Quoted(_)) || quote_ident(&short) != short {
            format!("\"{}\"", short.replace('"', "\"\""))
        } else {
            short.clone()
        };
        out.push(
            Finding::new(message).help("Use a name of at most 63 bytes.").at(cx.sub_span(tok.start, tok.end)).fix(
                "Use the name PostgreSQL keeps",
                cx.sub_span(tok.start, tok.end),
                replacement,
            ),
        );
    }
}

/// A cheap test before tokenizing: an identifier over 63 bytes needs a quote, or 64 identifier bytes in
/// a row.
fn may_hold_a_long_identifier(text: &str) -> bool {
    if text.contains('"') {
        return true;
    }
    // Every statement's text passes here: a table lookup per byte, no branches on the byte's class.
    const IDENT: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            let c = b as u8;
            table[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80;
            b += 1;
        }
        table
    };
    let mut run = 0;
    for &b in text.as_bytes() {
        run = if IDENT[b as usize] { run + 1 } else { 0 };
        if run > MAX_IDENT_BYTES {
            return true;
        }
    }
    false
}

/// Whether a relation, type or function named `name` exists in some schema.
fn taken(cx: &StatementCx<'_>, name: &str) -> bool {
    let before = cx.before;
    before.schemas.keys().any(|schema| {
        let q = crate::catalog::QualName::new(schema.as_str(), name);
        before.relation_exists(&q) || before.types.contains_key(&q) || before.functions.contains_key(&q)
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn exactly_63_bytes_is_fine() {
        let name = "a".repeat(63);
        assert!(findings(&RULE, &format!("CREATE TABLE {name} (id bigint);")).is_empty());
        let name = "a".repeat(64);
        let found = findings(&RULE, &format!("CREATE TABLE {name} (id bigint);"));
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains(&"a".repeat(63)));
    }

    #[test]
    fn bytes_not_characters_and_each_name_once() {
        let name = "é".repeat(32);
        let sql = format!(
            "CREATE TABLE \"{name}\" (id bigint);\nALTER TABLE \"{name}\" ADD CONSTRAINT \"{name}\" CHECK (id > 0);"
        );
        let found = findings(&RULE, &sql);
        // Once per statement: the CREATE and the ALTER.
        assert_eq!(found.len(), 2);
        assert!(found[0].message.contains("64 bytes"), "{}", found[0].message);
    }

    #[test]
    fn a_collision_is_explained() {
        let base = "orders_by_customer_and_creation_date_for_the_reporting_dashboar";
        let sql = format!(
            "CREATE TABLE orders (id bigint);\nCREATE INDEX {base}_a ON orders (id);\nCREATE INDEX {base}_b ON orders (id);"
        );
        let found = findings(&RULE, &sql);
        assert_eq!(found.len(), 2);
        assert!(found[1].message.contains("already taken"), "{}", found[1].message);
    }

    #[test]
    fn strings_and_function_bodies_are_not_identifiers() {
        let long = "x".repeat(80);
        let sql = format!(
            "CREATE TABLE t (id bigint);\nCOMMENT ON TABLE t IS '{long}';\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 AS {long} $$;"
        );
        assert!(findings(&RULE, &sql).is_empty());
    }
}
