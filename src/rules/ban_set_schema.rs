//! `… SET SCHEMA` moves an object out of the schema clients find it in.

use sqlparser::ast::{AlterFunctionOperation, AlterViewOperation, Statement};

use super::domains;
use super::removals::{self, Action};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::QualName;
use crate::catalog::names::{self, qualified_type_name, quote_ident, relation_name};
use crate::diagnostic::Severity;
use crate::sql::alter_table::ManualAction;
use crate::sql::objects::{DomainAction, ObjectStmt};
use crate::sql::parse::Parsed;

pub const RULE: Rule = Rule {
    id: "ban-set-schema",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "SET SCHEMA moves an object away from the name clients use for it",
    why: "Clients reach an object by its schema-qualified name, or through their search_path. After \
          ALTER … SET SCHEMA the old qualified name no longer exists, and a session whose search_path does \
          not include the new schema cannot find it unqualified either. Objects inside the database that refer \
          to it by OID (views, foreign keys, column defaults, the columns of a type or domain) follow the move; SQL in \
          clients and function bodies does not. A table's indexes and owned sequences move with it. An object \
          created in the same file, or moved to the schema it is already in, is not reported.",
    setup: "CREATE SCHEMA archive;\nCREATE TABLE audit_log (id bigint PRIMARY KEY, entry text NOT NULL);\n",
    bad: "ALTER TABLE audit_log SET SCHEMA archive;",
    good: "-- New tables go straight into their schema.\n\
           CREATE TABLE archive.audit_log_2024 (id bigint PRIMARY KEY, entry text NOT NULL);\n",
    fix: "Keep objects where clients look for them. To move one, first make every client name it through a \
          search_path that includes both schemas (or create a view under the old name), then move it. When the \
          move is intended, silence the rule on that statement with `-- schema-playground:ignore ban-set-schema`.",
    check: Check::Statement(check),
};

/// `ALTER SEQUENCE name … SET SCHEMA s` / `ALTER EXTENSION name SET SCHEMA s`: the schema named.
fn set_schema_in_text(cx: &StatementCx<'_>) -> Option<String> {
    let toks = removals::tokens(cx.text);
    let k = toks.windows(2).position(|w| w[0].matches("SET") && w[1].matches("SCHEMA"))?;
    match &toks.get(k + 2)?.token {
        sqlparser::tokenizer::Token::Word(w) if w.quote_style.is_some() => Some(w.value.clone()),
        sqlparser::tokenizer::Token::Word(w) => Some(w.value.to_ascii_lowercase()),
        _ => None,
    }
}

fn consequence(old: &QualName, schema: &str) -> String {
    format!(
        "queries that name {}.{} fail, and so do those that find it through a search_path without {}",
        quote_ident(&old.schema),
        quote_ident(&old.name),
        quote_ident(schema)
    )
}

fn finding(cx: &StatementCx<'_>, what: String, old: &QualName, schema: &str, extra: &str) -> Finding {
    let at = removals::find_seq(cx, &["SET", "SCHEMA"], 0).unwrap_or(cx.span);
    Finding::new(format!("{what} moves it to schema {}{extra}: {}", quote_ident(schema), consequence(old, schema)))
        .at(at)
        .help("Keep the object in its schema until every client finds it under the new name, then move it.")
}

/// `ALTER DOMAIN d SET SCHEMA s`: its columns follow, casts and declarations that name it do not.
fn domain_schema(cx: &StatementCx<'_>, parts: &[String], schema: &str, out: &mut Vec<Finding>) {
    let Some(domain) = domains::existing(cx, parts) else { return };
    if schema == domain.name.schema {
        return;
    }
    let columns = domains::columns(cx.before, &domain.name, |_| true);
    let extra =
        if columns.is_empty() { String::new() } else { format!(" with its columns{}", domains::in_parens(&columns)) };
    let what = format!("ALTER DOMAIN {} SET SCHEMA", domain.label());
    out.push(finding(cx, what, &domain.name, schema, &extra));
}

