//! `DO $$ … $$` blocks. Real idempotent migrations wrap DDL in two idioms, which we interpret
//! against the simulated catalog: `IF [NOT] EXISTS (SELECT 1 FROM <catalog view> WHERE …) THEN <DDL>;
//! END IF;` and `BEGIN <DDL>; EXCEPTION WHEN duplicate_object THEN NULL; END`. Anything else is a
//! clear "not simulated" warning, never silence.

use sqlparser::ast::{ConditionalStatements, Expr, SelectItem, SetExpr, Statement, TableFactor, Value};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, TokenWithSpan};

use super::{Ctx, SimError, SimResult};
use crate::catalog::model::*;
use crate::catalog::names;

pub(crate) fn apply(catalog: &mut Catalog, body: &str, read: &ReadOnce, ctx: &mut Ctx) -> SimResult {
    let (stmts, handler) = match read.0.get_or_init(|| read_block(body)) {
        Ok(block) => (&block.statements, block.handler.clone()),
        Err(message) => return Err(SimError::not_simulated(message.clone())),
    };
    let before = catalog.clone();
    // Inside a transaction the block runs as `executed` runs it: record its steps for the rules.
    let mut trace = ctx.in_transaction.then(Vec::new);
    let result = run(catalog, stmts, ctx, &mut trace);
    if let Some(steps) = trace {
        ctx.do_steps = Some(match &result {
            Err(e) if e.not_simulated => None,
            _ => Some(steps),
        });
    }
    match (result, handler) {
        (Err(err), Some(conditions)) if !err.not_simulated && handles(&conditions, &err.message) => {
            // The block is a subtransaction: its effects are undone, the error is swallowed.
            *catalog = before;
            ctx.notes.push(format!("DO block: error caught by its EXCEPTION handler: {}", err.message));
            Ok(())
        }
        (Err(err), _) => Err(err),
        (Ok(()), _) => Ok(()),
    }
}

/// A DO block's body as the simulator reads it: the statements of its main block and the conditions
/// its EXCEPTION handler catches; or why it is not simulated.
pub struct Block {
    statements: Vec<Statement>,
    handler: Option<Vec<String>>,
}

/// A DO block's [`Block`], read on first use and kept with the parsed statement: the second run
/// `not-idempotent` simulates reads the same body again.
#[derive(Default)]
pub struct ReadOnce(std::sync::OnceLock<Result<Block, String>>);

impl std::fmt::Debug for ReadOnce {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReadOnce")
    }
}

/// Reads a `DO` block's body into its [`ReadOnce`] now, on this thread, rather than on first use.
pub(crate) fn read(body: &str, read: &ReadOnce) {
    read.0.get_or_init(|| read_block(body));
}

fn read_block(body: &str) -> Result<Block, String> {
    let Some((main, handler)) = split_block(body) else {
        return Err("DO block is not simulated: its body is not a plain BEGIN … END block".into());
    };
    let dialect = PostgreSqlDialect {};
    // The main block's own tokens: no second tokenization of its text.
    let mut parser = Parser::new(&dialect).with_recursion_limit(64).with_tokens_with_locations(main);
    let statements = match parser.parse_statements() {
        Ok(statements) => statements,
        // The message with lines and columns counted in the main block's text, as users see it.
        Err(_) => Parser::new(&dialect)
            .with_recursion_limit(64)
            .try_with_sql(&parser.into_tokens().iter().map(|t| t.token.to_string()).collect::<String>())
            .and_then(|mut p| p.parse_statements())
            .map_err(|e| format!("DO block is not simulated: {e}"))?,
    };
    Ok(Block { statements, handler })
}

/// The statements a DO block runs, each with the catalog just before it.
pub type Steps = Vec<(Statement, Catalog)>;

/// The statements a DO block runs, each with the catalog just before it, in order: the branches its `IF`s
/// take on `catalog`, up to and including a statement that fails (PostgreSQL took its locks before failing).
/// `None` when the block is not one the simulator interprets.
/// `read` is the statement's [`ReadOnce`]: the body is read once for the simulation, its second run and
/// the rules.
pub(crate) fn executed(catalog: &Catalog, body: &str, read: &ReadOnce) -> Option<Steps> {
    let stmts = &read.0.get_or_init(|| read_block(body)).as_ref().ok()?.statements;
    let extras = crate::sql::parse::Extras::default();
    let mut ctx = Ctx::new(crate::span::Span::default(), &extras, true);
    let mut catalog = catalog.clone();
    let mut steps = Some(Vec::new());
    match run(&mut catalog, stmts, &mut ctx, &mut steps) {
        Err(e) if e.not_simulated => None,
        _ => steps,
    }
}

