//! Table names without a schema.

use sqlparser::ast::{ObjectName, ObjectType, Statement};

use super::sql_text::ident_range;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::quote_ident;
use crate::diagnostic::Severity;
use crate::span::Span;

pub const RULE: Rule = Rule {
    id: "require-table-schema",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "CREATE / ALTER / DROP TABLE with a table name that is not schema-qualified",
    why: "An unqualified table name is resolved through the session's search_path, which depends on the \
          role, the database settings and whatever the runner or an earlier statement set. The same \
          migration can then create or alter a table in another schema than intended, or fail to find it. \
          Writing `schema.table` removes the dependency. Temporary tables live in their own schema and are \
          not reported. The message says which schema the name resolves to at that point.",
    setup: "CREATE TABLE public.orders (id bigint PRIMARY KEY);",
    bad: "ALTER TABLE orders ADD COLUMN note text;",
    good: "ALTER TABLE public.orders ADD COLUMN note text;",
    fix: "Qualify the name: `public.orders`.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let mut names: Vec<(&ObjectName, &str)> = Vec::new();
    match cx.statement() {
        Some(Statement::CreateTable(ct)) if !ct.temporary => names.push((&ct.name, "CREATE TABLE")),
        Some(Statement::Drop { object_type: ObjectType::Table, names: dropped, temporary: false, .. }) => {
            names.extend(dropped.iter().map(|n| (n, "DROP TABLE")));
        }
        _ => {}
    }
    let alter = cx.alter_table();
    if let Some(at) = &alter {
        names.push((&at.name, "ALTER TABLE"));
    }
    for (name, what) in names {
        if name.0.len() != 1 {
            continue;
        }
        let qual = cx.resolve(name);
        let written = qual.name.clone();
        // Where the name is: its identifier when the statement parsed whole, the token otherwise.
        let range = match (&alter, name.0.first().and_then(|p| p.as_ident())) {
            (Some(at), _) => at.toks.get(at.name_at).map(|t| (t.start, t.end)),
            (None, Some(ident)) => ident_range(cx.text, ident),
            _ => None,
        };
        let at = range.map_or(cx.span, |(a, b)| cx.sub_span(a, b));
        let mut finding = Finding::new(format!(
            "{what} {} does not name a schema: through the search path it means {}.{}",
            quote_ident(&written),
            quote_ident(&qual.schema),
            quote_ident(&qual.name)
        ))
        .help("Qualify the table name with its schema.")
        .at(at);
        if let Some((a, _)) = range {
            finding = finding.fix(
                format!("Qualify it as {}.{}", quote_ident(&qual.schema), quote_ident(&qual.name)),
                Span::new(cx.span.file, cx.span.start as usize + a, cx.span.start as usize + a),
                format!("{}.", quote_ident(&qual.schema)),
            );
        }
        out.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn create_drop_and_temporary_tables() {
        assert_eq!(findings(&RULE, "CREATE TABLE items (id bigint);\nDROP TABLE items, public.orders;").len(), 2);
        assert!(findings(&RULE, "CREATE TEMPORARY TABLE scratch (id bigint);").is_empty());
        assert_eq!(findings(&RULE, "CREATE TABLE copy AS SELECT * FROM public.orders;").len(), 1);
    }

    #[test]
    fn the_search_path_decides_the_schema() {
        let sql = "CREATE SCHEMA app;\nSET search_path TO app, public;\nCREATE TABLE items (id bigint);";
        let found = findings(&RULE, sql);
        assert!(found[0].message.contains("app.items"), "{}", found[0].message);
        assert_eq!(found[0].fix.as_ref().unwrap().replacement, "app.");
    }

    #[test]
    fn a_split_alter_table_is_still_read() {
        let found = findings(&RULE, "ALTER TABLE orders ALTER COLUMN id SET STATISTICS 100;");
        assert_eq!(found.len(), 1);
    }
}
