//! Splits a PostgreSQL migration file into statements by looking at its text only, so that one bad
//! statement never hides the rest. A single forward pass over the bytes understands quotes, dollar
//! quotes, comments, `BEGIN ATOMIC` bodies, psql meta-commands and `COPY ... FROM stdin` data, and
//! reports a quote or comment that is never closed. It allocates only the result and never panics.

use std::ops::Range;

/// One piece of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    pub kind: PieceKind,
    /// Byte range of the statement text: from its first character that is not whitespace or comment, to the end of its last token, EXCLUDING the terminating `;` and trailing whitespace/comments.
    pub start: usize,
    pub end: usize,
    /// Byte offset of the terminating `;` if there is one.
    pub semicolon: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PieceKind {
    /// An SQL statement (to be parsed).
    Statement,
    /// A psql meta-command line such as `\i file`, `\set x 1`, `\d t`, `\connect db`: a backslash at statement start, running to the end of the line (range covers the whole command without the newline).
    MetaCommand,
    /// The data block that follows `COPY ... FROM stdin;` up to and including the `\.` line (or to EOF).
    CopyData,
    /// A statement whose quote, dollar quote, quoted identifier or block comment is never closed. The range runs to the end of the file; `opened_at` is the byte offset of the opening `'`, `$tag$`, `"` or `/*`, and `what` is one of "string literal", "dollar-quoted string", "quoted identifier", "block comment".
    Unterminated { opened_at: usize, what: &'static str },
}

const STRING_LITERAL: &str = "string literal";
const DOLLAR_QUOTED: &str = "dollar-quoted string";
const QUOTED_IDENTIFIER: &str = "quoted identifier";
const BLOCK_COMMENT: &str = "block comment";

/// Splits `text` (one whole file, or a byte range of it — see [`split_range`]) into pieces, in order.
pub fn split(text: &str) -> Vec<Piece> {
    split_range(text, 0..text.len())
}

/// Same, but only looks at `text[range]`; returned offsets are still absolute offsets into `text`.
///
/// A range that runs past the end of `text` is cut there, and one whose ends fall inside a character is
/// narrowed to the characters it fully covers.
pub fn split_range(text: &str, range: Range<usize>) -> Vec<Piece> {
    let (start, end) = char_range(text, range);
    let Some(all) = text.as_bytes().get(..end) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut pos = start;
    // After `COPY ... FROM stdin;` the rest of that line is split on its own (psql runs it after the
    // copy); the data starts on the next line. This is the offset of the newline ending that line.
    let mut copy_line_end: Option<usize> = None;
    loop {
        let view = match copy_line_end {
            Some(line_end) => all.get(..line_end).unwrap_or(all),
            None => all,
        };
        if pos >= view.len() {
            let Some(line_end) = copy_line_end.take() else {
                break;
            };
            pos = copy_data(all, line_end, &mut out);
            continue;
        }
        match next_piece(view, pos, &mut out) {
            Step::Continue(next) => pos = next,
            Step::Copy { next, line_end } => {
                pos = next;
                // A second copy on the rest of the same line would read after the first one's data; rare
                // enough to ignore.
                if copy_line_end.is_none() {
                    copy_line_end = Some(line_end);
                }
            }
        }
    }
    out
}

/// Where to go on after a piece.
enum Step {
    /// Continue splitting at this offset.
    Continue(usize),
    /// Continue splitting at `next` up to `line_end` (a newline or the end), then read copy data.
    Copy { next: usize, line_end: usize },
}

/// Clamps `range` to `text` and narrows it to character boundaries.
fn char_range(text: &str, range: Range<usize>) -> (usize, usize) {
    let mut end = range.end.min(text.len());
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut start = range.start.min(end);
    while start < end && !text.is_char_boundary(start) {
        start += 1;
    }
    (start, end)
}

/// Skips whitespace and comments at `pos`, then splits off one piece, if any is left.
fn next_piece(bytes: &[u8], pos: usize, out: &mut Vec<Piece>) -> Step {
    let start = match skip_trivia(bytes, pos) {
        Ok(start) => start,
        Err(opened_at) => return unterminated(bytes, opened_at, opened_at, BLOCK_COMMENT, out),
    };
    match bytes.get(start) {
        None => Step::Continue(bytes.len()),
        Some(b'\\') => meta_command(bytes, start, out),
        Some(_) => statement(bytes, start, out),
    }
}

/// Skips whitespace and comments; `Err` holds the offset of a block comment that is never closed.
fn skip_trivia(bytes: &[u8], mut pos: usize) -> Result<usize, usize> {
    loop {
        match bytes.get(pos) {
            Some(&b) if is_space(b) => pos += 1,
            Some(b'-') if bytes.get(pos + 1) == Some(&b'-') => pos = line_end(bytes, pos),
            Some(b'/') if bytes.get(pos + 1) == Some(&b'*') => {
                pos = block_comment_end(bytes, pos).ok_or(pos)?;
            }
            _ => return Ok(pos),
        }
    }
}

/// What the previous token was, as far as keyword pairs are concerned.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prev {
    Begin,
    From,
    Other,
}

