//! Trigger functions that PostgreSQL rejects, or that make every write to their table fail.

use std::sync::Arc;

use imbl::ordmap::DiffItem;
use sqlparser::ast::{ArgMode, FunctionReturnType, Statement};

use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::model::{Catalog, Function, QualName, Table, TriggerEnabled, TriggerEvent};
use crate::catalog::names::{self, quote_ident, relation_name};
use crate::diagnostic::Severity;
use crate::sql::alter_table::AlterPart;
use crate::sql::parse::Parsed;

pub const RULE: Rule = Rule {
    id: "trigger-function-invalid",
    severity: Severity::Error,
    default_on: true,
    family: Family::Convention,
    summary: "A trigger function that PostgreSQL rejects, or that makes every write to its table fail",
    why: "A trigger runs on every write, so a broken trigger function breaks the table for the application \
          while the migration itself succeeds. The simulator already rejects, as PostgreSQL does, a CREATE \
          TRIGGER whose function does not exist or does not return trigger (`postgres-error`), and a DROP \
          FUNCTION that a trigger still uses. This rule covers what is left:\n\
          - a PL/pgSQL trigger function that uses NEW.column or OLD.column for a column the table does not \
          have — because the trigger was attached to another table, or the column was dropped or renamed \
          later, or the function was replaced: every INSERT/UPDATE (NEW) or UPDATE/DELETE (OLD) then fails \
          with `record \"new\" has no field \"…\"`, the SOP's `update_updated_at_column()` on a table without \
          `updated_at` being the usual case;\n\
          - a PL/pgSQL trigger function without RETURN: `control reached end of trigger procedure without \
          RETURN` on every row;\n\
          - `CREATE FUNCTION … RETURNS trigger` in LANGUAGE sql (`SQL functions cannot return type trigger`), \
          or with declared arguments (`trigger functions cannot have declared arguments`), which PostgreSQL \
          rejects when the function is created.\n\
          Statement-level triggers are not checked for NEW and OLD (they are NULL there, not an error), and \
          disabled triggers are skipped.",
    setup: "CREATE TABLE IF NOT EXISTS tags (id bigint PRIMARY KEY, name text NOT NULL);\n\
            CREATE OR REPLACE FUNCTION update_updated_at_column() RETURNS trigger LANGUAGE plpgsql AS $$\n\
            BEGIN\n    NEW.updated_at = now();\n    RETURN NEW;\nEND $$;",
    bad: "DROP TRIGGER IF EXISTS update_tags_updated_at ON tags;\n\
          CREATE TRIGGER update_tags_updated_at BEFORE UPDATE ON tags\n    \
              FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();\n",
    good: "ALTER TABLE tags ADD COLUMN IF NOT EXISTS updated_at timestamptz NOT NULL DEFAULT now();\n\
           DROP TRIGGER IF EXISTS update_tags_updated_at ON tags;\n\
           CREATE TRIGGER update_tags_updated_at BEFORE UPDATE ON tags\n    \
               FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();\n",
    fix: "Attach the trigger only to tables that have the columns its function uses (add the column first), \
          drop the trigger before dropping or renaming a column its function uses, end every path of the \
          function with RETURN NEW (or RETURN NULL / OLD), write trigger functions in PL/pgSQL, and read \
          trigger arguments from TG_ARGV instead of declaring them.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    if !cx.applied {
        return;
    }
    // The tables the statement names; `None` when it may touch any (a DO block).
    let named: Option<Vec<&sqlparser::ast::ObjectName>> = match cx.parsed {
        Parsed::Statement(s, _) => match &**s {
            Statement::CreateFunction(cf) => {
                create_function(cx, cf, out);
                Some(Vec::new())
            }
            Statement::CreateTrigger(ct) => Some(vec![&ct.table_name]),
            Statement::AlterTable(at) => Some(vec![&at.name]),
            _ => return,
        },
        Parsed::AlterTableParts { parts, .. } => Some(
            parts
                .iter()
                .filter_map(|p| match p {
                    AlterPart::Parsed(s) => match &**s {
                        Statement::AlterTable(at) => Some(&at.name),
                        _ => None,
                    },
                    AlterPart::Manual(_) => None,
                })
                .collect(),
        ),
        Parsed::Do { .. } => None,
        _ => return,
    };
    // The tables this statement changed (compared by pointer: the catalogs share what did not change),
    // and those whose trigger functions it replaced.
    let changed = |t: &Arc<Table>| cx.before.tables.get(&t.name).is_none_or(|o| !Arc::ptr_eq(o, t));
    let mut tables: Vec<&Arc<Table>> = match named {
        Some(names) => names
            .into_iter()
            .filter_map(|n| cx.after.tables.get(&cx.after.resolve(n)))
            .filter(|t| !t.triggers.is_empty() && changed(t))
            .collect(),
        // Only the tables that differ are visited (the catalogs share the rest).
        None => cx
            .before
            .tables
            .diff(&cx.after.tables)
            .filter_map(|item| match item {
                DiffItem::Add(_, t) | DiffItem::Update { new: (_, t), .. } => Some(t),
                DiffItem::Remove(..) => None,
            })
            .filter(|t| !t.triggers.is_empty())
            .collect(),
    };
    let replaced: Vec<&QualName> = if cx.before.functions.ptr_eq(&cx.after.functions) {
        Vec::new()
    } else {
        cx.before
            .functions
            .diff(&cx.after.functions)
            .filter_map(|item| match item {
                // A function new by name cannot be the function of an existing trigger.
                DiffItem::Add(..) => None,
                // CREATE OR REPLACE with the same definition changes only where it was last written. A
                // trigger's function returns trigger, and CREATE OR REPLACE cannot change that.
                DiffItem::Update { old: (_, was), new: (q, now) } => {
                    let trigger = |list: &Vec<Function>| list.iter().any(|f| f.returns == "trigger");
                    let same = !(trigger(was) || trigger(now))
                        || was.len() == now.len()
                            && was.iter().zip(now.iter()).all(|(a, b)| {
                                (&a.arg_types, &a.returns, &a.language, &a.body)
                                    == (&b.arg_types, &b.returns, &b.language, &b.body)
                            });
                    (!same).then_some(q)
                }
                DiffItem::Remove(..) => None,
            })
            .collect()
    };
    if !replaced.is_empty() {
        for name in cx.after.tables_triggering(replaced.iter().copied()) {
            let Some(t) = cx.after.tables.get(&name) else { continue };
            if !tables.iter().any(|x| Arc::ptr_eq(x, t)) {
                tables.push(t);
            }
        }
    }
    for table in tables {
        let old = cx.before.tables.get(&table.name).filter(|o| o.oid == table.oid);
        // A change that keeps every column name, the triggers and their functions (added columns, a
        // constraint, a default) cannot break a trigger.
        let kept_columns = |o: &Table| o.columns.iter().all(|c| table.column(&c.name).is_some());
        let uses_replaced = table.triggers.iter().any(|tr| replaced.contains(&&tr.function));
        if old.is_some_and(|o| o.triggers == table.triggers && kept_columns(o)) && !uses_replaced {
            continue;
        }
        let was = match old {
            Some(o) => problems(cx.before, o),
            None => Vec::new(),
        };
        for p in problems(cx.after, table) {
            if was.contains(&p) {
                continue;
            }
            out.push(Finding::new(p.message(table)).help(p.help()));
        }
    }
}