/// Runs the statements of a block; with `trace`, records each one it runs with the catalog before it.
fn run(catalog: &mut Catalog, stmts: &[Statement], ctx: &mut Ctx, trace: &mut Option<Steps>) -> SimResult {
    for stmt in stmts {
        match stmt {
            Statement::If(ifs) => {
                let mut blocks = vec![&ifs.if_block];
                blocks.extend(ifs.elseif_blocks.iter());
                let mut done = false;
                for block in blocks {
                    let Some(cond) = &block.condition else { continue };
                    if eval(catalog, cond)? {
                        run(catalog, statements(&block.conditional_statements), ctx, trace)?;
                        done = true;
                        break;
                    }
                }
                if !done && let Some(e) = &ifs.else_block {
                    run(catalog, statements(&e.conditional_statements), ctx, trace)?;
                }
            }
            Statement::Query(_) | Statement::Raise(_) | Statement::Return(_) => {}
            other => {
                if let Some(steps) = trace {
                    steps.push((other.clone(), catalog.clone()));
                }
                super::statement(catalog, other, ctx)?
            }
        }
    }
    Ok(())
}

fn statements(cs: &ConditionalStatements) -> &[Statement] {
    match cs {
        ConditionalStatements::Sequence { statements } => statements,
        ConditionalStatements::BeginEnd(b) => &b.statements,
    }
}

/// Splits `[DECLARE …] BEGIN <main> [EXCEPTION <handlers>] END [;]` into the main block's tokens and the
/// handled condition names.
fn split_block(body: &str) -> Option<(Vec<TokenWithSpan>, Option<Vec<String>>)> {
    // In the kept token buffer: a block's tokens are freed at once, and a buffer made for each block made
    // the allocator hand out (and the kernel zero) fresh pages again and again.
    let with_spans = crate::sql::parse::tokenize(body).ok()?;
    let block = split_tokens(&with_spans);
    crate::sql::parse::recycle(with_spans);
    block
}

fn split_tokens(with_spans: &[TokenWithSpan]) -> Option<(Vec<TokenWithSpan>, Option<Vec<String>>)> {
    let tokens: Vec<&Token> = with_spans.iter().map(|t| &t.token).collect();
    let words: Vec<(usize, String)> = tokens
        .iter()
        .enumerate()
        .filter_map(|(i, t)| match t {
            Token::Word(w) if w.quote_style.is_none() => Some((i, w.value.to_ascii_uppercase())),
            _ => None,
        })
        .collect();
    let begin = words.iter().find(|(_, w)| w == "BEGIN")?.0;
    let end = tokens.iter().rposition(|t| matches!(t, Token::Word(w) if w.value.eq_ignore_ascii_case("END")))?;
    if end <= begin {
        return None;
    }
    let inner = &tokens[begin + 1..end];
    // Top-level EXCEPTION: at depth zero of BEGIN/IF/LOOP/CASE … END, and not after RAISE.
    let mut depth = 0i32;
    let mut prev_word = String::new();
    let mut cut = None;
    for (i, t) in inner.iter().enumerate() {
        if let Token::Word(w) = t {
            let u = w.value.to_ascii_uppercase();
            match u.as_str() {
                "BEGIN" | "CASE" | "LOOP" => depth += 1,
                "IF" if prev_word != "END" => depth += 1,
                "END" => depth -= 1,
                "EXCEPTION" if depth == 0 && prev_word != "RAISE" => {
                    cut = Some(i);
                    break;
                }
                _ => {}
            }
            prev_word = u;
        } else if !matches!(t, Token::Whitespace(_)) {
            prev_word.clear();
        }
    }
    let text = |ts: &[&Token]| ts.iter().map(|t| t.to_string()).collect::<String>();
    let main = |upto: usize| with_spans[begin + 1..begin + 1 + upto].to_vec();
    match cut {
        None => Some((main(inner.len()), None)),
        Some(i) => {
            let handlers = text(&inner[i + 1..]).to_ascii_lowercase();
            let mut conditions = Vec::new();
            let mut rest = handlers.as_str();
            while let Some(pos) = rest.find("when ") {
                rest = &rest[pos + 5..];
                let upto = rest.find(" then").unwrap_or(rest.len());
                conditions.extend(rest[..upto].split(" or ").map(|s| s.trim().to_string()));
            }
            Some((main(i), Some(conditions)))
        }
    }
}