/// The first word of a statement, as far as the splitter cares.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lead {
    Create,
    Copy,
    Other,
}

/// The few keywords a splitter must follow in a statement: `CREATE ... BEGIN ATOMIC ... END` and
/// `COPY ... FROM STDIN`. Words are whole identifiers outside quotes and comments, in any case.
struct Keywords {
    lead: Lead,
    prev: Prev,
    /// Open `BEGIN ATOMIC` and `CASE` blocks, once inside a `BEGIN ATOMIC` body; `;` splits only at 0.
    atomic_depth: usize,
    copy_stdin: bool,
}

impl Keywords {
    fn new() -> Keywords {
        Keywords { lead: Lead::Other, prev: Prev::Other, atomic_depth: 0, copy_stdin: false }
    }

    /// Notes a token that is not a word.
    fn other(&mut self) {
        self.prev = Prev::Other;
    }

    /// Notes a word; `first` if it is the statement's first token.
    fn word(&mut self, word: &[u8], first: bool) {
        let is = |keyword: &[u8]| word.eq_ignore_ascii_case(keyword);
        if first {
            self.lead = if is(b"create") {
                Lead::Create
            } else if is(b"copy") {
                Lead::Copy
            } else {
                Lead::Other
            };
        }
        if self.atomic_depth > 0 {
            if is(b"case") {
                self.atomic_depth += 1;
            } else if is(b"end") {
                self.atomic_depth -= 1;
            }
        } else if self.lead == Lead::Create && self.prev == Prev::Begin && is(b"atomic") {
            self.atomic_depth = 1;
        }
        if self.lead == Lead::Copy && self.prev == Prev::From && is(b"stdin") {
            self.copy_stdin = true;
        }
        self.prev = if is(b"begin") {
            Prev::Begin
        } else if is(b"from") {
            Prev::From
        } else {
            Prev::Other
        };
    }
}

/// Splits off the statement that starts at `start` (not whitespace, not a comment).
fn statement(bytes: &[u8], start: usize, out: &mut Vec<Piece>) -> Step {
    let mut pos = start;
    let mut last_end = start;
    let mut keywords = Keywords::new();
    while let Some(&b) = bytes.get(pos) {
        let next = bytes.get(pos + 1).copied();
        let token_start = pos;
        match b {
            b';' if keywords.atomic_depth == 0 => {
                // An empty statement (`;` alone) gives no piece.
                if last_end > start {
                    out.push(piece(PieceKind::Statement, start, last_end, Some(pos)));
                }
                if keywords.copy_stdin {
                    return Step::Copy { next: pos + 1, line_end: line_end(bytes, pos + 1) };
                }
                return Step::Continue(pos + 1);
            }
            _ if is_space(b) => {
                pos += 1;
                continue;
            }
            b'-' if next == Some(b'-') => {
                pos = line_end(bytes, pos);
                continue;
            }
            b'/' if next == Some(b'*') => {
                let Some(end) = block_comment_end(bytes, pos) else {
                    return unterminated(bytes, start, pos, BLOCK_COMMENT, out);
                };
                pos = end;
                continue;
            }
            b'\'' => {
                let Some(end) = quoted_end(bytes, pos, b'\'', false) else {
                    return unterminated(bytes, start, pos, STRING_LITERAL, out);
                };
                pos = end;
                keywords.other();
            }
            b'"' => {
                let Some(end) = quoted_end(bytes, pos, b'"', false) else {
                    return unterminated(bytes, start, pos, QUOTED_IDENTIFIER, out);
                };
                pos = end;
                keywords.other();
            }
            b'$' => {
                if let Some(tag_end) = dollar_tag_end(bytes, pos) {
                    let tag = bytes.get(pos..tag_end).unwrap_or_default();
                    let Some(close) = find_tag(bytes, tag_end, tag) else {
                        return unterminated(bytes, start, pos, DOLLAR_QUOTED, out);
                    };
                    pos = close + tag.len();
                } else {
                    // `$1` (a parameter) or a lone `$`.
                    pos += 1;
                    while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
                        pos += 1;
                    }
                }
                keywords.other();
            }
            b'0'..=b'9' => {
                while bytes.get(pos).is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.') {
                    pos += 1;
                }
                keywords.other();
            }
            _ if is_ident_start(b) => {
                pos = ident_end(bytes, pos);
                let word = bytes.get(token_start..pos).unwrap_or_default();
                if bytes.get(pos) == Some(&b'\'') {
                    // `E'…'` has backslash escapes; `U&'…'`, `B'…'`, `X'…'`, `N'…'` and `somee'…'` do not.
                    let escapes = word.eq_ignore_ascii_case(b"e");
                    let Some(end) = quoted_end(bytes, pos, b'\'', escapes) else {
                        return unterminated(bytes, start, pos, STRING_LITERAL, out);
                    };
                    pos = end;
                    keywords.other();
                } else {
                    keywords.word(word, token_start == start);
                }
            }
            // Punctuation and operators, one ASCII byte at a time (bytes >= 0x80 start identifiers).
            _ => {
                pos += 1;
                keywords.other();
            }
        }
        last_end = pos;
    }
    out.push(piece(PieceKind::Statement, start, last_end, None));
    Step::Continue(bytes.len())
}

