//! `ALTER SEQUENCE` (and identity column) options that change the values generated.

use super::sql_text::{self, Action};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::QualName;
use crate::catalog::names::{quote_ident, relation_name};
use crate::diagnostic::Severity;
use crate::sql::alter_table::ManualAction;
use crate::sql::parse::Parsed;

pub const RULE: Rule = Rule {
    id: "ban-alter-sequence-values",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "ALTER SEQUENCE (or an identity column's RESTART / SET INCREMENT …) changes the values it generates",
    why: "RESTART can hand out values that already exist (duplicate key errors on the next inserts, or \
          worse, rows that silently collide in other systems keyed by the id); INCREMENT, MINVALUE, MAXVALUE, \
          CYCLE and AS change the range, the step and what happens at the end, which clients and reports \
          that assume dense or ordered ids notice. Sequences created earlier in the same migration, and \
          identity columns of tables created there, have handed out nothing yet and are not reported; \
          OWNED BY, RENAME and OWNER TO change no value and are not either.",
    setup: "CREATE SEQUENCE invoice_numbers;",
    bad: "ALTER SEQUENCE invoice_numbers RESTART WITH 1000;",
    good: "CREATE SEQUENCE credit_note_numbers START WITH 1000;",
    fix: "Create a new sequence with the values wanted and move the default to it, or make sure no value the \
          change can produce is in use.",
    check: Check::Statement(check),
};

const VALUE_OPTIONS: [&str; 9] =
    ["RESTART", "INCREMENT", "START", "MINVALUE", "MAXVALUE", "NO", "CYCLE", "CACHE", "AS"];

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    if let Parsed::AlterSequence { name, .. } = cx.parsed {
        let toks = cx.tokens();
        let qual = match name.as_slice() {
            [schema, n] => QualName::new(schema.clone(), n.clone()),
            [n] => cx.before.resolve_unqualified(n),
            _ => return,
        };
        if !cx.file.start.sequences.contains_key(&qual) || owner_is_new(cx, &qual) {
            return;
        }
        let (_, after_name) = sql_text::dotted_name(toks, if toks.get(2).is_some_and(|t| t.is("IF")) { 4 } else { 2 });
        let end = sql_text::end(toks);
        let Some(first) = (after_name..end).find(|&i| VALUE_OPTIONS.iter().any(|w| toks[i].is(w))) else { return };
        let at = sql_text::span(cx, toks, first, end - 1);
        out.push(
            Finding::new(format!(
                "ALTER SEQUENCE {} {} changes the values it hands out: new ids may collide with existing ones or break assumptions about their range",
                relation_name(&qual),
                cx.text_of(at).split_whitespace().collect::<Vec<_>>().join(" ")
            ))
            .help("Use a new sequence, or check that no value the change can produce is in use.")
            .at(at),
        );
        return;
    }
    // Identity columns: ALTER TABLE … ALTER COLUMN c RESTART / SET INCREMENT BY / SET START …
    let Some(at) = cx.alter_table() else { return };
    let Some(table) = cx.existing_table(&at.name) else { return };
    for (action, range) in &at.actions {
        let Action::Manual(ManualAction::NoEffect(what)) = action else { continue };
        let changes_values = what == "ALTER COLUMN RESTART"
            || ["INCREMENT", "START", "MINVALUE", "MAXVALUE", "CYCLE", "NO", "CACHE"]
                .iter()
                .any(|o| what == &format!("ALTER COLUMN SET {o}"));
        if !changes_values {
            continue;
        }
        let column = at.toks.get(range.0 + 1).filter(|t| !t.is("COLUMN")).or(at.toks.get(range.0 + 2));
        let column = column.and_then(|t| t.ident()).unwrap_or_default();
        out.push(
            Finding::new(format!(
                "the identity sequence of {}.{} changes the values it hands out: new ids may collide with existing ones",
                relation_name(&table.name),
                quote_ident(&column)
            ))
            .help("Check that no value the change can produce is in use.")
            .at(at.span(cx, *range)),
        );
    }
}

/// A sequence owned by a column of a table created earlier in this migration (serial / identity).
fn owner_is_new(cx: &StatementCx<'_>, qual: &QualName) -> bool {
    let Some((table, _)) = cx.before.sequences.get(qual).and_then(|s| s.owned_by.as_ref()) else { return false };
    cx.before.table(table).is_some_and(|t| cx.created_in_file(t))
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    fn count(sql: &str) -> usize {
        findings(&RULE, sql).len()
    }

    #[test]
    fn options_that_change_values() {
        assert_eq!(count("ALTER SEQUENCE invoice_numbers INCREMENT BY 10;"), 1);
        assert_eq!(count("ALTER SEQUENCE invoice_numbers AS integer MAXVALUE 100000;"), 1);
        assert_eq!(count("ALTER SEQUENCE invoice_numbers OWNED BY NONE;"), 0);
        assert_eq!(count("ALTER SEQUENCE invoice_numbers RENAME TO numbers;"), 0);
        assert_eq!(count("CREATE SEQUENCE s;\nALTER SEQUENCE s RESTART WITH 5;"), 0);
    }

    #[test]
    fn identity_columns() {
        let rule = Rule { setup: "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY);", ..RULE };
        assert_eq!(findings(&rule, "ALTER TABLE t ALTER COLUMN id RESTART WITH 100;").len(), 1);
        assert_eq!(findings(&rule, "ALTER TABLE t ALTER COLUMN id SET INCREMENT BY 2;").len(), 1);
        let sql =
            "CREATE TABLE n (id bigint GENERATED ALWAYS AS IDENTITY);\nALTER TABLE n ALTER COLUMN id RESTART WITH 100;";
        assert!(findings(&rule, sql).is_empty());
        let sql = "CREATE TABLE n (id bigserial);\nALTER SEQUENCE n_id_seq RESTART WITH 100;";
        assert!(findings(&rule, sql).is_empty());
    }
}
