//! `ADD UNIQUE` on a table in use builds its index under an ACCESS EXCLUSIVE lock.

use sqlparser::ast::{AlterTableOperation, ColumnOption, TableConstraint};

use super::table_ops::{adoptable_index, alter_ops, find_word, key_columns, word_span};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::{quote_ident, relation_name};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "disallowed-unique-constraint",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "ADD UNIQUE on an existing table builds the index under an ACCESS EXCLUSIVE lock",
    why: "ALTER TABLE … ADD UNIQUE (or ADD COLUMN … UNIQUE) builds a unique index over the whole table while it \
          holds an ACCESS EXCLUSIVE lock: every read and write waits until the build ends. Build the index with \
          CREATE UNIQUE INDEX CONCURRENTLY, which lets traffic go on, then turn it into a constraint with \
          `ADD CONSTRAINT … UNIQUE USING INDEX`, which takes the lock only for a moment. When such an index \
          already exists in the schema, the finding offers that statement. Tables created earlier in the same \
          file are empty and are not reported.",
    setup: "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);",
    bad: "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);",
    good: "-- file: 002_users_email_index.sql\n\
           -- no-transaction\n\
           CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);\n\
           -- file: 003_users_email_unique.sql\n\
           ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;\n",
    fix: "Create the index with CREATE UNIQUE INDEX CONCURRENTLY in a migration that runs outside a transaction, \
          then `ALTER TABLE … ADD CONSTRAINT name UNIQUE USING INDEX index_name` (or keep just the unique index: \
          it enforces uniqueness as well).",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some((name, ops)) = alter_ops(cx.parsed) else { return };
    let Some(table) = cx.existing_table(&name) else { return };
    let single = ops.len() == 1;
    let table_name = relation_name(&table.name);
    for op in ops {
        let (columns, constraint_name, at) = match op {
            AlterTableOperation::AddConstraint { constraint: TableConstraint::Unique(u), .. } => {
                let at = word_span(cx, "UNIQUE", 0).unwrap_or(cx.span);
                (key_columns(&u.columns), u.name.as_ref().map(crate::catalog::names::fold), at)
            }
            AlterTableOperation::AddColumn { column_def, .. }
                if column_def.options.iter().any(|o| matches!(o.option, ColumnOption::Unique(_))) =>
            {
                let from = find_word(cx.text, &column_def.name.value, 0).unwrap_or(0);
                (None, None, word_span(cx, "UNIQUE", from).unwrap_or(cx.span))
            }
            _ => continue,
        };
        let mut finding = Finding::new(format!(
            "adding a UNIQUE constraint to {table_name} builds its index under an ACCESS EXCLUSIVE lock: reads and \
             writes on {table_name} wait until the whole index is built"
        ))
        .at(at);
        match columns.as_deref().and_then(|c| adoptable_index(cx.before, table, c)) {
            Some(index) => {
                let index_name = quote_ident(&index.name.name);
                finding = finding.help(format!(
                    "Unique index {index_name} already covers these columns: attach it with ADD CONSTRAINT … UNIQUE USING INDEX."
                ));
                if single {
                    let constraint =
                        constraint_name.map(|n| format!("CONSTRAINT {} ", quote_ident(&n))).unwrap_or_default();
                    finding = finding.fix(
                        "Attach the existing unique index",
                        cx.span,
                        format!("ALTER TABLE {table_name} ADD {constraint}UNIQUE USING INDEX {index_name}"),
                    );
                }
            }
            None => {
                finding = finding.help(
                    "Build the index with CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT … UNIQUE USING INDEX.",
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
    fn an_existing_index_is_attached_by_the_fix() {
        let sql = "-- file: 002_index.sql\n-- no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY users_email_idx ON users (email);\n\
                   -- file: 003_unique.sql\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);\n";
        let found = findings(&RULE, sql);
        let fix = found.first().and_then(|f| f.fix.as_ref()).map(|f| f.replacement.as_str());
        assert_eq!(fix, Some("ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx"));
    }

    #[test]
    fn a_new_unique_column_and_new_tables() {
        assert_eq!(findings(&RULE, "ALTER TABLE users ADD COLUMN handle text UNIQUE;").len(), 1);
        let sql = "CREATE TABLE t (a int);\nALTER TABLE t ADD UNIQUE (a);";
        assert!(findings(&RULE, sql).is_empty());
    }
}
