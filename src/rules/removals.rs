//! What the drop and rename rules share: the actions of an ALTER TABLE (whichever way it parsed),
//! whether an object was already there when the file started (objects created earlier in the same file
//! are not in use yet), what else disappears with a dropped object (the catalog before and after,
//! compared object by object), whether a later statement of the file puts the object back, and narrow
//! spans found in the statement's own tokens.

use std::sync::Arc;

use sqlparser::ast::{AlterTableOperation, ObjectName, Statement};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

use super::StatementCx;
use crate::catalog::derived::{Derive, Derived};
use crate::catalog::model::{Column, ConstraintKind, Function, Table, UserTypeKind};
use crate::catalog::names::{self, quote_ident, relation_name};
use crate::catalog::{Catalog, QualName};
use crate::span::{LineCol, OffsetCursor, Span};
use crate::sql::alter_table::{AlterPart, ManualAction};
use crate::sql::parse::{Extras, Parsed};

/// One action of an ALTER TABLE.
pub(super) enum Action<'a> {
    Op(&'a AlterTableOperation),
    Manual(&'a ManualAction),
}

/// The table an ALTER TABLE names (resolved against the catalog before it) and its actions, whether
/// sqlparser parsed the statement whole or it arrived split into parts.
pub(super) fn alter_table<'a>(cx: &StatementCx<'a>) -> Option<(QualName, Vec<Action<'a>>)> {
    match cx.parsed {
        Parsed::Statement(s, _) => match &**s {
            Statement::AlterTable(at) => Some((cx.resolve(&at.name), at.operations.iter().map(Action::Op).collect())),
            _ => None,
        },
        Parsed::AlterTableParts { target, parts, .. } => {
            let q = match target.name.as_slice() {
                [n] => cx.before.resolve_unqualified(n),
                [.., s, n] => QualName::new(s.clone(), n.clone()),
                [] => return None,
            };
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
            Some((q, actions))
        }
        _ => None,
    }
}

/// The table as it was when the file started (same OID), i.e. the table existed before this file.
pub(super) fn at_start<'a>(cx: &StatementCx<'a>, table: &Table) -> Option<&'a Table> {
    let start = &cx.file.start;
    if !start.had_table_oid(table.oid) {
        return None;
    }
    start.table_with_oid(table.oid, &table.name).map(|t| &**t)
}

/// The table `q` before the statement, when it existed before this file.
pub(super) fn existing_table<'a>(cx: &StatementCx<'a>, q: &QualName) -> Option<&'a Table> {
    let t = cx.before.table(q)?;
    at_start(cx, t).map(|_| t)
}

/// The column `col` of the table `q` before the statement, when both existed before this file (a column
/// dropped and added again in the file has a new number, so it counts as new).
pub(super) fn existing_column<'a>(cx: &StatementCx<'a>, q: &QualName, col: &str) -> Option<(&'a Table, &'a Column)> {
    let t = cx.before.table(q)?;
    let c = t.column(col)?;
    let start = at_start(cx, t)?;
    start.columns.iter().any(|s| s.attnum == c.attnum).then_some((t, c))
}

/// Something that disappears from the catalog, for messages: `view order_totals`,
/// `foreign key items_order_id_fkey on items`, `the default of orders.id`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Gone {
    pub kind: &'static str,
    pub name: String,
}

impl std::fmt::Display for Gone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.kind, self.name)?;
        if matches!(self.kind, "table" | "column") {
            write!(f, " (with its data)")?;
        }
        Ok(())
    }
}

pub(super) fn constraint_kind(kind: &ConstraintKind) -> &'static str {
    match kind {
        ConstraintKind::PrimaryKey { .. } => "primary key",
        ConstraintKind::Unique { .. } => "unique constraint",
        ConstraintKind::Check { .. } => "check constraint",
        ConstraintKind::ForeignKey(_) => "foreign key",
        ConstraintKind::Exclude { .. } => "exclusion constraint",
    }
}

/// `t.c` with the table as ruleutils prints it.
pub(super) fn column_label(table: &QualName, col: &str) -> String {
    format!("{}.{}", relation_name(table), quote_ident(col))
}

