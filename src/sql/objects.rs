//! Statements sqlparser does not know, read by hand from their tokens: `CREATE`/`ALTER`/`DROP STATISTICS`,
//! `CREATE`/`ALTER`/`DROP PUBLICATION`, `ALTER DOMAIN` and the attribute forms of `ALTER TYPE`. Expressions
//! inside them (statistics expressions, row filters, domain checks and defaults) and attribute types are
//! parsed by sqlparser from their own tokens.

use sqlparser::ast::{DataType, Expr};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, TokenWithSpan};

/// A statement read here, for the simulator.
#[derive(Debug, Clone, PartialEq)]
pub enum ObjectStmt {
    /// `CREATE STATISTICS [IF NOT EXISTS] name [(kinds)] ON items FROM table`.
    CreateStatistics {
        name: Vec<String>,
        if_not_exists: bool,
        kinds: Vec<String>,
        items: Vec<Expr>,
        table: Vec<String>,
    },
    /// `ALTER STATISTICS [IF EXISTS] name …`.
    AlterStatistics { name: Vec<String>, if_exists: bool, action: AlterObjectAction },
    /// `DROP STATISTICS [IF EXISTS] name, …`.
    DropStatistics { names: Vec<Vec<String>>, if_exists: bool },
    /// `CREATE PUBLICATION name [FOR ALL TABLES | FOR TABLE … | FOR TABLES IN SCHEMA …] [WITH (…)]`.
    CreatePublication { name: String, all_tables: bool, tables: Vec<PublicationTarget>, schemas: Vec<Option<String>> },
    /// `ALTER PUBLICATION name …`, other than the next.
    AlterPublication { name: String, action: AlterObjectAction },
    /// `ALTER PUBLICATION name ADD | DROP | SET TABLE … , TABLES IN SCHEMA …`.
    AlterPublicationObjects {
        name: String,
        op: PublicationOp,
        tables: Vec<PublicationTarget>,
        schemas: Vec<Option<String>>,
    },
    /// `DROP PUBLICATION [IF EXISTS] name, …`.
    DropPublication { names: Vec<String>, if_exists: bool },
    /// `ALTER DOMAIN name …`.
    AlterDomain { name: Vec<String>, action: Box<DomainAction> },
    /// `ALTER TYPE name` with attribute actions (a composite type): `ADD`, `DROP`, `ALTER ATTRIBUTE`,
    /// comma-separated, or one `RENAME ATTRIBUTE`.
    AlterTypeAttributes { name: Vec<String>, actions: Vec<AttributeAction> },
    /// `ALTER TYPE name SET SCHEMA schema`.
    AlterTypeSetSchema { name: Vec<String>, schema: String },
    /// One of these statements that PostgreSQL rejects while parsing (`ALTER TYPE p ADD ATTRIBUTE b int NOT
    /// NULL`): its message, given when the statement runs, as PostgreSQL gives it.
    Rejected(String),
}

/// One action of `ALTER TYPE … ADD | DROP | ALTER | RENAME ATTRIBUTE` (PostgreSQL 15's `AlterCompositeTypeStmt`
/// and the attribute form of `RenameStmt`). `cascade` is `CASCADE` (the typed tables of the type are altered
/// too); `RESTRICT`, the default, is `false`.
#[derive(Debug, Clone, PartialEq)]
pub enum AttributeAction {
    /// `ADD ATTRIBUTE name type [COLLATE collation]`.
    Add { name: String, data_type: DataType, cascade: bool },
    /// `DROP ATTRIBUTE [IF EXISTS] name`.
    Drop { name: String, if_exists: bool, cascade: bool },
    /// `ALTER ATTRIBUTE name [SET DATA] TYPE type [COLLATE collation]`.
    SetType { name: String, data_type: DataType, cascade: bool },
    /// `RENAME ATTRIBUTE name TO new_name`.
    Rename { from: String, to: String, cascade: bool },
}

