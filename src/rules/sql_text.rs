//! Reading a statement's own text, for the rules that need more than the parsed statement: the
//! statements sqlparser does not model (`REVOKE`, `ALTER ROLE`, `ALTER SYSTEM`…), narrow spans for the
//! parts of an ALTER TABLE (whichever way it parsed) and for the column types a statement writes, and
//! the statements of the files the rules check, for folder rules. Tokens come from sqlparser's
//! tokenizer, so comments, quoted identifiers and strings are told apart from keywords.

use sqlparser::ast::{AlterTableOperation, Ident, ObjectName, Statement};

use super::{FolderCx, StatementCx};
use crate::catalog::Catalog;
use crate::span::{LineCol, LineIndex, Span};
use crate::sql::alter_table::{AlterPart, ManualAction};
use crate::sql::parse::Parsed;
pub(super) use crate::sql::tokens::{Tok, TokKind, tokens};

/// The index of the first place at or after `from` where `words` (upper-case keywords) follow one
/// another.
pub(super) fn find_words(toks: &[Tok], from: usize, words: &[&str]) -> Option<usize> {
    (from..toks.len()).find(|&i| words.iter().enumerate().all(|(k, w)| toks.get(i + k).is_some_and(|t| t.is(w))))
}

/// Whether the statement starts with these keywords.
pub(super) fn starts_with(toks: &[Tok], words: &[&str]) -> bool {
    find_words(&toks[..toks.len().min(words.len())], 0, words) == Some(0)
}

/// The span of `toks[first..=last]` in the statement of `cx`.
pub(super) fn span(cx: &StatementCx<'_>, toks: &[Tok], first: usize, last: usize) -> Span {
    match (toks.get(first), toks.get(last)) {
        (Some(a), Some(b)) if b.end >= a.start => cx.sub_span(a.start, b.end),
        _ => cx.span,
    }
}

/// Ranges of token indexes split at commas outside parentheses and brackets, in `toks[from..to]`.
pub(super) fn split_commas(toks: &[Tok], from: usize, to: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = from;
    for (i, t) in toks.iter().enumerate().take(to).skip(from) {
        if t.is_sym("(") || t.is_sym("[") {
            depth += 1;
        } else if t.is_sym(")") || t.is_sym("]") {
            depth -= 1;
        } else if t.is_sym(",") && depth == 0 {
            out.push((start, i));
            start = i + 1;
        }
    }
    out.push((start, to));
    out.retain(|(a, b)| a < b);
    out
}

/// The index where the statement ends: before a trailing `;`.
pub(super) fn end(toks: &[Tok]) -> usize {
    match toks.last() {
        Some(t) if t.is_sym(";") => toks.len() - 1,
        _ => toks.len(),
    }
}

/// A dotted name starting at `toks[k]`: its folded parts and the index after it.
pub(super) fn dotted_name(toks: &[Tok], mut k: usize) -> (Vec<String>, usize) {
    let mut parts = Vec::new();
    while let Some(part) = toks.get(k).and_then(Tok::ident) {
        parts.push(part);
        k += 1;
        if toks.get(k).is_some_and(|t| t.is_sym(".")) {
            k += 1;
        } else {
            break;
        }
    }
    (parts, k)
}

/// An sqlparser name from folded parts (quoted, so that resolving it keeps them as they are).
pub(super) fn object_name(parts: &[String]) -> ObjectName {
    ObjectName::from(parts.iter().map(|p| Ident::with_quote('"', p.clone())).collect::<Vec<_>>())
}

/// The byte range of a parsed identifier in the statement text, when its location is real (sqlparser
/// locations are 1-based; names rebuilt from a split ALTER TABLE carry none that fit the text).
pub(super) fn ident_range(text: &str, ident: &Ident) -> Option<(usize, usize)> {
    let (s, e) = (ident.span.start, ident.span.end);
    if s.line == 0 || e.line == 0 {
        return None;
    }
    let index = LineIndex::new(text);
    let a = index.offset(text, LineCol { line: s.line as u32, column: s.column as u32 });
    let b = index.offset(text, LineCol { line: e.line as u32, column: e.column as u32 });
    (b > a).then_some((a, b))
}

