//! The statements a `DO` block runs, as statement rules see them: each with its own text and span in the
//! file, and the catalog it runs on. The lock and rewrite rules judge them as they judge the same statement
//! outside a block: an `ALTER TABLE … ADD CONSTRAINT` guarded by `IF NOT EXISTS` locks the table all the same.

use sqlparser::ast::Statement;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use crate::catalog::Catalog;
use crate::span::Span;
use crate::sql::split::{PieceKind, split_range};

/// Rules that also judge the statements inside a `DO` block. The idempotency rules are left out (the
/// block's `IF` is the guard they ask for), and so are the timeout rules, which judge the block as a whole
/// through the lock analysis.
pub(super) const INSIDE_DO: &[&str] = &[
    "adding-field-with-default",
    "adding-foreign-key-constraint",
    "adding-not-nullable-field",
    "adding-required-field",
    "adding-serial-primary-key-field",
    "changing-column-type",
    "constraint-missing-not-valid",
    "disallowed-unique-constraint",
    "require-concurrent-index-creation",
];

/// One statement the block runs: the statement, where it is written in the file, and the catalog before it.
pub(super) struct Inner<'s> {
    pub stmt: &'s Statement,
    pub span: Span,
    pub before: &'s Catalog,
}

/// The statements the `DO` block at `span` (body at byte `offset` of `text`) runs (`steps`, from
/// [`crate::simulate::do_block::executed`]), in order, each found where the file writes it. Statements
/// that cannot be found in the text are left out.
pub(super) fn inner_statements<'s>(
    text: &str,
    span: Span,
    body: &str,
    offset: usize,
    steps: &'s [(Statement, Catalog)],
) -> Vec<Inner<'s>> {
    let pieces: Vec<(usize, usize)> = split_range(text, offset..offset + body.len())
        .into_iter()
        .filter(|p| p.kind == PieceKind::Statement)
        .map(|p| (p.start, p.end))
        .collect();
    let mut out = Vec::new();
    let mut next_piece = 0;
    for (stmt, catalog) in steps {
        let found = pieces.iter().enumerate().skip(next_piece).find_map(|(i, &(start, end))| {
            word_starts(text, start, end)
                .find(|&s| text.get(s..end).is_some_and(|sql| parses_as(sql, stmt)))
                .map(|s| (i, s, end))
        });
        if let Some((i, start, end)) = found {
            // A statement runs once per place it is written; a loop is not followed further.
            next_piece = i + 1;
            out.push(Inner { stmt, span: Span::new(span.file, start, end), before: catalog });
        }
    }
    out
}

/// Byte offsets in `text[start..end]` where a word that can begin a statement starts.
fn word_starts(text: &str, start: usize, end: usize) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    (start..end).filter(move |&i| {
        let starts_word = bytes.get(i).is_some_and(u8::is_ascii_alphabetic)
            && (i == 0 || bytes.get(i - 1).is_some_and(|b| !(b.is_ascii_alphanumeric() || *b == b'_' || *b == b'$')));
        starts_word && {
            let word: String = text[i..end].chars().take_while(|c| c.is_ascii_alphabetic()).collect();
            matches!(word.to_ascii_uppercase().as_str(), "ALTER" | "CREATE" | "DROP" | "COMMENT")
        }
    })
}

fn parses_as(sql: &str, stmt: &Statement) -> bool {
    let dialect = PostgreSqlDialect {};
    let Ok(mut parser) = Parser::new(&dialect).with_recursion_limit(64).try_with_sql(sql) else { return false };
    parser.parse_statement().is_ok_and(|s| &s == stmt)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::parse::{Parsed, parse};

    #[test]
    fn finds_the_statements_the_block_runs() {
        let text = "DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'c') THEN\n    \
                    ALTER TABLE t ADD CONSTRAINT c CHECK (x > 0);\n  END IF;\nEND $$;\n";
        let Ok(Parsed::Do { body, offset, read }) = parse(text, 0, text.len() - 2) else { panic!("a DO block") };
        let before = {
            let mut c = Catalog::new();
            let stmt = "CREATE TABLE t (x int)";
            let Ok(Parsed::Statement(s, extras)) = parse(stmt, 0, stmt.len()) else { panic!() };
            let mut ctx = crate::simulate::Ctx::new(Span::default(), &extras, true);
            crate::simulate::statement(&mut c, &s, &mut ctx).expect("the table is created");
            c
        };
        let steps = crate::simulate::do_block::executed(&before, &body, &read).expect("the block is interpreted");
        let found = inner_statements(text, Span::new(0, 0, text.len()), &body, offset, &steps);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].span.range()], "ALTER TABLE t ADD CONSTRAINT c CHECK (x > 0)");
        assert!(found[0].before.table(&crate::catalog::QualName::public("t")).is_some());
    }

    #[test]
    fn lock_rules_see_inside_the_block_and_idempotency_rules_do_not() {
        let setup = "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);\n";
        let guarded = "SET lock_timeout = '1s';\nSET statement_timeout = '5s';\n\
                       DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'orders_total_check') THEN\n    \
                       ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);\n  END IF;\nEND $$;\n";
        let files = crate::rules::tests::example_files(setup, guarded);
        let analysis = crate::analysis::analyze(files, &crate::analysis::Options::default());
        let found: Vec<(&str, usize)> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.span.file == 1 && d.severity != crate::diagnostic::Severity::Info)
            .map(|d| (d.rule, analysis.files[1].text[..d.span.start as usize].matches('\n').count() + 1))
            .collect();
        assert_eq!(found, vec![("constraint-missing-not-valid", 6)], "{:?}", analysis.diagnostics);
        // The same block whose condition is false runs nothing: nothing to report.
        let second = format!("{guarded}-- file: 003_again.sql\n{guarded}");
        let files = crate::rules::tests::example_files(setup, &second);
        let analysis = crate::analysis::analyze(files, &crate::analysis::Options::default());
        let second_run: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.span.file == 2 && d.severity != crate::diagnostic::Severity::Info)
            .collect();
        assert!(second_run.is_empty(), "{second_run:?}");
    }
}
