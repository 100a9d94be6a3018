//! `ALTER EXTENSION … UPDATE` / `DROP` on an extension in use.

use super::sql_text;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-alter-extension",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "ALTER EXTENSION … UPDATE or DROP changes the objects an extension provides",
    why: "An extension's functions, types and operators are used by the application's queries, indexes and \
          defaults. ALTER EXTENSION … UPDATE runs the extension's upgrade script: functions can change \
          behaviour, signatures or disappear, and some upgrades rebuild objects under locks. ALTER EXTENSION \
          … DROP detaches an object from the extension, so later extension upgrades and DROP EXTENSION no \
          longer manage it. Extensions created earlier in the same migration have no users yet and are not \
          reported; ADD, SET SCHEMA (ban-set-schema) and OWNER are not this rule's.",
    setup: "CREATE EXTENSION IF NOT EXISTS citext;",
    bad: "ALTER EXTENSION citext UPDATE;",
    good: "CREATE EXTENSION IF NOT EXISTS pg_trgm;\nALTER EXTENSION pg_trgm UPDATE;",
    fix: "Read the extension's release notes for the versions crossed, test the upgrade on a copy of the \
          database, and run it in a maintenance step of its own.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    if !sql_text::starts_with_words(cx.text, &["ALTER", "EXTENSION"]) {
        return;
    }
    let toks = cx.tokens();
    if !sql_text::starts_with(toks, &["ALTER", "EXTENSION"]) {
        return;
    }
    let Some(name) = toks.get(2).and_then(|t| t.ident()) else { return };
    let Some(action) = toks.get(3) else { return };
    let message = if action.is("UPDATE") {
        let to = toks.get(5).filter(|_| toks.get(4).is_some_and(|t| t.is("TO")));
        let version = to.map(|t| format!(" to {}", cx.text_of(cx.sub_span(t.start, t.end)))).unwrap_or_default();
        format!(
            "ALTER EXTENSION {name} UPDATE{version} runs its upgrade script: functions and types clients use can change or disappear"
        )
    } else if action.is("DROP") {
        format!(
            "ALTER EXTENSION {name} DROP detaches an object from the extension: its upgrades and DROP EXTENSION no longer manage it"
        )
    } else {
        return;
    };
    // An extension created earlier in this migration has no users yet.
    if cx.before.extensions.contains_key(&name) && !cx.file.start.extensions.contains_key(&name) {
        return;
    }
    let end = sql_text::end(toks);
    out.push(
        Finding::new(message).help("Upgrade extensions in a tested maintenance step of their own.").at(sql_text::span(
            cx,
            toks,
            3,
            end.saturating_sub(1).max(3),
        )),
    );
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn forms() {
        assert_eq!(findings(&RULE, "ALTER EXTENSION citext UPDATE TO '1.6';").len(), 1);
        assert_eq!(findings(&RULE, "ALTER EXTENSION citext DROP FUNCTION citext(bool);").len(), 1);
        assert!(findings(&RULE, "ALTER EXTENSION citext ADD FUNCTION f();").is_empty());
        assert!(findings(&RULE, "ALTER EXTENSION citext SET SCHEMA ext;").is_empty());
    }
}
