//! One statement's text → what the simulator applies. sqlparser (PostgreSqlDialect) does the parsing;
//! this module works around the forms it rejects although PostgreSQL accepts them (by dropping
//! tokens that carry no schema meaning and parsing again), recognises statements that have no effect
//! on the schema, and pulls the body out of `DO` blocks. Errors carry a byte offset into the file.

use sqlparser::ast::Statement;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer, Word};

use crate::span::{LineCol, LineIndex};

/// Deep enough for real expressions, shallow enough for wasm's stack.
const RECURSION_LIMIT: usize = 96;

/// What one statement turned out to be.
#[derive(Debug)]
pub enum Parsed {
    Statement(Box<Statement>, Extras),
    /// `DO $$ … $$`: the body's text and its byte offset in the file.
    Do {
        body: String,
        offset: usize,
        /// The body as the simulator reads it, once.
        read: crate::simulate::do_block::ReadOnce,
    },
    /// A statement PostgreSQL accepts that leaves the schema alone (VACUUM, GRANT, SET, …).
    NoEffect {
        what: String,
    },
    /// An ALTER TABLE that sqlparser rejects as a whole, split into its actions.
    AlterTableParts {
        target: crate::sql::alter_table::AlterTarget,
        parts: Vec<crate::sql::alter_table::AlterPart>,
        extras: Extras,
    },
    /// `SET [LOCAL|SESSION] search_path TO a, b`: the schemas, `$user` left out.
    SetSearchPath(Vec<String>),
    /// Statements sqlparser does not know, read by hand (`CREATE STATISTICS`, `CREATE PUBLICATION`, …),
    /// with a short description (`CREATE STATISTICS`).
    Object {
        what: String,
        stmt: Box<crate::sql::objects::ObjectStmt>,
    },
    /// `ALTER SEQUENCE name …`.
    AlterSequence {
        name: Vec<String>,
        owned_by: Option<Vec<String>>,
        rename_to: Option<String>,
        /// `IF EXISTS`: a missing sequence is skipped with a notice.
        if_exists: bool,
    },
}

/// Facts that the rewriting removed from the text before sqlparser saw it.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Extras {
    /// `DROP INDEX CONCURRENTLY`.
    pub concurrently: bool,
    /// `ALTER INDEX IF EXISTS`, a guard sqlparser does not read: a missing index is skipped with a notice.
    pub if_exists: bool,
    /// Literal trigger arguments, `EXECUTE FUNCTION f('a', 1)`, as PostgreSQL prints them.
    pub trigger_args: Vec<String>,
    /// `CREATE PROCEDURE` parsed as a function.
    pub procedure: bool,
    /// `CREATE DOMAIN … NOT NULL`.
    pub domain_not_null: bool,
    /// `CREATE TABLE t (LIKE source INCLUDING …)`, taken out of the column list.
    pub like: Option<LikeClause>,
    /// For every `AS IDENTITY` in the statement, in order, the `SEQUENCE NAME` it gives, if any.
    pub identity_sequences: Vec<Option<Vec<String>>>,
    /// `ON DELETE SET NULL (cols)` / `SET DEFAULT (cols)` column lists, in the order written.
    pub fk_delete_columns: Vec<Vec<String>>,
    /// Storage parameters of PRIMARY KEY / UNIQUE constraints (`UNIQUE (a) WITH (fillfactor = 70)`).
    pub constraint_options: Vec<ConstraintOptions>,
    /// `CREATE TABLE t OF type`: the type's name as written. Its column entries (`a WITH OPTIONS
    /// DEFAULT 1`) reach sqlparser with the type [`TYPED_COLUMN`] in place of `WITH OPTIONS`.
    pub typed_of: Option<Vec<String>>,
    /// The statement's significant tokens as written, for the statements whose readers always need them
    /// ([`crate::sql::tokens::wanted`]): kept from the parse rather than tokenized again.
    pub tokens: Option<std::sync::Arc<Vec<crate::sql::tokens::Tok>>>,
}

/// No facts set aside: what statements other than parsed ones carry.
static NO_EXTRAS: Extras = Extras {
    concurrently: false,
    if_exists: false,
    trigger_args: Vec::new(),
    procedure: false,
    domain_not_null: false,
    like: None,
    identity_sequences: Vec::new(),
    fk_delete_columns: Vec::new(),
    constraint_options: Vec::new(),
    typed_of: None,
    tokens: None,
};

impl Parsed {
    /// What the rewriting set aside for the simulator (nothing, for statements sqlparser did not parse).
    pub fn extras(&self) -> &Extras {
        match self {
            Parsed::Statement(_, e) | Parsed::AlterTableParts { extras: e, .. } => e,
            _ => &NO_EXTRAS,
        }
    }
}

/// The placeholder type of a typed table's column entries: the column's type comes from the composite type.
pub const TYPED_COLUMN: &str = "pg_typed_table_column";

/// `WITH (…)` after a PRIMARY KEY or UNIQUE constraint: which constraint, and its parameters as
/// `pg_get_indexdef` prints them (`fillfactor='70'`).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ConstraintOptions {
    pub primary: bool,
    /// The key columns, folded (for a column constraint, that column).
    pub columns: Vec<String>,
    pub options: Vec<String>,
}

/// `LIKE source [INCLUDING | EXCLUDING option] …` in a CREATE TABLE column list.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct LikeClause {
    pub source: Vec<String>,
    /// Options in upper case (`DEFAULTS`, `CONSTRAINTS`, `INDEXES`, `ALL`, …) with whether they are included.
    pub options: Vec<(bool, String)>,
    /// How many column definitions come before it.
    pub position: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub message: String,
    /// Byte offset in the file.
    pub offset: usize,
}

/// Parses `file[start..end]`, one statement. Never panics.
pub fn parse(file: &str, start: usize, end: usize) -> Result<Parsed, ParseError> {
    let text = &file[start..end];
    let dialect = PostgreSqlDialect {};
    // Only errors need it.
    let index = std::cell::OnceCell::new();
    let at = |loc: sqlparser::tokenizer::Location| {
        let index = index.get_or_init(|| LineIndex::new(text));
        start + index.offset(text, LineCol { line: loc.line as u32, column: loc.column as u32 })
    };
    let tokens = match tokenize(text) {
        Ok(tokens) => tokens,
        Err(e) => return Err(ParseError { message: e.message, offset: at(e.location) }),
    };
    let words: Vec<(usize, String)> = tokens
        .iter()
        .enumerate()
        .filter_map(|(i, t)| match &t.token {
            Token::Word(w) if w.quote_style.is_none() => Some((i, w.value.to_ascii_uppercase())),
            Token::Whitespace(_) => None,
            _ => Some((i, String::new())),
        })
        .take(4)
        .collect();
    let first: Vec<&str> = words.iter().map(|(_, w)| w.as_str()).collect();
    // The statement's `;` lies outside `start..end`.
    let semicolon = file.get(end..).is_some_and(|rest| rest.trim_start().starts_with(';'));
    if let Some(done) = read_by_hand(&tokens, &first, semicolon, start, &at) {
        recycle(tokens);
        return done;
    }
    let mut extras = Extras::default();
    if crate::sql::tokens::wanted(&first) {
        extras.tokens = Some(std::sync::Arc::new(crate::sql::tokens::significant(&tokens, text)));
    }
    let tokens = rewrite(tokens, &first, &mut extras);
    let tokens = symmetric_between(tokens);
    let tokens = if first.starts_with(&["CREATE"]) { typed_table(tokens, &mut extras) } else { tokens };
    let alter_table = first.starts_with(&["ALTER", "TABLE"]);
    let mut parser = Parser::new(&dialect).with_recursion_limit(RECURSION_LIMIT).with_tokens_with_locations(tokens);
    let result = match parser.parse_statements() {
        Ok(mut stmts) if stmts.len() == 1 => Ok(Parsed::Statement(Box::new(stmts.remove(0)), extras)),
        Ok(stmts) if stmts.is_empty() => Ok(Parsed::NoEffect { what: "empty statement".into() }),
        Ok(_) => Err(ParseError { message: "syntax error: more than one statement without `;`".into(), offset: start }),
        Err(err) => {
            let loc = parser.peek_token_ref().span.start;
            // An ALTER TABLE sqlparser rejects as a whole is read action by action, from the same tokens:
            // the parser hands them back as they were given.
            if alter_table {
                let tokens = parser.into_tokens();
                let split = crate::sql::alter_table::split(&tokens);
                recycle(tokens);
                return match split {
                    Some((target, parts)) => Ok(Parsed::AlterTableParts { target, parts, extras }),
                    None => Err(parse_error(err, loc, start, &at)),
                };
            }
            Err(parse_error(err, loc, start, &at))
        }
    };
    recycle(parser.into_tokens());
    result
}

