//! `ADD COLUMN` that makes PostgreSQL rewrite the whole table: a volatile default, any default before
//! PostgreSQL 11, a stored generated column, a serial or identity column.

use sqlparser::ast::{AlterTableOperation, ColumnDef, ColumnOption, DataType, Expr, GeneratedExpressionMode, Value};

use super::table_ops::{alter_ops, column_label, find_word, tokens, word_span};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::parts;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "adding-field-with-default",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "ADD COLUMN whose value must be computed row by row rewrites the whole table under an ACCESS EXCLUSIVE lock",
    why: "Since PostgreSQL 11, ADD COLUMN with a constant or stable default (`DEFAULT 0`, `DEFAULT now()`) only \
          records the default in the catalog: existing rows read it from there, and the statement is instant. \
          When the value differs row by row, PostgreSQL rewrites every row and rebuilds every index while it holds \
          an ACCESS EXCLUSIVE lock, so reads and writes on the table wait for the whole rewrite. That happens with a \
          volatile default (`gen_random_uuid()`, `random()`, `clock_timestamp()`, a function of yours not declared \
          IMMUTABLE or STABLE), a `serial` or identity column (each row draws from a sequence), a \
          `GENERATED ALWAYS AS (…) STORED` column, and — before PostgreSQL 11 (`pg-version` in the project file) — \
          any default at all. Functions are looked up in the schema: one you created IMMUTABLE or STABLE is not \
          reported. Tables created earlier in the same file are empty and are not reported.",
    setup: "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL);",
    bad: "ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();",
    good: "ALTER TABLE orders ADD COLUMN public_id uuid;\n\
           ALTER TABLE orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid();\n\
           -- then fill existing rows in batches, in later migrations:\n\
           -- UPDATE orders SET public_id = gen_random_uuid() WHERE id BETWEEN 1 AND 10000 AND public_id IS NULL;\n",
    fix: "Add the column without the default, then `ALTER COLUMN … SET DEFAULT` (it applies to new rows only), and \
          fill existing rows in batches outside the migration's transaction. For a stored generated column, add a \
          plain column, backfill it in batches and keep it current with a trigger. For an identity or serial key, \
          prefer creating the table with it.",
    check: Check::Statement(check),
};

/// Built-in and common extension functions that are VOLATILE (`pg_proc.provolatile = 'v'`).
const VOLATILE: &[&str] = &[
    "random",
    "random_normal",
    "setseed",
    "gen_random_uuid",
    "uuidv4",
    "uuidv7",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "gen_random_bytes",
    "gen_salt",
    "clock_timestamp",
    "timeofday",
    "nextval",
    "setval",
    "pg_current_xact_id",
    "txid_current",
];

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some((name, ops)) = alter_ops(cx.parsed) else { return };
    let Some(table) = cx.existing_table(&name) else { return };
    for op in ops {
        let AlterTableOperation::AddColumn { column_def, .. } = op else { continue };
        let Some((why, at_word)) = rewrite_reason(cx, column_def) else { continue };
        let column = crate::catalog::names::fold(&column_def.name);
        let label = column_label(table, &column);
        let from = find_word(cx.text, &column_def.name.value, 0).unwrap_or(0);
        let span = word_span(cx, at_word, from).unwrap_or(cx.span);
        let help = match at_word {
            "GENERATED" => "Add a plain nullable column, backfill it in batches and keep it current with a trigger.",
            "DEFAULT" if cx.settings.pg_version < 11 => {
                "Add the column without a default, SET DEFAULT in a second statement, then backfill existing rows in batches."
            }
            _ => {
                "Add the column without the default, SET DEFAULT in a second statement, then backfill existing rows in batches."
            }
        };
        out.push(
            Finding::new(format!(
                "adding column {label} {why}: PostgreSQL rewrites every row and rebuilds every index of {} under an \
                 ACCESS EXCLUSIVE lock, and reads and writes on it wait until the rewrite ends",
                crate::catalog::names::relation_name(&table.name)
            ))
            .help(help)
            .at(span),
        );
    }
}