/// `ALTER TYPE t SET SCHEMA s` (an enum, a composite type, a domain): its columns follow, casts and
/// declarations that name it do not.
fn type_schema(cx: &StatementCx<'_>, parts: &[String], schema: &str, out: &mut Vec<Finding>) {
    let Some(q) = domains::resolve(cx.before, parts) else { return };
    let Some(ut) = cx.before.types.get(&q) else { return };
    if schema == q.schema || domains::at_start(cx, ut).is_none() {
        return;
    }
    let columns = domains::columns(cx.before, &q, |_| true);
    let extra =
        if columns.is_empty() { String::new() } else { format!(" with its columns{}", domains::in_parens(&columns)) };
    let what = format!("ALTER TYPE {} SET SCHEMA", qualified_type_name(&q.schema, &q.name));
    out.push(finding(cx, what, &q, schema, &extra));
}

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    if let Some((domain, DomainAction::SetSchema(schema))) = cx.alter_domain() {
        domain_schema(cx, domain, schema, out);
        return;
    }
    if let Parsed::Object { stmt, .. } = cx.parsed
        && let ObjectStmt::AlterTypeSetSchema { name, schema } = &**stmt
    {
        type_schema(cx, name, schema, out);
        return;
    }
    let start = &cx.file.start;
    match cx.parsed {
        Parsed::Statement(s, _) => match &**s {
            Statement::AlterView(av) => {
                let AlterViewOperation::SetSchema { schema_name } = &av.operation else { return };
                let q = cx.resolve(&av.name);
                let schema = names::parts(schema_name).last().cloned().unwrap_or_default();
                if schema == q.schema || !start.views.contains_key(&q) || !cx.before.views.contains_key(&q) {
                    return;
                }
                let kind = if av.materialized { "MATERIALIZED VIEW" } else { "VIEW" };
                out.push(finding(cx, format!("ALTER {kind} {} SET SCHEMA", relation_name(&q)), &q, &schema, ""));
            }
            Statement::AlterFunction(af) => {
                let AlterFunctionOperation::SetSchema { schema_name } = &af.operation else { return };
                let q = cx.resolve(&af.function.name);
                let schema = names::parts(schema_name).last().cloned().unwrap_or_default();
                if schema == q.schema || !start.functions.contains_key(&q) || !cx.before.functions.contains_key(&q) {
                    return;
                }
                let what = format!("ALTER FUNCTION {} SET SCHEMA", relation_name(&q));
                out.push(finding(cx, what, &q, &schema, ""));
            }
            _ => {}
        },
        Parsed::AlterTableParts { .. } => {
            let Some((q, actions)) = removals::alter_table(cx) else { return };
            for action in actions {
                let Action::Manual(ManualAction::SetSchema(schema)) = action else { continue };
                let Some(table) = removals::existing_table(cx, &q) else { continue };
                if *schema == table.name.schema {
                    continue;
                }
                // Its indexes and owned sequences move along.
                let mut parts: Vec<String> =
                    cx.before.indexes_of(&table.name).map(|i| format!("index {}", quote_ident(&i.name.name))).collect();
                parts.extend(
                    cx.before
                        .sequences
                        .values()
                        .filter(|s| s.owned_by.as_ref().is_some_and(|(t, _)| t == &table.name))
                        .map(|s| format!("sequence {}", quote_ident(&s.name.name))),
                );
                let extra =
                    if parts.is_empty() { String::new() } else { format!(" with {}", removals::list(&parts, 6)) };
                let what = format!("ALTER TABLE {} SET SCHEMA", relation_name(&table.name));
                out.push(finding(cx, what, &table.name, schema, &extra));
            }
        }
        Parsed::AlterSequence { name, .. } => {
            let Some(schema) = set_schema_in_text(cx) else { return };
            let q = match name.as_slice() {
                [n] => cx.before.resolve_unqualified(n),
                [.., s, n] => QualName::new(s.clone(), n.clone()),
                [] => return,
            };
            if schema == q.schema || !start.sequences.contains_key(&q) || !cx.before.sequences.contains_key(&q) {
                return;
            }
            let what = format!("ALTER SEQUENCE {} SET SCHEMA", relation_name(&q));
            out.push(finding(cx, what, &q, &schema, ""));
        }
        Parsed::NoEffect { what } if what == "ALTER EXTENSION" => {
            let Some(schema) = set_schema_in_text(cx) else { return };
            let toks = removals::tokens(cx.text);
            let Some(sqlparser::tokenizer::Token::Word(w)) = toks.get(2).map(|t| &t.token) else { return };
            let name = if w.quote_style.is_some() { w.value.clone() } else { w.value.to_ascii_lowercase() };
            let Some(ext) = cx.before.extensions.get(&name) else { return };
            if !start.extensions.contains_key(&name) || ext.schema == schema {
                return;
            }
            let at = removals::find_seq(cx, &["SET", "SCHEMA"], 0).unwrap_or(cx.span);
            out.push(
                Finding::new(format!(
                    "ALTER EXTENSION {name} SET SCHEMA moves its types and functions from {} to {}: queries that \
                     name them as {}.… fail, and so do those that find them through a search_path without {}",
                    quote_ident(&ext.schema),
                    quote_ident(&schema),
                    quote_ident(&ext.schema),
                    quote_ident(&schema)
                ))
                .at(at)
                .help("Keep the extension in its schema until every client finds its objects under the new name."),
            );
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::tests::findings;

    #[test]
    fn a_table_moves_with_its_indexes() {
        let found = findings(&RULE, RULE.bad);
        assert_eq!(found.len(), 1);
        let m = &found[0].message;
        assert!(m.contains("with index audit_log_pkey:"), "{m}");
        assert!(m.contains("public.audit_log"), "{m}");
    }

    #[test]
    fn views_sequences_and_functions_are_reported() {
        let sql = "-- file: 002_a.sql\nCREATE VIEW recent AS SELECT id FROM audit_log;\nCREATE SEQUENCE tickets;\n\
                   CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n\
                   -- file: 003_b.sql\nALTER VIEW recent SET SCHEMA archive;\nALTER SEQUENCE tickets SET SCHEMA archive;\n\
                   ALTER FUNCTION f() SET SCHEMA archive;";
        assert_eq!(findings(&RULE, sql).len(), 3, "{:?}", findings(&RULE, sql));
    }

    #[test]
    fn types_move_with_their_columns() {
        let sql = "-- file: 002_a.sql\nCREATE TYPE entry_kind AS ENUM ('info', 'error');\n\
                   ALTER TABLE audit_log ADD COLUMN kind entry_kind;\n\
                   -- file: 003_b.sql\nALTER TYPE entry_kind SET SCHEMA public;\nALTER TYPE entry_kind SET SCHEMA archive;\n\
                   CREATE TYPE fresh AS (a int);\nALTER TYPE fresh SET SCHEMA archive;";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].message.starts_with(
                "ALTER TYPE entry_kind SET SCHEMA moves it to schema archive with its columns (audit_log.kind): \
                 queries that name public.entry_kind fail"
            ),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn domains_move_with_their_columns() {
        let sql = "-- file: 002_a.sql\nCREATE DOMAIN entry_text AS text;\n\
                   ALTER TABLE audit_log ADD COLUMN detail entry_text;\n\
                   -- file: 003_b.sql\nALTER DOMAIN entry_text SET SCHEMA archive;\n\
                   CREATE DOMAIN fresh AS text;\nALTER DOMAIN fresh SET SCHEMA archive;";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 1, "{found:?}");
        let m = &found[0].message;
        assert!(
            m.contains(
                "ALTER DOMAIN entry_text SET SCHEMA moves it to schema archive with its columns (audit_log.detail)"
            ),
            "{m}"
        );
        assert!(m.contains("public.entry_text"), "{m}");
    }

    #[test]
    fn objects_new_in_the_file_are_not_reported() {
        let sql = "CREATE TABLE scratch (id int);\nALTER TABLE scratch SET SCHEMA archive;\n\
                   ALTER TABLE audit_log SET SCHEMA public;";
        assert!(findings(&RULE, sql).is_empty());
    }
}