/// Everything in `before` that `after` no longer has. Parts of a removed table (its columns, indexes,
/// constraints, triggers, owned sequences) are not listed: they go with the table. Indexes that enforce
/// a constraint go with the constraint.
pub(super) fn gone(before: &Catalog, after: &Catalog) -> Vec<Gone> {
    let mut out = Vec::new();
    let mut removed_tables: Vec<&QualName> = Vec::new();
    let mut removed_columns: Vec<(QualName, String)> = Vec::new();
    let mut defaults = Vec::new();
    // Only what differs is visited: the catalogs share everything else.
    for (_, b) in before.tables.diff(&after.tables).filter_map(old) {
        let Some(a) = after.table_with_oid(b.oid, &b.name) else {
            removed_tables.push(&b.name);
            out.push(Gone { kind: "table", name: relation_name(&b.name) });
            continue;
        };
        let label = relation_name(&a.name);
        for c in &b.columns {
            match a.columns.iter().find(|x| x.attnum == c.attnum) {
                None => {
                    removed_columns.push((b.name.clone(), c.name.to_string()));
                    out.push(Gone { kind: "column", name: column_label(&a.name, &c.name) });
                }
                Some(x) if c.default.is_some() && x.default.is_none() && x.identity.is_none() => {
                    defaults.push(Gone { kind: "the default of", name: column_label(&a.name, &x.name) });
                }
                Some(_) => {}
            }
        }
        for c in b.constraints.iter().filter(|c| a.constraint(&c.name).is_none()) {
            out.push(Gone { kind: constraint_kind(&c.kind), name: format!("{} on {label}", quote_ident(&c.name)) });
        }
        for tr in b.triggers.iter().filter(|tr| !a.triggers.iter().any(|x| x.name == tr.name)) {
            out.push(Gone { kind: "trigger", name: format!("{} on {label}", quote_ident(&tr.name)) });
        }
        for p in b.policies.iter().filter(|p| !a.policies.iter().any(|x| x.name == p.name)) {
            out.push(Gone { kind: "policy", name: format!("{} on {label}", quote_ident(&p.name)) });
        }
    }
    for (q, idx) in before.indexes.diff(&after.indexes).filter_map(old) {
        if after.indexes.contains_key(q) || idx.constraint.is_some() || removed_tables.contains(&&idx.table) {
            continue;
        }
        out.push(Gone { kind: "index", name: relation_name(q) });
    }
    for (q, v) in before.views.diff(&after.views).filter_map(old).filter(|(q, _)| !after.views.contains_key(*q)) {
        out.push(Gone { kind: if v.materialized { "materialized view" } else { "view" }, name: relation_name(q) });
    }
    for (q, s) in
        before.sequences.diff(&after.sequences).filter_map(old).filter(|(q, _)| !after.sequences.contains_key(*q))
    {
        let with_table = s.owned_by.as_ref().is_some_and(|(t, _)| removed_tables.contains(&t));
        if !with_table {
            out.push(Gone { kind: "sequence", name: relation_name(q) });
        }
    }
    for (q, t) in before.types.diff(&after.types).filter_map(old).filter(|(q, _)| !after.types.contains_key(*q)) {
        let kind = if matches!(t.kind, UserTypeKind::Domain { .. }) { "domain" } else { "type" };
        out.push(Gone { kind, name: names::qualified_type_name(&q.schema, &q.name) });
    }
    for (q, list) in before.functions.diff(&after.functions).filter_map(old) {
        for f in list.iter() {
            let kept = after.functions.get(q).is_some_and(|l| l.iter().any(|x| x.arg_types == f.arg_types));
            if !kept {
                out.push(Gone {
                    kind: if f.procedure { "procedure" } else { "function" },
                    name: format!("{}({})", relation_name(q), f.arg_types.join(", ")),
                });
            }
        }
    }
    for (s, _) in before.schemas.diff(&after.schemas).filter_map(old).filter(|(s, _)| !after.schemas.contains_key(*s)) {
        out.push(Gone { kind: "schema", name: quote_ident(s) });
    }
    for (e, _) in
        before.extensions.diff(&after.extensions).filter_map(old).filter(|(e, _)| !after.extensions.contains_key(*e))
    {
        out.push(Gone { kind: "extension", name: e.clone() });
    }
    out.extend(defaults);
    out
}

