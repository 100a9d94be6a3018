//! `ALTER TABLE … ADD COLUMN` on a table in use.

use sqlparser::ast::AlterTableOperation;

use super::sql_text::Action;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::{fold, quote_ident, relation_name};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-add-column",
    severity: Severity::Warning,
    default_on: false,
    family: Family::Squawk,
    summary: "ALTER TABLE … ADD COLUMN on a table in use changes the shape of its rows",
    why: "Clients written against the old table break in ways that do not show in review: `SELECT *` returns \
          one more column (positional readers and generated models choke on it), and `INSERT INTO t VALUES \
          (…)` without a column list or `INSERT INTO t SELECT * FROM …` no longer line up. The rule is for \
          projects whose clients cannot be changed in step with the schema. Tables created earlier in the \
          migration are not reported, nor is ADD COLUMN IF NOT EXISTS for a column the table already has.",
    setup: "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);",
    bad: "ALTER TABLE users ADD COLUMN display_name text;",
    good: "CREATE TABLE user_profiles (\n    user_id bigint PRIMARY KEY REFERENCES users,\n    display_name text\n);",
    fix: "Make sure every client names its columns (no SELECT *, no INSERT without a column list) before \
          adding the column, or keep the new data in a table of its own.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(at) = cx.alter_table() else { return };
    let Some(table) = cx.existing_table(&at.name) else { return };
    for (action, range) in &at.actions {
        let Action::Op(AlterTableOperation::AddColumn { column_def, if_not_exists, .. }) = action else { continue };
        let column = fold(&column_def.name);
        if *if_not_exists && table.column(&column).is_some() {
            continue;
        }
        out.push(
            Finding::new(format!(
                "ADD COLUMN {} changes the rows of {}: SELECT * returns one more column, and INSERTs without a column list stop lining up",
                quote_ident(&column),
                relation_name(&table.name)
            ))
            .help("Make every client name its columns first, or put the new data in a table of its own.")
            .at(at.span(cx, *range)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    #[test]
    fn new_tables_and_existing_columns() {
        assert!(findings(&RULE, "CREATE TABLE t (id bigint);\nALTER TABLE t ADD COLUMN x int;").is_empty());
        assert!(findings(&RULE, "ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;").is_empty());
        assert_eq!(findings(&RULE, "ALTER TABLE users ADD COLUMN a int, ADD COLUMN b int;").len(), 2);
    }
}
