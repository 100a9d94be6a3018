//! Suppression comments: `-- schema-playground:ignore rule-id[, rule-id]` (or squawk's
//! `-- squawk-ignore rule-id`) in the comments right before a statement silences those rules on it;
//! `-- schema-playground:ignore-file` / `-- squawk-ignore-file` with ids (or none, for every rule)
//! silences them in the whole file. Each comment and each id in it is kept with its place in the text,
//! so that `unused-ignore` can tell which ones silenced nothing.

/// The suppression comments of one file.
#[derive(Clone, Debug, Default)]
pub struct Ignores {
    pub comments: Vec<IgnoreComment>,
}

/// One suppression comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IgnoreComment {
    /// `ignore-file` rather than `ignore`.
    pub file_level: bool,
    /// Written as squawk's `squawk-ignore…`.
    pub squawk: bool,
    /// Byte offsets of the comment (from `--` to the end of its line, newline excluded).
    pub start: usize,
    pub end: usize,
    /// Whether only whitespace precedes the comment on its line.
    pub own_line: bool,
    /// The rule ids it names; empty means every rule.
    pub ids: Vec<IgnoreId>,
}

/// A rule id in a suppression comment, with its byte range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IgnoreId {
    pub id: String,
    pub start: usize,
    pub end: usize,
}

/// Which comment (and which of its ids, `None` for a comment naming no id) silenced a diagnostic.
pub type Use = (usize, Option<usize>);

const PREFIXES: [&str; 2] = ["schema-playground:", "squawk-"];

/// Squawk spells one id two ways; both silence the rule.
pub fn canonical(id: &str) -> &str {
    match id {
        "prefer-timestamptz" => "prefer-timestamp-tz",
        other => other,
    }
}

impl Ignores {
    pub fn read(text: &str) -> Ignores {
        let mut out = Ignores::default();
        // Every prefix ends in `ignore`: most files have none, and one substring search settles it.
        if !text.contains("ignore") {
            return out;
        }
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let Some(pos) = line.find("--") else { continue };
            let body_start = pos + 2;
            let body = &line[body_start..];
            let lead = body.len() - body.trim_start().len();
            let comment = body.trim();
            for (p, prefix) in PREFIXES.iter().enumerate() {
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
                // Where `ids` starts in the file.
                let ids_at = start + body_start + lead + (comment.len() - ids.len());
                let mut list = Vec::new();
                let mut word_start = None;
                for (i, c) in ids.char_indices().chain(std::iter::once((ids.len(), ' '))) {
                    let separator = c == ',' || c.is_whitespace();
                    match (separator, word_start) {
                        (false, None) => word_start = Some(i),
                        (true, Some(s)) => {
                            list.push(IgnoreId { id: ids[s..i].to_string(), start: ids_at + s, end: ids_at + i });
                            word_start = None;
                        }
                        _ => {}
                    }
                }
                let line_end = start + line.trim_end_matches(['\n', '\r']).len();
                out.comments.push(IgnoreComment {
                    file_level,
                    squawk: p == 1,
                    start: start + pos,
                    end: line_end,
                    own_line: line[..pos].trim().is_empty(),
                    ids: list,
                });
            }
        }
        out
    }

    /// The comments (and ids) that silence `rule` for a diagnostic starting at byte `at` of `text`: the
    /// file-level ones, and those with only whitespace and comments between them and the statement
    /// holding `at`. Empty when nothing silences it.
    pub fn uses(&self, text: &str, rule: &str, at: usize) -> Vec<Use> {
        let rule = canonical(rule);
        let mut out = Vec::new();
        for (c, comment) in self.comments.iter().enumerate() {
            let applies = comment.file_level || (comment.start <= at && only_comments_between(text, comment.start, at));
            if !applies {
                continue;
            }
            if comment.ids.is_empty() {
                out.push((c, None));
            } else if let Some(i) = comment.ids.iter().position(|id| canonical(&id.id) == rule) {
                out.push((c, Some(i)));
            }
        }
        out
    }

    /// Whether `rule` is silenced for a diagnostic starting at byte `at` of `text`.
    #[cfg(test)]
    pub fn suppresses(&self, text: &str, rule: &str, at: usize) -> bool {
        !self.uses(text, rule, at).is_empty()
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

    #[test]
    fn ids_keep_their_place_in_the_text() {
        let sql = "CREATE TABLE a ();\n  --  squawk-ignore  ban-drop-table,renaming-table  \nDROP TABLE a;";
        let ignores = Ignores::read(sql);
        let comment = &ignores.comments[0];
        assert!(comment.squawk && !comment.file_level && comment.own_line);
        let ids: Vec<&str> = comment.ids.iter().map(|i| &sql[i.start..i.end]).collect();
        assert_eq!(ids, ["ban-drop-table", "renaming-table"]);
        assert_eq!(&sql[comment.start..comment.end], "--  squawk-ignore  ban-drop-table,renaming-table  ");
        assert_eq!(ignores.uses(sql, "renaming-table", sql.find("DROP").unwrap()), vec![(0, Some(1))]);
    }

    #[test]
    fn squawks_second_spelling_of_an_id() {
        let sql = "-- squawk-ignore prefer-timestamptz\nCREATE TABLE a (t timestamp);";
        assert!(silenced(sql, "prefer-timestamp-tz", "t timestamp"));
    }
}
