//! `ALTER TYPE … ADD ATTRIBUTE` on a composite type in use.

use super::sql_text::{self, folder_statements};
use super::{Check, Family, Finding, FolderCx, Rule};
use crate::catalog::UserTypeKind;
use crate::catalog::names::qualified_type_name;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-add-composite-attribute",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "ALTER TYPE … ADD ATTRIBUTE changes the shape of a composite type's values",
    why: "Values of a composite type travel as whole rows: functions return them, columns store them, \
          clients decode them positionally (ROW(…) literals, drivers' composite codecs). An extra attribute \
          changes every such value at once, and code that builds or reads the old shape breaks or \
          misreads it. Types created earlier in the same migration have no users yet and are not reported. \
          The statement is read from its text, whether or not the simulator parses it.",
    setup: "CREATE TYPE postal_address AS (street text, city text);",
    bad: "ALTER TYPE postal_address ADD ATTRIBUTE country text;",
    good: "CREATE TYPE postal_address_v2 AS (street text, city text, country text);",
    fix: "Create a new type with the extra attribute and move the functions and columns to it one by one, \
          or deploy clients that accept both shapes first.",
    check: Check::Folder(check),
};

fn check(cx: &FolderCx<'_>, out: &mut Vec<Finding>) {
    for stmt in folder_statements(cx, |text| sql_text::starts_with_words(text, &["ALTER", "TYPE"])) {
        let toks = sql_text::tokens(stmt.text);
        if !sql_text::starts_with(&toks, &["ALTER", "TYPE"]) {
            continue;
        }
        let (parts, after) = sql_text::dotted_name(&toks, 2);
        let qual = match parts.as_slice() {
            [schema, name] => crate::catalog::QualName::new(schema.clone(), name.clone()),
            [name] => stmt.start.resolve_unqualified(name),
            _ => continue,
        };
        // Only a composite type that existed before this migration has users.
        if !matches!(stmt.start.types.get(&qual).map(|t| &t.kind), Some(UserTypeKind::Composite { .. })) {
            continue;
        }
        for (a, b) in sql_text::split_commas(&toks, after, sql_text::end(&toks)) {
            if !(toks[a].is("ADD") && toks.get(a + 1).is_some_and(|t| t.is("ATTRIBUTE"))) {
                continue;
            }
            let attribute = toks.get(a + 2).and_then(|t| t.ident()).unwrap_or_default();
            out.push(
                Finding::new(format!(
                    "ADD ATTRIBUTE {attribute} changes the shape of every {} value: clients that build or read it positionally break",
                    qualified_type_name(&qual.schema, &qual.name)
                ))
                .help("Create a new type with the attribute and move its users over.")
                .at(stmt.sub_span(toks[a].start, toks[b - 1].end)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn new_types_and_other_actions() {
        let sql = "CREATE TYPE pair AS (a int);\nALTER TYPE pair ADD ATTRIBUTE b int;";
        assert!(findings(&RULE, sql).is_empty());
        assert!(findings(&RULE, "ALTER TYPE postal_address DROP ATTRIBUTE city;").is_empty());
        let sql = "ALTER TYPE postal_address ADD ATTRIBUTE zip text, ADD ATTRIBUTE country text;";
        assert_eq!(findings(&RULE, sql).len(), 2);
    }
}