/// PostgreSQL's own checks when a trigger function is created.
fn create_function(cx: &StatementCx<'_>, cf: &sqlparser::ast::CreateFunction, out: &mut Vec<Finding>) {
    let returns_trigger =
        matches!(&cf.return_type, Some(FunctionReturnType::DataType(sqlparser::ast::DataType::Trigger)));
    if !returns_trigger {
        return;
    }
    let q = cx.after.resolve(&cf.name);
    let language = cf.language.as_ref().map(names::fold).unwrap_or_else(|| "sql".into());
    if language == "sql" {
        out.push(
            Finding::new(format!(
                "CREATE FUNCTION {}() fails: SQL functions cannot return type trigger",
                relation_name(&q)
            ))
            .help("Write the trigger function in LANGUAGE plpgsql.")
            .at(cx.find("sql")),
        );
    }
    let declared = cf.args.iter().flatten().any(|a| !matches!(a.mode, Some(ArgMode::Out)));
    if declared && language == "plpgsql" {
        out.push(
            Finding::new(format!(
                "CREATE FUNCTION {}(…) fails: trigger functions cannot have declared arguments",
                relation_name(&q)
            ))
            .help("Declare no arguments and read the trigger's arguments from TG_NARGS and TG_ARGV.")
            .at(cx.find("(")),
        );
    }
}