/// What an `ALTER DOMAIN` does (PostgreSQL 15's grammar: `AlterDomainStmt`, the domain forms of
/// `RenameStmt`, `AlterOwnerStmt` and `AlterObjectSchemaStmt`).
#[derive(Debug, Clone, PartialEq)]
pub enum DomainAction {
    /// `ADD [CONSTRAINT name] CHECK (expr) [NOT VALID]`.
    AddCheck {
        name: Option<String>,
        expr: Expr,
        not_valid: bool,
    },
    /// `ADD [CONSTRAINT name] UNIQUE | PRIMARY KEY | EXCLUDE | FOREIGN KEY …`: what PostgreSQL rejects for
    /// domains, named as its message names it (`unique`, `primary key`, `exclusion`, `foreign key`).
    AddUnsupported(&'static str),
    /// `DROP CONSTRAINT [IF EXISTS] name [CASCADE | RESTRICT]`.
    DropConstraint {
        name: String,
        if_exists: bool,
    },
    /// `RENAME CONSTRAINT old TO new`.
    RenameConstraint {
        from: String,
        to: String,
    },
    /// `VALIDATE CONSTRAINT name`.
    ValidateConstraint(String),
    /// `SET DEFAULT expr`.
    SetDefault(Expr),
    DropDefault,
    SetNotNull,
    DropNotNull,
    /// `RENAME TO name`.
    RenameTo(String),
    /// `SET SCHEMA name`.
    SetSchema(String),
    /// `OWNER TO role`: nothing the model holds, but the domain must exist.
    OwnerTo,
    /// A form PostgreSQL 15 rejects while parsing (`ADD NOT NULL`, a DEFERRABLE check): its message.
    Rejected(String),
}

/// What an ALTER of these objects does, as far as the model cares.
#[derive(Debug, Clone, PartialEq)]
pub enum AlterObjectAction {
    RenameTo(String),
    SetSchema(String),
    SetStatistics(i32),
    /// `OWNER TO`, publication parameters: nothing the model holds.
    NoEffect,
    /// Anything else, described for a `not-simulated` warning.
    Other(String),
}

/// What `ALTER PUBLICATION … ADD | DROP | SET` does with the tables and schemas it lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicationOp {
    Add,
    Drop,
    Set,
}

/// `FOR TABLE [ONLY] name [*] [(columns)] [WHERE (expr)]`.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicationTarget {
    pub name: Vec<String>,
    pub only: bool,
    pub columns: Option<Vec<String>>,
    pub filter: Option<Expr>,
}

struct Cursor<'a> {
    sig: Vec<&'a TokenWithSpan>,
    k: usize,
    /// The statement ends in `;` (what a syntax error at its end names).
    semicolon: bool,
    /// The token a syntax error was reported at (its index in `sig`), for the error's location.
    failed_at: std::cell::Cell<Option<usize>>,
}

impl<'a> Cursor<'a> {
    fn new(tokens: &'a [TokenWithSpan]) -> Cursor<'a> {
        let sig = tokens
            .iter()
            .filter(|t| !matches!(t.token, Token::Whitespace(_) | Token::SemiColon | Token::EOF))
            .collect();
        let semicolon = tokens.iter().any(|t| t.token == Token::SemiColon);
        Cursor { sig, k: 0, semicolon, failed_at: Default::default() }
    }

    /// Whether the next two tokens are these unquoted keywords.
    fn is_pair(&self, first: &str, second: &str) -> bool {
        let word = |k: usize, kw: &str| matches!(self.sig.get(k).map(|t| &t.token), Some(Token::Word(w)) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(kw));
        word(self.k, first) && word(self.k + 1, second)
    }

    fn peek(&self) -> Option<&'a Token> {
        self.sig.get(self.k).map(|t| &t.token)
    }

