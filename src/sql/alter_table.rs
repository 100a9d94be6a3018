//! ALTER TABLE statements that sqlparser rejects as a whole: split at top-level commas, each action
//! parsed on its own (`ALTER TABLE name <action>`), and the actions sqlparser does not know read by a
//! small hand parser. One unknown action no longer hides the others.

use sqlparser::ast::Statement;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, TokenWithSpan, Word};

/// One action of an ALTER TABLE.
#[derive(Debug)]
pub enum AlterPart {
    /// `ALTER TABLE name <action>` as sqlparser parses it.
    Parsed(Box<Statement>),
    Manual(ManualAction),
}

/// Actions sqlparser 0.64 cannot parse, read by hand.
#[derive(Debug, Clone, PartialEq)]
pub enum ManualAction {
    SetSchema(String),
    SetGenerated {
        column: String,
        always: bool,
    },
    DropIdentity {
        column: String,
        if_exists: bool,
    },
    DropExpression {
        column: String,
        if_exists: bool,
    },
    ClusterOn(String),
    SetWithoutCluster,
    ReplicaIdentityIndex(String),
    AlterConstraint {
        name: String,
        deferrable: Option<bool>,
        initially_deferred: Option<bool>,
    },
    /// Physical settings the model does not hold (statistics, storage, compression, tablespace, …).
    NoEffect(String),
}

/// The table an ALTER TABLE applies to, as written.
#[derive(Debug)]
pub struct AlterTarget {
    pub name: Vec<String>,
    pub if_exists: bool,
}

fn word(t: &TokenWithSpan) -> Option<String> {
    match &t.token {
        Token::Word(Word { value, quote_style: None, .. }) => Some(value.to_ascii_uppercase()),
        _ => None,
    }
}

fn ident(t: &TokenWithSpan) -> Option<String> {
    match &t.token {
        Token::Word(w) if w.quote_style.is_some() => Some(w.value.clone()),
        Token::Word(w) => Some(w.value.to_ascii_lowercase()),
        _ => None,
    }
}

/// Splits `ALTER TABLE [IF EXISTS] [ONLY] name action, action…` into its actions. Returns `None` when
/// the statement does not have that shape.
pub fn split(tokens: &[TokenWithSpan]) -> Option<(AlterTarget, Vec<AlterPart>)> {
    let sig: Vec<&TokenWithSpan> = tokens.iter().filter(|t| !matches!(t.token, Token::Whitespace(_))).collect();
    if word(sig.first()?)? != "ALTER" || word(sig.get(1)?)? != "TABLE" {
        return None;
    }
    let mut k = 2;
    let mut if_exists = false;
    if sig.get(k).and_then(|t| word(t)).as_deref() == Some("IF") {
        if_exists = true;
        k += 2;
    }
    if sig.get(k).and_then(|t| word(t)).as_deref() == Some("ONLY") {
        k += 1;
    }
    let name_start = k;
    let mut name = Vec::new();
    loop {
        name.push(ident(sig.get(k)?)?);
        k += 1;
        if matches!(sig.get(k).map(|t| &t.token), Some(Token::Period)) {
            k += 1;
            continue;
        }
        break;
    }
    let prefix: String = sig[..k].iter().map(|t| t.token.to_string()).collect::<Vec<_>>().join(" ");
    let _ = name_start;
    // Actions: split at commas outside parentheses.
    let mut actions: Vec<Vec<&TokenWithSpan>> = vec![Vec::new()];
    let mut depth = 0i32;
    for t in &sig[k..] {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            Token::Comma if depth == 0 => {
                actions.push(Vec::new());
                continue;
            }
            Token::SemiColon | Token::EOF => continue,
            _ => {}
        }
        if let Some(last) = actions.last_mut() {
            last.push(t);
        }
    }
    let dialect = PostgreSqlDialect {};
    let mut parts = Vec::new();
    for action in actions.iter().filter(|a| !a.is_empty()) {
        let text: String = action.iter().map(|t| t.token.to_string()).collect::<Vec<_>>().join(" ");
        let sql = format!("{prefix} {text}");
        let parsed = Parser::new(&dialect).try_with_sql(&sql).and_then(|mut p| p.parse_statement());
        match parsed {
            Ok(stmt) => parts.push(AlterPart::Parsed(Box::new(stmt))),
            Err(_) => parts.push(AlterPart::Manual(manual(action)?)),
        }
    }
    Some((AlterTarget { name, if_exists }, parts))
}

