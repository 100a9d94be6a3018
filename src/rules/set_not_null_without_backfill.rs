//! `SET NOT NULL` on a column that was added without a default and never backfilled.

use sqlparser::ast::{AlterColumnOperation, AlterTableOperation, ColumnOption, ObjectName, Statement};
use sqlparser::tokenizer::Token;

use super::prefer_robust_stmts::Toks;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::{self, quote_ident, relation_name};
use crate::diagnostic::Severity;
use crate::span::{LineIndex, Span};
use crate::sql::alter_table::AlterPart;
use crate::sql::parse::{self, Parsed};

pub const RULE: Rule = Rule {
    id: "set-not-null-without-backfill",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Convention,
    summary: "SET NOT NULL on a column that was added without a default and that no UPDATE has filled",
    why: "A column added with ALTER TABLE … ADD COLUMN and no DEFAULT is NULL in every row the table already \
          had. Making it NOT NULL later fails on the first of those rows (\"column … contains null values\") \
          unless the rows were filled in between, which is why the SOP's pattern is ADD COLUMN, then UPDATE \
          (the backfill), then SET NOT NULL. The rule follows the column back to the statement that added it — \
          in this migration or an earlier one, under any later name — and looks for an UPDATE of that table \
          that sets the column (or a DO block that does) between the two. Columns of tables created in the \
          same file, columns added with a DEFAULT, identity, serial and generated columns are filled by \
          PostgreSQL and are not reported.",
    setup: "CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY, first_name text, last_name text);",
    bad: "ALTER TABLE users ADD COLUMN IF NOT EXISTS full_name text;\n\
          ALTER TABLE users ALTER COLUMN full_name SET NOT NULL;\n",
    good: "ALTER TABLE users ADD COLUMN IF NOT EXISTS full_name text;\n\
           UPDATE users SET full_name = first_name || ' ' || last_name WHERE full_name IS NULL;\n\
           ALTER TABLE users ALTER COLUMN full_name SET NOT NULL;\n",
    fix: "Backfill the column between ADD COLUMN and SET NOT NULL (`UPDATE table SET column = … WHERE column IS \
          NULL`), or add the column with a DEFAULT that existing rows take.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    if !cx.applied {
        return;
    }
    for (table_name, column) in set_not_null(cx.parsed) {
        let Some(table) = cx.table_before(&table_name) else { continue };
        if cx.created_in_file(table) {
            continue;
        }
        let Some(col) = table.column(&column) else { continue };
        if col.not_null || col.identity.is_some() || col.generated.is_some() {
            continue;
        }
        let created = col.origin.created;
        let Some(file) = cx.files.get(created.file as usize) else { continue };
        let Some(added_as) = added_without_default(&file.text, created, &col.name) else { continue };
        // The statements after the one that added the column, up to this one.
        let Some(pos) = cx.history.iter().position(|s| s.span == created) else { continue };
        let names_now = [table.name.name.as_str()];
        let backfilled = cx.history[pos + 1..]
            .iter()
            .filter(|s| s.applied)
            .any(|s| [col.name.as_str(), added_as.as_str()].iter().any(|c| updates(cx.text_of(s.span), &names_now, c)));
        if backfilled {
            continue;
        }
        let at = LineIndex::new(&file.text).line_col(&file.text, created.start as usize);
        let where_ = if created.file == cx.span.file {
            format!("earlier in this migration (line {})", at.line)
        } else {
            format!("by {}:{}", file.name, at.line)
        };
        let shown = relation_name(&table.name);
        out.push(
            Finding::new(format!(
                "ALTER TABLE {shown} ALTER COLUMN {} SET NOT NULL fails on the rows {shown} already had: the column was added without a default {where_} and no UPDATE of {shown} sets it since, so PostgreSQL stops with \"column \\\"{}\\\" of relation \\\"{}\\\" contains null values\"",
                quote_ident(&col.name),
                col.name,
                table.name.name
            ))
            .help(format!(
                "Backfill it first: UPDATE {shown} SET {} = … WHERE {} IS NULL;",
                quote_ident(&col.name),
                quote_ident(&col.name)
            ))
            .at(cx.find("SET NOT NULL")),
        );
    }
}

/// `(table, column)` for every `ALTER COLUMN c SET NOT NULL` of the statement.
fn set_not_null(parsed: &Parsed) -> Vec<(ObjectName, String)> {
    let mut out = Vec::new();
    let mut take = |s: &Statement| {
        if let Statement::AlterTable(at) = s {
            for op in &at.operations {
                if let AlterTableOperation::AlterColumn { column_name, op: AlterColumnOperation::SetNotNull } = op {
                    out.push((at.name.clone(), names::fold(column_name)));
                }
            }
        }
    };
    match parsed {
        Parsed::Statement(s, _) => take(s),
        Parsed::AlterTableParts { parts, .. } => {
            for p in parts {
                if let AlterPart::Parsed(s) = p {
                    take(s);
                }
            }
        }
        _ => {}
    }
    out
}