    fn is(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(kw))
    }

    fn eat(&mut self, kw: &str) -> bool {
        let hit = self.is(kw);
        if hit {
            self.k += 1;
        }
        hit
    }

    fn eat_token(&mut self, t: &Token) -> bool {
        let hit = self.peek() == Some(t);
        if hit {
            self.k += 1;
        }
        hit
    }

    fn done(&self) -> bool {
        self.k >= self.sig.len()
    }

    fn ident(&mut self) -> Option<String> {
        match self.peek()? {
            Token::Word(w) => {
                self.k += 1;
                Some(if w.quote_style.is_some() { w.value.clone() } else { w.value.to_ascii_lowercase() })
            }
            _ => None,
        }
    }

    fn name(&mut self) -> Option<Vec<String>> {
        let mut parts = vec![self.ident()?];
        while self.eat_token(&Token::Period) {
            parts.push(self.ident()?);
        }
        Some(parts)
    }

    /// The tokens of a parenthesised group (the cursor on its `(`), without the parentheses.
    fn group(&mut self) -> Option<Vec<TokenWithSpan>> {
        if !self.eat_token(&Token::LParen) {
            return None;
        }
        let mut depth = 1;
        let mut out = Vec::new();
        while let Some(t) = self.sig.get(self.k) {
            self.k += 1;
            match t.token {
                Token::LParen => depth += 1,
                Token::RParen => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(out);
                    }
                }
                _ => {}
            }
            out.push((*t).clone());
        }
        None
    }
}

fn expressions(tokens: Vec<TokenWithSpan>) -> Result<Vec<Expr>, String> {
    let dialect = PostgreSqlDialect {};
    let mut parser = Parser::new(&dialect).with_recursion_limit(96).with_tokens_with_locations(tokens);
    let exprs = parser.parse_comma_separated(Parser::parse_expr).map_err(|e| e.to_string())?;
    if parser.peek_token_ref().token != Token::EOF {
        return Err(format!("syntax error at or near \"{}\"", parser.peek_token_ref().token));
    }
    Ok(exprs)
}

fn names_list(group: &[TokenWithSpan]) -> Option<Vec<String>> {
    let mut c = Cursor::new(group);
    let mut out = Vec::new();
    loop {
        out.push(c.ident()?);
        if c.done() {
            return Some(out);
        }
        if !c.eat_token(&Token::Comma) {
            return None;
        }
    }
}

/// Reads the statement if it is one of this module's; `None` if it is not, `Some(Err)` for a syntax error.
/// `semicolon`: a `;` ends the statement outside `tokens` (a syntax error at the end then names it).
/// A syntax error: PostgreSQL's message, and where in the statement's tokens it points when it names a token
/// (`None`: at the statement).
pub type SyntaxError = (String, Option<sqlparser::tokenizer::Location>);

