//! `DROP EXTENSION` removes the extension's types and functions, and what uses them.

use sqlparser::ast::{ReferentialAction, Statement};

use super::removals;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::Catalog;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-drop-extension",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "DROP EXTENSION removes its types, functions and operators, and with CASCADE the columns that use them",
    why: "An extension brings types (citext, hstore, vector…), functions (gen_random_uuid, similarity…) and \
          operators that columns, indexes, defaults and clients use. Dropping it makes every use fail; with \
          CASCADE PostgreSQL drops the columns of its types, with their data, and the indexes and defaults that \
          call its functions. The message names the columns of the schema that use the extension's types. An \
          extension created earlier in the same file is not reported.",
    setup: "CREATE EXTENSION citext;\nCREATE TABLE customers (id bigint PRIMARY KEY, email citext NOT NULL);\n",
    bad: "DROP EXTENSION citext CASCADE;",
    good: "-- Move the column off the extension's type first; a later plain DROP EXTENSION then fails loudly\n\
           -- if anything still uses it.\n\
           ALTER TABLE customers ALTER COLUMN email TYPE text;\n",
    fix: "Move every column, index, default and client off the extension's objects first, then drop it without \
          CASCADE. When the drop is intended, silence the rule on that statement with \
          `-- schema-playground:ignore ban-drop-extension`.",
    check: Check::Statement(check),
};

/// The types an extension the simulator knows brings.
fn types_of(extension: &str) -> &'static [&'static str] {
    match extension {
        "citext" => &["citext"],
        "hstore" => &["hstore"],
        "ltree" => &["ltree", "lquery"],
        "vector" => &["vector", "halfvec", "sparsevec"],
        "postgis" => &["geometry", "geography"],
        "cube" => &["cube"],
        _ => &[],
    }
}

/// Columns whose type comes from the extension.
fn columns_using(catalog: &Catalog, extension: &str, schema: &str) -> Vec<String> {
    let types = types_of(extension);
    let mut out = Vec::new();
    for t in catalog.tables.values() {
        for c in &t.columns {
            let from_it = c.ty.schema.as_deref() == Some(schema)
                && types.contains(&c.ty.name.as_str())
                && !catalog.types.contains_key(&crate::catalog::QualName::new(schema, c.ty.name.clone()));
            if from_it {
                out.push(removals::column_label(&t.name, &c.name));
            }
        }
    }
    out
}

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(Statement::DropExtension(de)) = cx.statement() else { return };
    let cascade = matches!(de.cascade_or_restrict, Some(ReferentialAction::Cascade));
    for (i, ident) in de.names.iter().enumerate() {
        let name = ident.value.clone();
        if de.names[..i].iter().any(|n| n.value == name) {
            continue;
        }
        let Some(ext) = cx.before.extensions.get(&name) else { continue };
        if !cx.file.start.extensions.contains_key(&name) {
            continue;
        }
        let columns = columns_using(cx.before, &name, &ext.schema);
        let users = match (columns.is_empty(), cascade) {
            (true, _) => String::new(),
            (false, true) => format!("; it also drops column {} and the data in it", removals::list(&columns, 6)),
            (false, false) => format!(
                "; column {} uses its types, so PostgreSQL refuses the DROP without CASCADE",
                removals::list(&columns, 6)
            ),
        };
        let at = removals::find_seq(cx, &[&name], 0).unwrap_or(cx.span);
        out.push(
            Finding::new(format!(
                "DROP EXTENSION {name} removes its types, functions and operators: columns, indexes, defaults and \
                 clients that use them fail{users}"
            ))
            .at(at)
            .help("Move every user off the extension's objects first, then drop it without CASCADE."),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::tests::findings;

    #[test]
    fn cascade_names_the_columns_of_its_types() {
        let found = findings(&RULE, RULE.bad);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("column customers.email and the data"), "{}", found[0].message);
    }

    #[test]
    fn extensions_new_in_the_file_are_not_reported() {
        let sql = "CREATE EXTENSION hstore;\nDROP EXTENSION hstore;\nDROP EXTENSION IF EXISTS pg_trgm;";
        assert!(findings(&RULE, sql).is_empty());
    }
}
