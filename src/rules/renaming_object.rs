//! Renaming a view, index, sequence, type, domain, enum value, function, schema, trigger, policy or
//! constraint breaks whatever still uses the old name.

use sqlparser::ast::{
    AlterFunctionOperation, AlterIndexOperation, AlterPolicyOperation, AlterSchemaOperation, AlterTableOperation,
    AlterTriggerOperation, AlterTypeOperation, AlterViewOperation, Statement,
};

use super::domains;
use super::removals::{self, Action};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::QualName;
use crate::catalog::model::UserTypeKind;
use crate::catalog::names::{self, quote_ident, relation_name};
use crate::diagnostic::Severity;
use crate::span::Span;
use crate::sql::objects::DomainAction;
use crate::sql::parse::Parsed;

pub const RULE: Rule = Rule {
    id: "renaming-object",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "Renaming a view, type, function, sequence, schema or other object breaks users of the old name",
    why: "Clients, scripts and later migrations refer to objects by name: they select from views, call \
          functions, cast to types, compare with enum values and call nextval() on sequences. After a rename \
          every use of the old name fails, and code deployed before the migration keeps using it. Objects \
          inside the database that hold an OID (columns of a renamed type, defaults that call a renamed \
          sequence, triggers of a renamed function) follow the rename; function bodies do not, so the message \
          lists the functions that mention the old name. Domains and their constraints count too (ALTER DOMAIN \
          … RENAME TO, RENAME CONSTRAINT). An object created in the same file is not reported. \
          Tables and columns have their own rules: renaming-table and renaming-column.",
    setup: "CREATE TYPE order_status AS ENUM ('new', 'paid');\n\
            CREATE TABLE orders (id bigint PRIMARY KEY, status order_status NOT NULL DEFAULT 'new');\n\
            CREATE VIEW paid_orders AS SELECT id FROM orders WHERE status = 'paid';\n",
    bad: "ALTER TYPE order_status RENAME VALUE 'paid' TO 'settled';",
    good: "-- Add the new value; stop writing the old one in the application, then migrate the rows.\n\
           ALTER TYPE order_status ADD VALUE 'settled';\n",
    fix: "Keep the old name until nothing uses it: add the object under the new name beside the old one \
          (a view over a view, a wrapper function, a new enum value), move every user over, then remove the old \
          one in a later migration. When the rename is intended, silence the rule on that statement with \
          `-- schema-playground:ignore renaming-object`.",
    check: Check::Statement(check),
};

fn last(name: &sqlparser::ast::ObjectName) -> String {
    names::parts(name).last().cloned().unwrap_or_default()
}

fn push(cx: &StatementCx<'_>, out: &mut Vec<Finding>, what: String, consequence: &str, functions: Vec<String>) {
    // From RENAME to the end: the new name.
    let at = match removals::find_seq(cx, &["RENAME"], 0) {
        Some(r) => Span::new(r.file, r.start as usize, cx.span.end as usize),
        None => cx.span,
    };
    out.push(
        Finding::new(format!("{what}: {consequence}{}", removals::named_in_functions(&functions)))
            .at(at)
            .help("Keep the old name until nothing uses it; add the new one beside it and move every user over first."),
    );
}

