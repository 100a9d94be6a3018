//! What the schema rules share: each migration with the catalog before and after it (for the rules
//! that judge a migration as a whole, so that a later statement of the same migration can settle what an
//! earlier one started), whether a foreign key has an index, how indexes compare, and narrow spans.

use crate::analysis::StatementInfo;
use crate::catalog::QualName;
use crate::catalog::model::{Catalog, ConstraintKind, ForeignKey, Index, IndexKey, Table};
use crate::catalog::names::{quote_ident, relation_name};
use crate::migrations::Version;
use crate::span::Span;

use super::FolderCx;

/// One forward migration as a step of the history.
pub(super) struct Step<'a> {
    /// Index into [`crate::analysis::Analysis::migrations`].
    pub index: usize,
    pub file: u32,
    pub before: &'a Catalog,
    pub after: &'a Catalog,
    /// Already deployed (`deployed` in the project file): it cannot change any more, rules leave it alone.
    pub deployed: bool,
}

/// Every migration, in run order.
pub(super) fn steps<'a>(cx: &'a FolderCx<'a>) -> Vec<Step<'a>> {
    let a = cx.analysis;
    let deployed = cx.options.rules.deployed.as_deref().and_then(Version::parse);
    a.migrations
        .iter()
        .enumerate()
        .map(|(i, m)| Step {
            index: i,
            file: m.file,
            before: if i == 0 { &a.initial } else { &a.migrations[i - 1].catalog },
            after: &m.catalog,
            deployed: deployed
                .as_ref()
                .is_some_and(|d| Version::parse(&m.version).is_some_and(|v| v.cmp_number(d).is_le())),
        })
        .collect()
}

/// The schema at the end of the history: after the last migration (a failed one leaves what the runner
/// leaves).
pub(super) fn final_catalog<'a>(cx: &'a FolderCx<'a>) -> &'a Catalog {
    cx.analysis.migrations.last().map_or(&cx.analysis.initial, |m| &m.catalog)
}

/// For each step, the OIDs of the tables it changed, or whose indexes it changed
/// ([`crate::analysis::MigrationResult::touched`], computed once per run).
pub(super) fn touched_tables<'a>(cx: &'a FolderCx<'a>, steps: &[Step<'_>]) -> Vec<&'a std::collections::BTreeSet<u32>> {
    steps.iter().map(|s| &*cx.analysis.migrations[s.index].touched).collect()
}

/// [`became_true`] for a state that depends only on the table with OID `oid` and its indexes: the steps
/// that did not touch it (`touched`, from [`touched_tables`]) keep the state and are not evaluated.
pub(super) fn became_true_on<'s, 'a>(
    steps: &'s [Step<'a>],
    touched: &[&std::collections::BTreeSet<u32>],
    oid: u32,
    state: impl Fn(&Catalog) -> bool,
) -> Option<&'s Step<'a>> {
    steps.iter().zip(touched).rev().find(|(s, t)| t.contains(&oid) && !state(s.before)).map(|(s, _)| s)
}

/// Walks back from the end of the history to the migration where `state` last became true: the first
/// step (going backwards) whose `before` catalog does not have it. `None` when it held before the
/// first migration (the prelude made it so).
pub(super) fn became_true<'s, 'a>(steps: &'s [Step<'a>], state: impl Fn(&Catalog) -> bool) -> Option<&'s Step<'a>> {
    steps.iter().rev().find(|s| !state(s.before))
}

/// The statements a migration ran (applied or not), in order.
pub(super) fn statements_of<'a>(cx: &'a FolderCx<'a>, step: &Step<'_>) -> impl Iterator<Item = &'a StatementInfo> {
    let index = step.index;
    cx.analysis.statements.iter().filter(move |s| s.migration == Some(index))
}

/// The text a span covers.
pub(super) fn text_of<'a>(cx: &'a FolderCx<'a>, span: Span) -> &'a str {
    cx.analysis.files.get(span.file as usize).and_then(|f| f.text.get(span.range())).unwrap_or("")
}

