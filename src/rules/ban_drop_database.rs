//! `DROP DATABASE` in a migration deletes everything.

use super::removals;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::diagnostic::Severity;
use crate::sql::parse::Parsed;

pub const RULE: Rule = Rule {
    id: "ban-drop-database",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "DROP DATABASE deletes a whole database",
    why: "A migration that drops a database deletes every schema, table and row in it at once, for every \
          client, and nothing in the migration history can bring it back. Databases are the platform's to \
          create and drop, not a migration's. The schema model holds one database and does not track others, \
          so every DROP DATABASE is reported.",
    setup: "",
    bad: "DROP DATABASE reporting_scratch;",
    good: "-- A throwaway database this project created for a one-off report, confirmed unused.\n\
           -- schema-playground:ignore ban-drop-database\n\
           DROP DATABASE IF EXISTS reporting_scratch;\n",
    fix: "Drop databases by hand or from the platform's tooling, with a backup, not from a migration. When the \
          drop is intended, silence the rule on that statement with \
          `-- schema-playground:ignore ban-drop-database`.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Parsed::NoEffect { what } = cx.parsed else { return };
    if what != "DROP DATABASE" {
        return;
    }
    let toks = removals::tokens(cx.text);
    let mut k = 2;
    if toks.get(k).is_some_and(|t| t.matches("IF")) {
        k += 2;
    }
    // Without a name PostgreSQL rejects the statement: nothing is dropped.
    let Some(t) = toks.get(k).filter(|t| matches!(t.token, sqlparser::tokenizer::Token::Word(_))) else { return };
    let name = cx.text.get(t.start..t.end).unwrap_or("").to_string();
    let at = cx.sub_span(t.start, t.end);
    out.push(
        Finding::new(format!(
            "DROP DATABASE {name} deletes the whole database: every schema, table and row in it, for every client"
        ))
        .at(at)
        .help("Drop databases from the platform's tooling with a backup, not from a migration."),
    );
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::tests::findings;

    #[test]
    fn the_span_is_the_name() {
        let found = findings(&RULE, "DROP DATABASE IF EXISTS \"Old\";");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("DROP DATABASE \"Old\" deletes"), "{}", found[0].message);
        assert_eq!((found[0].span.start, found[0].span.end), (24, 29));
    }

    #[test]
    fn a_statement_without_a_name_drops_nothing() {
        assert!(findings(&RULE, "DROP DATABASE IF EXISTS;").is_empty());
    }
}
