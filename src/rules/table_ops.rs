//! What the lock and rewrite rules share: the actions of an ALTER TABLE (whichever way it parsed), the
//! words of a statement sqlparser does not model (`VACUUM`, `REINDEX`, `SET`), the relations that existed
//! before the file, and narrow spans inside a statement. The locks themselves come from `crate::locks`.

use sqlparser::ast::{AlterTableOperation, Ident, ObjectName, Statement};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

use super::StatementCx;
use crate::catalog::names::relation_name;
use crate::catalog::{Catalog, QualName, Table};
use crate::span::Span;
use crate::sql::alter_table::AlterPart;
use crate::sql::parse::Parsed;

/// The table an ALTER TABLE names and the operations sqlparser parsed (the hand-read ones left out), or
/// `None` for any other statement.
pub(super) fn alter_ops(parsed: &Parsed) -> Option<(ObjectName, Vec<&AlterTableOperation>)> {
    match parsed {
        Parsed::Statement(s, _) => match &**s {
            Statement::AlterTable(at) => Some((at.name.clone(), at.operations.iter().collect())),
            _ => None,
        },
        Parsed::AlterTableParts { target, parts, .. } => {
            let mut name = None;
            let mut ops = Vec::new();
            for part in parts {
                if let AlterPart::Parsed(s) = part
                    && let Statement::AlterTable(at) = &**s
                {
                    name.get_or_insert_with(|| at.name.clone());
                    ops.extend(at.operations.iter());
                }
            }
            let name = name.unwrap_or_else(|| {
                ObjectName::from(target.name.iter().map(|p| Ident::with_quote('"', p.clone())).collect::<Vec<_>>())
            });
            Some((name, ops))
        }
        _ => None,
    }
}

/// A significant token of a statement: words in upper case (quoted identifiers as written, marked),
/// strings, numbers and symbols.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok {
    Word(String),
    Quoted(String),
    Str(String),
    Num(String),
    Sym(String),
}

impl Tok {
    pub(super) fn is(&self, kw: &str) -> bool {
        matches!(self, Tok::Word(w) if w == kw)
    }

    /// The identifier this token names, folded as PostgreSQL folds it.
    pub(super) fn ident(&self) -> Option<String> {
        match self {
            Tok::Word(w) => Some(w.to_ascii_lowercase()),
            Tok::Quoted(q) => Some(q.clone()),
            _ => None,
        }
    }
}

/// The significant tokens of `text` (comments and whitespace left out); empty if it does not tokenize.
pub(super) fn tokens(text: &str) -> Vec<Tok> {
    let Ok(tokens) = Tokenizer::new(&PostgreSqlDialect {}, text).tokenize() else { return Vec::new() };
    tokens
        .into_iter()
        .filter_map(|t| match t {
            Token::Whitespace(_) | Token::EOF => None,
            Token::Word(w) if w.quote_style.is_some() => Some(Tok::Quoted(w.value)),
            Token::Word(w) => Some(Tok::Word(w.value.to_ascii_uppercase())),
            Token::SingleQuotedString(s) => Some(Tok::Str(s)),
            Token::DollarQuotedString(s) => Some(Tok::Str(s.value)),
            Token::Number(n, _) => Some(Tok::Num(n)),
            other => Some(Tok::Sym(other.to_string())),
        })
        .collect()
}

/// A dotted name starting at `toks[k]`: its parts and the index after it.
pub(super) fn dotted_name(toks: &[Tok], mut k: usize) -> (Vec<String>, usize) {
    let mut parts = Vec::new();
    while let Some(part) = toks.get(k).and_then(Tok::ident) {
        parts.push(part);
        k += 1;
        if toks.get(k).is_some_and(|t| *t == Tok::Sym(".".into())) {
            k += 1;
        } else {
            break;
        }
    }
    (parts, k)
}

/// An sqlparser name from already folded parts.
pub(super) fn object_name(parts: &[String]) -> ObjectName {
    ObjectName::from(parts.iter().map(|p| Ident::with_quote('"', p.clone())).collect::<Vec<_>>())
}

/// Where a statement looks up relations: the catalog it runs on, and the file's starting catalog
/// (a relation not in it was created by this file, is empty, and is invisible to other sessions).
#[derive(Clone, Copy)]
pub(super) struct Env<'a> {
    pub catalog: &'a Catalog,
    pub start: &'a Catalog,
}

