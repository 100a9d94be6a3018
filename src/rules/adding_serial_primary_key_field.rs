//! A primary key added to a table in use builds its index under an ACCESS EXCLUSIVE lock.

use sqlparser::ast::{AlterTableOperation, ColumnOption, TableConstraint};

use super::table_ops::{adoptable_index, alter_ops, find_word, key_columns, word_span};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::{quote_ident, relation_name};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "adding-serial-primary-key-field",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "ADD PRIMARY KEY on an existing table builds the index under an ACCESS EXCLUSIVE lock",
    why: "ALTER TABLE … ADD PRIMARY KEY (or ADD COLUMN … PRIMARY KEY) builds a unique index over the whole table \
          while it holds an ACCESS EXCLUSIVE lock, so reads and writes wait for the whole build; when a key column \
          is nullable it also scans the table to set it NOT NULL. Build the unique index first with CREATE UNIQUE \
          INDEX CONCURRENTLY, which lets traffic go on, then attach it with `ADD CONSTRAINT … PRIMARY KEY USING \
          INDEX`, which only takes the lock for a moment. When such an index already exists in the schema, the \
          finding names it. Tables created earlier in the same file are empty and are not reported.",
    setup: "CREATE TABLE events (id bigint NOT NULL, payload jsonb);",
    bad: "ALTER TABLE events ADD PRIMARY KEY (id);",
    good: "-- file: 002_events_id_index.sql\n\
           -- no-transaction\n\
           CREATE UNIQUE INDEX CONCURRENTLY events_pkey_idx ON events (id);\n\
           -- file: 003_events_primary_key.sql\n\
           ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey_idx;\n",
    fix: "Create the unique index with CREATE UNIQUE INDEX CONCURRENTLY in a migration that runs outside a \
          transaction, make sure the key columns are NOT NULL, then `ALTER TABLE … ADD CONSTRAINT name PRIMARY KEY \
          USING INDEX index_name`.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some((name, ops)) = alter_ops(cx.parsed) else { return };
    let Some(table) = cx.existing_table(&name) else { return };
    let single = ops.len() == 1;
    for op in ops {
        let (columns, constraint_name, new_column, at) = match op {
            AlterTableOperation::AddConstraint { constraint: TableConstraint::PrimaryKey(pk), .. } => {
                let at = word_span(cx, "PRIMARY", 0).unwrap_or(cx.span);
                (key_columns(&pk.columns), pk.name.as_ref().map(crate::catalog::names::fold), false, at)
            }
            AlterTableOperation::AddColumn { column_def, .. }
                if column_def.options.iter().any(|o| matches!(o.option, ColumnOption::PrimaryKey(_))) =>
            {
                let from = find_word(cx.text, &column_def.name.value, 0).unwrap_or(0);
                let at = word_span(cx, "PRIMARY", from).unwrap_or(cx.span);
                (Some(vec![crate::catalog::names::fold(&column_def.name)]), None, true, at)
            }
            _ => continue,
        };
        let table_name = relation_name(&table.name);
        let mut finding = Finding::new(format!(
            "adding a primary key to {table_name} builds its unique index under an ACCESS EXCLUSIVE lock: reads \
             and writes on {table_name} wait until the whole index is built"
        ))
        .at(at);
        let existing = columns.as_deref().filter(|_| !new_column).and_then(|c| adoptable_index(cx.before, table, c));
        match existing {
            Some(index) => {
                let constraint = constraint_name.unwrap_or_else(|| format!("{}_pkey", table.name.name));
                let replacement = format!(
                    "ALTER TABLE {table_name} ADD CONSTRAINT {} PRIMARY KEY USING INDEX {}",
                    quote_ident(&constraint),
                    quote_ident(&index.name.name)
                );
                finding = finding.help(format!(
                    "Unique index {} already covers these columns: attach it with ADD CONSTRAINT … PRIMARY KEY USING INDEX.",
                    quote_ident(&index.name.name)
                ));
                if single {
                    finding = finding.fix("Attach the existing unique index", cx.span, replacement);
                }
            }
            None if new_column => {
                finding = finding.help(
                    "Add the column without PRIMARY KEY, fill it, build a unique index CONCURRENTLY, then ADD CONSTRAINT … PRIMARY KEY USING INDEX.",
                );
            }
            None => {
                finding = finding.help(
                    "Build the index with CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT … PRIMARY KEY USING INDEX.",
                );
            }
        }
        out.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::findings;

    #[test]
    fn an_existing_unique_index_is_offered() {
        let sql = "-- file: 002_index.sql\n-- no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY events_id_idx ON events (id);\n\
                   -- file: 003_pk.sql\nALTER TABLE events ADD PRIMARY KEY (id);\n";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1);
        let fix = found[0].fix.as_ref().map(|f| f.replacement.as_str());
        assert_eq!(fix, Some("ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_id_idx"));
    }

    #[test]
    fn a_new_column_primary_key_is_reported() {
        assert_eq!(findings(&RULE, "ALTER TABLE events ADD COLUMN uid uuid PRIMARY KEY;").len(), 1);
    }

    #[test]
    fn new_tables_are_fine() {
        let sql = "CREATE TABLE t (id bigint NOT NULL);\nALTER TABLE t ADD PRIMARY KEY (id);";
        assert!(findings(&RULE, sql).is_empty());
    }
}