pub fn read(
    tokens: &[TokenWithSpan],
    first: &[&str],
    semicolon: bool,
) -> Option<Result<(String, ObjectStmt), SyntaxError>> {
    let what = match first {
        [verb @ ("CREATE" | "ALTER" | "DROP"), obj @ ("STATISTICS" | "PUBLICATION"), ..] => format!("{verb} {obj}"),
        ["ALTER", "DOMAIN", ..] => "ALTER DOMAIN".to_string(),
        ["ALTER", "TYPE", ..] if is_attribute_form(tokens) || is_set_schema_form(tokens) => "ALTER TYPE".to_string(),
        _ => return None,
    };
    // Copied only for the statements read here: most statements are not.
    let with_semicolon;
    let tokens = if semicolon && !tokens.iter().any(|t| t.token == Token::SemiColon) {
        with_semicolon = [tokens, &[TokenWithSpan::wrap(Token::SemiColon)]].concat();
        &with_semicolon[..]
    } else {
        tokens
    };
    let mut c = Cursor::new(tokens);
    c.k = 2;
    let stmt = match first {
        ["CREATE", "STATISTICS", ..] => create_statistics(&mut c),
        ["ALTER", "STATISTICS", ..] => {
            let if_exists = c.is("IF") && {
                c.k += 1;
                c.eat("EXISTS")
            };
            c.name().map(|name| Ok(ObjectStmt::AlterStatistics { name, if_exists, action: alter_action(&mut c) }))
        }
        ["DROP", "STATISTICS", ..] => {
            let if_exists = c.is("IF") && {
                c.k += 1;
                c.eat("EXISTS")
            };
            let mut names = Vec::new();
            while let Some(n) = c.name() {
                names.push(n);
                if !c.eat_token(&Token::Comma) {
                    break;
                }
            }
            c.eat("CASCADE");
            c.eat("RESTRICT");
            (c.done() && !names.is_empty()).then_some(Ok(ObjectStmt::DropStatistics { names, if_exists }))
        }
        ["CREATE", "PUBLICATION", ..] => create_publication(&mut c),
        ["ALTER", "DOMAIN", ..] => Some(alter_domain(&mut c)),
        ["ALTER", "TYPE", ..] => Some(Ok(alter_type(&mut c).unwrap_or_else(ObjectStmt::Rejected))),
        ["ALTER", "PUBLICATION", ..] => alter_publication(&mut c),
        _ => {
            let if_exists = c.is("IF") && {
                c.k += 1;
                c.eat("EXISTS")
            };
            let mut names = Vec::new();
            while let Some(n) = c.ident() {
                names.push(n);
                if !c.eat_token(&Token::Comma) {
                    break;
                }
            }
            c.eat("CASCADE");
            c.eat("RESTRICT");
            (c.done() && !names.is_empty()).then_some(Ok(ObjectStmt::DropPublication { names, if_exists }))
        }
    };
    // The token `near` named: past the last one, the `;` (when it is the file's, not one added here).
    let at = c.failed_at.get().and_then(|k| match c.sig.get(k) {
        Some(t) => Some(t.span.start),
        None => tokens.iter().find(|t| t.token == Token::SemiColon).map(|t| t.span.start),
    });
    Some(match stmt {
        Some(Ok(s)) => Ok((what, s)),
        Some(Err(e)) => Err((e, at)),
        None => Err((format!("syntax error in {what}"), None)),
    })
}

fn alter_action(c: &mut Cursor) -> AlterObjectAction {
    if c.eat("RENAME") && c.eat("TO") {
        return c.ident().map_or(AlterObjectAction::Other("RENAME".into()), AlterObjectAction::RenameTo);
    }
    if c.eat("OWNER") {
        return AlterObjectAction::NoEffect;
    }
    if c.eat("SET") {
        if c.eat("SCHEMA") {
            return c.ident().map_or(AlterObjectAction::Other("SET SCHEMA".into()), AlterObjectAction::SetSchema);
        }
        if c.eat("STATISTICS") {
            let neg = c.eat_token(&Token::Minus);
            if let Some(Token::Number(n, _)) = c.peek()
                && let Ok(v) = n.parse::<i32>()
            {
                return AlterObjectAction::SetStatistics(if neg { -v } else { v });
            }
        }
        if c.peek() == Some(&Token::LParen) {
            return AlterObjectAction::NoEffect;
        }
        return AlterObjectAction::Other("SET".into());
    }
    let words: Vec<String> = c.sig[c.k..].iter().take(2).map(|t| t.token.to_string().to_uppercase()).collect();
    AlterObjectAction::Other(words.join(" "))
}