/// One action of an ALTER TABLE, as sqlparser parsed it or as read by hand.
pub(super) enum Action<'a> {
    Op(&'a AlterTableOperation),
    Manual(&'a ManualAction),
}

/// An ALTER TABLE, whichever way it parsed: the table as written and each action with the token
/// range of its text.
pub(super) struct AlterTable<'a> {
    pub name: ObjectName,
    pub actions: Vec<(Action<'a>, (usize, usize))>,
    pub toks: Vec<Tok>,
    /// Token index of the table name.
    pub name_at: usize,
}

impl AlterTable<'_> {
    /// The span of action `i`'s text.
    pub fn span(&self, cx: &StatementCx<'_>, range: (usize, usize)) -> Span {
        span(cx, &self.toks, range.0, range.1.saturating_sub(1).max(range.0))
    }
}

impl<'a> StatementCx<'a> {
    /// The statement's significant tokens, read once per statement.
    pub(super) fn tokens(&self) -> &[Tok] {
        match self.parsed.extras().tokens.as_deref() {
            Some(kept) => kept,
            None => self.memo.tokens.get_or_init(|| tokens(self.text)),
        }
    }

    /// The statement as an ALTER TABLE, whichever way it parsed; `None` for any other statement.
    pub(super) fn alter_table(&self) -> Option<&AlterTable<'a>> {
        self.memo.alter_table.get_or_init(|| alter_table(self)).as_ref()
    }
}

/// The ALTER TABLE in `cx`, or `None` for any other statement.
fn alter_table<'a>(cx: &StatementCx<'a>) -> Option<AlterTable<'a>> {
    let (name, actions): (ObjectName, Vec<Action<'a>>) = match cx.parsed {
        Parsed::Statement(s, _) => match &**s {
            Statement::AlterTable(at) => (at.name.clone(), at.operations.iter().map(Action::Op).collect()),
            _ => return None,
        },
        Parsed::AlterTableParts { target, parts, .. } => {
            let mut actions = Vec::new();
            for part in parts {
                match part {
                    AlterPart::Parsed(s) => {
                        if let Statement::AlterTable(at) = &**s {
                            actions.extend(at.operations.iter().map(Action::Op));
                        }
                    }
                    AlterPart::Manual(m) => actions.push(Action::Manual(m)),
                }
            }
            (object_name(&target.name), actions)
        }
        _ => return None,
    };
    let toks = cx.tokens().to_vec();
    // ALTER TABLE [IF EXISTS] [ONLY] name [*] action, …
    let mut k = 2;
    if toks.get(k).is_some_and(|t| t.is("IF")) {
        k += 2;
    }
    if toks.get(k).is_some_and(|t| t.is("ONLY")) {
        k += 1;
    }
    let name_at = k;
    let (_, mut after) = dotted_name(&toks, k);
    if toks.get(after).is_some_and(|t| t.is_sym("*")) {
        after += 1;
    }
    let ranges = split_commas(&toks, after, end(&toks));
    let whole = (after, end(&toks));
    let same = ranges.len() == actions.len();
    let actions = actions.into_iter().enumerate().map(|(i, a)| (a, if same { ranges[i] } else { whole })).collect();
    Some(AlterTable { name, actions, toks, name_at })
}

/// The statements of the files the rules check (forward migrations not yet deployed), whether they
/// parsed or not, with the catalog at the start of their migration.
pub(super) struct FolderStatement<'a> {
    pub span: Span,
    pub text: &'a str,
    /// The catalog before the statement's migration ran.
    pub start: &'a Catalog,
    /// Whether the file runs inside one transaction.
    pub in_transaction: bool,
}

