//! `DROP SEQUENCE` breaks the clients and defaults that draw numbers from it.

use sqlparser::ast::{ObjectType, Statement};

use super::removals;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::relation_name;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-drop-sequence",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "DROP SEQUENCE breaks clients and defaults that draw numbers from it",
    why: "Sequences hand out ids and numbers: clients call nextval() on them by name, and column defaults call \
          it on every insert. Dropping one makes those calls fail; with CASCADE PostgreSQL drops the defaults \
          that use it instead, so inserts that relied on them store NULL or fail. The message names the \
          defaults that go and the column that owns the sequence, from the schema. A sequence created earlier \
          in the same file is not reported.",
    setup: "CREATE SEQUENCE invoice_numbers;\nCREATE SEQUENCE legacy_numbers;\n\
            CREATE TABLE invoices (id bigint PRIMARY KEY, number bigint NOT NULL DEFAULT nextval('invoice_numbers'));\n",
    bad: "DROP SEQUENCE invoice_numbers CASCADE;",
    good: "-- Nothing has called nextval('legacy_numbers') since release 12; no default uses it.\n\
           -- schema-playground:ignore ban-drop-sequence\n\
           DROP SEQUENCE legacy_numbers;\n",
    fix: "Move every default and client off the sequence first, then drop it without CASCADE. When the drop is \
          intended, silence the rule on that statement with `-- schema-playground:ignore ban-drop-sequence`.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(stmt @ Statement::Drop { object_type: ObjectType::Sequence, names, .. }) = cx.statement() else {
        return;
    };
    for (i, name) in names.iter().enumerate() {
        // A name listed twice is one object.
        if names[..i].contains(name) {
            continue;
        }
        let q = cx.resolve(name);
        let Some(seq) = cx.before.sequences.get(&q) else { continue };
        if !cx.file.start.sequences.contains_key(&q) {
            continue;
        }
        let label = relation_name(&q);
        let others =
            removals::gone_with(cx, &removals::drop_one(stmt, name), |g| g.kind == "sequence" && g.name == label);
        let owner = match &seq.owned_by {
            Some((t, c)) => format!(" (it belongs to {})", removals::column_label(t, c)),
            None => String::new(),
        };
        out.push(
            Finding::new(format!(
                "DROP SEQUENCE {label}{owner} removes the sequence: clients and defaults that call nextval() on it \
                 fail{}",
                removals::also_drops(&others)
            ))
            .at(removals::name_span(cx, name, 0))
            .help("Move every default and client off the sequence first, then drop it without CASCADE."),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::tests::findings;

    #[test]
    fn sequences_new_in_the_file_are_not_reported() {
        let sql = "CREATE SEQUENCE scratch;\nDROP SEQUENCE scratch;\nDROP SEQUENCE IF EXISTS nothing;";
        assert!(findings(&RULE, sql).is_empty());
    }

    #[test]
    fn a_serial_sequence_names_its_column() {
        let sql = "-- file: 002_t.sql\nCREATE TABLE tickets (id serial PRIMARY KEY);\n\
                   -- file: 003_d.sql\nDROP SEQUENCE tickets_id_seq CASCADE;";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("it belongs to tickets.id"), "{}", found[0].message);
        assert!(found[0].message.contains("the default of tickets.id"), "{}", found[0].message);
    }

    #[test]
    fn cascade_names_the_defaults_it_drops() {
        let found = findings(&RULE, RULE.bad);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("the default of invoices.number"), "{}", found[0].message);
    }
}
