//! A diagnostic's mechanical fix as the problems panel shows it: the lines it touches before and
//! after (a small diff, as `check` prints it), and the edit itself, which applies only to the text
//! it was computed against.

use std::ops::Range;

/// Which side of the diff a line is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Removed,
    Added,
}

impl Side {
    pub fn class(self) -> &'static str {
        match self {
            Side::Removed => "removed",
            Side::Added => "added",
        }
    }

    pub fn marker(self) -> &'static str {
        match self {
            Side::Removed => "-",
            Side::Added => "+",
        }
    }
}

/// One line of the diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffLine {
    pub side: Side,
    /// 1-based: in the text before the fix for a removed line, after it for an added one.
    pub line: u32,
    /// The line without its line break.
    pub text: String,
    /// The bytes of `text` the fix takes away (removed line) or puts in (added line); may be empty.
    pub changed: Range<usize>,
}

impl DiffLine {
    /// The line as three pieces: before the change, the change, after it.
    pub fn parts(&self) -> (&str, &str, &str) {
        let r = &self.changed;
        match (self.text.get(..r.start), self.text.get(r.clone()), self.text.get(r.end..)) {
            (Some(a), Some(b), Some(c)) => (a, b, c),
            _ => (self.text.as_str(), "", ""),
        }
    }
}

/// The edit a fix makes, with what it was computed against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// The whole lines the fix touches, as byte offsets of the analysed text, and their text then.
    pub lines: Range<usize>,
    pub expected: String,
    /// The bytes to replace (inside `lines`).
    pub span: Range<usize>,
    pub replacement: String,
}

impl Edit {
    /// `text` with the fix made, or `None` when the lines it touches are no longer what the fix was
    /// computed against (the text changed since the analysis; the next one brings a fresh fix).
    pub fn apply(&self, text: &str) -> Option<String> {
        if text.get(self.lines.clone())? != self.expected {
            return None;
        }
        let mut out = String::with_capacity(text.len() + self.replacement.len());
        out.push_str(text.get(..self.span.start)?);
        out.push_str(&self.replacement);
        out.push_str(text.get(self.span.end..)?);
        Some(out)
    }
}

/// A fix as the problems panel shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixView {
    /// What the edit does: "Add IF NOT EXISTS".
    pub title: String,
    /// The removed lines, then the added ones; lines the fix leaves as they are are left out.
    pub diff: Vec<DiffLine>,
    pub edit: Edit,
}

/// The fix that replaces bytes `start..end` of `text` with `replacement`; `line` is the 1-based line
/// `start` is on. `None` when the span does not fall on character boundaries of `text` or the fix would
/// change nothing.
pub fn view(text: &str, line: u32, title: &str, start: usize, end: usize, replacement: &str) -> Option<FixView> {
    if text.get(start..end)? == replacement {
        return None;
    }
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    // Through the line break of the last line touched; a span that ends with a line break ends there.
    let line_end = if end > start && text.as_bytes()[end - 1] == b'\n' {
        end
    } else {
        text[end..].find('\n').map_or(text.len(), |i| end + i + 1)
    };
    let before = &text[line_start..line_end];
    let after = format!("{}{}{}", &text[line_start..start], replacement, &text[end..line_end]);

    let removed = lines(before, start - line_start..end - line_start);
    let added = lines(&after, start - line_start..start - line_start + replacement.len());
    // Leave out the lines at either end that the fix does not change.
    let same = |a: &(&str, Range<usize>), b: &(&str, Range<usize>)| a.0 == b.0 && a.1.is_empty() && b.1.is_empty();
    let head = removed.iter().zip(&added).take_while(|(a, b)| same(a, b)).count();
    let tail = removed[head..].iter().rev().zip(added[head..].iter().rev()).take_while(|(a, b)| same(a, b)).count();
    let mut diff = Vec::new();
    for (side, list) in [(Side::Removed, &removed), (Side::Added, &added)] {
        for (i, (piece, changed)) in list.iter().enumerate().take(list.len() - tail).skip(head) {
            diff.push(DiffLine { side, line: line + i as u32, text: piece.to_string(), changed: changed.clone() });
        }
    }
    if diff.is_empty() {
        return None;
    }
    Some(FixView {
        title: title.to_string(),
        diff,
        edit: Edit {
            lines: line_start..line_end,
            expected: before.to_string(),
            span: start..end,
            replacement: replacement.to_string(),
        },
    })
}

