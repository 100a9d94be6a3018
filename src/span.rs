//! Source positions. Spans are byte ranges into one file's text; line and column are derived at the
//! edges (1-based, in characters, for the CLI; UTF-16 for the browser editor).

use serde::Serialize;

/// Index of a file in [`crate::Analysis::files`].
pub type FileId = u32;

/// A byte range `start..end` in file `file`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span { file, start: start as u32, end: end as u32 }
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// Maps byte offsets of one text to lines and columns.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    /// Byte offset of the start of every line.
    line_starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i as u32 + 1));
        LineIndex { line_starts }
    }

    /// Line and column (in characters, 1-based) of byte `offset` in `text`.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.line_starts.partition_point(|&s| s as usize <= offset) - 1;
        let start = self.line_starts[line] as usize;
        let column = text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        LineCol { line: line as u32 + 1, column: column as u32 + 1 }
    }

    /// Line and column, with the column counted in UTF-16 code units (what browser editors use).
    pub fn line_col_utf16(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.line_starts.partition_point(|&s| s as usize <= offset) - 1;
        let start = self.line_starts[line] as usize;
        let column = text.get(start..offset).map_or(offset - start, |s| s.encode_utf16().count());
        LineCol { line: line as u32 + 1, column: column as u32 + 1 }
    }

    /// Byte offset of a 1-based line and column (in characters), clamped to the text.
    pub fn offset(&self, text: &str, at: LineCol) -> usize {
        let line = (at.line.max(1) as usize - 1).min(self.line_starts.len() - 1);
        let start = self.line_starts[line] as usize;
        let rest = &text[start..];
        let end_of_line = rest.find('\n').unwrap_or(rest.len());
        rest[..end_of_line]
            .char_indices()
            .nth(at.column.max(1) as usize - 1)
            .map_or(start + end_of_line, |(i, _)| start + i)
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// Byte offsets of 1-based lines and columns (in characters, as sqlparser's tokenizer counts them),
/// read by walking the text once when the positions come in order, as a statement's tokens do.
/// Clamped like [`LineIndex::offset`]: a column past the end of its line gives the line's end.
pub struct OffsetCursor<'a> {
    text: &'a str,
    at: LineCol,
    offset: usize,
}

impl<'a> OffsetCursor<'a> {
    pub fn new(text: &'a str) -> OffsetCursor<'a> {
        OffsetCursor { text, at: LineCol { line: 1, column: 1 }, offset: 0 }
    }

    pub fn offset(&mut self, target: LineCol) -> usize {
        let target = LineCol { line: target.line.max(1), column: target.column.max(1) };
        if target < self.at {
            *self = OffsetCursor::new(self.text);
        }
        while self.at < target {
            let Some(c) = self.text[self.offset..].chars().next() else { break };
            if c == '\n' {
                if self.at.line == target.line {
                    break;
                }
                self.at = LineCol { line: self.at.line + 1, column: 1 };
            } else {
                self.at.column += 1;
            }
            self.offset += c.len_utf8();
        }
        self.offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cursor_agrees_with_the_index() {
        let text = "ab\nçd\r\nx\n\nlong line é\n";
        let index = LineIndex::new(text);
        let mut cursor = OffsetCursor::new(text);
        let mut positions = Vec::new();
        for line in 0..7 {
            for column in 0..15 {
                positions.push(LineCol { line, column });
            }
        }
        // In order, then out of order (the cursor starts over).
        for at in positions.iter().chain(positions.iter().rev()) {
            let expected = if at.line as usize > index.line_count() { None } else { Some(index.offset(text, *at)) };
            if let Some(expected) = expected {
                assert_eq!(cursor.offset(*at), expected, "{at:?}");
            }
        }
    }

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\nçd\r\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(text, 3), LineCol { line: 2, column: 1 });
        assert_eq!(idx.line_col(text, 5), LineCol { line: 2, column: 2 });
        assert_eq!(idx.line_col(text, text.len()), LineCol { line: 3, column: 2 });
        assert_eq!(idx.offset(text, LineCol { line: 2, column: 2 }), 5);
        assert_eq!(LineIndex::new("😀x").line_col_utf16("😀x", 4), LineCol { line: 1, column: 3 });
    }
}