impl<'a> Env<'a> {
    /// For the statement being checked.
    pub(super) fn of(cx: &'a StatementCx<'_>) -> Env<'a> {
        Env { catalog: cx.before, start: &cx.file.start }
    }

    fn existed(&self, table: &Table) -> bool {
        self.start.had_table_oid(table.oid)
    }

    /// The table `name` names, when it existed before the file.
    pub(super) fn existing_table(&self, name: &ObjectName) -> Option<&'a Table> {
        let table = self.catalog.table(&self.catalog.resolve(name))?;
        self.existed(table).then_some(table)
    }

    /// An index `name` and the relation it is on, as messages name it (`orders`, `materialized view
    /// totals`), when both existed before the file.
    pub(super) fn existing_index(&self, name: &ObjectName) -> Option<(QualName, String)> {
        let qual = self.catalog.resolve(name);
        let index = self.catalog.indexes.get(&qual)?;
        if !self.start.indexes.contains_key(&qual) {
            return None;
        }
        if let Some(table) = self.catalog.table(&index.table) {
            return self.existed(table).then(|| (qual, relation_name(&table.name)));
        }
        let view = self.catalog.views.get(&index.table).filter(|v| v.materialized)?;
        self.start
            .views
            .contains_key(&view.name)
            .then(|| (qual, format!("materialized view {}", relation_name(&view.name))))
    }
}

/// `REINDEX [ ( options ) ] { INDEX | TABLE | SCHEMA | DATABASE | SYSTEM } [ CONCURRENTLY ] name`: the
/// kind and the name.
pub(super) fn reindex_target(toks: &[Tok]) -> Option<(String, Vec<String>)> {
    let mut k = 1;
    if toks.get(k).is_some_and(|t| *t == Tok::Sym("(".into())) {
        while toks.get(k).is_some_and(|t| *t != Tok::Sym(")".into())) {
            k += 1;
        }
        k += 1;
    }
    let Some(Tok::Word(kind)) = toks.get(k) else { return None };
    let kind = kind.clone();
    k += 1;
    if toks.get(k).is_some_and(|t| t.is("CONCURRENTLY")) {
        k += 1;
    }
    Some((kind, dotted_name(toks, k).0))
}

/// The span of the first whole word `word` (ASCII case-insensitive) in the statement at or after byte
/// `from` of its text, outside quotes.
pub(super) fn word_span(cx: &StatementCx<'_>, word: &str, from: usize) -> Option<Span> {
    let at = find_word(cx.text, word, from)?;
    Some(cx.sub_span(at, at + word.len()))
}

/// Byte offset of the first whole word `word` (ASCII case-insensitive) in `text` at or after `from`,
/// in the code only: string literals (`'…'`, `E'…'`) and comments (`--`, nested `/* */`) are skipped;
/// quoted identifiers and dollar-quoted bodies (the code of a `DO` block or a function) are searched.
pub(super) fn find_word(text: &str, word: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let needle = word.as_bytes();
    if needle.is_empty() {
        return None;
    }
    // `$` continues a name (`a$b`) and closes a dollar-quote tag (`$a$`): neither is the word.
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' => {
                // An E'…' string escapes with backslashes; any string doubles its quotes.
                let escapes = i >= 1 && bytes[i - 1].eq_ignore_ascii_case(&b'e') && (i < 2 || !is_ident(bytes[i - 2]));
                i += 1;
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' if escapes => i += 2,
                        b'\'' if bytes.get(i + 1) == Some(&b'\'') => i += 2,
                        b'\'' => break,
                        _ => i += 1,
                    }
                }
                i += 1;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let mut depth = 0usize;
                while i < bytes.len() {
                    if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            _ => {
                if i >= from
                    && (i == 0 || !is_ident(bytes[i - 1]))
                    && bytes.get(i..i + needle.len()).is_some_and(|b| b.eq_ignore_ascii_case(needle))
                    && bytes.get(i + needle.len()).is_none_or(|b| !is_ident(*b))
                {
                    return Some(i);
                }
                i += 1;
            }
        }
    }
    None
}

/// An empty span at the end of the statement (before its `;`), to append a clause.
pub(super) fn end_of(cx: &StatementCx<'_>) -> Span {
    Span::new(cx.span.file, cx.span.end as usize, cx.span.end as usize)
}

/// An empty span right after `span`.
pub(super) fn after(span: Span) -> Span {
    Span::new(span.file, span.end as usize, span.end as usize)
}

/// The display name of a column for messages.
pub(super) fn column_label(table: &Table, column: &str) -> String {
    format!("{}.{}", relation_name(&table.name), crate::catalog::names::quote_ident(column))
}

/// The plain columns of a PRIMARY KEY / UNIQUE column list, or `None` when one is an expression.
pub(super) fn key_columns(columns: &[sqlparser::ast::IndexColumn]) -> Option<Vec<String>> {
    columns
        .iter()
        .map(|c| match &c.column.expr {
            sqlparser::ast::Expr::Identifier(id) => Some(crate::catalog::names::fold(id)),
            _ => None,
        })
        .collect()
}