#[derive(Clone, Debug, PartialEq)]
struct Problem {
    trigger: String,
    function: String,
    events: Vec<TriggerEvent>,
    kind: Kind,
}

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    /// `NEW.field` / `OLD.field` for a column the table does not have.
    NoField {
        record: &'static str,
        field: String,
    },
    NoReturn,
}

impl Problem {
    fn message(&self, table: &Table) -> String {
        let shown = relation_name(&table.name);
        let events: Vec<&str> = self
            .events
            .iter()
            .map(|e| match e {
                TriggerEvent::Insert => "INSERT",
                TriggerEvent::Update => "UPDATE",
                TriggerEvent::Delete => "DELETE",
                TriggerEvent::Truncate => "TRUNCATE",
            })
            .collect();
        let every = format!("every {} on {shown} fails", events.join(" and "));
        match &self.kind {
            Kind::NoField { record, field } => format!(
                "{every}: trigger {} runs {}(), which uses {}.{}, and {shown} has no column {} (PostgreSQL: record \"{}\" has no field \"{field}\")",
                quote_ident(&self.trigger),
                self.function,
                record.to_ascii_uppercase(),
                quote_ident(field),
                quote_ident(field),
                record
            ),
            Kind::NoReturn => format!(
                "{every}: trigger {} runs {}(), which has no RETURN (PostgreSQL: control reached end of trigger procedure without RETURN)",
                quote_ident(&self.trigger),
                self.function
            ),
        }
    }

    fn help(&self) -> String {
        match &self.kind {
            Kind::NoField { field, .. } => format!(
                "Attach {} only to tables with a {} column, or drop the trigger before the column goes.",
                self.function,
                quote_ident(field)
            ),
            Kind::NoReturn => "End the function with RETURN NEW (or RETURN NULL in an AFTER trigger).".into(),
        }
    }
}

/// What is wrong with the triggers of `table`.
fn problems(catalog: &Catalog, table: &Table) -> Vec<Problem> {
    let mut out = Vec::new();
    for tr in &table.triggers {
        if tr.enabled == TriggerEnabled::Disabled {
            continue;
        }
        let Some(f) = catalog.functions.get(&tr.function).and_then(|l| l.iter().find(|f| f.arg_types.is_empty()))
        else {
            continue;
        };
        if f.language != "plpgsql" {
            continue;
        }
        let Some(body) = read_body(f) else { continue };
        // Named only for a problem: most triggers have none.
        let function = || relation_name(&tr.function);
        if !body.returns {
            out.push(Problem {
                trigger: tr.name.clone(),
                function: function(),
                events: tr.events.clone(),
                kind: Kind::NoReturn,
            });
        }
        if !tr.for_each_row {
            continue;
        }
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for (record, field) in &body.fields {
            let events: Vec<TriggerEvent> = tr
                .events
                .iter()
                .copied()
                .filter(|e| match *record {
                    "new" => matches!(e, TriggerEvent::Insert | TriggerEvent::Update),
                    _ => matches!(e, TriggerEvent::Update | TriggerEvent::Delete),
                })
                .collect();
            if events.is_empty() || table.column(field).is_some() || seen.contains(&(record, field)) {
                continue;
            }
            seen.push((record, field));
            out.push(Problem {
                trigger: tr.name.clone(),
                function: function(),
                events,
                kind: Kind::NoField { record, field: field.clone() },
            });
        }
    }
    out
}

/// The bodies read last, by their text: a statement looks at the same function for many tables, and the
/// statements of a migration at the same few functions.
#[derive(Default)]
struct Bodies(std::collections::VecDeque<(String, Option<std::rc::Rc<Body>>)>);

/// How many bodies [`Bodies`] keeps.
const BODIES_KEPT: usize = 16;

thread_local! {
    static BODIES: std::cell::RefCell<Bodies> = Default::default();
}