fn create_statistics(c: &mut Cursor) -> Option<Result<ObjectStmt, String>> {
    let mut if_not_exists = false;
    if c.is("IF") {
        c.k += 1;
        if !(c.eat("NOT") && c.eat("EXISTS")) {
            return None;
        }
        if_not_exists = true;
    }
    // The name is optional from PostgreSQL 16 on; 15 requires it.
    let name = c.name()?;
    let mut kinds = Vec::new();
    if c.peek() == Some(&Token::LParen) {
        kinds = names_list(&c.group()?)?;
    }
    if !c.eat("ON") {
        return None;
    }
    // The items run up to FROM at depth 0.
    let mut depth = 0;
    let start = c.k;
    while let Some(t) = c.peek() {
        match t {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            _ if depth == 0 && c.is("FROM") => break,
            _ => {}
        }
        c.k += 1;
    }
    let items: Vec<TokenWithSpan> = c.sig[start..c.k].iter().map(|t| (*t).clone()).collect();
    if !c.eat("FROM") {
        return None;
    }
    let table = c.name()?;
    if !c.done() {
        return None;
    }
    Some(expressions(items).map(|items| ObjectStmt::CreateStatistics { name, if_not_exists, kinds, items, table }))
}

fn create_publication(c: &mut Cursor) -> Option<Result<ObjectStmt, String>> {
    let name = c.ident()?;
    let mut all_tables = false;
    let mut tables = Vec::new();
    let mut schemas = Vec::new();
    if c.eat("FOR") {
        if c.eat("ALL") {
            if !c.eat("TABLES") {
                return None;
            }
            all_tables = true;
        } else {
            match publication_objects(c)? {
                Ok((t, s)) => (tables, schemas) = (t, s),
                Err(e) => return Some(Err(e)),
            }
        }
    }
    if c.eat("WITH") {
        c.group()?;
    }
    if !c.done() {
        return None;
    }
    Some(Ok(ObjectStmt::CreatePublication { name, all_tables, tables, schemas }))
}

/// `ALTER PUBLICATION name ADD | DROP | SET` with tables and schemas; anything else as an action.
fn alter_publication(c: &mut Cursor) -> Option<Result<ObjectStmt, String>> {
    let name = c.ident()?;
    let op = [("ADD", PublicationOp::Add), ("DROP", PublicationOp::Drop), ("SET", PublicationOp::Set)]
        .into_iter()
        .find(|(word, _)| c.is_pair(word, "TABLE") || c.is_pair(word, "TABLES"))
        .map(|(_, op)| op);
    let Some(op) = op else { return Some(Ok(ObjectStmt::AlterPublication { name, action: alter_action(c) })) };
    c.k += 1;
    let (tables, schemas) = match publication_objects(c)? {
        Ok(objects) => objects,
        Err(e) => return Some(Err(e)),
    };
    c.done().then_some(Ok(ObjectStmt::AlterPublicationObjects { name, op, tables, schemas }))
}

/// `TABLE a, b, TABLES IN SCHEMA s, t`: the tables and the schemas (`None`: `CURRENT_SCHEMA`). A bare name
/// continues the previous kind.
#[allow(clippy::type_complexity)]
fn publication_objects(c: &mut Cursor) -> Option<Result<(Vec<PublicationTarget>, Vec<Option<String>>), String>> {
    let mut tables = Vec::new();
    let mut schemas = Vec::new();
    let mut in_schema = false;
    loop {
        if c.eat("TABLE") {
            in_schema = false;
        } else if c.is("TABLES") {
            c.k += 1;
            if !(c.eat("IN") && c.eat("SCHEMA")) {
                return None;
            }
            in_schema = true;
        }
        if in_schema {
            if c.eat("CURRENT_SCHEMA") {
                schemas.push(None);
            } else {
                schemas.push(Some(c.ident()?));
            }
        } else {
            // `ONLY name`, `ONLY (name)`, or `name [*]` (the `*` is not allowed after ONLY).
            let only = c.eat("ONLY");
            let parens = only && c.eat_token(&Token::LParen);
            let name = c.name()?;
            if parens && !c.eat_token(&Token::RParen) {
                return None;
            }
            if only && c.peek() == Some(&Token::Mul) {
                return Some(Err(near(c)));
            }
            c.eat_token(&Token::Mul);
            let columns = if c.peek() == Some(&Token::LParen) { Some(names_list(&c.group()?)?) } else { None };
            let filter = if c.eat("WHERE") {
                let group = c.group()?;
                match expressions(group) {
                    Ok(mut e) if e.len() == 1 => Some(e.remove(0)),
                    Ok(_) => return None,
                    Err(e) => return Some(Err(e)),
                }
            } else {
                None
            };
            tables.push(PublicationTarget { name, only, columns, filter });
        }
        if !c.eat_token(&Token::Comma) {
            break;
        }
    }
    Some(Ok((tables, schemas)))
}