/// The old entry of a diff item that removed or changed it.
pub(super) fn old<'a, K, V>(item: imbl::ordmap::DiffItem<'a, '_, K, V>) -> Option<(&'a K, &'a V)> {
    match item {
        imbl::ordmap::DiffItem::Remove(k, v) | imbl::ordmap::DiffItem::Update { old: (k, v), .. } => Some((k, v)),
        imbl::ordmap::DiffItem::Add(..) => None,
    }
}

/// What applying `stmt` alone to the catalog before the statement removes, besides the objects
/// `is_target` picks out (the ones the statement names). Used to tell apart the dependents of each
/// object a statement drops.
pub(super) fn gone_with(cx: &StatementCx<'_>, stmt: &Statement, is_target: impl Fn(&Gone) -> bool) -> Vec<Gone> {
    let mut catalog = cx.before.clone();
    let extras = Extras::default();
    let mut ctx = crate::simulate::Ctx::new(cx.span, &extras, false);
    if crate::simulate::statement(&mut catalog, stmt, &mut ctx).is_err() {
        return Vec::new();
    }
    gone(cx.before, &catalog).into_iter().filter(|g| !is_target(g)).collect()
}

/// `a, b and c`, at most `max` items then `and N more`.
pub(super) fn list(items: &[String], max: usize) -> String {
    let shown: Vec<&str> = items.iter().take(max).map(String::as_str).collect();
    let rest = items.len().saturating_sub(max);
    match (shown.as_slice(), rest) {
        ([], _) => String::new(),
        ([one], 0) => (*one).to_string(),
        (_, 0) => format!("{} and {}", shown[..shown.len() - 1].join(", "), shown[shown.len() - 1]),
        (_, n) => format!("{} and {n} more", shown.join(", ")),
    }
}

/// The things a statement takes with it, as a clause: `; it also drops index a and view b`.
pub(super) fn also_drops(gone: &[Gone]) -> String {
    if gone.is_empty() {
        return String::new();
    }
    let items: Vec<String> = gone.iter().map(Gone::to_string).collect();
    format!("; it also drops {}", list(&items, 8))
}

/// A significant token of the statement with its byte range in the statement's text.
pub(super) struct Tok {
    pub token: Token,
    pub start: usize,
    pub end: usize,
}

impl Tok {
    /// Whether the token is `item`: an unquoted word compares without case, a quoted identifier exactly,
    /// anything else by its text.
    pub fn matches(&self, item: &str) -> bool {
        match &self.token {
            Token::Word(w) if w.quote_style.is_none() => w.value.eq_ignore_ascii_case(item),
            Token::Word(w) => w.value == item,
            other => other.to_string() == item,
        }
    }
}

/// The statement's tokens without whitespace and comments; empty when it does not tokenize.
pub(super) fn tokens(text: &str) -> Vec<Tok> {
    let Ok(raw) = Tokenizer::new(&PostgreSqlDialect {}, text).tokenize_with_location() else { return Vec::new() };
    let mut cursor = OffsetCursor::new(text);
    let mut at =
        |l: sqlparser::tokenizer::Location| cursor.offset(LineCol { line: l.line as u32, column: l.column as u32 });
    raw.into_iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_) | Token::EOF))
        .map(|t| Tok { start: at(t.span.start), end: at(t.span.end), token: t.token })
        .collect()
}

/// The span of the first run of tokens matching `pattern` (items starting with `?` are optional; see
/// [`Tok::matches`]), searching from the `skip`-th match on.
pub(super) fn find_seq(cx: &StatementCx<'_>, pattern: &[&str], skip: usize) -> Option<Span> {
    let toks = tokens(cx.text);
    let mut found = 0;
    for start in 0..toks.len() {
        let mut k = start;
        let mut ok = true;
        for item in pattern {
            let (optional, item) = match item.strip_prefix('?') {
                Some(rest) => (true, rest),
                None => (false, *item),
            };
            if toks.get(k).is_some_and(|t| t.matches(item)) {
                k += 1;
            } else if !optional {
                ok = false;
                break;
            }
        }
        if ok && k > start {
            if found == skip {
                return Some(cx.sub_span(toks[start].start, toks[k - 1].end));
            }
            found += 1;
        }
    }
    None
}