fn read_body(f: &Function) -> Option<std::rc::Rc<Body>> {
    BODIES.with_borrow_mut(|bodies| {
        if let Some((_, b)) = bodies.0.iter().find(|(text, _)| *text == f.body) {
            return b.clone();
        }
        let b = Body::read(f).map(std::rc::Rc::new);
        if bodies.0.len() == BODIES_KEPT {
            bodies.0.pop_front();
        }
        bodies.0.push_back((f.body.clone(), b.clone()));
        b
    })
}

/// What a PL/pgSQL body uses: `NEW.x` and `OLD.x` fields, and whether it has a RETURN.
struct Body {
    fields: Vec<(&'static str, String)>,
    returns: bool,
}

impl Body {
    /// Reads the body with a small PL/pgSQL scanner: words and dots, outside comments, string literals and
    /// dollar quotes (what a trigger body needs, at a fraction of a full tokenizer's cost).
    fn read(f: &Function) -> Option<Body> {
        let toks = scan(&f.body);
        if toks.is_empty() {
            return None;
        }
        let mut fields = Vec::new();
        for (i, w) in toks.windows(3).enumerate() {
            let record = match &w[0] {
                Lexeme::Word(x, false) if x.eq_ignore_ascii_case("new") => "new",
                Lexeme::Word(x, false) if x.eq_ignore_ascii_case("old") => "old",
                _ => continue,
            };
            let qualified = i > 0 && toks[i - 1] == Lexeme::Dot;
            if qualified || w[1] != Lexeme::Dot {
                continue;
            }
            match &w[2] {
                Lexeme::Word(x, true) => fields.push((record, x.clone())),
                Lexeme::Word(x, false) => fields.push((record, names::truncate(x.to_ascii_lowercase()))),
                _ => {}
            }
        }
        let returns = toks.iter().any(|t| matches!(t, Lexeme::Word(x, false) if x.eq_ignore_ascii_case("return")));
        Some(Body { fields, returns })
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Lexeme {
    /// A word, and whether it was double-quoted.
    Word(String, bool),
    Dot,
    Other,
}

/// Words, dots and other characters of PL/pgSQL text, skipping comments, string literals and
/// dollar-quoted strings. Never panics; an unterminated quote ends the text.
fn scan(text: &str) -> Vec<Lexeme> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let find = |from: usize, pat: &str| text.get(from..).and_then(|r| r.find(pat)).map(|p| from + p);
    while i < b.len() {
        let c = b[i];
        if c == b'-' && b.get(i + 1) == Some(&b'-') {
            i = find(i, "\n").map_or(b.len(), |p| p + 1);
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i = find(i + 2, "*/").map_or(b.len(), |p| p + 2);
        } else if c == b'\'' {
            // '' inside a literal is a quote: the scan simply resumes at the next quote.
            i = find(i + 1, "'").map_or(b.len(), |p| p + 1);
            out.push(Lexeme::Other);
        } else if c == b'"' {
            let end = find(i + 1, "\"").unwrap_or(b.len());
            out.push(Lexeme::Word(text.get(i + 1..end).unwrap_or("").to_string(), true));
            i = end + 1;
        } else if c == b'$' {
            // $tag$ … $tag$, or a positional parameter ($1).
            let tag_end = text.get(i + 1..).and_then(|r| r.find(|ch: char| !(ch.is_alphanumeric() || ch == '_')));
            match tag_end.map(|p| i + 1 + p) {
                Some(p) if b.get(p) == Some(&b'$') && !b.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                    let tag = &text[i..=p];
                    i = find(p + 1, tag).map_or(b.len(), |q| q + tag.len());
                }
                _ => i += 1,
            }
            out.push(Lexeme::Other);
        } else if c == b'.' {
            out.push(Lexeme::Dot);
            i += 1;
        } else if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$' || b[i] >= 0x80) {
                i += 1;
            }
            out.push(Lexeme::Word(text.get(start..i).unwrap_or("").to_string(), false));
        } else {
            if !c.is_ascii_whitespace() {
                out.push(Lexeme::Other);
            }
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(sql: &str) -> Vec<String> {
        super::super::tests::findings(&RULE, sql).into_iter().map(|d| String::from(d.message)).collect()
    }

    #[test]
    fn the_bad_example_names_the_field() {
        let got = found(RULE.bad);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("every UPDATE on tags fails"), "{got:?}");
        assert!(got[0].contains("record \"new\" has no field \"updated_at\""), "{got:?}");
    }