pub(super) fn folder_statements<'a>(cx: &FolderCx<'a>, keep: impl Fn(&str) -> bool) -> Vec<FolderStatement<'a>> {
    let analysis = cx.analysis;
    let deployed = cx.options.rules.deployed.as_deref().and_then(crate::migrations::Version::parse);
    // Per file, computed once: where its migration sits and whether it runs in a transaction.
    let mut per_file: rustc_hash::FxHashMap<u32, (&'a crate::catalog::Catalog, bool)> = Default::default();
    let mut out = Vec::new();
    for info in &analysis.statements {
        let Some(file) = analysis.files.get(info.span.file as usize) else { continue };
        let Some(text) = file.text.get(info.span.range()) else { continue };
        // Cheap first: most statements are not what the rule looks for.
        if !keep(text) {
            continue;
        }
        let Some(m) = info.migration.and_then(|i| analysis.plan.forward.get(i)) else { continue };
        if m.role != crate::migrations::Role::Forward {
            continue;
        }
        if let (Some(d), Some(v)) = (&deployed, &m.version)
            && v.cmp_number(d).is_le()
        {
            continue;
        }
        let (start, in_transaction) = *per_file.entry(m.file).or_insert_with(|| {
            let position = analysis.migrations.iter().position(|r| r.file == m.file);
            let start = match position {
                Some(0) | None => &analysis.initial,
                Some(p) => &analysis.migrations[p - 1].catalog,
            };
            let in_transaction = cx.settings.runner == crate::analysis::Runner::Transaction
                && !crate::migrations::runs_outside_transaction(&file.text);
            (start, in_transaction)
        });
        out.push(FolderStatement { span: info.span, text, start, in_transaction });
    }
    out
}

/// `text` past leading whitespace and comments.
fn skip_comments(text: &str) -> &str {
    let mut rest = text.trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("--") {
            rest = after.split_once('\n').map_or("", |(_, r)| r).trim_start();
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, r)| r).trim_start();
        } else {
            return rest;
        }
    }
}

/// Whether `text` starts with these words (ASCII case-insensitive), without tokenizing it: a quick
/// filter before [`tokens`].
pub(super) fn starts_with_words(text: &str, words: &[&str]) -> bool {
    let mut rest = skip_comments(text);
    for w in words {
        rest = rest.trim_start();
        match rest.get(..w.len()) {
            Some(head) if head.eq_ignore_ascii_case(w) => rest = &rest[w.len()..],
            _ => return false,
        }
        if rest.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
            return false;
        }
    }
    true
}

impl FolderStatement<'_> {
    /// A span inside this statement, from byte offsets relative to its text.
    pub fn sub_span(&self, start: usize, end: usize) -> Span {
        Span::new(self.span.file, self.span.start as usize + start, self.span.start as usize + end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_skip_comments_and_keep_offsets() {
        let text = "ALTER /* x */ TABLE \"Orders\" -- c\n ADD  COLUMN a int;";
        let toks = tokens(text);
        assert!(toks[0].is("ALTER") && toks[1].is("TABLE"));
        assert_eq!(toks[2].ident().as_deref(), Some("Orders"));
        assert_eq!(&text[toks[3].start..toks[3].end], "ADD");
        assert_eq!(find_words(&toks, 0, &["ADD", "COLUMN"]), Some(3));
        assert!(starts_with(&toks, &["ALTER", "TABLE"]));
        assert!(!starts_with(&toks, &["ALTER", "TABLE", "X", "Y", "Z", "W", "V", "U", "T"]));
    }

    #[test]
    fn commas_inside_parentheses_do_not_split() {
        let toks = tokens("a numeric(10, 2), b int[], c text");
        assert_eq!(split_commas(&toks, 0, toks.len()).len(), 3);
    }

    #[test]
    fn multibyte_text_keeps_byte_offsets() {
        let text = "COMMENT ON TABLE t IS 'é'; ALTER";
        let toks = tokens(text);
        let last = toks.last().unwrap();
        assert_eq!(&text[last.start..last.end], "ALTER");
    }
}