/// `ALTER DOMAIN d RENAME TO n` and `ALTER DOMAIN d RENAME CONSTRAINT c TO n`.
fn domain(cx: &StatementCx<'_>, parts: &[String], action: &DomainAction, out: &mut Vec<Finding>) {
    let Some(domain) = domains::existing(cx, parts) else { return };
    match action {
        DomainAction::RenameTo(new) if *new != domain.name.name => {
            let functions = removals::functions_mentioning(cx.before, &[&domain.name.name]);
            push(
                cx,
                out,
                format!("ALTER DOMAIN {} RENAME TO {}", domain.label(), quote_ident(new)),
                "columns of the domain follow the rename, but casts and declarations that name it fail",
                functions,
            );
        }
        DomainAction::RenameConstraint { from, to }
            if from != to && domain.now.check(from).is_some() && domain.start.check(from).is_some() =>
        {
            push(
                cx,
                out,
                format!(
                    "ALTER DOMAIN {} RENAME CONSTRAINT {} TO {}",
                    domain.label(),
                    quote_ident(from),
                    quote_ident(to)
                ),
                "scripts and later migrations that name it (DROP CONSTRAINT, VALIDATE CONSTRAINT) fail",
                Vec::new(),
            );
        }
        _ => {}
    }
}

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    if let Some((name, action)) = cx.alter_domain() {
        domain(cx, name, action, out);
        return;
    }
    let start = &cx.file.start;
    let users = "clients and scripts that still use the old name fail";
    if let Parsed::AlterSequence { name, rename_to: Some(new), .. } = cx.parsed {
        let q = match name.as_slice() {
            [n] => cx.before.resolve_unqualified(n),
            [.., s, n] => QualName::new(s.clone(), n.clone()),
            [] => return,
        };
        if *new == q.name || !start.sequences.contains_key(&q) || !cx.before.sequences.contains_key(&q) {
            return;
        }
        let functions = removals::functions_mentioning(cx.before, &[&q.name]);
        push(
            cx,
            out,
            format!("ALTER SEQUENCE {} RENAME TO {}", relation_name(&q), quote_ident(new)),
            "column defaults follow the rename, but clients that call nextval() or setval() with the old name fail",
            functions,
        );
        return;
    }
    if let Some((q, actions)) = removals::alter_table(cx) {
        for action in actions {
            let Action::Op(AlterTableOperation::RenameConstraint { old_name, new_name }) = action else { continue };
            let (old, new) = (names::fold(old_name), names::fold(new_name));
            let Some(table) = removals::existing_table(cx, &q) else { continue };
            let Some(c) = table.constraint(&old) else { continue };
            let existed = removals::at_start(cx, table).is_some_and(|t| t.constraint(&old).is_some());
            if old == new || !existed {
                continue;
            }
            let index = if c.kind.has_index() { " (its index is renamed too)" } else { "" };
            push(
                cx,
                out,
                format!(
                    "ALTER TABLE {} RENAME CONSTRAINT {} TO {}{index}",
                    relation_name(&table.name),
                    quote_ident(&old),
                    quote_ident(&new)
                ),
                "scripts and later migrations that name it (DROP CONSTRAINT, VALIDATE CONSTRAINT, ON CONFLICT ON \
                 CONSTRAINT) fail",
                Vec::new(),
            );
        }
        return;
    }
    let Some(stmt) = cx.statement() else { return };
    match stmt {
        Statement::AlterView(av) => {
            let AlterViewOperation::RenameTo { new_name } = &av.operation else { return };
            let q = cx.resolve(&av.name);
            let new = last(new_name);
            if new == q.name || !start.views.contains_key(&q) || !cx.before.views.contains_key(&q) {
                return;
            }
            let kind = if av.materialized { "MATERIALIZED VIEW" } else { "VIEW" };
            let functions = removals::functions_mentioning(cx.before, &[&q.name]);
            push(
                cx,
                out,
                format!("ALTER {kind} {} RENAME TO {}", relation_name(&q), quote_ident(&new)),
                "clients that still query it by the old name fail",
                functions,
            );
        }
        Statement::AlterIndex { name, operation: AlterIndexOperation::RenameIndex { index_name } } => {
            let q = cx.resolve(name);
            let new = last(index_name);
            if new == q.name || !start.indexes.contains_key(&q) || !cx.before.indexes.contains_key(&q) {
                return;
            }
            push(
                cx,
                out,
                format!("ALTER INDEX {} RENAME TO {}", relation_name(&q), quote_ident(&new)),
                "scripts and later migrations that name it (DROP INDEX, REINDEX, CLUSTER) fail",
                Vec::new(),
            );
        }
        Statement::AlterType(at) => {
            let q = cx.resolve(&at.name);
            // The type as the file found it, under whatever name it had then (it may have moved since).
            let Some(before) = cx.before.types.get(&q) else { return };
            let Some(then) = super::domains::at_start(cx, before) else { return };
            match &at.operation {
                AlterTypeOperation::Rename(r) => {
                    let new = names::fold(&r.new_name);
                    if new == q.name {
                        return;
                    }
                    let functions = removals::functions_mentioning(cx.before, &[&q.name]);
                    push(
                        cx,
                        out,
                        format!(
                            "ALTER TYPE {} RENAME TO {}",
                            names::qualified_type_name(&q.schema, &q.name),
                            quote_ident(&new)
                        ),
                        "columns of the type follow the rename, but casts and declarations that name it fail",
                        functions,
                    );
                }
                AlterTypeOperation::RenameValue(r) => {
                    let (from, to) = (r.from.value.clone(), r.to.value.clone());
                    let had = |k: &UserTypeKind| matches!(k, UserTypeKind::Enum { labels } if labels.contains(&from));
                    if from == to || !had(&before.kind) || !had(&then.kind) {
                        return;
                    }
                    let columns: Vec<String> = cx
                        .before
                        .tables
                        .values()
                        .flat_map(|t| {
                            t.columns
                                .iter()
                                .filter(|c| c.ty.schema.as_deref() == Some(q.schema.as_str()) && c.ty.name == q.name)
                                .map(|c| removals::column_label(&t.name, &c.name))
                                .collect::<Vec<_>>()
                        })
                        .collect();
                    let holders =
                        if columns.is_empty() { String::new() } else { format!(" in {}", removals::list(&columns, 5)) };
                    let literal = format!("'{}'", from.replace('\'', "''"));
                    let functions = removals::functions_mentioning(cx.before, &[&q.name]);
                    push(
                        cx,
                        out,
                        format!(
                            "ALTER TYPE {} RENAME VALUE {literal} TO '{}'",
                            names::qualified_type_name(&q.schema, &q.name),
                            to.replace('\'', "''")
                        ),
                        &format!(
                            "rows that hold {literal}{holders} now read '{}', and clients that write or compare with \
                             {literal} fail",
                            to.replace('\'', "''")
                        ),
                        functions,
                    );
                }
                AlterTypeOperation::AddValue(_) => {}
            }
        }
        Statement::AlterFunction(af) => {
            let AlterFunctionOperation::RenameTo { new_name } = &af.operation else { return };
            let q = cx.resolve(&af.function.name);
            let new = names::fold(new_name);
            if new == q.name || !start.functions.contains_key(&q) || !cx.before.functions.contains_key(&q) {
                return;
            }
            let functions: Vec<String> = removals::functions_mentioning(cx.before, &[&q.name])
                .into_iter()
                .filter(|f| !f.starts_with(&format!("{}(", relation_name(&q))))
                .collect();
            push(
                cx,
                out,
                format!("ALTER FUNCTION {} RENAME TO {}", relation_name(&q), quote_ident(&new)),
                "triggers that call it follow the rename, but queries that call it by the old name fail",
                functions,
            );
        }
        Statement::AlterSchema(s) => {
            let Some(new) = s.operations.iter().find_map(|op| match op {
                AlterSchemaOperation::Rename { name } => Some(last(name)),
                _ => None,
            }) else {
                return;
            };
            let old = last(&s.name);
            if new == old || !start.schemas.contains_key(&old) || !cx.before.schemas.contains_key(&old) {
                return;
            }
            let empty = !cx.before.tables.keys().any(|q| q.schema == old)
                && !cx.before.views.keys().any(|q| q.schema == old)
                && !cx.before.functions.keys().any(|q| q.schema == old)
                && !cx.before.types.keys().any(|q| q.schema == old)
                && !cx.before.sequences.keys().any(|q| q.schema == old);
            let what = if empty {
                format!("queries and search_path settings that name {} fail", quote_ident(&old))
            } else {
                format!(
                    "everything in it is now named {}.…, so queries that name {}.… or list it in their \
                     search_path fail",
                    quote_ident(&new),
                    quote_ident(&old)
                )
            };
            push(
                cx,
                out,
                format!("ALTER SCHEMA {} RENAME TO {}", quote_ident(&old), quote_ident(&new)),
                &what,
                Vec::new(),
            );
        }
        Statement::AlterTrigger(at) => {
            let AlterTriggerOperation::Rename { new_name } = &at.operation else { return };
            let (old, new) = (names::fold(&at.name), names::fold(new_name));
            let q = cx.resolve(&at.table_name);
            let Some(table) = removals::existing_table(cx, &q) else { return };
            let existed = removals::at_start(cx, table).is_some_and(|t| t.triggers.iter().any(|tr| tr.name == old));
            if old == new || !existed || !table.triggers.iter().any(|tr| tr.name == old) {
                return;
            }
            push(
                cx,
                out,
                format!(
                    "ALTER TRIGGER {} ON {} RENAME TO {}",
                    quote_ident(&old),
                    relation_name(&table.name),
                    quote_ident(&new)
                ),
                users,
                Vec::new(),
            );
        }
        Statement::AlterPolicy(ap) => {
            let AlterPolicyOperation::Rename { new_name } = &ap.operation else { return };
            let (old, new) = (names::fold(&ap.name), names::fold(new_name));
            let q = cx.resolve(&ap.table_name);
            let Some(table) = removals::existing_table(cx, &q) else { return };
            let existed = removals::at_start(cx, table).is_some_and(|t| t.policies.iter().any(|p| p.name == old));
            if old == new || !existed || !table.policies.iter().any(|p| p.name == old) {
                return;
            }
            push(
                cx,
                out,
                format!(
                    "ALTER POLICY {} ON {} RENAME TO {}",
                    quote_ident(&old),
                    relation_name(&table.name),
                    quote_ident(&new)
                ),
                users,
                Vec::new(),
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
    fn an_enum_value_rename_names_the_columns_that_hold_it() {
        let found = findings(&RULE, RULE.bad);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("in orders.status"), "{}", found[0].message);
    }

    #[test]
    fn every_kind_of_object_is_reported() {
        let sql = "-- file: 002_a.sql\nCREATE SEQUENCE invoice_numbers;\nCREATE INDEX orders_status_idx ON orders (status);\n\
                   CREATE FUNCTION paid_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM paid_orders $$;\n\
                   CREATE SCHEMA billing;\n\
                   -- file: 003_b.sql\n\
                   ALTER VIEW paid_orders RENAME TO settled_orders;\n\
                   ALTER INDEX orders_status_idx RENAME TO orders_state_idx;\n\
                   ALTER SEQUENCE invoice_numbers RENAME TO invoice_no;\n\
                   ALTER TYPE order_status RENAME TO order_state;\n\
                   ALTER FUNCTION paid_count() RENAME TO settled_count;\n\
                   ALTER SCHEMA billing RENAME TO invoicing;\n\
                   ALTER TABLE orders RENAME CONSTRAINT orders_pkey TO orders_pk;";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 7, "{found:#?}");
        assert!(found[0].message.contains("function paid_count() names it"), "{}", found[0].message);
        assert!(found[6].message.contains("its index is renamed too"), "{}", found[6].message);
    }

    #[test]
    fn domains_and_their_constraints() {
        let sql = "-- file: 002_a.sql\nCREATE DOMAIN amount AS numeric CONSTRAINT amount_positive CHECK (VALUE > 0);\n\
                   -- file: 003_b.sql\nALTER DOMAIN amount RENAME CONSTRAINT amount_positive TO amount_above_zero;\n\
                   ALTER DOMAIN amount SET SCHEMA public;\nALTER DOMAIN amount RENAME TO price;\n\
                   ALTER DOMAIN price RENAME TO cost;\n\
                   CREATE DOMAIN fresh AS text CHECK (VALUE <> '');\nALTER DOMAIN fresh RENAME TO fresher;\n\
                   ALTER DOMAIN fresher RENAME CONSTRAINT fresh_check TO fresher_check;";
        let found = findings(&RULE, sql);
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(
            found[0].message.contains("RENAME CONSTRAINT amount_positive TO amount_above_zero"),
            "{}",
            found[0].message
        );
        assert!(found[1].message.contains("ALTER DOMAIN amount RENAME TO price"), "{}", found[1].message);
        // Renamed earlier in the file, still the domain clients use.
        assert!(found[2].message.contains("ALTER DOMAIN price RENAME TO cost"), "{}", found[2].message);
    }

    #[test]
    fn objects_new_in_the_file_are_not_reported() {
        let sql = "CREATE VIEW fresh AS SELECT 1 AS one;\nALTER VIEW fresh RENAME TO fresher;\n\
                   CREATE TYPE mood AS ENUM ('ok');\nALTER TYPE mood RENAME VALUE 'ok' TO 'fine';";
        assert!(findings(&RULE, sql).is_empty());
    }
}