/// Byte offset of the first occurrence of `word` in `text` as a whole word (ASCII case-insensitive).
pub(super) fn find_word(text: &str, word: &str) -> Option<usize> {
    if word.is_empty() {
        return None;
    }
    let hay = text.to_ascii_lowercase();
    let needle = word.to_ascii_lowercase();
    let is_word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
    let bytes = hay.as_bytes();
    let mut from = 0;
    while let Some(i) = hay.get(from..).and_then(|h| h.find(&needle)) {
        let start = from + i;
        let end = start + needle.len();
        let before_ok = start == 0 || !is_word(bytes[start - 1]);
        let after_ok = end >= bytes.len() || !is_word(bytes[end]);
        if before_ok && after_ok {
            return Some(start);
        }
        from = start + 1;
        while from < hay.len() && !hay.is_char_boundary(from) {
            from += 1;
        }
    }
    None
}

/// Whether `text` mentions `word` as a whole word.
pub(super) fn mentions(text: &str, word: &str) -> bool {
    find_word(text, word).is_some()
}

/// The span of `word` inside the statement at `span` (of text `text`), if its code has it (string
/// literals and comments are not searched: a guard's `WHERE conname = 'k'` is not where `k` is made).
pub(super) fn word_in(span: Span, text: &str, word: &str) -> Option<Span> {
    let i = super::table_ops::find_word(text, word, 0)?;
    Some(Span::new(span.file, span.start as usize + i, span.start as usize + i + word.len()))
}

/// The first line of the statement at `span` that mentions every word of `words`, trimmed.
pub(super) fn line_with(span: Span, text: &str, words: &[&str]) -> Option<Span> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        if words.iter().all(|w| mentions(line, w)) {
            let lead = line.len() - line.trim_start().len();
            let body = line.trim();
            let from = span.start as usize + start + lead;
            return Some(Span::new(span.file, from, from + body.len()));
        }
    }
    None
}

/// Where a foreign key is written inside the statement that created it: its name when the statement
/// names it, else the line that declares it, else the whole statement.
pub(super) fn fk_span(span: Span, text: &str, constraint: &str, fk: &ForeignKey) -> Span {
    if let Some(s) = word_in(span, text, constraint) {
        return s;
    }
    let first = fk.columns.first().map(String::as_str).unwrap_or("");
    line_with(span, text, &[first, "references"]).or_else(|| line_with(span, text, &["foreign", first])).unwrap_or(span)
}

/// A zero-width span right after the statement's terminating semicolon (or its end), to insert text.
pub(super) fn after_statement(file_text: &str, span: Span) -> Span {
    let end = span.end as usize;
    let rest = file_text.get(end..).unwrap_or("");
    let skipped = rest.len() - rest.trim_start().len();
    let at = if rest[skipped..].starts_with(';') { end + skipped + 1 } else { end };
    Span::new(span.file, at, at)
}

/// The statement's span widened to its semicolon and the line break after it, to delete it whole.
pub(super) fn whole_statement(file_text: &str, span: Span) -> Span {
    let end = after_statement(file_text, span).end as usize;
    let rest = file_text.get(end..).unwrap_or("");
    let line_end = rest.find('\n').filter(|&i| rest[..i].trim().is_empty()).map_or(end, |i| end + i + 1);
    Span::new(span.file, span.start as usize, line_end)
}

/// Whether an index key is the plain column `column` (no expression, collation or ordering that an
/// equality lookup could not use).
fn key_is_column(key: &IndexKey, column: &str) -> bool {
    key.expr == quote_ident(column) && key.collation.is_none()
}

/// Whether a partial index's predicate holds for every row an equality lookup on `columns` can find:
/// `col IS NOT NULL` conditions on those columns only (`col = $1` implies them, and PostgreSQL proves it).
fn implied_by_equality(predicate: &str, columns: &[String]) -> bool {
    predicate.split(" AND ").all(|part| {
        let part = part.trim();
        let part = part.strip_prefix('(').and_then(|p| p.strip_suffix(')')).unwrap_or(part);
        columns.iter().any(|c| part == format!("{} IS NOT NULL", quote_ident(c)))
    })
}

/// Whether `index` can find the rows of its table whose `columns` equal given values: a btree (or, for
/// one column, hash) index whose leading keys are exactly those columns, in any order, and that is not
/// partial (or only leaves out rows where those columns are NULL, which no lookup finds anyway).
pub(super) fn index_covers(index: &Index, columns: &[String]) -> bool {
    let n = columns.len();
    if n == 0 || index.keys.len() < n {
        return false;
    }
    if index.predicate.as_deref().is_some_and(|p| !implied_by_equality(p, columns)) {
        return false;
    }
    let method_ok = index.method == "btree" || (index.method == "hash" && n == 1);
    method_ok && columns.iter().all(|c| index.keys[..n].iter().any(|k| key_is_column(k, c)))
}