/// A unique index of `table` that `ADD CONSTRAINT … USING INDEX` could adopt for `columns`: plain btree
/// keys in that order, no predicate, not yet owned by a constraint.
pub(super) fn adoptable_index<'c>(
    catalog: &'c Catalog,
    table: &Table,
    columns: &[String],
) -> Option<&'c crate::catalog::Index> {
    // The cheap tests first: most indexes are not unique, or belong to a constraint already.
    catalog.indexes_of(&table.name).find(|i| {
        i.unique
            && i.constraint.is_none()
            && i.predicate.is_none()
            && i.keys.len() == columns.len()
            && i.method == "btree"
            && i.keys.iter().zip(columns).all(|(k, c)| {
                k.expr == crate::catalog::names::quote_ident(c)
                    && !k.desc
                    && k.nulls_first.is_none()
                    && k.opclass.is_none()
            })
    })
}

/// The forward migrations the rules look at (deployed ones left out), each with the catalog it starts
/// from, in run order.
pub(super) fn forward_migrations<'a>(
    cx: &super::FolderCx<'a>,
) -> Vec<(&'a crate::migrations::MigrationFile, &'a Catalog)> {
    let analysis = cx.analysis;
    let deployed = cx.options.rules.deployed.as_deref().and_then(crate::migrations::Version::parse);
    let mut out = Vec::new();
    let forward = analysis.plan.forward.iter().filter(|m| m.role == crate::migrations::Role::Forward);
    for (k, m) in forward.enumerate() {
        let start = if k == 0 {
            &analysis.initial
        } else {
            analysis.migrations.get(k - 1).map_or(&analysis.initial, |r| &r.catalog)
        };
        let is_deployed = m.version.as_ref().zip(deployed.as_ref()).is_some_and(|(v, d)| v.cmp_number(d).is_le());
        if !is_deployed {
            out.push((m, start));
        }
    }
    out
}

/// Whether a transaction block the file opened itself (BEGIN / START TRANSACTION) is open when this
/// statement runs, and the span of the BEGIN that opened it. `ROLLBACK TO SAVEPOINT` does not end it.
pub(super) fn open_begin(cx: &StatementCx<'_>) -> Option<Span> {
    let mut open = None;
    for e in cx.file.earlier.iter().filter(|e| e.span.file == cx.span.file) {
        let toks = tokens(cx.text_of(e.span));
        let (Some(first), second) = (toks.first(), toks.get(1)) else { continue };
        if first.is("BEGIN") || (first.is("START") && second.is_some_and(|t| t.is("TRANSACTION"))) {
            open.get_or_insert(e.span);
        } else if first.is("COMMIT")
            || first.is("END")
            || first.is("ABORT")
            || (first.is("ROLLBACK") && !second.is_some_and(|t| t.is("TO")))
            || (first.is("PREPARE") && second.is_some_and(|t| t.is("TRANSACTION")))
        {
            open = None;
        }
    }
    open
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_found_whole_and_outside_quotes() {
        let text = "ALTER TABLE t ADD COLUMN default_x text DEFAULT 'default'";
        assert_eq!(find_word(text, "default", 0), Some(text.rfind("DEFAULT").unwrap_or(0)));
        assert_eq!(find_word(text, "nothing", 0), None);
        assert_eq!(find_word(text, "", 0), None);
    }

    #[test]
    fn words_are_found_in_code_not_in_strings_or_comments() {
        // The name in the guard's string and in the comments is not the one the statement writes.
        let text = "DO $$ BEGIN -- add k\n /* k /* nested k */ k */ IF NOT EXISTS (SELECT 1 WHERE c = 'k' \
                    OR c = E'\\' k' OR c = 'it''s k') THEN ALTER TABLE t ADD CONSTRAINT k UNIQUE (a); END IF; END $$";
        assert_eq!(find_word(text, "k", 0), text.find("CONSTRAINT k").map(|i| i + "CONSTRAINT ".len()));
        // Quoted identifiers are code: `"K"` is found, case aside.
        assert_eq!(find_word("ALTER TABLE \"K\" ADD x", "k", 0), Some(13));
        // An unterminated string or comment ends the search without a panic.
        assert_eq!(find_word("SELECT 'k", "k", 0), None);
        assert_eq!(find_word("SELECT /* k", "k", 0), None);
        assert_eq!(find_word("SELECT e'\\", "k", 0), None);
        assert_eq!(find_word("é k", "k", 0), Some(3));
        // A dollar-quote tag is not the word.
        assert_eq!(find_word("DO $k$ BEGIN ALTER TABLE t ADD k int; END $k$", "k", 0), Some(31));
    }

    #[test]
    fn tokens_and_reindex_targets() {
        let toks = tokens("REINDEX (VERBOSE) INDEX CONCURRENTLY app.\"Idx\"");
        assert_eq!(reindex_target(&toks), Some(("INDEX".into(), vec!["app".into(), "Idx".into()])));
        assert!(tokens("VACUUM 'unterminated").is_empty());
    }
}
