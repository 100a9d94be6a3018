//! A small SQL tokenizer for the editor's highlighting, and the split of a text into pieces that
//! carry a token class and a diagnostic mark. One forward pass over bytes; never panics; every
//! range it returns lies on `char` boundaries of the input.

/// What a highlighted token is. Plain words, punctuation and whitespace are not tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Keyword,
    /// `'…'`, `E'…'`, `$tag$…$tag$`.
    String,
    /// `"…"`.
    QuotedIdent,
    Number,
    /// `-- …` and `/* … */` (nested).
    Comment,
    /// A psql meta-command line (`\i file`).
    Meta,
}

impl Kind {
    pub fn class(self) -> &'static str {
        match self {
            Kind::Keyword => "tok-kw",
            Kind::String => "tok-str",
            Kind::QuotedIdent => "tok-qid",
            Kind::Number => "tok-num",
            Kind::Comment => "tok-com",
            Kind::Meta => "tok-meta",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// Upper-case SQL keywords that get the keyword colour (sorted, for binary search).
const KEYWORDS: &[&str] = &[
    "ACTION",
    "ADD",
    "AFTER",
    "ALL",
    "ALTER",
    "ALWAYS",
    "AND",
    "ANY",
    "ARRAY",
    "AS",
    "ASC",
    "BEFORE",
    "BEGIN",
    "BETWEEN",
    "BIGINT",
    "BIGSERIAL",
    "BOOLEAN",
    "BY",
    "CASCADE",
    "CASE",
    "CAST",
    "CHAR",
    "CHARACTER",
    "CHECK",
    "COLLATE",
    "COLUMN",
    "COMMENT",
    "COMMIT",
    "CONCURRENTLY",
    "CONFLICT",
    "CONSTRAINT",
    "COPY",
    "CREATE",
    "CURRENT_DATE",
    "CURRENT_TIMESTAMP",
    "DATE",
    "DEFAULT",
    "DEFERRABLE",
    "DEFERRED",
    "DELETE",
    "DESC",
    "DISTINCT",
    "DO",
    "DOMAIN",
    "DOUBLE",
    "DROP",
    "EACH",
    "ELSE",
    "END",
    "ENUM",
    "EXCEPTION",
    "EXCLUDE",
    "EXECUTE",
    "EXISTS",
    "EXTENSION",
    "FALSE",
    "FIRST",
    "FOR",
    "FOREIGN",
    "FROM",
    "FULL",
    "FUNCTION",
    "GENERATED",
    "GRANT",
    "GROUP",
    "HAVING",
    "IDENTITY",
    "IF",
    "IMMEDIATE",
    "IN",
    "INCLUDE",
    "INDEX",
    "INITIALLY",
    "INNER",
    "INSERT",
    "INT",
    "INTEGER",
    "INTERVAL",
    "INTO",
    "IS",
    "JOIN",
    "JSON",
    "JSONB",
    "KEY",
    "LANGUAGE",
    "LAST",
    "LEFT",
    "LIKE",
    "LIMIT",
    "MATCH",
    "MATERIALIZED",
    "NOT",
    "NOTHING",
    "NULL",
    "NULLS",
    "NUMERIC",
    "OF",
    "OFFSET",
    "ON",
    "ONLY",
    "OR",
    "ORDER",
    "OWNED",
    "PARTITION",
    "PRECISION",
    "PRIMARY",
    "PROCEDURE",
    "REAL",
    "REFERENCES",
    "RENAME",
    "REPLACE",
    "RESTRICT",
    "RETURN",
    "RETURNING",
    "RETURNS",
    "REVOKE",
    "ROLLBACK",
    "ROW",
    "SCHEMA",
    "SELECT",
    "SEQUENCE",
    "SERIAL",
    "SET",
    "SMALLINT",
    "STORED",
    "TABLE",
    "TEXT",
    "THEN",
    "TIME",
    "TIMESTAMP",
    "TIMESTAMPTZ",
    "TO",
    "TRIGGER",
    "TRUE",
    "TYPE",
    "UNIQUE",
    "UNLOGGED",
    "UPDATE",
    "USING",
    "UUID",
    "VALID",
    "VALIDATE",
    "VALUES",
    "VARCHAR",
    "VARYING",
    "VIEW",
    "WHEN",
    "WHERE",
    "WITH",
    "WITHOUT",
    "ZONE",
];

fn is_keyword(word: &str) -> bool {
    if word.len() > 20 || !word.is_ascii() {
        return false;
    }
    let upper = word.to_ascii_uppercase();
    KEYWORDS.binary_search(&upper.as_str()).is_ok()
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_ident_char(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit() || b == b'$'
}

/// The highlighted tokens of `text`, in order, not overlapping.
pub fn tokens(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line_start = true;
    while i < n {
        let b = bytes[i];
        let start = i;
        if b == b'\n' {
            line_start = true;
            i += 1;
            continue;
        }
        if b == b' ' || b == b'\t' || b == b'\r' {
            i += 1;
            continue;
        }
        let at_line_start = line_start;
        line_start = false;
        let kind = match b {
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = find_byte(bytes, i, b'\n');
                Kind::Comment
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = block_comment_end(bytes, i);
                Kind::Comment
            }
            b'\\' if at_line_start => {
                i = find_byte(bytes, i, b'\n');
                Kind::Meta
            }
            b'\'' => {
                i = quoted_end(bytes, i + 1, b'\'', false);
                Kind::String
            }
            b'"' => {
                i = quoted_end(bytes, i + 1, b'"', false);
                Kind::QuotedIdent
            }
            b'e' | b'E' if bytes.get(i + 1) == Some(&b'\'') => {
                i = quoted_end(bytes, i + 2, b'\'', true);
                Kind::String
            }
            b'$' => match dollar_tag(bytes, i) {
                Some(tag_end) => {
                    let tag = &bytes[i..tag_end];
                    i = find_seq(bytes, tag_end, tag).map_or(n, |p| p + tag.len());
                    Kind::String
                }
                None => {
                    i += 1;
                    // `$1` parameters: plain.
                    while i < n && bytes[i].is_ascii_digit() {
                        i += 1;
                    }
                    continue;
                }
            },
            b'0'..=b'9' => {
                i = number_end(bytes, i);
                Kind::Number
            }
            b'.' if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                i = number_end(bytes, i);
                Kind::Number
            }
            _ if is_ident_start(b) => {
                while i < n && is_ident_char(bytes[i]) {
                    i += 1;
                }
                // Stop inside a multi-byte character only at its boundary.
                while i < n && !text.is_char_boundary(i) {
                    i += 1;
                }
                if !is_keyword(&text[start..i]) {
                    continue;
                }
                Kind::Keyword
            }
            _ => {
                i += 1;
                while i < n && !text.is_char_boundary(i) {
                    i += 1;
                }
                continue;
            }
        };
        let end = i.min(n);
        out.push(Token { start, end, kind });
        i = end;
    }
    out
}

/// Index of the first `b` at or after `from`, or the end.
fn find_byte(bytes: &[u8], from: usize, b: u8) -> usize {
    bytes[from..].iter().position(|&c| c == b).map_or(bytes.len(), |p| from + p)
}

fn find_seq(bytes: &[u8], from: usize, seq: &[u8]) -> Option<usize> {
    if seq.is_empty() || from > bytes.len() {
        return None;
    }
    bytes[from..].windows(seq.len()).position(|w| w == seq).map(|p| from + p)
}

fn block_comment_end(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while i + 1 < bytes.len() {
        if bytes[i] == b'/' && bytes[i + 1] == b'*' {
            depth += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes[i + 1] == b'/' {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// End (exclusive) of a quoted run that started before `from`; a doubled quote is an escaped one,
/// and with `backslash` a backslash escapes the next byte.
fn quoted_end(bytes: &[u8], from: usize, quote: u8, backslash: bool) -> usize {
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        if backslash && b == b'\\' {
            i += 2;
            continue;
        }
        if b == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

/// `$tag$` or `$$` starting at `start`: the end of the opening tag.
fn dollar_tag(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    if bytes.get(i).is_some_and(|b| b.is_ascii_digit()) {
        return None;
    }
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] >= 0x80) {
        i += 1;
    }
    (bytes.get(i) == Some(&b'$')).then_some(i + 1)
}

fn number_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    let digits = |i: &mut usize| {
        while *i < bytes.len() && (bytes[*i].is_ascii_digit() || bytes[*i] == b'_') {
            *i += 1;
        }
    };
    digits(&mut i);
    if bytes.get(i) == Some(&b'.') && bytes.get(i + 1) != Some(&b'.') {
        i += 1;
        digits(&mut i);
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(bytes.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if bytes.get(j).is_some_and(u8::is_ascii_digit) {
            i = j;
            digits(&mut i);
        }
    }
    i
}

/// A diagnostic underline: a byte range of the current text and an index into the caller's list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    pub start: usize,
    pub end: usize,
    /// Higher wins where marks overlap (the severity).
    pub rank: u8,
    pub id: usize,
}

/// A run of text with one token class and at most one mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Piece {
    pub start: usize,
    pub end: usize,
    pub kind: Option<Kind>,
    pub mark: Option<usize>,
}

/// Splits `text` into pieces at token and mark boundaries. The pieces cover the text exactly.
/// Marks are clamped to the text and to `char` boundaries; an empty mark is widened to one
/// character (or, at the end of the text, left out).
pub fn pieces(text: &str, tokens: &[Token], marks: &[Mark]) -> Vec<Piece> {
    let n = text.len();
    let floor = |mut i: usize| {
        i = i.min(n);
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let marks: Vec<Mark> = marks
        .iter()
        .filter_map(|m| {
            let start = floor(m.start);
            let mut end = floor(m.end.max(m.start));
            if end <= start {
                let next = text[start..].chars().next()?;
                end = start + next.len_utf8();
                // Never underline just a line break: widen to the left instead when possible.
                if next == '\n' {
                    return None;
                }
            }
            Some(Mark { start, end, ..*m })
        })
        .collect();
    let mut cuts: Vec<usize> = vec![0, n];
    for t in tokens {
        cuts.push(t.start.min(n));
        cuts.push(t.end.min(n));
    }
    for m in &marks {
        cuts.push(m.start);
        cuts.push(m.end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::with_capacity(cuts.len());
    let mut t = 0;
    for w in cuts.windows(2) {
        let (start, end) = (w[0], w[1]);
        if start >= end {
            continue;
        }
        while t < tokens.len() && tokens[t].end <= start {
            t += 1;
        }
        let kind = tokens.get(t).filter(|tok| tok.start <= start && end <= tok.end).map(|tok| tok.kind);
        let mark = marks.iter().filter(|m| m.start <= start && end <= m.end).max_by_key(|m| m.rank).map(|m| m.id);
        out.push(Piece { start, end, kind, mark });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(input: &str, expect: &[(&str, Kind)]) {
        let got: Vec<(&str, Kind)> = tokens(input).iter().map(|t| (&input[t.start..t.end], t.kind)).collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn keywords_strings_numbers_comments() {
        check(
            "CREATE TABLE t (n int DEFAULT 42, s text DEFAULT 'it''s'); -- done",
            &[
                ("CREATE", Kind::Keyword),
                ("TABLE", Kind::Keyword),
                ("int", Kind::Keyword),
                ("DEFAULT", Kind::Keyword),
                ("42", Kind::Number),
                ("text", Kind::Keyword),
                ("DEFAULT", Kind::Keyword),
                ("'it''s'", Kind::String),
                ("-- done", Kind::Comment),
            ],
        );
    }

    #[test]
    fn dollar_quotes_nested_comments_and_escapes() {
        check(
            "AS $fn$ SELECT 'x' $fn$ /* a /* b */ c */ E'\\'' \"Order\" 1.5e3 $1",
            &[
                ("AS", Kind::Keyword),
                ("$fn$ SELECT 'x' $fn$", Kind::String),
                ("/* a /* b */ c */", Kind::Comment),
                ("E'\\''", Kind::String),
                ("\"Order\"", Kind::QuotedIdent),
                ("1.5e3", Kind::Number),
            ],
        );
    }

    #[test]
    fn unterminated_runs_to_the_end_and_meta_commands() {
        check(
            "\\i other.sql\nSELECT 'open",
            &[("\\i other.sql", Kind::Meta), ("SELECT", Kind::Keyword), ("'open", Kind::String)],
        );
        check("x1 é2 café", &[]);
    }

    #[test]
    fn pieces_cover_the_text_and_carry_marks() {
        let text = "SELECT 'é' FROM t;\nbad";
        let toks = tokens(text);
        let marks = [Mark { start: 20, end: 23, rank: 2, id: 7 }, Mark { start: 8, end: 8, rank: 1, id: 3 }];
        let ps = pieces(text, &toks, &marks);
        assert_eq!(ps.first().map(|p| p.start), Some(0));
        assert_eq!(ps.last().map(|p| p.end), Some(text.len()));
        for w in ps.windows(2) {
            assert_eq!(w[0].end, w[1].start);
        }
        let marked: Vec<(&str, usize)> = ps.iter().filter_map(|p| p.mark.map(|m| (&text[p.start..p.end], m))).collect();
        assert_eq!(marked, [("é", 3), ("bad", 7)]);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_stays_on_boundaries(s in "\\PC*", a in 0usize..64, b in 0usize..64) {
            let toks = tokens(&s);
            for t in &toks {
                proptest::prop_assert!(t.start < t.end && t.end <= s.len());
                proptest::prop_assert!(s.is_char_boundary(t.start) && s.is_char_boundary(t.end));
            }
            let ps = pieces(&s, &toks, &[Mark { start: a, end: b, rank: 1, id: 0 }]);
            let joined: String = ps.iter().map(|p| &s[p.start..p.end]).collect();
            proptest::prop_assert_eq!(joined, s);
        }
    }
}