/// Whether an EXCEPTION handler catches the error PostgreSQL would raise with this message.
fn handles(conditions: &[String], message: &str) -> bool {
    let class = if message.contains("already exists") {
        if message.starts_with("relation") {
            "duplicate_table"
        } else if message.starts_with("column") {
            "duplicate_column"
        } else if message.starts_with("schema") {
            "duplicate_schema"
        } else if message.starts_with("function") {
            "duplicate_function"
        } else {
            "duplicate_object"
        }
    } else if message.contains("does not exist") {
        if message.starts_with("relation") {
            "undefined_table"
        } else if message.starts_with("column") {
            "undefined_column"
        } else if message.starts_with("function") {
            "undefined_function"
        } else {
            "undefined_object"
        }
    } else if message.contains("multiple primary keys") {
        "invalid_table_definition"
    } else {
        "other"
    };
    conditions.iter().any(|c| c == class || c == "others")
}

/// Evaluates an `IF` condition made of `[NOT] EXISTS (SELECT … FROM <catalog> WHERE a = 'x' AND …)`.
fn eval(catalog: &Catalog, e: &Expr) -> Result<bool, SimError> {
    match e {
        Expr::Nested(inner) => eval(catalog, inner),
        Expr::UnaryOp { op: sqlparser::ast::UnaryOperator::Not, expr } => Ok(!eval(catalog, expr)?),
        Expr::BinaryOp { left, op: sqlparser::ast::BinaryOperator::And, right } => {
            Ok(eval(catalog, left)? && eval(catalog, right)?)
        }
        Expr::BinaryOp { left, op: sqlparser::ast::BinaryOperator::Or, right } => {
            Ok(eval(catalog, left)? || eval(catalog, right)?)
        }
        Expr::Exists { subquery, negated } => {
            let found = exists(catalog, subquery)?;
            Ok(found != *negated)
        }
        other => Err(SimError::not_simulated(format!("DO block condition is not simulated: {other}"))),
    }
}

fn exists(catalog: &Catalog, q: &sqlparser::ast::Query) -> Result<bool, SimError> {
    let unsupported = || SimError::not_simulated(format!("DO block condition is not simulated: EXISTS ({q})"));
    let SetExpr::Select(sel) = &*q.body else { return Err(unsupported()) };
    let _ = sel.projection.iter().all(|p| matches!(p, SelectItem::UnnamedExpr(_) | SelectItem::Wildcard(_)));
    let [from] = sel.from.as_slice() else { return Err(unsupported()) };
    let TableFactor::Table { name, .. } = &from.relation else { return Err(unsupported()) };
    let view = names::parts(name).join(".");
    let view = view.trim_start_matches("pg_catalog.").to_string();
    let mut eqs: Vec<(String, String)> = Vec::new();
    if let Some(w) = &sel.selection {
        collect_eqs(w, &mut eqs).ok_or_else(unsupported)?;
    }
    let get = |cols: &[&str]| eqs.iter().find(|(c, _)| cols.contains(&c.as_str())).map(|(_, v)| v.clone());
    let schema =
        get(&["table_schema", "schemaname", "nspname", "constraint_schema"]).unwrap_or_else(|| "public".into());
    let found = match view.as_str() {
        "information_schema.columns" => {
            let (Some(t), Some(c)) = (get(&["table_name"]), get(&["column_name"])) else { return Err(unsupported()) };
            catalog.table(&QualName::new(schema, t)).is_some_and(|t| t.column(&c).is_some())
        }
        "information_schema.tables" | "pg_tables" => {
            let Some(t) = get(&["table_name", "tablename"]) else { return Err(unsupported()) };
            catalog.tables.contains_key(&QualName::new(schema, t))
        }
        "pg_class" => {
            let Some(t) = get(&["relname"]) else { return Err(unsupported()) };
            catalog.relation_exists(&QualName::new(schema, t))
        }
        "pg_indexes" => {
            let Some(i) = get(&["indexname"]) else { return Err(unsupported()) };
            catalog.indexes.contains_key(&QualName::new(schema, i))
        }
        "pg_constraint" | "information_schema.table_constraints" => {
            let Some(c) = get(&["conname", "constraint_name"]) else { return Err(unsupported()) };
            let table = get(&["table_name"]);
            // The index of names answers for every table at once: whether a name is new (the first run of
            // an idempotent migration) or already used (its second run).
            let named = names::table_constraint_named(catalog, &c);
            match table {
                None => named,
                Some(n) => named && catalog.tables.values().any(|t| t.name.name == n && t.constraint(&c).is_some()),
            }
        }
        "pg_type" => {
            let Some(t) = get(&["typname"]) else { return Err(unsupported()) };
            catalog.types.keys().any(|q| q.name == t)
        }
        "pg_trigger" => {
            let Some(t) = get(&["tgname"]) else { return Err(unsupported()) };
            catalog.tables.values().any(|tb| tb.triggers.iter().any(|tr| tr.name == t))
        }
        "pg_proc" => {
            let Some(p) = get(&["proname"]) else { return Err(unsupported()) };
            catalog.has_function_named(&p)
        }
        "pg_extension" => {
            let Some(e) = get(&["extname"]) else { return Err(unsupported()) };
            catalog.extensions.contains_key(&e)
        }
        "pg_namespace" | "information_schema.schemata" => {
            let Some(s) = get(&["nspname", "schema_name"]) else { return Err(unsupported()) };
            catalog.schemas.contains_key(&s)
        }
        _ => return Err(unsupported()),
    };
    Ok(found)
}