/// The lines of `region` (whole lines, the last one perhaps without its line break), each without its
/// line break, with the part of `changed` (byte offsets of `region`) that falls on it.
fn lines(region: &str, changed: Range<usize>) -> Vec<(&str, Range<usize>)> {
    let mut out = Vec::new();
    let mut at = 0;
    for piece in region.split_inclusive('\n') {
        let line = piece.strip_suffix('\n').unwrap_or(piece);
        let line = line.strip_suffix('\r').unwrap_or(line);
        let from = changed.start.clamp(at, at + line.len()) - at;
        let to = changed.end.clamp(at, at + line.len()) - at;
        // A change that only adds or removes this line's break marks nothing on it.
        out.push((line, if from < to { from..to } else { 0..0 }));
        at += piece.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_of(text: &str, offset: usize) -> u32 {
        text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() as u32 + 1
    }

    /// The diff as text, one line each: `-3 text` or `+3 text`, the changed part in brackets.
    #[track_caller]
    fn check(text: &str, start: usize, end: usize, replacement: &str, expect: &[&str]) -> FixView {
        let fix = view(text, line_of(text, start), "Fix", start, end, replacement).expect("a fix");
        let got: Vec<String> = fix
            .diff
            .iter()
            .map(|l| {
                let (a, b, c) = l.parts();
                let b = if b.is_empty() { String::new() } else { format!("[{b}]") };
                format!("{}{} {a}{b}{c}", l.side.marker(), l.line)
            })
            .collect();
        assert_eq!(got, expect);
        let fixed = fix.edit.apply(text).expect("applies to the analysed text");
        assert_eq!(fixed, format!("{}{replacement}{}", &text[..start], &text[end..]));
        fix
    }

    #[test]
    fn a_fix_inside_one_line() {
        let text = "-- orders\nCREATE TABLE t (id bigint);\nSELECT 1;\n";
        let at = text.find(" t (").unwrap();
        check(
            text,
            at,
            at,
            " IF NOT EXISTS",
            &["-2 CREATE TABLE t (id bigint);", "+2 CREATE TABLE[ IF NOT EXISTS] t (id bigint);"],
        );
        // A replacement inside the line marks what goes on both sides.
        let at = text.find("bigint").unwrap();
        check(text, at, at + 6, "int8", &["-2 CREATE TABLE t (id [bigint]);", "+2 CREATE TABLE t (id [int8]);"]);
    }

    #[test]
    fn a_fix_spanning_lines() {
        let text = "SELECT 1;\nCREATE TYPE mood AS ENUM (\n  'sad', 'ok'\n);\nSELECT 2;\n";
        let start = text.find("CREATE").unwrap();
        let end = text.find(");").unwrap() + 2;
        let wrapped = "DO $$ BEGIN\n  CREATE TYPE mood AS ENUM ('sad', 'ok');\nEXCEPTION WHEN duplicate_object THEN NULL;\nEND $$;";
        check(
            text,
            start,
            end,
            wrapped,
            &[
                "-2 [CREATE TYPE mood AS ENUM (]",
                "-3 [  'sad', 'ok']",
                "-4 [);]",
                "+2 [DO $$ BEGIN]",
                "+3 [  CREATE TYPE mood AS ENUM ('sad', 'ok');]",
                "+4 [EXCEPTION WHEN duplicate_object THEN NULL;]",
                "+5 [END $$;]",
            ],
        );
    }

    #[test]
    fn a_new_line_before_a_statement_shows_only_that_line() {
        let text = "CREATE TABLE t (id int);\nCREATE TRIGGER x AFTER INSERT ON t EXECUTE FUNCTION f();\n";
        let at = text.find("CREATE TRIGGER").unwrap();
        check(text, at, at, "DROP TRIGGER IF EXISTS x ON t;\n", &["+2 [DROP TRIGGER IF EXISTS x ON t;]"]);
    }

    #[test]
    fn deleting_a_whole_line_shows_it_removed() {
        let text = "SELECT 1;\n-- schema-playground:ignore prefer-robust-stmts\nSELECT 2;\n";
        let start = text.find("--").unwrap();
        let end = text.find("SELECT 2").unwrap();
        check(text, start, end, "", &["-2 [-- schema-playground:ignore prefer-robust-stmts]"]);
    }

    #[test]
    fn a_fix_at_the_end_of_the_file() {
        // The last line has no line break.
        let text = "SELECT 1;\nCREATE INDEX i ON t (a)";
        let at = text.find("INDEX").unwrap() + "INDEX".len();
        check(
            text,
            at,
            at,
            " IF NOT EXISTS",
            &["-2 CREATE INDEX i ON t (a)", "+2 CREATE INDEX[ IF NOT EXISTS] i ON t (a)"],
        );
        // Appending after the last line break: a new line, nothing removed.
        let text = "SELECT 1;\n";
        check(text, text.len(), text.len(), "COMMIT;\n", &["+2 [COMMIT;]"]);
        // Appending to a last line without a line break changes that line.
        let text = "SELECT 1";
        check(text, text.len(), text.len(), ";", &["-1 SELECT 1", "+1 SELECT 1[;]"]);
    }

    #[test]
    fn multibyte_text() {
        let text = "-- Überblick: größe ✓\nCREATE TABLE ärger (größe text, note text DEFAULT '日本');\n";
        let at = text.find(" ärger").unwrap();
        let fix = check(
            text,
            at,
            at,
            " IF NOT EXISTS",
            &[
                "-2 CREATE TABLE ärger (größe text, note text DEFAULT '日本');",
                "+2 CREATE TABLE[ IF NOT EXISTS] ärger (größe text, note text DEFAULT '日本');",
            ],
        );
        assert_eq!(fix.edit.lines.start, text.find('\n').unwrap() + 1);
        let at = text.find("'日本'").unwrap();
        check(
            text,
            at,
            at + "'日本'".len(),
            "'ß'",
            &[
                "-2 CREATE TABLE ärger (größe text, note text DEFAULT ['日本']);",
                "+2 CREATE TABLE ärger (größe text, note text DEFAULT ['ß']);",
            ],
        );
        // A span that cuts a character is no fix.
        let at = text.find('ä').unwrap() + 1;
        assert_eq!(view(text, 2, "Fix", at, at, "x"), None);
    }

    #[test]
    fn windows_line_breaks_stay_out_of_the_diff() {
        let text = "SELECT 1;\r\nCREATE TABLE t (id int);\r\n";
        let at = text.find(" t (").unwrap();
        let fix = check(
            text,
            at,
            at,
            " IF NOT EXISTS",
            &["-2 CREATE TABLE t (id int);", "+2 CREATE TABLE[ IF NOT EXISTS] t (id int);"],
        );
        assert!(fix.edit.apply(text).unwrap().ends_with(";\r\n"));
    }

    #[test]
    fn a_fix_that_changes_nothing_is_not_shown() {
        assert_eq!(view("SELECT 1;\n", 1, "Fix", 0, 6, "SELECT"), None);
        // Nor is one outside the text.
        assert_eq!(view("SELECT 1;\n", 1, "Fix", 4, 40, ""), None);
    }

    #[test]
    fn a_stale_fix_is_not_applied() {
        let text = "SELECT 1;\nCREATE TABLE t (id int);\nSELECT 2;\n";
        let at = text.find(" t (").unwrap();
        let fix = view(text, 2, "Add IF NOT EXISTS", at, at, " IF NOT EXISTS").unwrap();
        // The line was edited since the analysis.
        assert_eq!(fix.edit.apply(&text.replace("id int", "id bigint")), None);
        // Lines were added above it: the offsets point elsewhere now.
        assert_eq!(fix.edit.apply(&format!("-- note\n{text}")), None);
        // The file was cut short.
        assert_eq!(fix.edit.apply("SELECT 1;\n"), None);
        // An edit on another line leaves the fix as it was.
        let edited = text.replace("SELECT 2", "SELECT 3");
        assert_eq!(fix.edit.apply(&edited).unwrap(), edited.replace("TABLE t", "TABLE IF NOT EXISTS t"));
    }
}
