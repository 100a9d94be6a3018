//! Suppression comments: `-- schema-playground:ignore rule-id[, rule-id]` (or squawk's
//! `-- squawk-ignore rule-id`) in the comments right before a statement silences those rules on it;
//! `-- schema-playground:ignore-file` / `-- squawk-ignore-file` with ids (or none, for every rule)
//! silences them in the whole file.

/// The suppression comments of one file.
#[derive(Clone, Debug, Default)]
pub struct Ignores {
    /// (byte offset where the comment ends, ids) for statement-level comments.
    lines: Vec<(usize, Vec<String>)>,
    /// File-level ids; an empty list inside `Some` means every rule.
    file: Option<Vec<String>>,
}

const PREFIXES: [&str; 2] = ["schema-playground:", "squawk-"];

impl Ignores {
    pub fn read(text: &str) -> Ignores {
        let mut out = Ignores::default();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let Some(pos) = line.find("--") else { continue };
            let comment = line[pos + 2..].trim();
            for prefix in PREFIXES {
                let Some(rest) = comment.strip_prefix(prefix) else { continue };
                let (file_level, ids) = if let Some(ids) = rest.strip_prefix("ignore-file") {
                    (true, ids)
                } else if let Some(ids) = rest.strip_prefix("ignore") {
                    (false, ids)
                } else {
                    continue;
                };
                if !(ids.is_empty() || ids.starts_with(char::is_whitespace)) {
                    continue;
                }
                let ids: Vec<String> =
                    ids.split([',', ' ', '\t']).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
                if file_level {
                    let all = out.file.get_or_insert_with(Vec::new);
                    if ids.is_empty() {
                        all.clear();
                        all.push("*".into());
                    } else {
                        all.extend(ids);
                    }
                } else {
                    out.lines.push((start + pos, ids));
                }
            }
        }
        out
    }

    /// Whether `rule` is silenced for a diagnostic starting at byte `at` of `text`: by the file, or by an ignore
    /// comment with only whitespace and comments between it and the statement holding `at`.
    pub fn suppresses(&self, text: &str, rule: &str, at: usize) -> bool {
        if self.file.as_ref().is_some_and(|ids| ids.iter().any(|id| id == "*" || id == rule)) {
            return true;
        }
        self.lines.iter().any(|(pos, ids)| {
            (ids.is_empty() || ids.iter().any(|id| id == rule)) && *pos <= at && only_comments_between(text, *pos, at)
        })
    }
}

/// Whether `text[from..to]` holds the ignore comment's line, then only whitespace, comments, and at
/// most the start of one statement (the one `to` lies in).
fn only_comments_between(text: &str, from: usize, to: usize) -> bool {
    let Some(between) = text.get(from..to) else { return false };
    // Skip the comment's own line, then any comment or blank lines; the statement must begin next, and
    // contain `to` (no `;` before it).
    let mut rest = match between.find('\n') {
        Some(i) => &between[i + 1..],
        None => return false,
    };
    loop {
        let trimmed = rest.trim_start();
        if let Some(after) = trimmed.strip_prefix("--") {
            rest = after.find('\n').map_or("", |i| &after[i + 1..]);
            continue;
        }
        return !trimmed.contains(';');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn silenced(text: &str, rule: &str, needle: &str) -> bool {
        Ignores::read(text).suppresses(text, rule, text.find(needle).unwrap())
    }

    #[test]
    fn a_comment_silences_the_next_statement_only() {
        let sql = "-- schema-playground:ignore ban-drop-table\nDROP TABLE a;\nDROP TABLE b;\n";
        assert!(silenced(sql, "ban-drop-table", "DROP TABLE a"));
        assert!(!silenced(sql, "ban-drop-table", "DROP TABLE b"));
        assert!(!silenced(sql, "ban-drop-column", "DROP TABLE a"));
    }

    #[test]
    fn squawk_comments_lists_and_other_comments_in_between() {
        let sql = "-- squawk-ignore ban-drop-column, renaming-column\n-- why: nobody reads it\nALTER TABLE t\n  DROP COLUMN c;";
        assert!(silenced(sql, "ban-drop-column", "DROP COLUMN"));
        assert!(silenced(sql, "renaming-column", "ALTER"));
    }

    #[test]
    fn file_level_comments() {
        let sql = "-- squawk-ignore-file\nDROP TABLE a;\n";
        assert!(silenced(sql, "anything", "DROP"));
        let sql = "-- schema-playground:ignore-file prefer-robust-stmts\nCREATE TABLE a ();\nDROP TABLE a;";
        assert!(silenced(sql, "prefer-robust-stmts", "DROP"));
        assert!(!silenced(sql, "ban-drop-table", "DROP"));
    }

    #[test]
    fn a_word_that_only_starts_like_the_marker_is_not_one() {
        let sql = "-- schema-playground:ignored ban-drop-table\nDROP TABLE a;";
        assert!(!silenced(sql, "ban-drop-table", "DROP"));
    }
}