fn near(c: &Cursor) -> String {
    c.failed_at.set(Some(c.k));
    match c.sig.get(c.k) {
        Some(t) => format!("syntax error at or near \"{}\"", t.token),
        None if c.semicolon => "syntax error at or near \";\"".into(),
        None => "syntax error at end of input".into(),
    }
}

/// One expression from its tokens (a CHECK's parenthesised group, a default up to the end).
fn one_expression(tokens: Vec<TokenWithSpan>) -> Result<Expr, String> {
    let mut exprs = expressions(tokens)?;
    if exprs.len() != 1 {
        return Err("syntax error at or near \",\"".into());
    }
    Ok(exprs.remove(0))
}

/// `ALTER DOMAIN name action`, the cursor after `DOMAIN`. Errors are PostgreSQL's syntax errors.
fn alter_domain(c: &mut Cursor) -> Result<ObjectStmt, String> {
    let Some(name) = c.name() else { return Err(near(c)) };
    let action = domain_action(c)?;
    if !c.done() {
        return Err(near(c));
    }
    Ok(ObjectStmt::AlterDomain { name, action: Box::new(action) })
}

fn domain_action(c: &mut Cursor) -> Result<DomainAction, String> {
    let ident = |c: &mut Cursor| c.ident().ok_or_else(|| near(c));
    if c.eat("ADD") {
        let name = if c.eat("CONSTRAINT") { Some(ident(c)?) } else { None };
        if c.eat("CHECK") {
            if c.peek() != Some(&Token::LParen) {
                return Err(near(c));
            }
            let Some(group) = c.group() else { return Err("syntax error at end of input".into()) };
            let expr = one_expression(group)?;
            // ConstraintAttributeSpec, in any order and repeated: NOT VALID; NO INHERIT, NOT DEFERRABLE and
            // INITIALLY IMMEDIATE (accepted, no effect on a domain); DEFERRABLE, INITIALLY DEFERRED (errors).
            let mut not_valid = false;
            let mut deferrable = false;
            loop {
                if c.is_pair("NOT", "VALID") {
                    not_valid = true;
                } else if c.is_pair("NO", "INHERIT")
                    || c.is_pair("NOT", "DEFERRABLE")
                    || c.is_pair("INITIALLY", "IMMEDIATE")
                {
                } else if c.is_pair("INITIALLY", "DEFERRED") {
                    deferrable = true;
                } else if c.is("DEFERRABLE") {
                    deferrable = true;
                    c.k += 1;
                    continue;
                } else {
                    break;
                }
                c.k += 2;
            }
            if deferrable {
                c.k = c.sig.len();
                return Ok(DomainAction::Rejected("CHECK constraints cannot be marked DEFERRABLE".into()));
            }
            return Ok(DomainAction::AddCheck { name, expr, not_valid });
        }
        if c.is("NOT") {
            // `ADD NOT NULL` arrives in PostgreSQL 17; 15's grammar has only table constraints here.
            let message = near(c);
            c.k = c.sig.len();
            return Ok(DomainAction::Rejected(message));
        }
        let kind = if c.is("UNIQUE") {
            "unique"
        } else if c.is("PRIMARY") {
            "primary key"
        } else if c.is("EXCLUDE") {
            "exclusion"
        } else if c.is("FOREIGN") {
            "foreign key"
        } else {
            return Err(near(c));
        };
        // The rest of the constraint is not read: PostgreSQL rejects the statement whatever it says.
        c.k = c.sig.len();
        return Ok(DomainAction::AddUnsupported(kind));
    }
    if c.eat("DROP") {
        if c.eat("CONSTRAINT") {
            let if_exists = c.is_pair("IF", "EXISTS");
            if if_exists {
                c.k += 2;
            }
            let name = ident(c)?;
            let _ = c.eat("CASCADE") || c.eat("RESTRICT");
            return Ok(DomainAction::DropConstraint { name, if_exists });
        }
        if c.eat("DEFAULT") {
            return Ok(DomainAction::DropDefault);
        }
        if c.eat("NOT") {
            return if c.eat("NULL") { Ok(DomainAction::DropNotNull) } else { Err(near(c)) };
        }
        return Err(near(c));
    }
    if c.eat("SET") {
        if c.eat("DEFAULT") {
            let rest: Vec<TokenWithSpan> = c.sig[c.k..].iter().map(|t| (*t).clone()).collect();
            if rest.is_empty() {
                return Err(near(c));
            }
            c.k = c.sig.len();
            return one_expression(rest).map(DomainAction::SetDefault);
        }
        if c.eat("NOT") {
            return if c.eat("NULL") { Ok(DomainAction::SetNotNull) } else { Err(near(c)) };
        }
        if c.eat("SCHEMA") {
            return ident(c).map(DomainAction::SetSchema);
        }
        return Err(near(c));
    }
    if c.eat("RENAME") {
        if c.eat("CONSTRAINT") {
            let from = ident(c)?;
            if !c.eat("TO") {
                return Err(near(c));
            }
            let to = ident(c)?;
            return Ok(DomainAction::RenameConstraint { from, to });
        }
        if c.eat("TO") {
            return ident(c).map(DomainAction::RenameTo);
        }
        return Err(near(c));
    }
    if c.eat("VALIDATE") {
        if !c.eat("CONSTRAINT") {
            return Err(near(c));
        }
        return ident(c).map(DomainAction::ValidateConstraint);
    }
    if c.eat("OWNER") {
        if !c.eat("TO") {
            return Err(near(c));
        }
        // A role name, CURRENT_ROLE, CURRENT_USER or SESSION_USER.
        ident(c)?;
        return Ok(DomainAction::OwnerTo);
    }
    Err(near(c))
}