/// The tokens of a name as written: `["app", ".", "users"]`.
pub(super) fn name_pattern(name: &ObjectName) -> Vec<String> {
    let parts = names::parts(name);
    let mut out = Vec::new();
    for (i, p) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push(".".to_string());
        }
        out.push(p);
    }
    out
}

/// The span of `name` in the statement (its `nth` occurrence), or the whole statement.
pub(super) fn name_span(cx: &StatementCx<'_>, name: &ObjectName, nth: usize) -> Span {
    let pattern = name_pattern(name);
    let items: Vec<&str> = pattern.iter().map(String::as_str).collect();
    find_seq(cx, &items, nth).unwrap_or(cx.span)
}

/// Whether `found` holds for one of the statements after this one in the same file, up to a rollback
/// section (`-- migrate:down`, `-- +goose Down`), parsed one at a time until one does. Statements that
/// do not parse are left out.
fn any_later(cx: &StatementCx<'_>, mut found: impl FnMut(&Parsed) -> bool) -> bool {
    let Some(file) = cx.files.get(cx.span.file as usize) else { return false };
    let text = file.text.as_ref();
    let from = (cx.span.end as usize).min(text.len());
    let mut end = text.len();
    let mut offset = from;
    for line in text.get(from..).unwrap_or("").split_inclusive('\n') {
        let l = line.trim().to_ascii_lowercase();
        if l.starts_with("-- migrate:down") || l.starts_with("-- +goose down") {
            end = offset;
            break;
        }
        offset += line.len();
    }
    crate::sql::split::split_range(text, from..end)
        .into_iter()
        .filter(|piece| piece.kind == crate::sql::split::PieceKind::Statement)
        .filter_map(|piece| crate::sql::parse::parse(text, piece.start, piece.end).ok())
        .any(|parsed| found(&parsed))
}

/// Whether a later statement of the file puts a dropped object back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Replaced {
    No,
    /// In the same transaction: clients never see it missing.
    InTransaction,
    /// Outside a transaction: clients see it missing in between.
    WithGap,
}

/// Whether a later statement of the file creates the object again (`creates` tells whether a statement
/// does), so that the DROP is part of a replacement. An ALTER TABLE that sqlparser rejects as a whole
/// counts by the actions it could parse.
pub(super) fn replaced(cx: &StatementCx<'_>, creates: impl Fn(&Statement) -> bool) -> Replaced {
    replacement(
        cx,
        any_later(cx, |parsed| match parsed {
            Parsed::Statement(s, _) => creates(s),
            Parsed::AlterTableParts { parts, .. } => {
                parts.iter().any(|p| matches!(p, AlterPart::Parsed(s) if creates(s)))
            }
            _ => false,
        }),
    )
}

/// [`replaced`], for objects that statements sqlparser does not know create (`ALTER DOMAIN … ADD
/// CONSTRAINT`): `creates` sees every later statement as parsed.
pub(super) fn replaced_parsed(cx: &StatementCx<'_>, creates: impl Fn(&Parsed) -> bool) -> Replaced {
    replacement(cx, any_later(cx, creates))
}

fn replacement(cx: &StatementCx<'_>, found: bool) -> Replaced {
    if !found {
        Replaced::No
    } else if cx.in_transaction() {
        Replaced::InTransaction
    } else {
        Replaced::WithGap
    }
}

/// The clause a message gets when the object comes back later in a file that has no transaction.
pub(super) const GAP: &str = "; it is created again later in the file, but the file does not run in a transaction, \
                              so clients fail in between";