fn collect_eqs(e: &Expr, out: &mut Vec<(String, String)>) -> Option<()> {
    match e {
        Expr::Nested(inner) => collect_eqs(inner, out),
        Expr::BinaryOp { left, op: sqlparser::ast::BinaryOperator::And, right } => {
            collect_eqs(left, out)?;
            collect_eqs(right, out)
        }
        Expr::BinaryOp { left, op: sqlparser::ast::BinaryOperator::Eq, right } => {
            let col = match &**left {
                Expr::Identifier(i) => names::fold(i),
                Expr::CompoundIdentifier(parts) => names::fold(parts.last()?),
                _ => return None,
            };
            let val = match &**right {
                Expr::Value(v) => match &v.value {
                    Value::SingleQuotedString(s) => s.clone(),
                    _ => return None,
                },
                Expr::Cast { expr, .. } => match &**expr {
                    Expr::Value(v) => match &v.value {
                        Value::SingleQuotedString(s) => s.clone(),
                        _ => return None,
                    },
                    _ => return None,
                },
                _ => return None,
            };
            out.push((col, val));
            Some(())
        }
        // Predicates on other columns (e.g. a join to pg_class) are not needed to decide.
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::QualName;
    use crate::{Options, SourceFile, analyze};

    /// The constraint names of each table after `sql`, and the rules' findings by id.
    fn run(sql: &str) -> (Vec<(String, Vec<String>)>, Vec<&'static str>) {
        let a = analyze(vec![SourceFile::new("001_a.sql", sql.to_string())], &Options::default());
        let tables = ["a", "b"]
            .iter()
            .map(|t| {
                let table = a.catalog.table(&QualName::new("public", *t)).expect("table");
                (t.to_string(), table.constraints.iter().map(|c| c.name.to_string()).collect())
            })
            .collect();
        (tables, a.diagnostics.iter().map(|d| d.rule).collect())
    }

    #[test]
    fn a_quote_doubled_in_a_literal_stays_one_literal() {
        // The body's statements are parsed from its own tokens: printing a token back writes `'it's'`,
        // which reads as another statement.
        let sql = "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n\
                   DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'it''s') THEN \
                   ALTER TABLE a ADD CONSTRAINT \"it's\" CHECK (id > 0); END IF; END $$;\n";
        let (tables, rules) = run(sql);
        assert_eq!(tables, [("a".into(), vec!["it's".to_string()]), ("b".into(), vec![])]);
        assert!(!rules.contains(&"not-simulated"), "{rules:?}");
    }

    #[test]
    fn a_constraint_guard_asks_about_every_table_or_the_one_named() {
        let setup = "CREATE TABLE a (id int);\nCREATE TABLE b (id int, CONSTRAINT pos CHECK (id > 0));\n";
        let guard = |filter: &str| {
            format!(
                "{setup}DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'pos'{filter}) THEN \
                 ALTER TABLE a ADD CONSTRAINT pos CHECK (id > 0); END IF; END $$;\n"
            )
        };
        // `b` already uses the name: a guard on the name alone skips the ALTER.
        let (tables, rules) = run(&guard(""));
        assert_eq!(tables, [("a".into(), vec![]), ("b".into(), vec!["pos".to_string()])]);
        assert!(!rules.contains(&"not-idempotent"), "{rules:?}");
        // A guard on the name and the table `a` runs it, once: the second run skips it.
        let on_a = guard(" AND table_name = 'a'")
            .replace("pg_constraint WHERE conname", "information_schema.table_constraints WHERE constraint_name");
        let (tables, rules) = run(&on_a);
        assert_eq!(tables, [("a".into(), vec!["pos".to_string()]), ("b".into(), vec!["pos".to_string()])]);
        assert!(!rules.contains(&"not-idempotent"), "{rules:?}");
        // A name no table uses: the ALTER runs.
        let (tables, _) = run(&guard("").replace("'pos')", "'other')"));
        assert_eq!(tables[0], ("a".into(), vec!["pos".to_string()]));
    }
}