/// Why adding this column rewrites the table, and the keyword to point at.
fn rewrite_reason(cx: &StatementCx<'_>, column: &ColumnDef) -> Option<(String, &'static str)> {
    if let DataType::Custom(name, _) = &column.data_type
        && let [ty] = parts(name).as_slice()
        && matches!(ty.as_str(), "serial" | "serial4" | "bigserial" | "serial8" | "smallserial" | "serial2")
    {
        return Some((format!("of type {ty} (each row draws a value from a new sequence)"), ty_keyword(ty)));
    }
    for option in &column.options {
        match &option.option {
            ColumnOption::Generated { generation_expr: Some(_), generation_expr_mode, .. } => {
                // PostgreSQL 18 computes VIRTUAL columns on read (its default when neither is written).
                let virtual_column = match generation_expr_mode {
                    Some(GeneratedExpressionMode::Virtual) => true,
                    Some(GeneratedExpressionMode::Stored) => false,
                    None => cx.settings.pg_version >= 18,
                };
                if virtual_column {
                    continue;
                }
                return Some((
                    "as a stored generated column (each row's value is computed and stored)".into(),
                    "GENERATED",
                ));
            }
            ColumnOption::Generated { generation_expr: None, .. } | ColumnOption::Identity(_) => {
                return Some((
                    "as an identity column (each row draws a value from a new sequence)".into(),
                    "GENERATED",
                ));
            }
            ColumnOption::Default(expr) => {
                if matches!(expr, Expr::Value(v) if matches!(v.value, Value::Null)) {
                    continue;
                }
                if cx.settings.pg_version < 11 {
                    return Some((
                        format!(
                            "with a default on PostgreSQL {} (before 11, every default is written into each row)",
                            cx.settings.pg_version
                        ),
                        "DEFAULT",
                    ));
                }
                if let Some(f) = volatile_call(cx, expr) {
                    return Some((
                        format!("with a volatile default ({f}() gives each existing row its own value)"),
                        "DEFAULT",
                    ));
                }
            }
            _ => {}
        }
    }
    None
}

fn ty_keyword(ty: &str) -> &'static str {
    match ty {
        "serial" => "serial",
        "serial4" => "serial4",
        "bigserial" => "bigserial",
        "serial8" => "serial8",
        "smallserial" => "smallserial",
        _ => "serial2",
    }
}

/// The first volatile function `expr` calls: a known volatile built-in, or a function of the schema
/// created without IMMUTABLE or STABLE (PostgreSQL's default is VOLATILE).
pub(super) fn volatile_call(cx: &StatementCx<'_>, expr: &Expr) -> Option<String> {
    let mut found = None;
    let _ = sqlparser::ast::visit_expressions(expr, |e| {
        if let Expr::Function(f) = e {
            let name = parts(&f.name);
            let Some(last) = name.last() else { return std::ops::ControlFlow::Continue(()) };
            let qual = match name.as_slice() {
                [schema, n] => crate::catalog::QualName::new(schema.clone(), n.clone()),
                _ => cx.before.resolve_unqualified(last),
            };
            let volatile = match cx.before.functions.get(&qual) {
                Some(overloads) => overloads.iter().all(|f| !declared_non_volatile(cx.text_of(f.origin.changed))),
                None => VOLATILE.contains(&last.as_str()),
            };
            if volatile {
                found = Some(last.clone());
                return std::ops::ControlFlow::Break(());
            }
        }
        std::ops::ControlFlow::Continue(())
    });
    found
}

/// Whether a CREATE FUNCTION statement says IMMUTABLE or STABLE (outside its body).
fn declared_non_volatile(create: &str) -> bool {
    tokens(create).iter().any(|t| t.is("IMMUTABLE") || t.is("STABLE"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::findings;

    fn count(sql: &str) -> usize {
        findings(&RULE, sql).len()
    }

    #[test]
    fn constant_and_stable_defaults_are_free() {
        assert_eq!(count("ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';"), 0);
        assert_eq!(count("ALTER TABLE orders ADD COLUMN created_at timestamptz DEFAULT now();"), 0);
        assert_eq!(count("ALTER TABLE orders ADD COLUMN note text DEFAULT NULL;"), 0);
    }

    #[test]
    fn rewrites_are_reported() {
        assert_eq!(count("ALTER TABLE orders ADD COLUMN r float8 DEFAULT random();"), 1);
        assert_eq!(count("ALTER TABLE orders ADD COLUMN n bigserial;"), 1);
        assert_eq!(count("ALTER TABLE orders ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY;"), 1);
        assert_eq!(count("ALTER TABLE orders ADD COLUMN t2 numeric GENERATED ALWAYS AS (total * 2) STORED;"), 1);
    }

    #[test]
    fn new_tables_are_not_reported() {
        let sql = "CREATE TABLE t (id bigint);\nALTER TABLE t ADD COLUMN u uuid DEFAULT gen_random_uuid();";
        assert_eq!(count(sql), 0);
    }

    #[test]
    fn functions_of_the_schema_by_their_volatility() {
        let sql = "CREATE FUNCTION pick() RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT 1 $$;\n\
                   CREATE FUNCTION roll() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n\
                   ALTER TABLE orders ADD COLUMN a int DEFAULT pick();\n\
                   ALTER TABLE orders ADD COLUMN b int DEFAULT roll();";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("roll()"), "{}", found[0].message);
    }

    #[test]
    fn any_default_before_postgres_11() {
        use crate::analysis::{Options, analyze};
        use crate::rules::RuleConfig;
        let files = crate::rules::tests::example_files(RULE.setup, "ALTER TABLE orders ADD COLUMN n int DEFAULT 0;");
        let rules = RuleConfig { pg_version: Some(10), ..RuleConfig::only(RULE.id) };
        let analysis = analyze(files, &Options { rules, ..Options::default() });
        let found: Vec<_> = analysis.diagnostics.iter().filter(|d| d.rule == RULE.id).collect();
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("PostgreSQL 10"), "{}", found[0].message);
    }
}
