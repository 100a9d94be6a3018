//! A statement's significant tokens with their byte ranges, for readers that need more than the parsed
//! statement (the rules' spans, the statements sqlparser does not model). They come from sqlparser's
//! tokenizer, so comments, quoted identifiers and strings are told apart from keywords. The parser keeps
//! them for the statements whose every reading needs them ([`wanted`]), so they are not tokenized twice.

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

use crate::span::{LineCol, OffsetCursor};

/// A significant token (no whitespace, no comment) with its byte range in the text.
#[derive(Clone, Debug, PartialEq)]
pub struct Tok {
    pub kind: TokKind,
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TokKind {
    /// An unquoted word, in upper case.
    Word(String),
    /// A quoted identifier, as written between the quotes.
    Quoted(String),
    /// A string literal (single- or dollar-quoted).
    Str(String),
    Num(String),
    /// Punctuation and operators, as sqlparser prints them.
    Sym(std::borrow::Cow<'static, str>),
}

impl Tok {
    /// Whether this is the unquoted keyword `kw` (upper case).
    pub fn is(&self, kw: &str) -> bool {
        matches!(&self.kind, TokKind::Word(w) if w == kw)
    }

    pub fn is_sym(&self, sym: &str) -> bool {
        matches!(&self.kind, TokKind::Sym(s) if s == sym)
    }

    /// The identifier this token names, folded as PostgreSQL folds it (lower case unless quoted).
    pub fn ident(&self) -> Option<String> {
        match &self.kind {
            TokKind::Word(w) => Some(w.to_ascii_lowercase()),
            TokKind::Quoted(q) => Some(q.clone()),
            _ => None,
        }
    }
}

/// The significant tokens of `text`, with byte offsets into it; empty when it does not tokenize.
pub fn tokens(text: &str) -> Vec<Tok> {
    match Tokenizer::new(&PostgreSqlDialect {}, text).tokenize_with_location() {
        Ok(raw) => significant(&raw, text),
        Err(_) => Vec::new(),
    }
}

/// The significant tokens among `raw`, sqlparser's tokens of `text`.
pub fn significant(raw: &[TokenWithSpan], text: &str) -> Vec<Tok> {
    let mut cursor = OffsetCursor::new(text);
    let mut offset = |loc: sqlparser::tokenizer::Location| {
        cursor.offset(LineCol { line: loc.line as u32, column: loc.column as u32 })
    };
    raw.iter()
        .filter_map(|t| {
            let kind = match &t.token {
                Token::Whitespace(_) | Token::EOF => return None,
                Token::Word(w) if w.quote_style.is_some() => TokKind::Quoted(w.value.clone()),
                Token::Word(w) => TokKind::Word(w.value.to_ascii_uppercase()),
                Token::SingleQuotedString(s)
                | Token::EscapedStringLiteral(s)
                | Token::NationalStringLiteral(s)
                | Token::UnicodeStringLiteral(s) => TokKind::Str(s.clone()),
                Token::DollarQuotedString(s) => TokKind::Str(s.value.clone()),
                Token::Number(n, _) => TokKind::Num(n.clone()),
                other => TokKind::Sym(symbol(other)),
            };
            let start = offset(t.span.start);
            let end = offset(t.span.end).max(start);
            Some(Tok { kind, start, end })
        })
        .collect()
}

/// How sqlparser prints a punctuation or operator token; the common ones without formatting.
fn symbol(token: &Token) -> std::borrow::Cow<'static, str> {
    let common = match token {
        Token::Comma => ",",
        Token::LParen => "(",
        Token::RParen => ")",
        Token::Period => ".",
        Token::SemiColon => ";",
        Token::Eq => "=",
        Token::DoubleColon => "::",
        _ => return token.to_string().into(),
    };
    common.into()
}

/// Whether the parser keeps the tokens of a statement that starts with these (upper-case) words:
/// CREATE TABLE and ALTER TABLE, which the column-type and ALTER TABLE rules always read.
pub fn wanted(first: &[&str]) -> bool {
    match first {
        ["ALTER", "TABLE", ..] | ["CREATE", "TABLE", ..] => true,
        ["CREATE", kind, "TABLE", ..] => matches!(*kind, "UNLOGGED" | "TEMP" | "TEMPORARY"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::sql::{parse, split};

    #[test]
    fn common_symbols_read_as_sqlparser_prints_them() {
        use sqlparser::tokenizer::Token;
        let tokens = [
            Token::Comma,
            Token::LParen,
            Token::RParen,
            Token::Period,
            Token::SemiColon,
            Token::Eq,
            Token::DoubleColon,
        ];
        for t in tokens.iter().chain([&Token::Arrow, &Token::Plus]) {
            assert_eq!(super::symbol(t), t.to_string());
        }
    }

    /// Every `.sql` file of the example and of the corpus sets.
    fn sql_files() -> Vec<(std::path::PathBuf, std::sync::Arc<str>)> {
        let folders = crate::test_support::sample_folders();
        folders
            .into_iter()
            .flat_map(|(dir, files)| files.into_iter().map(move |f| (dir.join(&f.name), f.text)))
            .collect()
    }

    #[test]
    fn the_tokens_a_parse_keeps_are_those_of_the_text() {
        let mut kept = 0;
        for (path, text) in sql_files() {
            for piece in split::split(&text) {
                let Ok(parsed) = parse::parse(&text, piece.start, piece.end) else { continue };
                let Some(tokens) = &parsed.extras().tokens else { continue };
                kept += 1;
                assert_eq!(
                    **tokens,
                    super::tokens(&text[piece.start..piece.end]),
                    "{}:{}",
                    path.display(),
                    piece.start
                );
            }
        }
        assert!(kept > 100, "CREATE TABLE and ALTER TABLE statements keep their tokens ({kept})");
    }

    #[test]
    fn only_create_and_alter_table_keep_them() {
        for (sql, keeps) in [
            ("CREATE TABLE t (a int)", true),
            ("create unlogged table t (a int)", true),
            ("ALTER TABLE t ADD COLUMN b int", true),
            ("ALTER TABLE t ADD COLUMN b int, SET SCHEMA s", true),
            ("CREATE INDEX i ON t (a)", false),
            ("CREATE TABLE IF NOT EXISTS t (a int)", true),
            ("DROP TABLE t", false),
        ] {
            let parsed = parse::parse(sql, 0, sql.len()).unwrap();
            assert_eq!(parsed.extras().tokens.is_some(), keeps, "{sql}");
        }
    }
}