/// The indexes of `table` that serve the lookups a foreign key on `columns` needs.
pub(super) fn covering_indexes<'a>(catalog: &'a Catalog, table: &'a Table, columns: &'a [String]) -> Vec<&'a Index> {
    catalog.indexes_of(&table.name).filter(|i| index_covers(i, columns)).collect()
}

/// A foreign key of the table with this OID and constraint name.
pub(super) fn foreign_key<'a>(catalog: &'a Catalog, oid: u32, name: &str) -> Option<(&'a Table, &'a ForeignKey)> {
    let table = catalog.table_by_oid(oid)?;
    let c = table.constraint(name)?;
    match &c.kind {
        ConstraintKind::ForeignKey(fk) => Some((table, fk)),
        _ => None,
    }
}

/// `(a, b DESC)`: an index's keys as `pg_get_indexdef` shows them, with its INCLUDE columns.
pub(super) fn index_keys(index: &Index) -> String {
    let keys: Vec<String> = index
        .keys
        .iter()
        .map(|k| {
            let mut s = k.expr.clone();
            if let Some(op) = &k.opclass {
                s.push(' ');
                s.push_str(op);
            }
            if k.desc {
                s.push_str(" DESC");
            }
            match k.nulls_first {
                Some(true) => s.push_str(" NULLS FIRST"),
                Some(false) => s.push_str(" NULLS LAST"),
                None => {}
            }
            s
        })
        .collect();
    let mut out = format!("({})", keys.join(", "));
    if !index.include.is_empty() {
        let inc: Vec<String> = index.include.iter().map(|c| quote_ident(c)).collect();
        out.push_str(&format!(" INCLUDE ({})", inc.join(", ")));
    }
    if let Some(p) = &index.predicate {
        out.push_str(&format!(" WHERE {p}"));
    }
    out
}

/// How a message names an index: `index orders_customer_idx`, or the constraint that owns it.
pub(super) fn index_label(index: &Index) -> String {
    match (&index.constraint, index.primary) {
        (Some(_), true) => format!("primary key {}", quote_ident(&index.name.name)),
        (Some(c), false) if index.unique => format!("unique constraint {}", quote_ident(c)),
        (Some(c), false) => format!("exclusion constraint {}", quote_ident(c)),
        (None, _) => format!("index {}", relation_name(&index.name)),
    }
}

/// Where a span sits in the history: the step of its file (looked up once per file) and its offset.
pub(super) struct Positions(rustc_hash::FxHashMap<u32, usize>);

impl Positions {
    pub(super) fn new(steps: &[Step<'_>]) -> Positions {
        let mut map = rustc_hash::FxHashMap::default();
        for (i, s) in steps.iter().enumerate() {
            map.entry(s.file).or_insert(i);
        }
        Positions(map)
    }

    pub(super) fn of(&self, span: Span) -> Option<(usize, u32)> {
        self.0.get(&span.file).map(|&i| (i, span.start))
    }
}

/// The indexes an index rule that judges table by table looks at in `catalog`: those of the tables it
/// judges (every table without a scope) and those of materialized views (judged every time), in name
/// order, each with its table; and the same indexes grouped by table, in name order within each.
pub(super) struct JudgedIndexes<'c> {
    pub list: Vec<(&'c Index, Option<&'c crate::catalog::Table>)>,
    pub by_table: rustc_hash::FxHashMap<&'c crate::catalog::QualName, Vec<&'c Index>>,
}