/// Functions whose body mentions every one of `words` as a whole identifier (case-insensitive): they
/// name the object by text and break when it is renamed or dropped.
pub(super) fn functions_mentioning(catalog: &Catalog, words: &[&str]) -> Vec<String> {
    let words: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    if words.iter().any(|w| w.is_empty()) {
        return Vec::new();
    }
    if !words.iter().all(|w| w.chars().all(is_ident_char)) {
        // A name that is not one identifier word (quoted, with spaces or dots): read every body.
        let mut out = Vec::new();
        for (q, list) in &catalog.functions {
            for f in list.iter() {
                let lower = f.body.to_lowercase();
                if words.iter().all(|w| mentions(&lower, w)) {
                    out.push(format!("{}({})", relation_name(q), f.arg_types.join(", ")));
                }
            }
        }
        return out;
    }
    BODY_WORDS.with_borrow_mut(|derived| {
        let index = derived.of(&catalog.functions);
        // The names whose functions use every word (each overload is checked below), in the map's order:
        // those of the rarest word that the others' sets hold too.
        let Some(users) = words.iter().map(|w| index.users.get(w.as_str())).collect::<Option<Vec<_>>>() else {
            return Vec::new();
        };
        let Some(rarest) = users.iter().min_by_key(|u| u.len()) else { return Vec::new() };
        let mut names: Vec<&QualName> = rarest.iter().filter(|q| users.iter().all(|u| u.contains(*q))).collect();
        names.sort_unstable();
        let mut out = Vec::new();
        for q in names {
            for (args, body) in index.by_name.get(q).into_iter().flatten() {
                if words.iter().all(|w| body.binary_search_by(|x| (**x).cmp(w.as_str())).is_ok()) {
                    out.push(format!("{}({})", relation_name(q), args));
                }
            }
        }
        out
    })
}

thread_local! {
    static BODY_WORDS: std::cell::RefCell<Derived<QualName, Arc<Vec<Function>>, BodyWords>> = Default::default();
}

/// A body's distinct identifier words, in lower case, sorted (a sorted slice is built without the
/// rehashing a set grows by).
type Words = Box<[Box<str>]>;

/// The identifier words of each function's body, in lower case (a word is mentioned when it is one of
/// them: `mentions` without reading the body again), and for each word the names of the functions
/// whose bodies use it.
#[derive(Default)]
struct BodyWords {
    /// By function name: each overload's argument types and body words, in the map's order.
    by_name: std::collections::BTreeMap<QualName, Vec<(String, Words)>>,
    /// Hashed, not ordered: common words (`new`, `return`) are in most bodies, and inserting into an
    /// ordered set of hundreds of names compares names at every step.
    users: rustc_hash::FxHashMap<Box<str>, rustc_hash::FxHashSet<QualName>>,
}

impl Derive<QualName, Arc<Vec<Function>>> for BodyWords {
    fn add(&mut self, q: &QualName, list: &Arc<Vec<Function>>) {
        let mut overloads = Vec::with_capacity(list.len());
        for f in list.iter() {
            let lower = f.body.to_lowercase();
            let mut words: Vec<&str> = lower.split(|c: char| !is_ident_char(c)).filter(|w| !w.is_empty()).collect();
            words.sort_unstable();
            words.dedup();
            let words: Words = words.into_iter().map(Box::from).collect();
            for w in &words {
                match self.users.get_mut(w) {
                    Some(users) => {
                        users.insert(q.clone());
                    }
                    None => {
                        self.users.insert(w.clone(), rustc_hash::FxHashSet::from_iter([q.clone()]));
                    }
                }
            }
            overloads.push((f.arg_types.join(", "), words));
        }
        self.by_name.insert(q.clone(), overloads);
    }

    fn update(&mut self, q: &QualName, old: &Arc<Vec<Function>>, new: &Arc<Vec<Function>>) {
        // `CREATE OR REPLACE` with the same arguments and body (a migration run again) changes no word.
        let same = old.len() == new.len()
            && old.iter().zip(new.iter()).all(|(a, b)| a.arg_types == b.arg_types && a.body == b.body);
        if !same {
            self.remove(q, old);
            self.add(q, new);
        }
    }

