//! `DROP TYPE` breaks what uses the type, and with CASCADE drops the columns of that type.

use sqlparser::ast::{ObjectType, Statement};

use super::removals;
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::model::UserTypeKind;
use crate::catalog::names::qualified_type_name;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "ban-drop-type",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "DROP TYPE breaks what uses the type; with CASCADE it drops the columns of that type and their data",
    why: "Clients cast to types, functions take and return them, and columns hold them. Dropping a type makes \
          all of that fail, and DROP TYPE … CASCADE goes further: it drops every column of that type, with its \
          data, in every table. The message lists what CASCADE takes, from the schema. A type created earlier \
          in the same file is not reported.",
    setup: "CREATE TYPE order_status AS ENUM ('new', 'paid');\n\
            CREATE TABLE orders (id bigint PRIMARY KEY, status order_status NOT NULL);\n",
    bad: "DROP TYPE order_status CASCADE;",
    good: "-- Move the column off the type first; a later plain DROP TYPE then fails loudly if anything still uses it.\n\
           ALTER TABLE orders ALTER COLUMN status TYPE text;\n",
    fix: "Move every column, function and client off the type first (ALTER COLUMN … TYPE, new function \
          signatures), then drop it without CASCADE, so that a forgotten user makes the migration fail instead \
          of losing data. When the drop is intended, silence the rule on that statement with \
          `-- schema-playground:ignore ban-drop-type`.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(stmt @ Statement::Drop { object_type: ObjectType::Type, names, .. }) = cx.statement() else { return };
    for (i, name) in names.iter().enumerate() {
        // A name listed twice is one object.
        if names[..i].contains(name) {
            continue;
        }
        let q = cx.resolve(name);
        let Some(ty) = cx.before.types.get(&q) else { continue };
        if !cx.file.start.types.contains_key(&q) {
            continue;
        }
        let label = qualified_type_name(&q.schema, &q.name);
        let kind = if matches!(ty.kind, UserTypeKind::Domain { .. }) { "domain" } else { "type" };
        let others = removals::gone_with(cx, &removals::drop_one(stmt, name), |g| g.kind == kind && g.name == label);
        out.push(
            Finding::new(format!(
                "DROP TYPE {label} removes the {kind}: casts, functions and clients that use it fail{}",
                removals::also_drops(&others)
            ))
            .at(removals::name_span(cx, name, 0))
            .help("Move every column, function and client off the type first, then drop it without CASCADE."),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::tests::findings;

    #[test]
    fn types_new_in_the_file_are_not_reported() {
        let sql = "CREATE TYPE speed AS ENUM ('slow', 'fast');\nDROP TYPE speed;\nDROP TYPE IF EXISTS nothing;";
        assert!(findings(&RULE, sql).is_empty());
    }

    #[test]
    fn cascade_names_the_columns_it_drops() {
        let found = findings(&RULE, RULE.bad);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("it also drops column orders.status"), "{}", found[0].message);
    }
}
