//! `DROP SCHEMA` deletes a namespace, and with CASCADE every table, view, function and type in it.

use sqlparser::ast::{ObjectType, Statement};

use super::removals;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::{self, quote_ident};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-drop-schema",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "DROP SCHEMA breaks clients that use it; with CASCADE it deletes everything in it",
    why: "Clients name schemas in queries and in their search_path. Dropping one makes those fail, and \
          DROP SCHEMA … CASCADE deletes every table (with its rows), view, function, type and sequence in it, \
          and the objects elsewhere that depend on them. The message lists what goes, from the schema. A schema \
          created earlier in the same file is not reported.",
    setup: "CREATE SCHEMA reporting;\nCREATE TABLE reporting.daily_totals (day date PRIMARY KEY, total numeric NOT NULL);\n\
            CREATE VIEW reporting.last_week AS SELECT * FROM reporting.daily_totals WHERE day > current_date - 7;\n",
    bad: "DROP SCHEMA reporting CASCADE;",
    good: "-- Each object is dropped on its own, so a forgotten one makes DROP SCHEMA fail instead of vanishing;\n\
           -- the drop of the emptied schema is acknowledged.\n\
           DROP VIEW reporting.last_week;\nDROP TABLE reporting.daily_totals;\n\
           -- schema-playground:ignore ban-drop-schema\n\
           DROP SCHEMA reporting;\n",
    fix: "Drop the objects of the schema one by one, each after its users are gone, then drop the empty schema \
          without CASCADE. When the drop is intended, silence the rule on that statement with \
          `-- schema-playground:ignore ban-drop-schema`.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(stmt @ Statement::Drop { object_type: ObjectType::Schema, names, .. }) = cx.statement() else { return };
    for (i, name) in names.iter().enumerate() {
        // A name listed twice is one object.
        if names[..i].contains(name) {
            continue;
        }
        let schema = names::parts(name).last().cloned().unwrap_or_default();
        if !cx.before.schemas.contains_key(&schema) || !cx.file.start.schemas.contains_key(&schema) {
            continue;
        }
        let label = quote_ident(&schema);
        let others =
            removals::gone_with(cx, &removals::drop_one(stmt, name), |g| g.kind == "schema" && g.name == label);
        out.push(
            Finding::new(format!(
                "DROP SCHEMA {label} removes the schema: queries and search_path settings that name it fail{}",
                removals::also_drops(&others)
            ))
            .at(removals::name_span(cx, name, 0))
            .help("Drop the schema's objects one by one after their users are gone, then drop it without CASCADE."),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::tests::findings;

    #[test]
    fn cascade_lists_the_contents() {
        let found = findings(&RULE, RULE.bad);
        assert_eq!(found.len(), 1);
        let m = &found[0].message;
        assert!(m.contains("table reporting.daily_totals"), "{m}");
        assert!(m.contains("view reporting.last_week"), "{m}");
    }
}