    fn remove(&mut self, q: &QualName, _: &Arc<Vec<Function>>) {
        for (_, words) in self.by_name.remove(q).into_iter().flatten() {
            for w in words {
                if let Some(users) = self.users.get_mut(&*w) {
                    users.remove(q);
                    if users.is_empty() {
                        self.users.remove(&w);
                    }
                }
            }
        }
    }
}

/// The clause for functions that name an object in their body: `; function f() names it in its body
/// and fails when called`, or nothing.
pub(super) fn named_in_functions(functions: &[String]) -> String {
    match functions {
        [] => String::new(),
        [one] => format!("; function {one} names it in its body and fails when called"),
        many => format!("; functions {} name it in their bodies and fail when called", list(many, 5)),
    }
}

/// Whether `word` occurs in `text` as a whole identifier.
fn mentions(text: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(is_ident_char) && !after.is_some_and(is_ident_char)
    })
}

/// A character of an identifier word, as `mentions` reads them.
fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// A statement from SQL text, when it parses as one.
pub(super) fn parse_one(sql: &str) -> Option<Statement> {
    match crate::sql::parse::parse(sql, 0, sql.len()) {
        Ok(Parsed::Statement(s, _)) => Some(*s),
        _ => None,
    }
}

/// A relation name that resolves without the search path: `schema.name`, quoted where needed.
pub(super) fn qualified(q: &QualName) -> String {
    format!("{}.{}", quote_ident(&q.schema), quote_ident(&q.name))
}

/// The same `DROP` statement with only `name` in its list, to see what dropping that one object takes.
pub(super) fn drop_one(stmt: &Statement, name: &ObjectName) -> Statement {
    let mut one = stmt.clone();
    if let Statement::Drop { names, .. } = &mut one {
        *names = vec![name.clone()];
    }
    one
}

#[cfg(test)]
mod tests {
    use super::{functions_mentioning, mentions};
    use crate::catalog::Catalog;
    use crate::catalog::names::relation_name;

    /// Every function whose lower-cased body mentions all of `words`, reading each body.
    fn scan(catalog: &Catalog, words: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        for (q, list) in &catalog.functions {
            for f in list.iter() {
                let lower = f.body.to_lowercase();
                if words.iter().all(|w| mentions(&lower, &w.to_lowercase())) {
                    out.push(format!("{}({})", relation_name(q), f.arg_types.join(", ")));
                }
            }
        }
        out
    }

    #[test]
    fn the_index_of_body_words_agrees_with_a_scan() {
        let body = |b: &str| format!("LANGUAGE plpgsql AS $$ BEGIN {b} END $$;");
        let steps = [
            format!("CREATE FUNCTION f() RETURNS void {}", body("UPDATE users SET email = lower(Email);")),
            format!(
                "CREATE FUNCTION f(n int) RETURNS void {}\nCREATE FUNCTION app_g() RETURNS void {}",
                body("DELETE FROM users_old WHERE n > 0;"),
                body("PERFORM 1 FROM public.users u WHERE u.\"Email\" IS NULL AND $1 IS NULL;"),
            ),
            format!("CREATE OR REPLACE FUNCTION f() RETURNS void {}", body("INSERT INTO orders(total) VALUES (1);")),
            "DROP FUNCTION f(int);\nALTER FUNCTION app_g() RENAME TO h;".to_string(),
            format!("CREATE FUNCTION \"Odd name\"() RETURNS void {}", body("SELECT 1 FROM \"my table\", café;")),
        ];
        let steps: Vec<&str> = steps.iter().map(String::as_str).collect();
        let catalogs = crate::catalog::derived::snapshots(&steps);
        let questions: [&[&str]; 12] = [
            &["users"],
            &["users", "email"],
            &["USERS", "Email"],
            &["users_old"],
            &["user"],
            &["orders", "total"],
            &["public"],
            &["$1"],
            &["my table"],
            &["café"],
            &["users", "nope"],
            &[""],
        ];
        let mut found = 0;
        for catalog in &catalogs {
            for words in questions {
                let expected = scan(catalog, words);
                assert_eq!(functions_mentioning(catalog, words), expected, "{words:?}");
                found += expected.len();
            }
        }
        assert!(found > 20, "the history has functions to find");
    }
}