pub(super) fn judged_indexes<'c>(cx: &FolderCx<'_>, catalog: &'c Catalog) -> JudgedIndexes<'c> {
    let mut out = JudgedIndexes { list: Vec::new(), by_table: rustc_hash::FxHashMap::default() };
    let Some(scope) = cx.scope else {
        for i in catalog.indexes.values() {
            out.list.push((i, catalog.table(&i.table)));
            out.by_table.entry(&i.table).or_default().push(i);
        }
        return out;
    };
    // After an edit, the indexes of the tables in scope and of the relations that are not tables
    // (materialized views, judged every time), without visiting every index.
    let mut relations: Vec<(QualName, Option<&'c Table>)> = catalog
        .tables
        .values()
        .filter(|t| scope.tables.contains(&t.oid))
        .map(|t| (t.name.clone(), Some(&**t)))
        .collect();
    relations.extend(
        crate::catalog::names::relations_with_indexes(catalog)
            .into_iter()
            .filter(|q| !catalog.tables.contains_key(q))
            .map(|q| (q, None)),
    );
    for (q, table) in relations {
        for i in catalog.indexes_of(&q) {
            out.list.push((i, table));
            out.by_table.entry(&i.table).or_default().push(i);
        }
    }
    // In the order of the catalog's index map, as without a scope.
    out.list.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    out
}

/// Where the history's CREATE INDEX statements are (a fix may delete one whole), listed on first use.
pub(super) struct CreateIndexes<'a> {
    cx: &'a FolderCx<'a>,
    spans: std::cell::OnceCell<rustc_hash::FxHashSet<Span>>,
}

impl<'a> CreateIndexes<'a> {
    pub(super) fn new(cx: &'a FolderCx<'a>) -> CreateIndexes<'a> {
        CreateIndexes { cx, spans: std::cell::OnceCell::new() }
    }

    /// Whether the statement at `span` is a CREATE INDEX.
    pub(super) fn at(&self, span: Span) -> bool {
        self.spans
            .get_or_init(|| {
                let statements = self.cx.analysis.statements.iter();
                statements
                    .filter(|s| &*s.kind == "CREATE INDEX" || &*s.kind == "CREATE UNIQUE INDEX")
                    .map(|s| s.span)
                    .collect()
            })
            .contains(&span)
    }
}

fn sorted(v: &[String]) -> Vec<&String> {
    let mut out: Vec<&String> = v.iter().collect();
    out.sort();
    out
}

/// Whether two indexes of a table are the same index twice: same method, keys (with their operator
/// classes, collations and ordering), INCLUDE columns, predicate and uniqueness.
pub(super) fn duplicates(x: &Index, y: &Index) -> bool {
    x.name != y.name
        && x.table == y.table
        && x.method == y.method
        && x.keys == y.keys
        && x.predicate == y.predicate
        && x.unique == y.unique
        && x.nulls_not_distinct == y.nulls_not_distinct
        && sorted(&x.include) == sorted(&y.include)
}

/// Whether `x` is redundant given `y`: both btree with the same predicate, `x`'s keys a prefix of `y`'s
/// (same ordering, operator classes and collations) and its INCLUDE columns in `y` too. A unique index,
/// a constraint's index, or one chosen for CLUSTER or the replica identity is never redundant: it does
/// more than speed up lookups.
pub(super) fn covered_by(x: &Index, y: &Index) -> bool {
    let n = x.keys.len();
    x.name != y.name
        && x.table == y.table
        && x.method == "btree"
        && y.method == "btree"
        && !x.unique
        && x.constraint.is_none()
        && !x.clustered
        && !x.replica_identity
        && x.predicate == y.predicate
        && n > 0
        && n <= y.keys.len()
        && x.keys[..] == y.keys[..n]
        && x.include.iter().all(|c| y.include.contains(c) || y.keys.iter().any(|k| k.expr == quote_ident(c)))
        && !duplicates(x, y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_whole_and_case_insensitive() {
        assert_eq!(find_word("ALTER TABLE orders_x ADD orders", "orders"), Some(25));
        assert_eq!(find_word("a \"Orders\" b", "orders"), Some(3));
        assert_eq!(find_word("ordersorders", "orders"), None);
        assert_eq!(find_word("é orders", "orders"), Some(3));
        assert_eq!(find_word("", ""), None);
    }

    #[test]
    fn insertion_points_follow_the_semicolon() {
        let text = "CREATE TABLE t (id int) ;\nSELECT 1";
        let span = Span::new(0, 0, 23);
        assert_eq!(after_statement(text, span), Span::new(0, 25, 25));
        assert_eq!(whole_statement(text, span), Span::new(0, 0, 26));
        let bare = Span::new(0, 26, 34);
        assert_eq!(after_statement(text, bare), Span::new(0, 34, 34));
    }
}