/// Splits off the psql meta-command at `start` (a backslash), which runs to the end of its line.
fn meta_command(bytes: &[u8], start: usize, out: &mut Vec<Piece>) -> Step {
    let line_end = line_end(bytes, start);
    let mut end = line_end;
    while end > start && bytes.get(end - 1).is_some_and(|&b| is_space(b)) {
        end -= 1;
    }
    out.push(piece(PieceKind::MetaCommand, start, end, None));
    if backslash_copy_reads_stdin(bytes.get(start..end).unwrap_or_default()) {
        return Step::Copy { next: line_end, line_end };
    }
    Step::Continue(line_end)
}

/// Whether a meta-command is `\copy ... from stdin`, whose data follows in the same file.
fn backslash_copy_reads_stdin(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"\\copy") else {
        return false;
    };
    if !rest.first().is_some_and(|&b| is_space(b)) {
        return false;
    }
    let mut prev_from = false;
    let mut pos = 0;
    while let Some(&b) = rest.get(pos) {
        if b == b'\'' || b == b'"' {
            let close = rest.get(pos + 1..).and_then(|r| r.iter().position(|&c| c == b));
            pos = close.map_or(rest.len(), |offset| pos + offset + 2);
            prev_from = false;
        } else if is_ident_start(b) {
            let end = ident_end(rest, pos);
            let word = rest.get(pos..end).unwrap_or_default();
            if prev_from && word.eq_ignore_ascii_case(b"stdin") {
                return true;
            }
            prev_from = word.eq_ignore_ascii_case(b"from");
            pos = end;
        } else {
            prev_from &= is_space(b);
            pos += 1;
        }
    }
    false
}

/// Reads the copy data that starts after the newline at `line_end`, up to and including a `\.` line or
/// to the end; returns where splitting goes on.
fn copy_data(bytes: &[u8], line_end: usize, out: &mut Vec<Piece>) -> usize {
    let data_start = line_end + 1;
    if bytes.get(line_end) != Some(&b'\n') {
        return bytes.len();
    }
    let mut line_start = data_start;
    while line_start < bytes.len() {
        let end = self::line_end(bytes, line_start);
        let line = bytes.get(line_start..end).unwrap_or_default();
        if line.strip_suffix(b"\r").unwrap_or(line) == b"\\." {
            out.push(piece(PieceKind::CopyData, data_start, line_start + 2, None));
            return end;
        }
        line_start = end + 1;
    }
    // No `\.`: the data runs to the end, less the newline that ends its last line.
    let data = bytes.get(data_start..).unwrap_or_default();
    let data = data.strip_suffix(b"\n").unwrap_or(data);
    let data = data.strip_suffix(b"\r").unwrap_or(data);
    if !data.is_empty() {
        out.push(piece(PieceKind::CopyData, data_start, data_start + data.len(), None));
    }
    bytes.len()
}

fn piece(kind: PieceKind, start: usize, end: usize, semicolon: Option<usize>) -> Piece {
    Piece { kind, start, end, semicolon }
}

/// Records an unterminated statement from `start` to the end.
fn unterminated(bytes: &[u8], start: usize, opened_at: usize, what: &'static str, out: &mut Vec<Piece>) -> Step {
    out.push(piece(PieceKind::Unterminated { opened_at, what }, start, bytes.len(), None));
    Step::Continue(bytes.len())
}

/// Whitespace as PostgreSQL sees it.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Whether `b` can start an identifier (and a dollar-quote tag). Bytes of multi-byte characters can.
fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