/// sqlparser's error `err`, found at `loc`, as the statement at `start` reports it.
fn parse_error(
    err: ParserError,
    loc: sqlparser::tokenizer::Location,
    start: usize,
    at: &dyn Fn(sqlparser::tokenizer::Location) -> usize,
) -> ParseError {
    let offset = if loc.line == 0 { start } else { at(loc) };
    let message = match err {
        ParserError::RecursionLimitExceeded => {
            "statement is nested too deeply for the simulator (more than 96 levels)".to_string()
        }
        ParserError::TokenizerError(m) | ParserError::ParserError(m) => strip_location(&m),
    };
    ParseError { message, offset }
}

thread_local! {
    /// The token buffer of the last parse on this thread, emptied: a statement's tokens take tens of
    /// kilobytes, and growing a new buffer for each statement made the allocator hand out (and the kernel
    /// zero) fresh pages again and again.
    static TOKENS: std::cell::RefCell<Vec<TokenWithSpan>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The most tokens a kept buffer holds room for (about 5.5 MB): a giant statement's buffer is freed.
const KEEP_TOKENS: usize = 1 << 16;

/// The tokens of `text`, in this thread's kept buffer: give it back with [`recycle`].
pub(crate) fn tokenize(text: &str) -> Result<Vec<TokenWithSpan>, sqlparser::tokenizer::TokenizerError> {
    let mut tokens = TOKENS.with_borrow_mut(std::mem::take);
    match Tokenizer::new(&PostgreSqlDialect {}, text).tokenize_with_location_into_buf(&mut tokens) {
        Ok(()) => Ok(tokens),
        Err(e) => {
            recycle(tokens);
            Err(e)
        }
    }
}

/// Empties `tokens` and keeps the buffer for the next parse on this thread.
pub(crate) fn recycle(mut tokens: Vec<TokenWithSpan>) {
    if tokens.capacity() <= KEEP_TOKENS {
        tokens.clear();
        TOKENS.with_borrow_mut(|kept| {
            if kept.capacity() < tokens.capacity() {
                *kept = tokens;
            }
        });
    }
}

/// The statements read from their tokens alone, without sqlparser's parser: SET search_path, the forms
/// with no effect on the schema, the objects read by hand, `DO` blocks, the operator chains too long to
/// parse, and ALTER SEQUENCE.
fn read_by_hand(
    tokens: &[TokenWithSpan],
    first: &[&str],
    semicolon: bool,
    start: usize,
    at: &dyn Fn(sqlparser::tokenizer::Location) -> usize,
) -> Option<Result<Parsed, ParseError>> {
    if let Some(loc) = long_operator_chain(tokens) {
        return Some(Err(ParseError {
            message: format!(
                "expression chains more than {OPERATOR_CHAIN_LIMIT} operators (a + b + … or x = 1 OR …): the simulator \
                 stops here rather than run out of stack; write it as IN (…) or = ANY (ARRAY[…]), or split it"
            ),
            offset: at(loc),
        }));
    }
    if let Some(path) = search_path(tokens, first) {
        return Some(Ok(Parsed::SetSearchPath(path)));
    }
    if let Some(what) = owner_or_physical(tokens, first) {
        return Some(Ok(Parsed::NoEffect { what }));
    }
    if let Some(read) = crate::sql::objects::read(tokens, first, semicolon) {
        return Some(match read {
            Ok((what, stmt)) => Ok(Parsed::Object { what, stmt: Box::new(stmt) }),
            Err((message, loc)) => {
                // A token added by the reader (the final `;`) has no place in the text.
                let offset = loc.filter(|l| l.line > 0).map_or(start, &at);
                Err(ParseError { message, offset })
            }
        });
    }
    if let Some(what) = no_effect(first) {
        return Some(Ok(Parsed::NoEffect { what }));
    }
    if first.first() == Some(&"DO") {
        return Some(do_block(tokens, at));
    }
    if first.starts_with(&["ALTER", "SEQUENCE"]) {
        return Some(alter_sequence(tokens).ok_or(ParseError {
            message: "ALTER SEQUENCE form is not supported by the simulator".into(),
            offset: start,
        }));
    }
    None
}

/// The most binary operators one expression may chain at one level of parentheses. sqlparser builds
/// `a + b + c …` in a loop, so its recursion limit does not bound the depth of the tree, and walking a
/// tree thousands of levels deep (printing it, dropping it) overflows the browser's stack.
const OPERATOR_CHAIN_LIMIT: usize = 500;

/// Where an expression first chains more than [`OPERATOR_CHAIN_LIMIT`] operators at one level of
/// parentheses (commas start a new expression).
fn long_operator_chain(tokens: &[TokenWithSpan]) -> Option<sqlparser::tokenizer::Location> {
    let mut counts = vec![0usize];
    for t in tokens {
        let operator = match &t.token {
            Token::LParen | Token::LBracket => {
                counts.push(0);
                false
            }
            Token::RParen | Token::RBracket => {
                if counts.len() > 1 {
                    counts.pop();
                }
                false
            }
            Token::Comma | Token::SemiColon => {
                *counts.last_mut()? = 0;
                false
            }
            Token::Word(w) => {
                w.quote_style.is_none() && (w.value.eq_ignore_ascii_case("and") || w.value.eq_ignore_ascii_case("or"))
            }
            Token::Plus
            | Token::Minus
            | Token::Mul
            | Token::Div
            | Token::Mod
            | Token::StringConcat
            | Token::Eq
            | Token::DoubleEq
            | Token::Neq
            | Token::Lt
            | Token::Gt
            | Token::LtEq
            | Token::GtEq
            | Token::Caret
            | Token::Ampersand
            | Token::Pipe => true,
            _ => false,
        };
        if operator {
            let n = counts.last_mut()?;
            *n += 1;
            if *n > OPERATOR_CHAIN_LIMIT {
                return Some(t.span.start);
            }
        }
    }
    None
}

/// Index parameters of PRIMARY KEY / UNIQUE / EXCLUDE constraints, which sqlparser rejects:
/// `… UNIQUE (a) INCLUDE (b) WITH (fillfactor = 70) USING INDEX TABLESPACE ts DEFERRABLE`. The clauses
/// are taken out (the tablespace changes nothing the model holds) and the parameters kept in `extras`.
/// `level` is the parenthesis depth of constraints: 1 in CREATE TABLE, 0 in ALTER TABLE.
fn take_constraint_options(
    tokens: &[TokenWithSpan],
    sig: &[usize],
    level: i32,
    drop: &mut [bool],
    extras: &mut Extras,
) {
    let tok = |k: usize| sig.get(k).map(|&i| &tokens[i]);
    let word = |k: usize, w: &str| tok(k).is_some_and(|t| is_word(t, w));
    let is = |k: usize, f: fn(&Token) -> bool| tok(k).is_some_and(|t| f(&t.token));
    let folded = |t: &TokenWithSpan| match &t.token {
        Token::Word(w) if w.quote_style.is_some() => Some(w.value.clone()),
        Token::Word(w) => Some(w.value.to_ascii_lowercase()),
        _ => None,
    };
    // The parenthesis depth of each significant token (a parenthesis counts at its outer level).
    let mut depths = Vec::with_capacity(sig.len());
    let mut depth = 0i32;
    for &i in sig {
        match tokens[i].token {
            Token::LParen => {
                depths.push(depth);
                depth += 1;
            }
            Token::RParen => {
                depth -= 1;
                depths.push(depth);
            }
            _ => depths.push(depth),
        }
    }
    let at_level = |k: usize| depths.get(k) == Some(&level);
    let mut k = 0;
    while k < sig.len() {
        if word(k, "USING") && word(k + 1, "INDEX") && word(k + 2, "TABLESPACE") && at_level(k) {
            for j in k..(k + 4).min(sig.len()) {
                drop[sig[j]] = true;
            }
            k += 4;
            continue;
        }
        let params = word(k, "WITH") && at_level(k) && is(k + 1, |t| matches!(t, Token::LParen));
        // Right after a constraint: `KEY` / `UNIQUE` / `DISTINCT` (a column constraint) or `)` (a list).
        let after_constraint = k > 0
            && (word(k - 1, "KEY")
                || word(k - 1, "UNIQUE")
                || word(k - 1, "DISTINCT")
                || is(k - 1, |t| matches!(t, Token::RParen)));
        if !(params && after_constraint) {
            k += 1;
            continue;
        }
        // The constraint keyword it belongs to, walking back at this level.
        let mut keyword = None;
        let mut j = k;
        while j > 0 {
            j -= 1;
            if !at_level(j) {
                continue;
            }
            if word(j, "PRIMARY") || word(j, "UNIQUE") || word(j, "EXCLUDE") {
                keyword = Some(j);
                break;
            }
            if is(j, |t| matches!(t, Token::Comma)) {
                break;
            }
        }
        let Some(kw) = keyword else {
            k += 1;
            continue;
        };
        let Some(close) = (k + 2..sig.len()).find(|&j| is(j, |t| matches!(t, Token::RParen)) && depths[j] == level)
        else {
            break;
        };
        let inner: Vec<&TokenWithSpan> = (k + 2..close).filter_map(tok).collect();
        let mut options = Vec::new();
        for pair in inner.split(|t| matches!(t.token, Token::Comma)) {
            let name = pair.first().map(|t| t.token.to_string().to_lowercase()).unwrap_or_default();
            let value = match pair.iter().skip_while(|t| !matches!(t.token, Token::Eq)).nth(1).map(|t| &t.token) {
                Some(Token::SingleQuotedString(v)) => v.clone(),
                Some(Token::Word(w)) => w.value.to_ascii_lowercase(),
                Some(other) => other.to_string(),
                None => "true".into(),
            };
            options.push(crate::simulate::index::reloption(&name, &value));
        }
        for j in k..=close {
            drop[sig[j]] = true;
        }
        if !word(kw, "EXCLUDE") {
            let primary = word(kw, "PRIMARY");
            // A column list right after `PRIMARY KEY` / `UNIQUE [NULLS [NOT] DISTINCT]`: a table constraint.
            let mut c = kw + if primary { 2 } else { 1 };
            while word(c, "NULLS") || word(c, "NOT") || word(c, "DISTINCT") {
                c += 1;
            }
            let columns = if c < k && is(c, |t| matches!(t, Token::LParen)) {
                (c + 1..k)
                    .take_while(|&j| !is(j, |t| matches!(t, Token::RParen)))
                    .filter_map(|j| tok(j).and_then(folded))
                    .collect()
            } else {
                // A column constraint: the column is the first word of its definition.
                let boundary = |j: usize| {
                    (at_level(j) && (is(j, |t| matches!(t, Token::Comma)) || word(j, "ADD") || word(j, "COLUMN")))
                        || (depths.get(j) == Some(&(level - 1)) && is(j, |t| matches!(t, Token::LParen)))
                };
                let mut start = kw;
                while start > 0 && !boundary(start - 1) {
                    start -= 1;
                }
                if word(start, "IF") && word(start + 1, "NOT") && word(start + 2, "EXISTS") {
                    start += 3;
                }
                tok(start).and_then(folded).into_iter().collect()
            };
            extras.constraint_options.push(ConstraintOptions { primary, columns, options });
        }
        k = close + 1;
    }
}

/// `SET [LOCAL|SESSION] search_path {TO|=} a, "B", 'c'` or `… TO DEFAULT`.
fn search_path(tokens: &[TokenWithSpan], first: &[&str]) -> Option<Vec<String>> {
    let skip = match first {
        ["SET", "SEARCH_PATH", ..] => 2,
        ["SET", "LOCAL" | "SESSION", "SEARCH_PATH", ..] => 3,
        _ => return None,
    };
    let sig: Vec<&TokenWithSpan> = tokens.iter().filter(|t| !matches!(t.token, Token::Whitespace(_))).collect();
    let mut path = Vec::new();
    for t in sig.iter().skip(skip + 1) {
        match &t.token {
            Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("default") => {
                return Some(vec!["public".into()]);
            }
            Token::Word(w) if w.quote_style.is_some() => path.push(w.value.clone()),
            Token::Word(w) => path.push(w.value.to_ascii_lowercase()),
            Token::SingleQuotedString(s) => path.extend(s.split(',').map(|p| p.trim().trim_matches('"').to_string())),
            _ => {}
        }
    }
    path.retain(|p| p != "$user" && !p.is_empty());
    Some(path)
}

/// `ALTER … OWNER TO`, and ALTER INDEX forms that only change physical settings.
fn owner_or_physical(tokens: &[TokenWithSpan], first: &[&str]) -> Option<String> {
    if first.first() != Some(&"ALTER") {
        return None;
    }
    let sig: Vec<&TokenWithSpan> = tokens.iter().filter(|t| !matches!(t.token, Token::Whitespace(_))).collect();
    let owner = sig.windows(2).any(|w| is_word(w[0], "OWNER") && is_word(w[1], "TO"));
    // ALTER DOMAIN … OWNER TO is read with the other ALTER DOMAIN forms (the domain must exist).
    if owner && !first.starts_with(&["ALTER", "TABLE"]) && !first.starts_with(&["ALTER", "DOMAIN"]) {
        return Some(format!("ALTER {} … OWNER TO", first.get(1).unwrap_or(&"")));
    }
    if first.starts_with(&["ALTER", "INDEX"]) {
        let physical = sig
            .iter()
            .any(|t| is_word(t, "SET") || is_word(t, "RESET") || is_word(t, "ATTACH") || is_word(t, "DEPENDS"));
        let rename = sig.iter().any(|t| is_word(t, "RENAME"));
        if physical && !rename {
            return Some("ALTER INDEX (physical settings)".into());
        }
    }
    None
}

fn strip_location(message: &str) -> String {
    match message.rfind(" at Line: ") {
        Some(pos) => message[..pos].to_string(),
        None => message.to_string(),
    }
}

/// Statements that PostgreSQL runs but that change nothing the model holds.
/// What [`Parsed::NoEffect`] says of `ALTER SYSTEM`: it leaves the schema alone, but PostgreSQL refuses to run it
/// inside a transaction block (the simulator checks that).
pub const ALTER_SYSTEM: &str = "ALTER SYSTEM";

fn no_effect(first: &[&str]) -> Option<String> {
    let what = match first {
        ["VACUUM", ..] | ["ANALYZE", ..] | ["ANALYSE", ..] | ["CLUSTER", ..] | ["REINDEX", ..] | ["CHECKPOINT", ..] => {
            first[0].to_string()
        }
        ["GRANT", ..] | ["REVOKE", ..] => first[0].to_string(),
        ["SET", "CONSTRAINTS", ..] => "SET CONSTRAINTS".into(),
        ["SET", ..] | ["RESET", ..] | ["SHOW", ..] | ["DISCARD", ..] => first[0].to_string(),
        ["LISTEN", ..] | ["NOTIFY", ..] | ["UNLISTEN", ..] | ["LOCK", ..] => first[0].to_string(),
        ["SECURITY", "LABEL", ..] => "SECURITY LABEL".into(),
        ["REASSIGN", "OWNED", ..] | ["DROP", "OWNED", ..] => format!("{} OWNED", first[0]),
        ["ALTER", "DATABASE", ..] | ["CREATE", "DATABASE", ..] | ["DROP", "DATABASE", ..] => {
            format!("{} DATABASE", first[0])
        }
        ["ALTER", "ROLE", ..] | ["CREATE", "ROLE", ..] | ["DROP", "ROLE", ..] => format!("{} ROLE", first[0]),
        ["ALTER", "USER", ..] | ["CREATE", "USER", ..] | ["DROP", "USER", ..] => format!("{} USER", first[0]),
        ["ALTER", "DEFAULT", "PRIVILEGES", ..] => "ALTER DEFAULT PRIVILEGES".into(),
        [_, "SUBSCRIPTION", ..] | [_, "TABLESPACE", ..] => {
            format!("{} {}", first[0], first[1])
        }
        ["ALTER", "EXTENSION", ..] => "ALTER EXTENSION".into(),
        // Any other word after ALTER SYSTEM is left to the parser, which rejects it as PostgreSQL does.
        ["ALTER", "SYSTEM", "SET" | "RESET", ..] => ALTER_SYSTEM.into(),
        ["COMMENT", "ON", "FUNCTION" | "CONSTRAINT" | "TRIGGER" | "POLICY" | "PROCEDURE" | "ROLE" | "DATABASE", ..] => {
            format!("COMMENT ON {}", first[2])
        }
        ["REFRESH", "MATERIALIZED", ..] => "REFRESH MATERIALIZED VIEW".into(),
        ["SELECT", ..] | ["VALUES", ..] | ["WITH", "RECURSIVE", ..] => "query".into(),
        ["BEGIN", ..]
        | ["COMMIT", ..]
        | ["END", ..]
        | ["ROLLBACK", ..]
        | ["START", "TRANSACTION", ..]
        | ["ABORT", ..] => first[0].to_string(),
        ["SAVEPOINT", ..] | ["RELEASE", ..] => first[0].to_string(),
        ["COPY", ..] => "COPY".into(),
        _ => return None,
    };
    Some(what)
}

fn is_word(t: &TokenWithSpan, kw: &str) -> bool {
    matches!(&t.token, Token::Word(Word { value, quote_style: None, .. }) if value.eq_ignore_ascii_case(kw))
}

fn significant(tokens: &[TokenWithSpan]) -> Vec<usize> {
    // Sized for every token at once: growing it step by step cost more than the filtering (it is made
    // for every statement).
    let mut out = Vec::with_capacity(tokens.len());
    out.extend(tokens.iter().enumerate().filter(|(_, t)| !matches!(t.token, Token::Whitespace(_))).map(|(i, _)| i));
    out
}

/// `x BETWEEN SYMMETRIC a AND b`, which sqlparser rejects, becomes what PostgreSQL makes of it:
/// `(x BETWEEN a AND b OR x BETWEEN b AND a)` (printed `x >= a AND x <= b OR x >= b AND x <= a`).
/// `BETWEEN ASYMMETRIC` is plain BETWEEN. The operands are a name, a literal, a parenthesised group or a
/// function call; anything longer is left for sqlparser to reject.
fn symmetric_between(tokens: Vec<TokenWithSpan>) -> Vec<TokenWithSpan> {
    if !tokens.iter().any(|t| is_word(t, "SYMMETRIC") || is_word(t, "ASYMMETRIC")) {
        return tokens;
    }
    let sig = significant(&tokens);
    let word = |k: usize, w: &str| sig.get(k).is_some_and(|&i| is_word(&tokens[i], w));
    let at = |k: usize| sig.get(k).map(|&i| &tokens[i].token);
    let Some(first) =
        (0..sig.len()).find(|&k| word(k, "BETWEEN") && (word(k + 1, "SYMMETRIC") || word(k + 1, "ASYMMETRIC")))
    else {
        return tokens;
    };
    let k = first;
    if word(k + 1, "ASYMMETRIC") {
        let mut out = tokens;
        out.remove(sig[k + 1]);
        return symmetric_between(out);
    }
    // The left operand: back from BETWEEN (skipping NOT), a name, a literal or a `f(...)` / `(...)` group.
    let mut end_x = k;
    if end_x > 0 && word(end_x - 1, "NOT") {
        end_x -= 1;
    }
    let Some(start_x) = operand_start(&tokens, &sig, end_x) else { return tokens };
    // The bounds: up to AND at depth 0, then up to a closing `)`, `,`, AND, OR or the end.
    let mut j = k + 2;
    let mut depth = 0i32;
    while j < sig.len() && !(depth == 0 && word(j, "AND")) {
        match at(j) {
            Some(Token::LParen) => depth += 1,
            Some(Token::RParen) => depth -= 1,
            _ => {}
        }
        j += 1;
    }
    let and_at = j;
    j += 1;
    depth = 0;
    while j < sig.len() {
        match at(j) {
            Some(Token::LParen) => depth += 1,
            Some(Token::RParen) if depth == 0 => break,
            Some(Token::RParen) => depth -= 1,
            Some(Token::Comma) if depth == 0 => break,
            _ if depth == 0 && (word(j, "AND") || word(j, "OR")) => break,
            _ => {}
        }
        j += 1;
    }
    let end_b = j;
    if and_at >= sig.len() || and_at == k + 2 || end_b == and_at + 1 {
        return tokens;
    }
    let range = |from: usize, to: usize| -> Vec<TokenWithSpan> {
        (sig[from]..sig[to - 1] + 1).map(|i| tokens[i].clone()).collect()
    };
    let span = tokens[sig[k + 1]].span;
    let tok = |t: Token| TokenWithSpan { token: t, span };
    let space = || tok(Token::Whitespace(sqlparser::tokenizer::Whitespace::Space));
    let kw = |w: &str| tok(Token::make_keyword(w));
    let x = range(start_x, end_x);
    let not = word(end_x, "NOT");
    let a = range(k + 2, and_at);
    let b = range(and_at + 1, end_b);
    let between = |lo: &[TokenWithSpan], hi: &[TokenWithSpan]| {
        let mut v = x.clone();
        v.push(space());
        if not {
            v.extend([kw("NOT"), space()]);
        }
        v.extend([kw("BETWEEN"), space()]);
        v.extend_from_slice(lo);
        v.extend([space(), kw("AND"), space()]);
        v.extend_from_slice(hi);
        v
    };
    // NOT BETWEEN SYMMETRIC is true outside both orders: AND of the two.
    let mut replacement = vec![tok(Token::LParen)];
    replacement.extend(between(&a, &b));
    replacement.extend([space(), kw(if not { "AND" } else { "OR" }), space()]);
    replacement.extend(between(&b, &a));
    replacement.push(tok(Token::RParen));
    let mut out: Vec<TokenWithSpan> = tokens[..sig[start_x]].to_vec();
    out.extend(replacement);
    out.extend_from_slice(&tokens[sig[end_b - 1] + 1..]);
    symmetric_between(out)
}

/// `CREATE [UNLOGGED] TABLE [IF NOT EXISTS] name OF type [(…)]`, which sqlparser rejects: `OF type` is
/// taken out (into `extras.typed_of`), and each column entry (`name [WITH OPTIONS] options`) gets the
/// placeholder type [`TYPED_COLUMN`] in place of `WITH OPTIONS`, so that it reads as a column definition.
fn typed_table(tokens: Vec<TokenWithSpan>, extras: &mut Extras) -> Vec<TokenWithSpan> {
    let sig = significant(&tokens);
    let word = |k: usize, w: &str| sig.get(k).is_some_and(|&i| is_word(&tokens[i], w));
    let at = |k: usize| sig.get(k).map(|&i| &tokens[i].token);
    let Some(mut k) = (0..sig.len().min(5)).find(|&k| word(k, "TABLE")) else { return tokens };
    k += 1;
    if word(k, "IF") && word(k + 1, "NOT") && word(k + 2, "EXISTS") {
        k += 3;
    }
    // The table's name.
    while matches!(at(k), Some(Token::Word(_))) {
        k += 1;
        if matches!(at(k), Some(Token::Period)) {
            k += 1;
        } else {
            break;
        }
    }
    if !word(k, "OF") {
        return tokens;
    }
    let of_at = k;
    k += 1;
    let mut type_name = Vec::new();
    while let Some(Token::Word(w)) = at(k) {
        type_name.push(if w.quote_style.is_some() { w.value.clone() } else { w.value.to_ascii_lowercase() });
        k += 1;
        if matches!(at(k), Some(Token::Period)) {
            k += 1;
        } else {
            break;
        }
    }
    if type_name.is_empty() {
        return tokens;
    }
    extras.typed_of = Some(type_name);
    let mut drop = vec![false; tokens.len()];
    for &i in &sig[of_at..k] {
        drop[i] = true;
    }
    // Column entries: after `(` or a `,` at depth 1, a name that does not start a table constraint.
    let mut insert_after: Vec<usize> = Vec::new();
    if matches!(at(k), Some(Token::LParen)) {
        let mut depth = 0;
        let mut j = k;
        while j < sig.len() {
            match at(j) {
                Some(Token::LParen) => depth += 1,
                Some(Token::RParen) => depth -= 1,
                _ => {}
            }
            let starts_entry = depth == 1 && matches!(at(j), Some(Token::LParen) | Some(Token::Comma));
            if starts_entry
                && matches!(at(j + 1), Some(Token::Word(_)))
                && !["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE"].iter().any(|w| word(j + 1, w))
            {
                insert_after.push(sig[j + 1]);
                if word(j + 2, "WITH") && word(j + 3, "OPTIONS") {
                    drop[sig[j + 2]] = true;
                    drop[sig[j + 3]] = true;
                }
            }
            if depth == 0 {
                break;
            }
            j += 1;
        }
    }
    let mut out = Vec::with_capacity(tokens.len() + 2 * insert_after.len());
    for (i, t) in tokens.into_iter().enumerate() {
        let span = t.span;
        if !drop[i] {
            out.push(t);
        }
        if insert_after.contains(&i) {
            out.push(TokenWithSpan { token: Token::Whitespace(sqlparser::tokenizer::Whitespace::Space), span });
            out.push(TokenWithSpan { token: Token::make_word(TYPED_COLUMN, None), span });
        }
    }
    out
}

/// Where the operand that ends just before significant token `end` starts.
fn operand_start(tokens: &[TokenWithSpan], sig: &[usize], end: usize) -> Option<usize> {
    let mut k = end.checked_sub(1)?;
    match &tokens[sig[k]].token {
        Token::RParen => {
            let mut depth = 0;
            loop {
                match tokens[sig[k]].token {
                    Token::RParen => depth += 1,
                    Token::LParen => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
                k = k.checked_sub(1)?;
            }
            // A function name before the group.
            if k > 0 && matches!(tokens[sig[k - 1]].token, Token::Word(_)) {
                k -= 1;
            }
        }
        Token::Word(_) | Token::Number(..) | Token::SingleQuotedString(_) => {}
        _ => return None,
    }
    // Qualified names: `t.col`.
    while k >= 2
        && matches!(tokens[sig[k - 1]].token, Token::Period)
        && matches!(tokens[sig[k - 2]].token, Token::Word(_))
    {
        k -= 2;
    }
    Some(k)
}

/// Drops or rewrites tokens that sqlparser 0.64 rejects in statements PostgreSQL accepts.
fn rewrite(mut tokens: Vec<TokenWithSpan>, first: &[&str], extras: &mut Extras) -> Vec<TokenWithSpan> {
    let sig = significant(&tokens);
    let mut drop = vec![false; tokens.len()];
    let mut procedure_at = None;
    // `CREATE DOMAIN name type`: PostgreSQL's AS is optional, sqlparser's is not.
    let mut as_before = None;
    let word_at = |k: usize| sig.get(k).map(|&i| &tokens[i]);
    match first {
        ["DROP", "INDEX", "CONCURRENTLY", ..] => {
            extras.concurrently = true;
            drop[sig[2]] = true;
        }
        ["CREATE", "DOMAIN", ..] => {
            let mut after_name = 3;
            while word_at(after_name).is_some_and(|t| t.token == Token::Period) {
                after_name += 2;
            }
            if let Some(t) = word_at(after_name).filter(|t| !is_word(t, "AS")) {
                as_before = Some((sig[after_name], t.span));
            }
            let mut depth = 0i32;
            for k in 0..sig.len() {
                let t = &tokens[sig[k]];
                match t.token {
                    Token::LParen => depth += 1,
                    Token::RParen => depth -= 1,
                    _ => {}
                }
                if depth == 0
                    && is_word(t, "NULL")
                    && !word_at(k.wrapping_sub(1)).is_some_and(|p| is_word(p, "DEFAULT"))
                {
                    drop[sig[k]] = true;
                    if k > 0 && is_word(&tokens[sig[k - 1]], "NOT") {
                        drop[sig[k - 1]] = true;
                        extras.domain_not_null = true;
                    }
                }
            }
        }
        ["CREATE", ..] => {
            let is_function =
                sig.iter().take(5).any(|&i| is_word(&tokens[i], "FUNCTION") || is_word(&tokens[i], "PROCEDURE"));
            let is_index = sig.iter().take(4).any(|&i| is_word(&tokens[i], "INDEX"));
            let is_trigger = sig.iter().take(5).any(|&i| is_word(&tokens[i], "TRIGGER"));
            if is_index {
                for k in 0..sig.len() {
                    if word_at(k).is_some_and(|t| is_word(t, "ON"))
                        && word_at(k + 1).is_some_and(|t| is_word(t, "ONLY"))
                    {
                        drop[sig[k + 1]] = true;
                        break;
                    }
                }
            }
            if is_function {
                let mut depth = 0i32;
                let mut k = 0;
                while k < sig.len() {
                    let t = &tokens[sig[k]];
                    match &t.token {
                        Token::LParen => depth += 1,
                        Token::RParen => depth -= 1,
                        _ => {}
                    }
                    if depth == 0 {
                        if (is_word(t, "COST") || is_word(t, "ROWS"))
                            && word_at(k + 1).is_some_and(|n| matches!(n.token, Token::Number(..)))
                        {
                            drop[sig[k]] = true;
                            drop[sig[k + 1]] = true;
                            k += 1;
                        } else if is_word(t, "LEAKPROOF") {
                            drop[sig[k]] = true;
                            if k > 0 && is_word(&tokens[sig[k - 1]], "NOT") {
                                drop[sig[k - 1]] = true;
                            }
                        } else if is_word(t, "WINDOW") {
                            drop[sig[k]] = true;
                        }
                    }
                    k += 1;
                }
                if let Some(&p) = sig.iter().take(5).find(|&&i| is_word(&tokens[i], "PROCEDURE")) {
                    extras.procedure = true;
                    procedure_at = Some(p);
                }
            }
            if is_trigger {
                // EXECUTE FUNCTION|PROCEDURE f('a', 1): keep the arguments aside, parse f().
                if let Some(k) = (0..sig.len()).find(|&k| word_at(k).is_some_and(|t| is_word(t, "EXECUTE")))
                    && let Some(open) = (k..sig.len()).find(|&j| matches!(tokens[sig[j]].token, Token::LParen))
                {
                    let mut j = open + 1;
                    while j < sig.len() && !matches!(tokens[sig[j]].token, Token::RParen) {
                        let t = &tokens[sig[j]];
                        match &t.token {
                            Token::Comma => {}
                            Token::SingleQuotedString(s) => extras.trigger_args.push(s.clone()),
                            // Identifiers are kept as names: folded unless quoted.
                            Token::Word(w) if w.quote_style.is_some() => extras.trigger_args.push(w.value.clone()),
                            Token::Word(w) => extras.trigger_args.push(w.value.to_ascii_lowercase()),
                            other => extras.trigger_args.push(other.to_string()),
                        }
                        drop[sig[j]] = true;
                        j += 1;
                    }
                }
            }
        }
        _ => {}
    }
    // CREATE [MATERIALIZED] VIEW … WITH [NO] DATA / WITH [CASCADED | LOCAL] CHECK OPTION: trailing
    // clauses sqlparser rejects that change nothing the model holds.
    if first.starts_with(&["CREATE"]) && sig.iter().take(6).any(|&i| is_word(&tokens[i], "VIEW")) {
        let n = sig.len();
        let tail = |k: usize| sig.get(n.wrapping_sub(k)).map(|&i| &tokens[i]);
        if tail(1).is_some_and(|t| is_word(t, "DATA"))
            && tail(2).is_some_and(|t| is_word(t, "WITH") || is_word(t, "NO"))
        {
            let from = if tail(2).is_some_and(|t| is_word(t, "NO")) { 3 } else { 2 };
            for k in 1..=from {
                drop[sig[n - k]] = true;
            }
        } else if tail(1).is_some_and(|t| is_word(t, "OPTION")) && tail(2).is_some_and(|t| is_word(t, "CHECK")) {
            let from = if tail(3).is_some_and(|t| is_word(t, "CASCADED") || is_word(t, "LOCAL")) { 4 } else { 3 };
            for k in 1..=from.min(n) {
                drop[sig[n - k]] = true;
            }
        }
    }
    // ALTER INDEX IF EXISTS … RENAME: the guard is taken out of the tokens and kept aside.
    if first.starts_with(&["ALTER", "INDEX", "IF"]) && word_at(3).is_some_and(|t| is_word(t, "EXISTS")) {
        drop[sig[2]] = true;
        drop[sig[3]] = true;
        extras.if_exists = true;
    }
    if first.starts_with(&["CREATE"]) && sig.iter().take(6).any(|&i| is_word(&tokens[i], "TABLE")) {
        take_like(&tokens, &sig, &mut drop, extras);
        take_constraint_options(&tokens, &sig, 1, &mut drop, extras);
    }
    if first.starts_with(&["ALTER", "TABLE"]) {
        take_constraint_options(&tokens, &sig, 0, &mut drop, extras);
    }
    if matches!(first, ["CREATE", ..] | ["ALTER", "TABLE", ..]) {
        for k in 0..sig.len() {
            if is_word(&tokens[sig[k]], "IDENTITY") && k > 0 && is_word(&tokens[sig[k - 1]], "AS") {
                extras.identity_sequences.push(None);
            }
            // GENERATED … AS IDENTITY (SEQUENCE NAME x …): the name is the only option sqlparser rejects.
            if is_word(&tokens[sig[k]], "SEQUENCE")
                && word_at(k + 1).is_some_and(|t| is_word(t, "NAME"))
                && k > 0
                && !is_word(&tokens[sig[k - 1]], "CREATE")
            {
                drop[sig[k]] = true;
                drop[sig[k + 1]] = true;
                let mut j = k + 2;
                let mut name = Vec::new();
                while j < sig.len() {
                    drop[sig[j]] = true;
                    if let Token::Word(w) = &tokens[sig[j]].token {
                        name.push(if w.quote_style.is_some() { w.value.clone() } else { w.value.to_ascii_lowercase() });
                    }
                    if matches!(
                        tokens.get(sig.get(j + 1).copied().unwrap_or(usize::MAX)).map(|t| &t.token),
                        Some(Token::Period)
                    ) {
                        drop[sig[j + 1]] = true;
                        j += 2;
                        continue;
                    }
                    break;
                }
                if let Some(last) = extras.identity_sequences.last_mut() {
                    *last = Some(name);
                }
            }
            // ON DELETE SET NULL (a, b) / SET DEFAULT (a, b) (PostgreSQL 15). Every ON DELETE SET
            // NULL/DEFAULT gets an entry, empty without a list, so foreign keys can take theirs in order.
            let set_action = is_word(&tokens[sig[k]], "SET")
                && word_at(k + 1).is_some_and(|t| is_word(t, "NULL") || is_word(t, "DEFAULT"))
                && k >= 2
                && is_word(&tokens[sig[k - 1]], "DELETE");
            if set_action && !word_at(k + 2).is_some_and(|t| matches!(t.token, Token::LParen)) {
                extras.fk_delete_columns.push(Vec::new());
            }
            if set_action && word_at(k + 2).is_some_and(|t| matches!(t.token, Token::LParen)) {
                let mut cols = Vec::new();
                let mut j = k + 2;
                while j < sig.len() {
                    let t = &tokens[sig[j]];
                    drop[sig[j]] = true;
                    match &t.token {
                        Token::RParen => break,
                        Token::Word(w) => cols.push(if w.quote_style.is_some() {
                            w.value.clone()
                        } else {
                            w.value.to_ascii_lowercase()
                        }),
                        _ => {}
                    }
                    j += 1;
                }
                extras.fk_delete_columns.push(cols);
            }
        }
    }
    if let Some(p) = procedure_at {
        tokens[p].token = Token::make_keyword("FUNCTION");
    }
    if let Some((at, span)) = as_before {
        let space = TokenWithSpan { token: Token::Whitespace(sqlparser::tokenizer::Whitespace::Space), span };
        tokens.splice(at..at, [TokenWithSpan { token: Token::make_keyword("AS"), span }, space]);
        drop.splice(at..at, [false, false]);
    }
    if drop.contains(&true) {
        let mut i = 0;
        tokens.retain(|_| {
            i += 1;
            !drop[i - 1]
        });
    }
    tokens
}

/// Takes `LIKE source [INCLUDING|EXCLUDING option]…` out of a CREATE TABLE column list (sqlparser only
/// knows `LIKE t` alone), with the comma that separates it from the other elements.
fn take_like(tokens: &[TokenWithSpan], sig: &[usize], drop: &mut [bool], extras: &mut Extras) {
    let Some(open) = sig.iter().position(|&i| matches!(tokens[i].token, Token::LParen)) else { return };
    let mut depth = 0;
    let mut element_start = open + 1;
    let mut columns_before = 0;
    let mut k = open;
    while k < sig.len() {
        match tokens[sig[k]].token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            Token::Comma if depth == 1 => {
                columns_before += 1;
                element_start = k + 1;
            }
            _ => {}
        }
        if depth == 1 && k == element_start && is_word(&tokens[sig[k]], "LIKE") {
            let mut like = LikeClause { position: columns_before, ..LikeClause::default() };
            let mut j = k + 1;
            while j < sig.len() {
                match &tokens[sig[j]].token {
                    Token::Word(w) => like.source.push(if w.quote_style.is_some() {
                        w.value.clone()
                    } else {
                        w.value.to_ascii_lowercase()
                    }),
                    Token::Period => {}
                    _ => break,
                }
                j += 1;
                if !matches!(
                    tokens.get(sig.get(j).copied().unwrap_or(usize::MAX)).map(|t| &t.token),
                    Some(Token::Period)
                ) {
                    break;
                }
            }
            while j + 1 < sig.len() && (is_word(&tokens[sig[j]], "INCLUDING") || is_word(&tokens[sig[j]], "EXCLUDING"))
            {
                let including = is_word(&tokens[sig[j]], "INCLUDING");
                if let Token::Word(w) = &tokens[sig[j + 1]].token {
                    like.options.push((including, w.value.to_ascii_uppercase()));
                }
                j += 2;
            }
            // Drop the element and one separating comma.
            let mut end = j;
            let after_comma = matches!(tokens[sig[end.min(sig.len() - 1)]].token, Token::Comma);
            if after_comma {
                end += 1;
            }
            for &i in &sig[k..end.min(sig.len())] {
                drop[i] = true;
            }
            if !after_comma && k > open + 1 && matches!(tokens[sig[k - 1]].token, Token::Comma) {
                drop[sig[k - 1]] = true;
            }
            extras.like = Some(like);
            return;
        }
        k += 1;
    }
}

fn do_block(
    tokens: &[TokenWithSpan],
    at: &dyn Fn(sqlparser::tokenizer::Location) -> usize,
) -> Result<Parsed, ParseError> {
    for t in tokens {
        match &t.token {
            Token::DollarQuotedString(s) => {
                // The body starts after the opening `$tag$`.
                let tag_len = s.tag.as_ref().map_or(0, String::len) + 2;
                return Ok(Parsed::Do {
                    body: s.value.clone(),
                    offset: at(t.span.start) + tag_len,
                    read: Default::default(),
                });
            }
            Token::SingleQuotedString(s) => {
                return Ok(Parsed::Do { body: s.clone(), offset: at(t.span.start) + 1, read: Default::default() });
            }
            _ => {}
        }
    }
    Err(ParseError {
        message: "DO needs a code block: DO $$ … $$".into(),
        offset: tokens.first().map_or(0, |t| at(t.span.start)),
    })
}

fn name_parts(tokens: &[&TokenWithSpan], mut k: usize) -> (Vec<String>, usize) {
    let mut parts = Vec::new();
    while let Some(t) = tokens.get(k) {
        match &t.token {
            Token::Word(w) => {
                parts.push(if w.quote_style.is_some() { w.value.clone() } else { w.value.to_ascii_lowercase() });
                k += 1;
                if matches!(tokens.get(k).map(|t| &t.token), Some(Token::Period)) {
                    k += 1;
                    continue;
                }
                break;
            }
            _ => break,
        }
    }
    (parts, k)
}

fn alter_sequence(tokens: &[TokenWithSpan]) -> Option<Parsed> {
    let sig: Vec<&TokenWithSpan> = tokens.iter().filter(|t| !matches!(t.token, Token::Whitespace(_))).collect();
    let mut k = 2;
    let if_exists = sig.get(k).is_some_and(|t| is_word(t, "IF"));
    if if_exists {
        k += 2;
    }
    let (name, mut k) = name_parts(&sig, k);
    if name.is_empty() {
        return None;
    }
    let mut owned_by = None;
    let mut rename_to = None;
    while k < sig.len() {
        if is_word(sig[k], "OWNED") && sig.get(k + 1).is_some_and(|t| is_word(t, "BY")) {
            let (target, next) = name_parts(&sig, k + 2);
            owned_by = Some(target);
            k = next;
        } else if is_word(sig[k], "RENAME") && sig.get(k + 1).is_some_and(|t| is_word(t, "TO")) {
            let (target, next) = name_parts(&sig, k + 2);
            rename_to = target.into_iter().last();
            k = next;
        } else {
            k += 1;
        }
    }
    Some(Parsed::AlterSequence { name, owned_by, rename_to, if_exists })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(sql: &str) -> Result<Parsed, ParseError> {
        parse(sql, 0, sql.len())
    }

    #[test]
    fn drop_index_concurrently_parses() {
        let Ok(Parsed::Statement(_, extras)) = parse_all("DROP INDEX CONCURRENTLY IF EXISTS idx") else { panic!() };
        assert!(extras.concurrently);
    }

    #[test]
    fn trigger_arguments_are_kept_aside() {
        let sql = "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW EXECUTE FUNCTION f('a', 42)";
        let Ok(Parsed::Statement(_, extras)) = parse_all(sql) else { panic!() };
        assert_eq!(extras.trigger_args, vec!["a".to_string(), "42".to_string()]);
    }

    #[test]
    fn constraint_storage_parameters_are_kept_aside() {
        let sql = "CREATE TABLE t (id int PRIMARY KEY WITH (fillfactor = 80), \"Code\" text, \
                   UNIQUE NULLS NOT DISTINCT (\"Code\", id) INCLUDE (x) WITH (fillfactor = 60, deduplicate_items = off) \
                   USING INDEX TABLESPACE pg_default DEFERRABLE)";
        let Ok(Parsed::Statement(_, extras)) = parse_all(sql) else { panic!("{:?}", parse_all(sql)) };
        let got: Vec<(bool, Vec<String>, Vec<String>)> =
            extras.constraint_options.iter().map(|o| (o.primary, o.columns.clone(), o.options.clone())).collect();
        assert_eq!(
            got,
            vec![
                (true, vec!["id".to_string()], vec!["fillfactor='80'".to_string()]),
                (
                    false,
                    vec!["Code".to_string(), "id".to_string()],
                    vec!["fillfactor='60'".to_string(), "deduplicate_items=off".to_string()]
                ),
            ]
        );
        let alter = "ALTER TABLE t ADD CONSTRAINT k UNIQUE (a) WITH (fillfactor = 70), ADD COLUMN b int UNIQUE WITH (fillfactor = 50)";
        let Ok(Parsed::Statement(_, extras)) = parse_all(alter) else { panic!("{:?}", parse_all(alter)) };
        let cols: Vec<&Vec<String>> = extras.constraint_options.iter().map(|o| &o.columns).collect();
        assert_eq!(cols, [&vec!["a".to_string()], &vec!["b".to_string()]]);
    }

    #[test]
    fn between_symmetric_reads_as_postgresql_expands_it() {
        for (sql, want) in [
            (
                "CREATE TABLE t (s int CHECK (s BETWEEN SYMMETRIC 10 AND 1))",
                "(s BETWEEN 10 AND 1 OR s BETWEEN 1 AND 10)",
            ),
            (
                "CREATE TABLE t (s int CHECK (s NOT BETWEEN SYMMETRIC 1 AND 5 AND s > 0))",
                "(s NOT BETWEEN 1 AND 5 AND s NOT BETWEEN 5 AND 1)",
            ),
            (
                "CREATE TABLE t (s int CHECK (abs(s) BETWEEN SYMMETRIC -1 AND (2 + 3)))",
                "(abs(s) BETWEEN -1 AND (2 + 3) OR abs(s) BETWEEN (2 + 3) AND -1)",
            ),
            ("CREATE TABLE t (s int CHECK (t.s BETWEEN ASYMMETRIC 1 AND 2))", "t.s BETWEEN 1 AND 2"),
        ] {
            let Ok(Parsed::Statement(stmt, _)) = parse_all(sql) else { panic!("{sql}: {:?}", parse_all(sql)) };
            let text = stmt.to_string();
            assert!(text.contains(want), "{sql}\n→ {text}");
        }
    }

    #[test]
    fn function_options_sqlparser_rejects() {
        let sql = "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql STRICT LEAKPROOF COST 10 AS $$ SELECT a $$";
        assert!(matches!(parse_all(sql), Ok(Parsed::Statement(..))));
    }

    #[test]
    fn errors_point_into_the_file() {
        let file = "SELECT 1;\nCREATE TABLE t (a int,, b int)";
        let err = parse(file, 10, file.len()).unwrap_err();
        assert_eq!(&file[err.offset..err.offset + 1], ",");
    }

    /// Valid PostgreSQL that sqlparser 0.64 rejects as written, and that migrations use.
    #[test]
    fn forms_sqlparser_rejects_are_read() {
        for sql in [
            "CREATE MATERIALIZED VIEW mv AS SELECT a FROM t WITH NO DATA",
            "CREATE MATERIALIZED VIEW mv AS SELECT a FROM t WITH DATA",
            "CREATE VIEW v AS SELECT a FROM t WHERE a > 0 WITH CASCADED CHECK OPTION",
            "ALTER TYPE mood OWNER TO postgres",
            "ALTER INDEX i SET (fillfactor = 70)",
            "ALTER INDEX IF EXISTS i RENAME TO j",
            "CREATE INDEX i ON ONLY t (a)",
            "CREATE OR REPLACE PROCEDURE p(a int) LANGUAGE plpgsql AS $$ BEGIN NULL; END $$",
            "CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME t_seq START WITH 5))",
            "CREATE TABLE t (a int, b int, FOREIGN KEY (a, b) REFERENCES u ON DELETE SET NULL (b))",
            "CREATE TABLE t (LIKE u INCLUDING ALL EXCLUDING INDEXES, extra text)",
            "CREATE DOMAIN email AS text NOT NULL CHECK (VALUE ~ '@')",
            "ALTER TABLE t ALTER COLUMN id SET STATISTICS 100, ALTER COLUMN id DROP IDENTITY IF EXISTS",
            "ALTER TABLE t SET SCHEMA archive",
            "ALTER SEQUENCE s OWNED BY t.id",
            "SET search_path TO app, public",
            "CREATE TABLE t OF pair",
            "CREATE TABLE IF NOT EXISTS app.t OF app.pair (PRIMARY KEY (a), b WITH OPTIONS DEFAULT 1 NOT NULL, CHECK (b > 0))",
            "CREATE STATISTICS app.s (ndistinct, mcv) ON a, lower(b), (a + 1) FROM app.t",
            "ALTER STATISTICS s SET STATISTICS 100",
            "DROP STATISTICS IF EXISTS s, app.s2 CASCADE",
            "CREATE PUBLICATION p FOR TABLE ONLY t (a, b) WHERE (a > 1), u, TABLES IN SCHEMA app, CURRENT_SCHEMA",
            "CREATE PUBLICATION p FOR ALL TABLES WITH (publish = 'insert')",
            "ALTER PUBLICATION p RENAME TO q",
            "DROP PUBLICATION IF EXISTS p, q",
        ] {
            assert!(parse_all(sql).is_ok(), "{sql}: {:?}", parse_all(sql).err());
        }
    }

    #[test]
    fn typed_table_columns_get_the_placeholder_type() {
        let sql = "CREATE TABLE t OF app.pair (PRIMARY KEY (a), b WITH OPTIONS DEFAULT 1, c NOT NULL)";
        let Ok(Parsed::Statement(stmt, extras)) = parse_all(sql) else { panic!("{:?}", parse_all(sql)) };
        assert_eq!(extras.typed_of, Some(vec!["app".to_string(), "pair".to_string()]));
        let sqlparser::ast::Statement::CreateTable(ct) = &*stmt else { panic!() };
        let cols: Vec<(String, String)> =
            ct.columns.iter().map(|c| (c.name.value.clone(), c.data_type.to_string())).collect();
        assert_eq!(cols, [("b".to_string(), TYPED_COLUMN.to_string()), ("c".to_string(), TYPED_COLUMN.to_string())]);
        assert_eq!(ct.constraints.len(), 1);
    }

    #[test]
    fn alter_type_set_schema_is_read_by_hand() {
        use crate::sql::objects::ObjectStmt;
        let sql = "ALTER TYPE app.\"Mood\" SET SCHEMA Archive";
        let Ok(Parsed::Object { what, stmt }) = parse_all(sql) else { panic!("{:?}", parse_all(sql)) };
        assert_eq!(what, "ALTER TYPE");
        assert_eq!(
            *stmt,
            ObjectStmt::AlterTypeSetSchema { name: vec!["app".into(), "Mood".into()], schema: "archive".into() }
        );
        // PostgreSQL's syntax errors, given when the statement runs.
        for (sql, message) in [
            ("ALTER TYPE mood SET SCHEMA s s", "syntax error at or near \"s\""),
            ("ALTER TYPE mood SET SCHEMA", "syntax error at end of input"),
        ] {
            let Ok(Parsed::Object { stmt, .. }) = parse_all(sql) else { panic!("{:?}", parse_all(sql)) };
            assert_eq!(*stmt, ObjectStmt::Rejected(message.into()), "{sql}");
        }
    }

    #[test]
    fn statistics_and_publications_are_read_by_hand() {
        use crate::sql::objects::ObjectStmt;
        let sql = "CREATE STATISTICS IF NOT EXISTS s (dependencies) ON a, (b) FROM app.t";
        let Ok(Parsed::Object { what, stmt }) = parse_all(sql) else { panic!("{:?}", parse_all(sql)) };
        assert_eq!(what, "CREATE STATISTICS");
        let ObjectStmt::CreateStatistics { name, if_not_exists, kinds, items, table } = *stmt else { panic!() };
        assert_eq!(
            (name, if_not_exists, kinds, items.len()),
            (vec!["s".to_string()], true, vec!["dependencies".to_string()], 2)
        );
        assert_eq!(table, ["app".to_string(), "t".to_string()]);
        let sql = "CREATE PUBLICATION p FOR TABLE t (a) WHERE (a > 0), TABLES IN SCHEMA app";
        let Ok(Parsed::Object { stmt, .. }) = parse_all(sql) else { panic!("{:?}", parse_all(sql)) };
        let ObjectStmt::CreatePublication { name, all_tables, tables, schemas } = *stmt else { panic!() };
        assert_eq!((name.as_str(), all_tables, schemas), ("p", false, vec![Some("app".to_string())]));
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].columns, Some(vec!["a".to_string()]));
        assert!(tables[0].filter.is_some());
        for bad in ["CREATE STATISTICS ON a, b FROM t", "CREATE PUBLICATION p FOR", "CREATE STATISTICS s ON a, b FROM"]
        {
            assert!(parse_all(bad).is_err(), "{bad}");
        }
        // ONLY takes a name or a parenthesised name, and no `*` after it.
        let sql = "ALTER PUBLICATION p ADD TABLE ONLY (c), d *, TABLES IN SCHEMA CURRENT_SCHEMA";
        let Ok(Parsed::Object { stmt, .. }) = parse_all(sql) else { panic!("{:?}", parse_all(sql)) };
        let ObjectStmt::AlterPublicationObjects { op, tables, schemas, .. } = *stmt else { panic!() };
        assert_eq!((op, schemas), (crate::sql::objects::PublicationOp::Add, vec![None]));
        let written: Vec<(bool, Vec<String>)> = tables.into_iter().map(|t| (t.only, t.name)).collect();
        assert_eq!(written, vec![(true, vec!["c".to_string()]), (false, vec!["d".to_string()])]);
        for bad in [
            "ALTER PUBLICATION p ADD TABLE ONLY c *",
            "CREATE PUBLICATION p FOR TABLE ONLY (c",
            "ALTER PUBLICATION p DROP TABLE",
        ] {
            assert!(parse_all(bad).is_err(), "{bad}: {:?}", parse_all(bad));
        }
        let Err(e) = parse_all("ALTER PUBLICATION p ADD TABLE ONLY c *") else { panic!() };
        assert_eq!(e.message, "syntax error at or near \"*\"");
        // At the token it names, as PostgreSQL's cursor.
        assert_eq!(e.offset, "ALTER PUBLICATION p ADD TABLE ONLY c ".len());
    }

    #[test]
    fn alter_domain_is_read_by_hand() {
        use crate::sql::objects::{DomainAction, ObjectStmt};
        let action = |sql: &str| match parse_all(sql) {
            Ok(Parsed::Object { what, stmt }) => {
                assert_eq!(what, "ALTER DOMAIN", "{sql}");
                let ObjectStmt::AlterDomain { name, action } = *stmt else { panic!("{sql}") };
                (name, *action)
            }
            other => panic!("{sql}: {other:?}"),
        };
        let (name, a) = action("ALTER DOMAIN app.\"Pos\" ADD CONSTRAINT p CHECK (VALUE > 0) NOT VALID;");
        assert_eq!(name, ["app".to_string(), "Pos".to_string()]);
        assert!(matches!(a, DomainAction::AddCheck { name: Some(n), not_valid: true, .. } if n == "p"));
        let (_, a) = action("alter domain pos add check (value <> 3) no inherit not deferrable initially immediate");
        assert!(matches!(a, DomainAction::AddCheck { name: None, not_valid: false, .. }));
        let cases = [
            (
                "ALTER DOMAIN d DROP CONSTRAINT IF EXISTS c CASCADE",
                DomainAction::DropConstraint { name: "c".into(), if_exists: true },
            ),
            (
                "ALTER DOMAIN d DROP CONSTRAINT c RESTRICT",
                DomainAction::DropConstraint { name: "c".into(), if_exists: false },
            ),
            (
                "ALTER DOMAIN d RENAME CONSTRAINT a TO \"B\"",
                DomainAction::RenameConstraint { from: "a".into(), to: "B".into() },
            ),
            ("ALTER DOMAIN d VALIDATE CONSTRAINT c", DomainAction::ValidateConstraint("c".into())),
            ("ALTER DOMAIN d DROP DEFAULT", DomainAction::DropDefault),
            ("ALTER DOMAIN d SET NOT NULL", DomainAction::SetNotNull),
            ("ALTER DOMAIN d DROP NOT NULL", DomainAction::DropNotNull),
            ("ALTER DOMAIN d RENAME TO e", DomainAction::RenameTo("e".into())),
            ("ALTER DOMAIN d SET SCHEMA app", DomainAction::SetSchema("app".into())),
            ("ALTER DOMAIN d OWNER TO CURRENT_USER", DomainAction::OwnerTo),
            ("ALTER DOMAIN d ADD CONSTRAINT u UNIQUE (a)", DomainAction::AddUnsupported("unique")),
            ("ALTER DOMAIN d ADD NOT NULL", DomainAction::Rejected("syntax error at or near \"NOT\"".into())),
        ];
        for (sql, want) in cases {
            assert_eq!(action(sql).1, want, "{sql}");
        }
        assert!(matches!(action("ALTER DOMAIN d SET DEFAULT now() + interval '1 day'").1, DomainAction::SetDefault(_)));
        for bad in [
            "ALTER DOMAIN d",
            "ALTER DOMAIN d;",
            "ALTER DOMAIN d ADD CHECK VALUE > 0",
            "ALTER DOMAIN d ADD CHECK (VALUE > 0), ADD CHECK (VALUE < 9)",
            "ALTER DOMAIN d ADD CHECK (VALUE > 0",
            "ALTER DOMAIN d SET DEFAULT",
            "ALTER DOMAIN d SET DEFAULT 1 2",
            "ALTER DOMAIN d RENAME CONSTRAINT a b",
            "ALTER DOMAIN d VALIDATE c",
            "ALTER DOMAIN d FROB",
        ] {
            assert!(parse_all(bad).is_err(), "{bad}");
        }
        let err = parse_all("ALTER DOMAIN d RENAME CONSTRAINT a b;").unwrap_err();
        assert_eq!(err.message, "syntax error at or near \"b\"");
        let err = parse_all("ALTER DOMAIN d;").unwrap_err();
        assert_eq!(err.message, "syntax error at or near \";\"");
    }

    #[test]
    fn deep_nesting_is_a_diagnostic() {
        let sql = format!("CREATE TABLE t (a int CHECK ({}a > 0{}))", "(".repeat(500), ")".repeat(500));
        let err = parse_all(&sql).unwrap_err();
        assert!(err.message.contains("nested too deeply"), "{}", err.message);
    }

    #[test]
    fn long_operator_chains_are_a_diagnostic() {
        let chain = |n: usize| vec!["id"; n].join(" + ");
        let sql = format!("CREATE VIEW v AS SELECT {} AS total FROM t", chain(OPERATOR_CHAIN_LIMIT + 5));
        let err = parse_all(&sql).unwrap_err();
        assert!(err.message.contains("more than 500 operators"), "{}", err.message);
        // As long, but spread over list items and parentheses, it parses.
        let items: Vec<String> = (0..4).map(|_| format!("({})", chain(200))).collect();
        assert!(parse_all(&format!("CREATE VIEW v AS SELECT {} FROM t", items.join(", "))).is_ok());
        let ors = vec!["x = 1"; 200].join(" OR ");
        assert!(parse_all(&format!("CREATE TABLE t (x int CHECK ({ors}))")).is_ok());
    }

    #[test]
    fn do_block_body_offset() {
        let sql = "DO $$ BEGIN NULL; END $$";
        let Ok(Parsed::Do { body, offset, .. }) = parse_all(sql) else { panic!() };
        assert_eq!(&sql[offset..offset + body.len()], body);
    }
}