    #[test]
    fn unquoted_fields_fold_as_postgresql_folds_them() {
        // Only ASCII letters are folded: NEW.ÄPFEL is the column "Äpfel", NEW.äpfel another one.
        let sql = "CREATE TABLE fruit (id int, Äpfel int);\n\
                   CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.ÄPFEL := 1; NEW.äpfel := 1; RETURN NEW; END $$;\n\
                   CREATE TRIGGER t BEFORE INSERT ON fruit FOR EACH ROW EXECUTE FUNCTION bump();";
        let got = found(sql);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("has no field \"äpfel\""), "{got:?}");
    }

    #[test]
    fn dropping_or_renaming_the_column_later_breaks_the_trigger() {
        let setup = "ALTER TABLE tags ADD COLUMN IF NOT EXISTS updated_at timestamptz;\n\
                     CREATE TRIGGER t_upd BEFORE UPDATE ON tags FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();\n";
        assert!(found(setup).is_empty());
        assert_eq!(found(&format!("{setup}-- file: 003_drop.sql\nALTER TABLE tags DROP COLUMN updated_at;")).len(), 1);
        assert_eq!(
            found(&format!(
                "{setup}-- file: 003_rename.sql\nALTER TABLE tags RENAME COLUMN updated_at TO modified_at;"
            ))
            .len(),
            1
        );
    }

    #[test]
    fn replacing_the_function_can_break_its_triggers() {
        let sql = "ALTER TABLE tags ADD COLUMN IF NOT EXISTS updated_at timestamptz;\n\
                   CREATE TRIGGER t_upd BEFORE UPDATE ON tags FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();\n\
                   CREATE OR REPLACE FUNCTION update_updated_at_column() RETURNS trigger LANGUAGE plpgsql AS $$\n\
                   BEGIN NEW.modified_at := now(); END $$;";
        let got = found(sql);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got.iter().any(|m| m.contains("no RETURN")));
    }

    #[test]
    fn statement_triggers_and_old_on_insert_are_fine() {
        let sql = "CREATE OR REPLACE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE '%', OLD.nope; RETURN NULL; END $$;\n\
                   CREATE TRIGGER a AFTER INSERT ON tags FOR EACH ROW EXECUTE FUNCTION audit();\n\
                   CREATE TRIGGER b BEFORE UPDATE ON tags FOR EACH STATEMENT EXECUTE FUNCTION update_updated_at_column();";
        assert!(found(sql).is_empty(), "{:?}", found(sql));
    }

    #[test]
    fn the_scanner_skips_comments_and_strings() {
        let f = |body: &str| {
            Body::read(&Function {
                name: QualName::public("f"),
                arg_types: Vec::new(),
                args: String::new(),
                returns: "trigger".into(),
                language: "plpgsql".into(),
                body: body.into(),
                procedure: false,
                comment: None,
                origin: Default::default(),
            })
        };
        let b = f(
            "BEGIN -- NEW.a\n /* OLD.b */ RAISE NOTICE 'NEW.c %', $x$NEW.d$x$; NEW.\"E\" := x.new.f; NEW . g := 1; END",
        )
        .unwrap();
        assert_eq!(b.fields, vec![("new", "E".to_string()), ("new", "g".to_string())]);
        assert!(!b.returns);
        assert!(f("BEGIN RETURN NEW; END").is_some_and(|b| b.returns));
        // No panic on broken text.
        for text in ["'", "\"", "$a", "$a$", "/*", "--", "é.ü", "NEW.", "$1.x", "NEW.\""] {
            let _ = f(text);
        }
    }

    #[test]
    fn functions_postgres_rejects() {
        let got = found("CREATE OR REPLACE FUNCTION f() RETURNS trigger LANGUAGE sql AS 'SELECT 1';");
        assert!(got[0].contains("SQL functions cannot return type trigger"), "{got:?}");
        let got = found(
            "CREATE OR REPLACE FUNCTION f(a int) RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;",
        );
        assert!(got[0].contains("cannot have declared arguments"), "{got:?}");
    }
}