/// The end of the identifier that starts at `pos`; identifiers may contain digits and `$`.
fn ident_end(bytes: &[u8], mut pos: usize) -> usize {
    while bytes.get(pos).is_some_and(|&b| is_ident_start(b) || b.is_ascii_digit() || b == b'$') {
        pos += 1;
    }
    pos
}

/// The offset of the next newline at or after `pos`, or the end.
fn line_end(bytes: &[u8], pos: usize) -> usize {
    bytes.get(pos..).and_then(|rest| rest.iter().position(|&b| b == b'\n')).map_or(bytes.len(), |offset| pos + offset)
}

/// The end of the quoted text opening at `open` with `quote` (doubled inside to stand for itself), or
/// `None` if it is never closed. With `backslash`, a backslash escapes the byte after it.
fn quoted_end(bytes: &[u8], open: usize, quote: u8, backslash: bool) -> Option<usize> {
    let mut pos = open + 1;
    loop {
        let rest = bytes.get(pos..)?;
        let offset = rest.iter().position(|&b| b == quote || (backslash && b == b'\\'))?;
        let found = pos + offset;
        if rest.get(offset) == Some(&b'\\') || bytes.get(found + 1) == Some(&quote) {
            pos = found + 2;
            continue;
        }
        return Some(found + 1);
    }
}

/// The end of the possibly nested block comment opening at `open`, or `None` if it is never closed.
fn block_comment_end(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth: usize = 1;
    let mut pos = open + 2;
    loop {
        let rest = bytes.get(pos..)?;
        let found = pos + rest.iter().position(|&b| b == b'*' || b == b'/')?;
        match (bytes.get(found), bytes.get(found + 1)) {
            (Some(b'*'), Some(b'/')) => {
                depth -= 1;
                pos = found + 2;
                if depth == 0 {
                    return Some(pos);
                }
            }
            (Some(b'/'), Some(b'*')) => {
                depth += 1;
                pos = found + 2;
            }
            _ => pos = found + 1,
        }
    }
}

/// If a dollar-quote tag (`$$` or `$tag$`) starts at `pos`, the offset just after it.
fn dollar_tag_end(bytes: &[u8], pos: usize) -> Option<usize> {
    let mut end = pos + 1;
    if bytes.get(end).is_some_and(|&b| is_ident_start(b)) {
        while bytes.get(end).is_some_and(|&b| is_ident_start(b) || b.is_ascii_digit()) {
            end += 1;
        }
    }
    (bytes.get(end) == Some(&b'$')).then_some(end + 1)
}