/// When the statement at `span` is an ALTER TABLE … ADD COLUMN that added the column without a value for
/// existing rows (no DEFAULT, not serial), the name it added it under. The column may have been renamed
/// since: when the statement adds one column only, that is the one.
fn added_without_default(text: &str, span: Span, name: &str) -> Option<String> {
    let parsed = parse::parse(text, span.start as usize, span.end as usize).ok()?;
    let mut adds = Vec::new();
    let mut take = |s: &Statement| {
        if let Statement::AlterTable(at) = s {
            for op in &at.operations {
                if let AlterTableOperation::AddColumn { column_def, .. } = op {
                    adds.push(column_def.clone());
                }
            }
        }
    };
    match &parsed {
        Parsed::Statement(s, _) => take(s),
        Parsed::AlterTableParts { parts, .. } => {
            for p in parts {
                if let AlterPart::Parsed(s) = p {
                    take(s);
                }
            }
        }
        // CREATE TABLE makes an empty table; a DO block is not read.
        _ => return None,
    }
    let def = match adds.iter().find(|d| names::fold(&d.name) == name) {
        Some(d) => d,
        None if adds.len() == 1 => &adds[0],
        None => return None,
    };
    let fills = def.options.iter().any(|o| {
        matches!(o.option, ColumnOption::Default(_) | ColumnOption::Generated { .. } | ColumnOption::Identity(_))
    });
    let serial = def.data_type.to_string().to_ascii_lowercase().contains("serial");
    (!fills && !serial).then(|| names::fold(&def.name))
}

/// Whether `text` (a statement, or a DO block) updates one of `tables` and mentions `column` after it.
fn updates(text: &str, tables: &[&str], column: &str) -> bool {
    // Most statements do not say UPDATE, or name the column, at all: no need to read their tokens. A name
    // written with Unicode escapes (`U&"…"`) or doubled quotes is not in the text as it is.
    let said = |word: &str| crate::text::contains_ignore_ascii_case(text, word);
    if !said("update") || !(said(column) || said("u&") || column.contains('"')) {
        return false;
    }
    let mut toks: Vec<Token> = Vec::new();
    flatten(text, &mut toks, 0);
    let is =
        |t: &Token, w: &str| matches!(t, Token::Word(x) if x.quote_style.is_none() && x.value.eq_ignore_ascii_case(w));
    let ident = |t: &Token| match t {
        Token::Word(w) if w.quote_style.is_some() => Some(w.value.clone()),
        Token::Word(w) => Some(names::truncate(w.value.to_ascii_lowercase())),
        _ => None,
    };
    for (i, t) in toks.iter().enumerate() {
        if !is(t, "UPDATE") {
            continue;
        }
        let mut j = i + 1;
        if toks.get(j).is_some_and(|t| is(t, "ONLY")) {
            j += 1;
        }
        // [schema .] table
        let mut name = toks.get(j).and_then(ident);
        if matches!(toks.get(j + 1), Some(Token::Period)) {
            name = toks.get(j + 2).and_then(ident);
            j += 2;
        }
        let Some(name) = name else { continue };
        if !tables.contains(&name.as_str()) {
            continue;
        }
        let rest = toks[j + 1..].iter().take_while(|t| !matches!(t, Token::SemiColon));
        if rest.filter_map(ident).any(|w| w == column) {
            return true;
        }
    }
    false
}

/// The tokens of `text`, with the contents of dollar-quoted strings (DO and function bodies) in place.
fn flatten(text: &str, out: &mut Vec<Token>, depth: usize) {
    for t in Toks::new(text).0 {
        match t.token {
            Token::DollarQuotedString(s) if depth < 3 => flatten(&s.value, out, depth + 1),
            other => out.push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(sql: &str) -> Vec<String> {
        super::super::tests::findings(&RULE, sql).into_iter().map(|d| String::from(d.message)).collect()
    }

    #[test]
    fn the_message_says_where_the_column_came_from() {
        let got = found(RULE.bad);
        assert!(got[0].contains("earlier in this migration (line 1)"), "{got:?}");
        let got = found(
            "ALTER TABLE users ADD COLUMN IF NOT EXISTS full_name text;\n-- file: 003_not_null.sql\nALTER TABLE users ALTER COLUMN full_name SET NOT NULL;",
        );
        assert!(got[0].contains("by 002_example.sql:1"), "{got:?}");
    }

    #[test]
    fn defaults_and_new_tables_need_no_backfill() {
        assert!(
            found(
                "ALTER TABLE users ADD COLUMN tz text DEFAULT 'UTC';\nALTER TABLE users ALTER COLUMN tz SET NOT NULL;"
            )
            .is_empty()
        );
        assert!(found("CREATE TABLE IF NOT EXISTS t (a int);\nALTER TABLE t ADD COLUMN b int;\nALTER TABLE t ALTER COLUMN b SET NOT NULL;").is_empty());
        assert!(found("ALTER TABLE users ALTER COLUMN first_name SET NOT NULL;").is_empty(), "created by CREATE TABLE");
    }

    #[test]
    fn backfills_count_when_they_set_the_column() {
        let add = "ALTER TABLE users ADD COLUMN IF NOT EXISTS full_name text;\n";
        let not_null = "ALTER TABLE users ALTER COLUMN full_name SET NOT NULL;";
        assert_eq!(found(&format!("{add}UPDATE users SET first_name = 'x';\n{not_null}")).len(), 1);
        assert!(found(&format!("{add}UPDATE ONLY public.users SET full_name = 'x';\n{not_null}")).is_empty());
        let block = "DO $$ BEGIN UPDATE users SET full_name = first_name; END $$;\n";
        assert!(found(&format!("{add}{block}{not_null}")).is_empty());
    }

    #[test]
    fn renamed_columns_are_followed() {
        let sql = "ALTER TABLE users ADD COLUMN IF NOT EXISTS fullname text;\nALTER TABLE users RENAME COLUMN fullname TO full_name;\nALTER TABLE users ALTER COLUMN full_name SET NOT NULL;";
        assert_eq!(found(sql).len(), 1);
    }
}
