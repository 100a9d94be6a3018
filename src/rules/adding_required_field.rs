//! `ADD COLUMN … NOT NULL` without a default on a table that may hold rows.

use sqlparser::ast::{AlterTableOperation, ColumnDef, ColumnOption, DataType};

use super::table_ops::{alter_ops, column_label, find_word, word_span};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::{parts, relation_name};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "adding-required-field",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "ADD COLUMN … NOT NULL without a DEFAULT fails on a table that has rows",
    why: "A new column starts out NULL in every existing row, so ADD COLUMN … NOT NULL (or PRIMARY KEY, which \
          implies it) without a DEFAULT fails with `column … contains null values` as soon as the table holds a \
          row — typically in production, after it passed on an empty development database. Even where it \
          succeeds, every client that inserts rows without the new column starts failing. Tables created earlier \
          in the same file are empty and are not reported. When the migrations themselves put rows in the table, \
          the simulator also reports PostgreSQL's error on the statement.",
    setup: "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);",
    bad: "ALTER TABLE users ADD COLUMN timezone text NOT NULL;",
    good: "ALTER TABLE users ADD COLUMN timezone text NOT NULL DEFAULT 'UTC';",
    fix: "Give the column a constant DEFAULT (free since PostgreSQL 11), or add it nullable, backfill it, and set \
          it NOT NULL in a later migration (see adding-not-nullable-field for doing that without a long lock).",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some((name, ops)) = alter_ops(cx.parsed) else { return };
    let Some(table) = cx.existing_table(&name) else { return };
    for op in ops {
        let AlterTableOperation::AddColumn { column_def, .. } = op else { continue };
        let Some(keyword) = required_without_default(column_def) else { continue };
        let column = crate::catalog::names::fold(&column_def.name);
        let from = find_word(cx.text, &column_def.name.value, 0).unwrap_or(0);
        let at = match keyword {
            "NOT NULL" => word_span(cx, "NOT", from).map(|not| {
                let rel = not.start as usize - cx.span.start as usize;
                word_span(cx, "NULL", rel)
                    .map_or(not, |null| crate::span::Span::new(not.file, not.start as usize, null.end as usize))
            }),
            _ => word_span(cx, "PRIMARY", from),
        }
        .unwrap_or(cx.span);
        // When the migrations inserted rows, the simulator reports PostgreSQL's error here as well.
        let when = if table.has_rows {
            "fails here: the migrations put rows in"
        } else {
            "fails as soon as there is a row in"
        };
        out.push(
            Finding::new(format!(
                "adding {} as {keyword} without a DEFAULT {when} {} (`column \"{column}\" contains null values`), \
                 and breaks clients that insert without it",
                column_label(table, &column),
                relation_name(&table.name)
            ))
            .help("Give it a constant DEFAULT, or add it nullable, backfill it, then set it NOT NULL in a later migration.")
            .at(at),
        );
    }
}

/// `NOT NULL` or `PRIMARY KEY` when the column requires a value and nothing provides one.
fn required_without_default(column: &ColumnDef) -> Option<&'static str> {
    if let DataType::Custom(name, _) = &column.data_type
        && let [ty] = parts(name).as_slice()
        && ty.contains("serial")
    {
        return None;
    }
    let mut required = None;
    for option in &column.options {
        match &option.option {
            ColumnOption::Default(_) | ColumnOption::Generated { .. } | ColumnOption::Identity(_) => return None,
            ColumnOption::NotNull => required = Some("NOT NULL"),
            ColumnOption::PrimaryKey(_) => required = required.or(Some("PRIMARY KEY")),
            _ => {}
        }
    }
    required
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::findings;

    #[test]
    fn forms_that_provide_a_value_are_fine() {
        for sql in [
            "ALTER TABLE users ADD COLUMN n bigserial NOT NULL;",
            "ALTER TABLE users ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY;",
            "ALTER TABLE users ADD COLUMN n bigint NOT NULL GENERATED ALWAYS AS (id * 2) STORED;",
            "ALTER TABLE users ADD COLUMN n text;",
        ] {
            assert!(findings(&RULE, sql).is_empty(), "{sql}");
        }
    }

    #[test]
    fn primary_key_implies_not_null() {
        let sql = "ALTER TABLE users DROP CONSTRAINT users_pkey;\nALTER TABLE users ADD COLUMN uid uuid PRIMARY KEY;";
        assert_eq!(findings(&RULE, sql).len(), 1);
    }

    #[test]
    fn new_tables_are_fine() {
        let sql = "CREATE TABLE t (id bigint);\nALTER TABLE t ADD COLUMN a text NOT NULL;";
        assert!(findings(&RULE, sql).is_empty());
    }

    #[test]
    fn rows_inserted_by_the_migrations_are_named() {
        let sql = "INSERT INTO users VALUES (1, 'a@example.com');\nALTER TABLE users ADD COLUMN tz text NOT NULL;";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("fails here"), "{}", found[0].message);
    }
}