/// `ALTER TYPE name ADD | DROP | ALTER | RENAME ATTRIBUTE …`: the forms sqlparser does not know (the enum
/// and rename forms are left to it).
fn is_attribute_form(tokens: &[TokenWithSpan]) -> bool {
    let mut c = Cursor::new(tokens);
    c.k = 2;
    if c.name().is_none() {
        return false;
    }
    ["ADD", "DROP", "ALTER", "RENAME"].iter().any(|verb| c.is_pair(verb, "ATTRIBUTE"))
}

/// `ALTER TYPE name SET SCHEMA schema`: a form sqlparser does not know.
fn is_set_schema_form(tokens: &[TokenWithSpan]) -> bool {
    let mut c = Cursor::new(tokens);
    c.k = 2;
    c.name().is_some() && c.is_pair("SET", "SCHEMA")
}

/// `ALTER TYPE name SET SCHEMA schema` or `ALTER TYPE name action [, …]`, the cursor after `TYPE`. Errors
/// are PostgreSQL's syntax errors.
fn alter_type(c: &mut Cursor) -> Result<ObjectStmt, String> {
    let Some(name) = c.name() else { return Err(near(c)) };
    let ident = |c: &mut Cursor| c.ident().ok_or_else(|| near(c));
    if c.is_pair("SET", "SCHEMA") {
        c.k += 2;
        let schema = ident(c)?;
        if !c.done() {
            return Err(near(c));
        }
        return Ok(ObjectStmt::AlterTypeSetSchema { name, schema });
    }
    let mut actions = Vec::new();
    if c.is_pair("RENAME", "ATTRIBUTE") {
        // A RenameStmt: one action, no list.
        c.k += 2;
        let from = ident(c)?;
        if !c.eat("TO") {
            return Err(near(c));
        }
        let to = ident(c)?;
        let cascade = drop_behavior(c);
        actions.push(AttributeAction::Rename { from, to, cascade });
    } else {
        loop {
            actions.push(attribute_action(c)?);
            if !c.eat_token(&Token::Comma) {
                break;
            }
        }
    }
    if !c.done() {
        return Err(near(c));
    }
    Ok(ObjectStmt::AlterTypeAttributes { name, actions })
}