/// Reads one action sqlparser does not know.
fn manual(action: &[&TokenWithSpan]) -> Option<ManualAction> {
    let words: Vec<String> = action.iter().map(|t| word(t).unwrap_or_default()).collect();
    let w = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
    match (w(0), w(1)) {
        ("SET", "SCHEMA") => return Some(ManualAction::SetSchema(ident(action.get(2)?)?)),
        ("CLUSTER", "ON") => return Some(ManualAction::ClusterOn(ident(action.get(2)?)?)),
        ("SET", "WITHOUT") if w(2) == "CLUSTER" => return Some(ManualAction::SetWithoutCluster),
        ("SET", "TABLESPACE" | "ACCESS" | "LOGGED" | "UNLOGGED" | "WITHOUT") => {
            return Some(ManualAction::NoEffect(format!("SET {}", w(1))));
        }
        ("REPLICA", "IDENTITY") => {
            if w(2) == "USING" && w(3) == "INDEX" {
                return Some(ManualAction::ReplicaIdentityIndex(ident(action.get(4)?)?));
            }
            return Some(ManualAction::NoEffect("REPLICA IDENTITY".into()));
        }
        ("ALTER", "CONSTRAINT") => {
            let name = ident(action.get(2)?)?;
            let rest: Vec<&str> = words[3..].iter().map(String::as_str).collect();
            let deferrable = if rest.windows(2).any(|p| p == ["NOT", "DEFERRABLE"]) {
                Some(false)
            } else if rest.contains(&"DEFERRABLE") {
                Some(true)
            } else {
                None
            };
            let initially_deferred = if rest.windows(2).any(|p| p == ["INITIALLY", "DEFERRED"]) {
                Some(true)
            } else if rest.windows(2).any(|p| p == ["INITIALLY", "IMMEDIATE"]) {
                Some(false)
            } else {
                None
            };
            return Some(ManualAction::AlterConstraint { name, deferrable, initially_deferred });
        }
        ("OWNER", "TO") => return Some(ManualAction::NoEffect("OWNER TO".into())),
        _ => {}
    }
    // ALTER [COLUMN] col <what>
    if w(0) != "ALTER" {
        return None;
    }
    let k = if w(1) == "COLUMN" { 2 } else { 1 };
    let column = ident(action.get(k)?)?;
    let (a, b) = (w(k + 1), w(k + 2));
    let if_exists = w(k + 3) == "IF";
    Some(match (a, b) {
        ("SET", "GENERATED") => ManualAction::SetGenerated { column, always: w(k + 3) == "ALWAYS" },
        ("DROP", "IDENTITY") => ManualAction::DropIdentity { column, if_exists },
        ("DROP", "EXPRESSION") => ManualAction::DropExpression { column, if_exists },
        (
            "SET",
            "STATISTICS" | "STORAGE" | "COMPRESSION" | "INCREMENT" | "START" | "MINVALUE" | "MAXVALUE" | "CACHE",
        )
        | ("SET", "CYCLE" | "NO") => ManualAction::NoEffect(format!("ALTER COLUMN SET {b}")),
        ("SET", "") | ("RESET", _) | ("RESTART", _) => ManualAction::NoEffect(format!("ALTER COLUMN {a}")),
        ("SET", _) if action.get(k + 2).is_some_and(|t| matches!(t.token, Token::LParen)) => {
            ManualAction::NoEffect("ALTER COLUMN SET (…)".into())
        }
        _ => return None,
    })
}
