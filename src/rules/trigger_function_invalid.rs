//! Trigger functions that PostgreSQL rejects, or that make every write to their table fail.

use sqlparser::ast::{ArgMode, FunctionReturnType, Statement};
use sqlparser::tokenizer::Token;

use super::prefer_robust_stmts::Toks;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::model::{Catalog, Function, Table, TriggerEnabled, TriggerEvent};
use crate::catalog::names::{self, quote_ident, relation_name};
use crate::diagnostic::Severity;
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
    let relevant = match cx.parsed {
        Parsed::Statement(s, _) => match &**s {
            Statement::CreateFunction(cf) => {
                create_function(cx, cf, out);
                true
            }
            Statement::CreateTrigger(_) | Statement::AlterTable(_) => true,
            _ => false,
        },
        Parsed::AlterTableParts { .. } | Parsed::Do { .. } => true,
        _ => false,
    };
    if !relevant {
        return;
    }
    for (name, table) in &cx.after.tables {
        if table.triggers.is_empty() {
            continue;
        }
        let old = cx.before.tables.get(name);
        let same_table = old.is_some_and(|o| std::sync::Arc::ptr_eq(o, table));
        let same_functions = table
            .triggers
            .iter()
            .all(|tr| cx.before.functions.get(&tr.function) == cx.after.functions.get(&tr.function));
        if same_table && same_functions {
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
        let Some(body) = Body::read(f) else { continue };
        let function = relation_name(&tr.function);
        if !body.returns {
            out.push(Problem {
                trigger: tr.name.clone(),
                function: function.clone(),
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
                function: function.clone(),
                events,
                kind: Kind::NoField { record, field: field.clone() },
            });
        }
    }
    out
}

/// What a PL/pgSQL body uses: `NEW.x` and `OLD.x` fields, and whether it has a RETURN.
struct Body {
    fields: Vec<(&'static str, String)>,
    returns: bool,
}

impl Body {
    fn read(f: &Function) -> Option<Body> {
        let toks = Toks::new(&f.body).0;
        if toks.is_empty() {
            return None;
        }
        let mut fields = Vec::new();
        for (i, w) in toks.windows(3).enumerate() {
            let record = if w[0].is("NEW") {
                "new"
            } else if w[0].is("OLD") {
                "old"
            } else {
                continue;
            };
            let qualified = i > 0 && matches!(toks[i - 1].token, Token::Period);
            if qualified || !matches!(w[1].token, Token::Period) {
                continue;
            }
            if let Some(field) = w[2].ident() {
                fields.push((record, field));
            }
        }
        let returns = toks.iter().any(|t| t.is("RETURN"));
        Some(Body { fields, returns })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(sql: &str) -> Vec<String> {
        super::super::tests::findings(&RULE, sql).into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn the_bad_example_names_the_field() {
        let got = found(RULE.bad);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("every UPDATE on tags fails"), "{got:?}");
        assert!(got[0].contains("record \"new\" has no field \"updated_at\""), "{got:?}");
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
    fn functions_postgres_rejects() {
        let got = found("CREATE OR REPLACE FUNCTION f() RETURNS trigger LANGUAGE sql AS 'SELECT 1';");
        assert!(got[0].contains("SQL functions cannot return type trigger"), "{got:?}");
        let got = found(
            "CREATE OR REPLACE FUNCTION f(a int) RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;",
        );
        assert!(got[0].contains("cannot have declared arguments"), "{got:?}");
    }
}