/// `CASCADE` (true) or `RESTRICT` / nothing (false).
fn drop_behavior(c: &mut Cursor) -> bool {
    if c.eat("CASCADE") {
        return true;
    }
    c.eat("RESTRICT");
    false
}

fn attribute_action(c: &mut Cursor) -> Result<AttributeAction, String> {
    let ident = |c: &mut Cursor| c.ident().ok_or_else(|| near(c));
    if c.is_pair("ADD", "ATTRIBUTE") {
        c.k += 2;
        let name = ident(c)?;
        let data_type = attribute_type(c)?;
        let cascade = drop_behavior(c);
        return Ok(AttributeAction::Add { name, data_type, cascade });
    }
    if c.is_pair("DROP", "ATTRIBUTE") {
        c.k += 2;
        let if_exists = c.is_pair("IF", "EXISTS");
        if if_exists {
            c.k += 2;
        }
        let name = ident(c)?;
        let cascade = drop_behavior(c);
        return Ok(AttributeAction::Drop { name, if_exists, cascade });
    }
    if c.is_pair("ALTER", "ATTRIBUTE") {
        c.k += 2;
        let name = ident(c)?;
        if c.eat("SET") && !c.eat("DATA") {
            return Err(near(c));
        }
        if !c.eat("TYPE") {
            return Err(near(c));
        }
        let data_type = attribute_type(c)?;
        let cascade = drop_behavior(c);
        return Ok(AttributeAction::SetType { name, data_type, cascade });
    }
    Err(near(c))
}

/// An attribute's type and its optional `COLLATE name` (the collation is not kept: composite types'
/// attributes are listed by name and type). The type runs up to `COLLATE`, `CASCADE`, `RESTRICT` or a
/// comma outside parentheses.
fn attribute_type(c: &mut Cursor) -> Result<DataType, String> {
    let start = c.k;
    let mut depth = 0usize;
    while let Some(t) = c.peek() {
        match t {
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket => depth = depth.saturating_sub(1),
            Token::Comma if depth == 0 => break,
            _ if depth == 0 && (c.is("COLLATE") || c.is("CASCADE") || c.is("RESTRICT")) => break,
            _ => {}
        }
        c.k += 1;
    }
    if c.k == start {
        return Err(near(c));
    }
    let tokens: Vec<TokenWithSpan> = c.sig[start..c.k].iter().map(|t| (*t).clone()).collect();
    let dialect = PostgreSqlDialect {};
    let mut parser = Parser::new(&dialect).with_recursion_limit(96).with_tokens_with_locations(tokens);
    let data_type = match parser.parse_data_type() {
        Ok(t) if parser.peek_token_ref().token == Token::EOF => t,
        // The first token the type could not take, as PostgreSQL names it (the tokens carry no whitespace,
        // so the parser's index is the cursor's).
        Ok(_) => {
            c.k = (start + parser.index()).min(c.k);
            return Err(near(c));
        }
        Err(_) => {
            c.k = start;
            return Err(near(c));
        }
    };
    if c.eat("COLLATE") && c.name().is_none() {
        return Err(near(c));
    }
    Ok(data_type)
}