/// The offset of the next `tag` at or after `pos`.
fn find_tag(bytes: &[u8], mut pos: usize, tag: &[u8]) -> Option<usize> {
    loop {
        let rest = bytes.get(pos..)?;
        let found = pos + rest.iter().position(|&b| b == b'$')?;
        if bytes.get(found..)?.starts_with(tag) {
            return Some(found);
        }
        pos = found + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each piece as a tag and its text; checks the invariants every result must have.
    fn parts(src: &str) -> Vec<(&'static str, &str)> {
        let pieces = split(src);
        check_well_formed(src, 0, src.len(), &pieces);
        pieces
            .iter()
            .map(|p| {
                let tag = match p.kind {
                    PieceKind::Statement if p.semicolon.is_some() => "stmt;",
                    PieceKind::Statement => "stmt",
                    PieceKind::MetaCommand => "meta",
                    PieceKind::CopyData => "copy",
                    PieceKind::Unterminated { what, .. } => what,
                };
                (tag, &src[p.start..p.end])
            })
            .collect()
    }

    /// Pieces are in order, do not overlap, lie in `start..end` and on character boundaries; semicolons
    /// and openings point at what they claim to.
    fn check_well_formed(src: &str, start: usize, end: usize, pieces: &[Piece]) {
        let mut previous_end = start;
        for p in pieces {
            assert!(previous_end <= p.start && p.start <= p.end && p.end <= end, "{p:?} in {src:?}");
            assert!(src.is_char_boundary(p.start) && src.is_char_boundary(p.end), "{p:?} in {src:?}");
            previous_end = p.end;
            if let Some(semicolon) = p.semicolon {
                assert_eq!(src.as_bytes().get(semicolon), Some(&b';'), "{p:?} in {src:?}");
                assert!(p.end <= semicolon && semicolon < end, "{p:?} in {src:?}");
                previous_end = semicolon + 1;
            }
            if let PieceKind::Unterminated { opened_at, what } = p.kind {
                assert!(p.start <= opened_at && opened_at < p.end, "{p:?} in {src:?}");
                let opening = &src.as_bytes()[opened_at..];
                let ok = match what {
                    STRING_LITERAL => opening.starts_with(b"'"),
                    DOLLAR_QUOTED => opening.starts_with(b"$"),
                    QUOTED_IDENTIFIER => opening.starts_with(b"\""),
                    BLOCK_COMMENT => opening.starts_with(b"/*"),
                    _ => false,
                };
                assert!(ok, "{p:?} in {src:?}");
            }
        }
    }

    fn opened_at(src: &str) -> Vec<usize> {
        split(src)
            .iter()
            .filter_map(|p| match p.kind {
                PieceKind::Unterminated { opened_at, .. } => Some(opened_at),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn statements_with_and_without_final_semicolon() {
        let src = r#"CREATE TABLE t (id int);
  ALTER TABLE t ADD COLUMN x text ;
SELECT 1"#;
        assert_eq!(
            parts(src),
            [("stmt;", "CREATE TABLE t (id int)"), ("stmt;", "ALTER TABLE t ADD COLUMN x text"), ("stmt", "SELECT 1")]
        );
        let pieces = split(src);
        assert_eq!(pieces[0].semicolon, Some(23));
        assert_eq!(pieces[2].semicolon, None);
    }

    #[test]
    fn empty_statements_produce_nothing() {
        assert!(parts(";; ;\n;").is_empty());
        assert!(parts("").is_empty());
        assert!(parts(" \n\t").is_empty());
        assert_eq!(parts(";;SELECT 1;;\n;SELECT 2"), [("stmt;", "SELECT 1"), ("stmt", "SELECT 2")]);
    }

    #[test]
    fn single_quoted_strings_with_doubling() {
        let src = r#"INSERT INTO t VALUES ('a;b', 'it''s; fine', ''); SELECT ';''';"#;
        assert_eq!(
            parts(src),
            [("stmt;", "INSERT INTO t VALUES ('a;b', 'it''s; fine', '')"), ("stmt;", "SELECT ';'''")]
        );
        // A backslash in a standard string is just a character.
        let src = r#"SELECT 'C:\'; SELECT 2;"#;
        assert_eq!(parts(src), [("stmt;", r#"SELECT 'C:\'"#), ("stmt;", "SELECT 2")]);
    }

    #[test]
    fn e_strings_with_backslash_escapes() {
        let src = r#"SELECT E'it\'s; ok'; SELECT e'\\'; SELECT E'a''b;\n';"#;
        assert_eq!(
            parts(src),
            [("stmt;", r#"SELECT E'it\'s; ok'"#), ("stmt;", r#"SELECT e'\\'"#), ("stmt;", r#"SELECT E'a''b;\n'"#)]
        );
        // `E` at the end of a longer identifier does not make an E-string.
        let src = r#"SELECT somee'a\'; SELECT 2;"#;
        assert_eq!(parts(src), [("stmt;", r#"SELECT somee'a\'"#), ("stmt;", "SELECT 2")]);
        let src = r#"SELECT 1e'a\'; SELECT 2;"#;
        assert_eq!(parts(src), [("stmt;", r#"SELECT 1e'a\'"#), ("stmt;", "SELECT 2")]);
    }

    #[test]
    fn prefixed_strings_are_ordinary() {
        let src = r#"SELECT U&'d\0061t;a', B'10;1', X'1F;', N'x\'; SELECT 2"#;
        assert_eq!(parts(src), [("stmt;", r#"SELECT U&'d\0061t;a', B'10;1', X'1F;', N'x\'"#), ("stmt", "SELECT 2")]);
    }

    #[test]
    fn quoted_identifiers_with_doubling() {
        let src = r#"CREATE TABLE "a ; b" ("say ""hi"";" int, "'" text);SELECT "";"#;
        assert_eq!(
            parts(src),
            [("stmt;", r#"CREATE TABLE "a ; b" ("say ""hi"";" int, "'" text)"#), ("stmt;", r#"SELECT """#)]
        );
    }

    #[test]
    fn dollar_quotes() {
        let src = r#"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; SELECT ';' $$ LANGUAGE sql;
DO $body$ BEGIN EXECUTE $q$ SELECT 'x;' $q$; PERFORM $$;$$; END $body$;
SELECT $1, $2;
SELECT a$b, c$$;
SELECT $é$ ; $é$;
SELECT $1$;"#;
        assert_eq!(
            parts(src),
            [
                ("stmt;", "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; SELECT ';' $$ LANGUAGE sql"),
                ("stmt;", "DO $body$ BEGIN EXECUTE $q$ SELECT 'x;' $q$; PERFORM $$;$$; END $body$"),
                ("stmt;", "SELECT $1, $2"),
                ("stmt;", "SELECT a$b, c$$"),
                ("stmt;", "SELECT $é$ ; $é$"),
                ("stmt;", "SELECT $1$"),
            ]
        );
        // Tags are case-sensitive, and a tag may not start with a digit.
        let src = "SELECT $A$ $a$; $A$; SELECT $0a$;";
        assert_eq!(parts(src), [("stmt;", "SELECT $A$ $a$; $A$"), ("stmt;", "SELECT $0a$")]);
    }

    #[test]
    fn line_and_block_comments() {
        let src = r#"-- header; not a statement
/* a /* nested; */ still ; comment */
SELECT 1 -- trailing; comment
  /* more */ ;
SELECT /* inside; */ 2 /* after */; -- done
SELECT 3 -- no newline at end"#;
        assert_eq!(parts(src), [("stmt;", "SELECT 1"), ("stmt;", "SELECT /* inside; */ 2"), ("stmt", "SELECT 3")]);
        // `--` ends an operator; a single `-` or `/` does not start a comment.
        assert_eq!(
            parts("SELECT 1+--x;\n2; SELECT 4/2-1;"),
            [("stmt;", "SELECT 1+--x;\n2"), ("stmt;", "SELECT 4/2-1")]
        );
    }

    #[test]
    fn only_comments_give_no_pieces() {
        let src = r#"-- one
/* two /* three */ */
  -- four ; five"#;
        assert!(parts(src).is_empty());
        assert!(parts("/**/").is_empty());
    }

    #[test]
    fn begin_atomic_bodies() {
        let src = r#"CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql
BEGIN ATOMIC
  SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;
  SELECT case x when 1 then (CASE WHEN true THEN 2 END) end;
END;
create procedure p() begin atomic insert into t values (1); end;
BEGIN;
SELECT 1 AS begin, 2 AS atomic;
CREATE TABLE "begin" (atomic int, begin_atomic int);
COMMIT;"#;
        assert_eq!(
            parts(src),
            [
                (
                    "stmt;",
                    "CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql
BEGIN ATOMIC
  SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;
  SELECT case x when 1 then (CASE WHEN true THEN 2 END) end;
END"
                ),
                ("stmt;", "create procedure p() begin atomic insert into t values (1); end"),
                ("stmt;", "BEGIN"),
                ("stmt;", "SELECT 1 AS begin, 2 AS atomic"),
                ("stmt;", r#"CREATE TABLE "begin" (atomic int, begin_atomic int)"#),
                ("stmt;", "COMMIT"),
            ]
        );
        // Words inside strings, comments and quoted identifiers do not count.
        let src =
            r#"CREATE FUNCTION g() RETURNS text BEGIN ATOMIC SELECT 'end'; SELECT "END" /* end */; END; SELECT 2;"#;
        assert_eq!(
            parts(src),
            [
                ("stmt;", r#"CREATE FUNCTION g() RETURNS text BEGIN ATOMIC SELECT 'end'; SELECT "END" /* end */; END"#),
                ("stmt;", "SELECT 2"),
            ]
        );
        // Comments between BEGIN and ATOMIC are fine; an unclosed body runs to the end of the file.
        let src = "CREATE FUNCTION h() BEGIN /* c */ ATOMIC SELECT 1; SELECT 2;\n";
        assert_eq!(parts(src), [("stmt", "CREATE FUNCTION h() BEGIN /* c */ ATOMIC SELECT 1; SELECT 2;")]);
    }

    #[test]
    fn meta_commands() {
        let src = "\\set ON_ERROR_STOP on\n  \\i other.sql  \nSELECT 1 \\ 2;\n\\connect db\r\n\\d t";
        assert_eq!(
            parts(src),
            [
                ("meta", "\\set ON_ERROR_STOP on"),
                ("meta", "\\i other.sql"),
                ("stmt;", "SELECT 1 \\ 2"),
                ("meta", "\\connect db"),
                ("meta", "\\d t"),
            ]
        );
        // A meta-command ends at its newline even if it has a quote or semicolon.
        let src = "\\echo 'don;t\nSELECT 1;";
        assert_eq!(parts(src), [("meta", "\\echo 'don;t"), ("stmt;", "SELECT 1")]);
    }

    #[test]
    fn copy_from_stdin() {
        let src = "COPY t (a, b) FROM stdin;\n1\tx;y\n2\t'\n\\.\nSELECT 1;\ncopy t from STDIN with (format csv) ;\r\n3,$$\r\n\\.\r\nCOPY t TO stdout;\nSELECT 2;";
        assert_eq!(
            parts(src),
            [
                ("stmt;", "COPY t (a, b) FROM stdin"),
                ("copy", "1\tx;y\n2\t'\n\\."),
                ("stmt;", "SELECT 1"),
                ("stmt;", "copy t from STDIN with (format csv)"),
                ("copy", "3,$$\r\n\\."),
                ("stmt;", "COPY t TO stdout"),
                ("stmt;", "SELECT 2"),
            ]
        );
        // Only a line that is exactly `\.` ends the data; without one it runs to the end of the file.
        let src = "COPY t FROM stdin;\n\\.x\n \\.\n1\t\n";
        assert_eq!(parts(src), [("stmt;", "COPY t FROM stdin"), ("copy", "\\.x\n \\.\n1\t")]);
        // Empty data, and a COPY at the very end.
        assert_eq!(parts("COPY t FROM stdin;\n\\.\n"), [("stmt;", "COPY t FROM stdin"), ("copy", "\\.")]);
        assert_eq!(parts("COPY t FROM stdin;"), [("stmt;", "COPY t FROM stdin")]);
        assert_eq!(parts("COPY t FROM stdin;\n"), [("stmt;", "COPY t FROM stdin")]);
        // Not a copy from stdin.
        let src = "SELECT 1 FROM stdin;\n1\n\\.\nCOPY t FROM '/x/stdin';\nCOPY (SELECT 1 FROM stdin_x) TO stdout;\n";
        assert_eq!(
            parts(src),
            [
                ("stmt;", "SELECT 1 FROM stdin"),
                ("stmt;", "1\n\\.\nCOPY t FROM '/x/stdin'"),
                ("stmt;", "COPY (SELECT 1 FROM stdin_x) TO stdout"),
            ]
        );
    }

    #[test]
    fn copy_with_more_on_its_line() {
        let src = "COPY t FROM stdin; SELECT 1; -- note\n1\n\\.\nSELECT 2;";
        assert_eq!(
            parts(src),
            [("stmt;", "COPY t FROM stdin"), ("stmt;", "SELECT 1"), ("copy", "1\n\\."), ("stmt;", "SELECT 2")]
        );
    }

    #[test]
    fn backslash_copy_from_stdin() {
        let src = "\\copy t from stdin with csv\n1,2\n\\.\n\\copy t from 'from stdin'\n\\copy t to stdout\nSELECT 1;";
        assert_eq!(
            parts(src),
            [
                ("meta", "\\copy t from stdin with csv"),
                ("copy", "1,2\n\\."),
                ("meta", "\\copy t from 'from stdin'"),
                ("meta", "\\copy t to stdout"),
                ("stmt;", "SELECT 1"),
            ]
        );
    }

    #[test]
    fn crlf_line_endings() {
        let src = "-- head\r\nCREATE TABLE t (\r\n  id int\r\n);\r\n\\set x 1\r\nSELECT 'a\r\nb'\r\n;\r\nSELECT 2\r\n";
        assert_eq!(
            parts(src),
            [
                ("stmt;", "CREATE TABLE t (\r\n  id int\r\n)"),
                ("meta", "\\set x 1"),
                ("stmt;", "SELECT 'a\r\nb'"),
                ("stmt", "SELECT 2"),
            ]
        );
    }

    #[test]
    fn unterminated_constructs() {
        let src = "SELECT 1;\nSELECT 'abc;\nSELECT 2;\n";
        assert_eq!(parts(src), [("stmt;", "SELECT 1"), (STRING_LITERAL, "SELECT 'abc;\nSELECT 2;\n")]);
        assert_eq!(opened_at(src), [17]);

        let src = r#"SELECT E'x\'; SELECT 2;"#;
        assert_eq!(parts(src), [(STRING_LITERAL, src)]);
        assert_eq!(opened_at(src), [8]);

        let src = "SELECT 1; DO $fn$ BEGIN; $$ END; $FN$;";
        assert_eq!(parts(src), [("stmt;", "SELECT 1"), (DOLLAR_QUOTED, "DO $fn$ BEGIN; $$ END; $FN$;")]);
        assert_eq!(opened_at(src), [13]);

        let src = r#"SELECT "a"" ; SELECT 2;"#;
        assert_eq!(parts(src), [(QUOTED_IDENTIFIER, src)]);
        assert_eq!(opened_at(src), [7]);

        let src = "SELECT 1 /* a /* b */ ; SELECT 2;";
        assert_eq!(parts(src), [(BLOCK_COMMENT, src)]);
        assert_eq!(opened_at(src), [9]);

        // A comment between statements that is never closed is reported on its own.
        let src = "SELECT 1; /* a\nSELECT 2;";
        assert_eq!(parts(src), [("stmt;", "SELECT 1"), (BLOCK_COMMENT, "/* a\nSELECT 2;")]);
        assert_eq!(opened_at(src), [10]);
        assert_eq!(parts("/*/"), [(BLOCK_COMMENT, "/*/")]);
    }

    #[test]
    fn multibyte_utf8() {
        let src = "-- café ☕\nCREATE TABLE größe (naïve text DEFAULT 'ü;ö', \"日本;語\" int);\nSELECT é$x, $é$;$é$ /* ß; */;\nSELECT 'ok' 🎉";
        assert_eq!(
            parts(src),
            [
                ("stmt;", "CREATE TABLE größe (naïve text DEFAULT 'ü;ö', \"日本;語\" int)"),
                ("stmt;", "SELECT é$x, $é$;$é$"),
                ("stmt", "SELECT 'ok' 🎉"),
            ]
        );
        let src = "SELECT 'ünterminated 🎉";
        assert_eq!(parts(src), [(STRING_LITERAL, src)]);
    }

    #[test]
    fn split_range_gives_absolute_offsets() {
        let src = "SELECT 1; SELECT 'x;y'; SELECT 3;";
        let pieces = split_range(src, 10..23);
        assert_eq!(pieces, [Piece { kind: PieceKind::Statement, start: 10, end: 22, semicolon: Some(22) }]);
        assert_eq!(&src[10..22], "SELECT 'x;y'");
        // Cutting inside a string makes it unterminated at the end of the range.
        let pieces = split_range(src, 10..20);
        assert_eq!(
            pieces,
            [Piece {
                kind: PieceKind::Unterminated { opened_at: 17, what: STRING_LITERAL },
                start: 10,
                end: 20,
                semicolon: None
            }]
        );
        // Ranges past the end, reversed, or inside a character are narrowed instead of panicking.
        assert_eq!(split_range(src, 24..1000).len(), 1);
        assert!(split_range(src, Range { start: 20, end: 5 }).is_empty());
        let src = "é;ü";
        assert_eq!(
            split_range(src, 1..5),
            [Piece { kind: PieceKind::Statement, start: 3, end: 3 + 2, semicolon: None }]
        );
        assert!(split_range(src, 1..2).is_empty());
    }

    /// A file with every construct, for the robustness tests.
    const TRICKY: &str = r#"-- migration ☕
\set ON_ERROR_STOP on
/* header /* nested; */ ; */
CREATE TABLE "größe ; x" (id int, "q""uote" text DEFAULT 'it''s;', e text DEFAULT E'a\'b;');
CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; END;
DO $tag$ BEGIN PERFORM $$;$$, 'x'; END $tag$;
SELECT $1, a$b, U&'x;', B'1', X'F' -- tail;
;;
COPY t FROM stdin;
1	x;y
\.
\copy t from stdin
2
\.
SELECT 'never closed; 日本
"#;

    #[test]
    fn every_prefix_is_well_formed() {
        for end in 0..=TRICKY.len() {
            if !TRICKY.is_char_boundary(end) {
                continue;
            }
            let prefix = &TRICKY[..end];
            check_well_formed(prefix, 0, end, &split(prefix));
            // And every range of the whole file, boundaries or not, with one start per line.
            for start in (0..end).filter(|&s| s == 0 || TRICKY.as_bytes()[s - 1] == b'\n' || s % 7 == 0) {
                let pieces = split_range(TRICKY, start..end);
                check_well_formed(TRICKY, start.min(end), end, &pieces);
            }
        }
        assert_eq!(split(TRICKY).len(), 10);
    }

    #[test]
    fn random_soup_never_panics() {
        const ATOMS: [&str; 30] = [
            "'",
            "''",
            "\"",
            "E'",
            "e'\\'",
            "$",
            "$$",
            "$a$",
            "$1",
            "--",
            "/*",
            "*/",
            "/",
            "*",
            ";",
            "\n",
            "\r",
            " ",
            "\\",
            "\\.",
            "COPY",
            " FROM stdin",
            "CREATE",
            " BEGIN ATOMIC ",
            " CASE ",
            " END ",
            "é",
            "🎉",
            "x",
            "\\copy t from stdin\n",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut src = String::new();
        for _ in 0..3000 {
            src.clear();
            let len = next() % 24;
            for _ in 0..len {
                src.push_str(ATOMS[(next() % ATOMS.len() as u64) as usize]);
            }
            check_well_formed(&src, 0, src.len(), &split(&src));
            let a = (next() % (src.len() as u64 + 2)) as usize;
            let b = (next() % (src.len() as u64 + 2)) as usize;
            let (start, end) = char_range(&src, a.min(b)..a.max(b));
            check_well_formed(&src, start, end, &split_range(&src, a.min(b)..a.max(b)));
        }
    }
}
