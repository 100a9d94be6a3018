//! `ALTER COLUMN … TYPE` on a table in use: a rewrite of the table and its indexes under an ACCESS
//! EXCLUSIVE lock, unless the old type converts to the new one without touching the rows.

use sqlparser::ast::{AlterColumnOperation, AlterTableOperation};

use super::table_ops::{alter_ops, column_label, find_word, word_span};
use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::relation_name;
use crate::catalog::types::TypeRef;
use crate::diagnostic::Severity;
use crate::locks::RetypedDependents;

pub const RULE: Rule = Rule {
    id: "changing-column-type",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Squawk,
    summary: "ALTER COLUMN … TYPE rewrites the table and its indexes under an ACCESS EXCLUSIVE lock",
    why: "Changing a column's type makes PostgreSQL rewrite every row and rebuild every index of the table while \
          it holds an ACCESS EXCLUSIVE lock: nothing can read or write the table until it ends, which takes \
          minutes on a large table. Clients that read the column may also break on the new type. Some changes \
          only update the catalog, because the stored bytes stay valid (binary-coercible, PostgreSQL 9.2 and \
          later): `varchar(n)` to `varchar(m)` with m ≥ n, `varchar(n)` to `varchar` or `text`, `text` to \
          `varchar`, `numeric(p,s)` to `numeric(q,s)` with q ≥ p or to plain `numeric`, a longer `bit varying`, a \
          larger precision for `timestamp`, `time` and `interval`, and `cidr` to `inet`. Even then PostgreSQL \
          re-creates what depends on the column, still under the ACCESS EXCLUSIVE lock: a valid CHECK constraint \
          on the column is checked against every row again, and an index whose expression or predicate uses the \
          column is built again from the table (a plain index on the column is kept). The rule reads the \
          column's real type, its CHECK constraints and its indexes from the schema, and does not report a \
          change that only updates the catalog. Tables created earlier in the same file are empty and are not \
          reported.",
    setup: "CREATE TABLE orders (id integer PRIMARY KEY, code varchar(20) NOT NULL);",
    bad: "ALTER TABLE orders ALTER COLUMN id TYPE bigint;",
    good: "-- varchar(20) to text keeps every stored value as it is: no rewrite.\n\
           ALTER TABLE orders ALTER COLUMN code TYPE text;\n",
    fix: "For a change that rewrites, add a new column of the new type, fill it in batches (and keep it current with \
          a trigger), switch the clients to it, then drop the old column. Widening a varchar or a numeric's \
          precision is free and is not reported, unless the column has a CHECK constraint or an index with an \
          expression or predicate on it: drop those first (the index CONCURRENTLY), change the type, then add the \
          CHECK back NOT VALID and VALIDATE it, and create the index again CONCURRENTLY.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    if let Some(ty) = super::composites::altered_as_written(cx) {
        // PostgreSQL refuses while a table column stores the type; with CASCADE it retypes the column of
        // each typed table (`CREATE TABLE … OF type`), rewriting the table.
        if !super::domains::columns(cx.before, &ty.name, |_| true).is_empty() {
            return;
        }
        let typed: Vec<String> = cx
            .before
            .tables
            .values()
            .filter(|t| t.of_type.as_ref() == Some(&ty.name) && cx.file.start.had_table_oid(t.oid))
            .map(|t| relation_name(&t.name))
            .collect();
        for action in ty.actions {
            let crate::sql::objects::AttributeAction::SetType { name, cascade: true, .. } = action else { continue };
            if typed.is_empty() || !ty.had(name) {
                continue;
            }
            out.push(
                Finding::new(format!(
                    "ALTER TYPE {} ALTER ATTRIBUTE {} TYPE … CASCADE rewrites the typed tables of the type ({}) under \
                     an ACCESS EXCLUSIVE lock: reads and writes on them wait until it ends",
                    ty.label(),
                    crate::catalog::names::quote_ident(name),
                    super::removals::list(&typed, 5)
                ))
                .help("Add a new attribute instead, fill it, and move clients to it.")
                .at(super::removals::find_seq(cx, &["ALTER", "ATTRIBUTE", name], 0).unwrap_or(cx.span)),
            );
        }
        return;
    }
    // A statement the simulator rejects is already reported as an error.
    if !cx.applied {
        return;
    }
    let Some((name, ops)) = alter_ops(cx.parsed) else { return };
    let Some(table) = cx.existing_table(&name) else { return };
    let Some(after) = cx.after.table_with_oid(table.oid, &table.name) else { return };
    for op in ops {
        let AlterTableOperation::AlterColumn { column_name, op: AlterColumnOperation::SetDataType { using, .. } } = op
        else {
            continue;
        };
        let column = crate::catalog::names::fold(column_name);
        let Some(old) = table.column(&column) else { continue };
        let Some(new) = after.columns.iter().find(|c| c.attnum == old.attnum) else { continue };
        let from = find_word(cx.text, &column_name.value, 0).unwrap_or(0);
        let at = word_span(cx, "TYPE", from).unwrap_or(cx.span);
        let table_name = relation_name(&table.name);
        if using.is_none() && catalog_only(&old.ty, &new.ty) {
            // The rows stay, but what PostgreSQL re-creates on the column may still read them all.
            let dependents = RetypedDependents::of(cx.before, table, &column);
            if dependents.is_empty() {
                continue;
            }
            out.push(
                Finding::new(format!(
                    "changing {} from {} to {} keeps the rows, but {} under an ACCESS EXCLUSIVE lock: reads and \
                     writes on {table_name} wait until it ends",
                    column_label(table, &column),
                    old.ty.display(),
                    new.ty.display(),
                    dependents.describe(&column),
                ))
                .help(
                    "Drop the CHECK constraints and indexes first (DROP INDEX CONCURRENTLY), change the type, then \
                     add the CHECKs back NOT VALID and VALIDATE them, and CREATE INDEX CONCURRENTLY again.",
                )
                .at(at),
            );
            continue;
        }
        let extra = if using.is_some() { " (the USING expression computes every row anew)" } else { "" };
        out.push(
            Finding::new(format!(
                "changing {} from {} to {} rewrites {table_name} and rebuilds its indexes under an ACCESS \
                 EXCLUSIVE lock{extra}: reads and writes on {table_name} wait until it ends",
                column_label(table, &column),
                old.ty.display(),
                new.ty.display(),
            ))
            .help(
                "Add a column of the new type, backfill it in batches, switch clients over, then drop the old column.",
            )
            .at(at),
        );
    }
}

/// Whether changing `old` to `new` leaves every stored value valid, so PostgreSQL keeps the rows (no
/// rewrite); what depends on the column is re-created all the same (`RetypedDependents`).
pub(super) fn catalog_only(old: &TypeRef, new: &TypeRef) -> bool {
    if old == new {
        return true;
    }
    if old.array || new.array || old.is_user() || new.is_user() {
        return false;
    }
    // No modifier means no limit; a larger or equal limit accepts every stored value.
    let widens = |i: usize| match (old.mods.get(i), new.mods.get(i)) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(o), Some(n)) => n >= o,
    };
    match (old.name.as_str(), new.name.as_str()) {
        ("varchar", "varchar") => widens(0),
        ("varchar", "text") | ("text", "varchar") => new.mods.is_empty(),
        ("numeric", "numeric") => {
            // numeric(p) is numeric(p,0).
            let scale = |t: &TypeRef| t.mods.get(1).copied().unwrap_or(0);
            new.mods.is_empty() || (!old.mods.is_empty() && widens(0) && scale(old) == scale(new))
        }
        ("varbit", "varbit") => widens(0),
        ("timestamp", "timestamp") | ("timestamptz", "timestamptz") | ("time", "time") | ("timetz", "timetz") => {
            widens(0)
        }
        ("interval", "interval") => old.fields == new.fields && widens(0),
        ("cidr", "inet") => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::findings;

    fn count(sql: &str) -> usize {
        findings(&RULE, sql).len()
    }

    #[test]
    fn binary_coercible_changes_are_not_reported() {
        assert_eq!(count("ALTER TABLE orders ALTER COLUMN code TYPE varchar(40);"), 0);
        assert_eq!(count("ALTER TABLE orders ALTER COLUMN code TYPE varchar;"), 0);
        assert_eq!(count("ALTER TABLE orders ALTER COLUMN code TYPE text;"), 0);
    }

    #[test]
    fn rewrites_are_reported_with_both_types() {
        let found = findings(&RULE, "ALTER TABLE orders ALTER COLUMN code TYPE varchar(10);");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("character varying(20) to character varying(10)"), "{}", found[0].message);
        assert_eq!(count("ALTER TABLE orders ALTER COLUMN code TYPE text USING upper(code);"), 1);
    }

    /// A table made in an earlier file, then `change` on it.
    fn on_metrics(schema: &str, change: &str) -> Vec<crate::diagnostic::Diagnostic> {
        findings(
            &RULE,
            &format!(
                "-- file: 002_metrics.sql\nCREATE TABLE metrics (id int PRIMARY KEY, code varchar(10), other int);\n\
                 {schema}\n-- file: 003_change.sql\n{change}\n"
            ),
        )
    }

    #[test]
    fn binary_coercible_changes_that_recheck_or_rebuild_are_reported() {
        let text = "ALTER TABLE metrics ALTER COLUMN code TYPE text;";
        let found = on_metrics(
            "ALTER TABLE metrics ADD CONSTRAINT code_ck CHECK (length(code) > 0);\n\
             CREATE INDEX metrics_lower ON metrics (lower(code));\n\
             CREATE INDEX metrics_partial ON metrics (id) WHERE code <> 'x';\n\
             CREATE INDEX metrics_code ON metrics (code);",
            text,
        );
        assert_eq!(found.len(), 1);
        let m = &found[0].message;
        assert!(m.contains("keeps the rows"), "{m}");
        assert!(m.contains("CHECK constraint code_ck"), "{m}");
        assert!(m.contains("indexes metrics_lower, metrics_partial"), "{m}");
        assert!(!m.contains("metrics_code,") && !m.contains("metrics_code "), "a plain index is kept: {m}");
        // Each dependent alone is enough, and so is a longer varchar or the same type.
        let check = "ALTER TABLE metrics ADD CONSTRAINT code_ck CHECK (code <> '');";
        assert_eq!(on_metrics(check, text).len(), 1);
        assert_eq!(on_metrics(check, "ALTER TABLE metrics ALTER COLUMN code TYPE varchar(20);").len(), 1);
        assert_eq!(on_metrics(check, "ALTER TABLE metrics ALTER COLUMN code TYPE varchar(10);").len(), 1);
        assert_eq!(on_metrics("CREATE INDEX e ON metrics (lower(code));", text).len(), 1);
        assert_eq!(on_metrics("CREATE INDEX e ON metrics (id) WHERE code <> 'x';", text).len(), 1);
        assert_eq!(on_metrics("CREATE INDEX e ON metrics (code) WHERE other > 0;", text).len(), 1);
        assert_eq!(on_metrics("CREATE INDEX e ON metrics (code, (other + 1));", text).len(), 1);
    }

    #[test]
    fn dependents_that_stay_as_they_are_are_not_reported() {
        let text = "ALTER TABLE metrics ALTER COLUMN code TYPE text;";
        // A CHECK on another column, a NOT VALID one, plain indexes, an expression index on another column,
        // a unique constraint.
        assert_eq!(on_metrics("ALTER TABLE metrics ADD CONSTRAINT ck CHECK (other > 0);", text).len(), 0);
        assert_eq!(on_metrics("ALTER TABLE metrics ADD CONSTRAINT ck CHECK (code <> '') NOT VALID;", text).len(), 0);
        assert_eq!(on_metrics("CREATE INDEX e ON metrics (other, code) INCLUDE (id);", text).len(), 0);
        assert_eq!(on_metrics("CREATE INDEX e ON metrics ((other + 1));", text).len(), 0);
        assert_eq!(on_metrics("ALTER TABLE metrics ADD CONSTRAINT u UNIQUE (code);", text).len(), 0);
    }

    #[test]
    fn new_tables_are_fine() {
        assert_eq!(count("CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a TYPE bigint;"), 0);
    }

    #[test]
    fn numeric_and_time_precision() {
        let t = |name: &str, mods: &[i64]| TypeRef { mods: mods.to_vec(), ..TypeRef::builtin(name) };
        assert!(catalog_only(&t("numeric", &[10, 2]), &t("numeric", &[12, 2])));
        assert!(!catalog_only(&t("numeric", &[10, 2]), &t("numeric", &[12, 3])));
        assert!(catalog_only(&t("numeric", &[10, 2]), &t("numeric", &[])));
        assert!(!catalog_only(&t("numeric", &[]), &t("numeric", &[10, 2])));
        assert!(catalog_only(&t("timestamptz", &[3]), &t("timestamptz", &[6])));
        assert!(!catalog_only(&t("int4", &[]), &t("int8", &[])));
        assert!(!catalog_only(&t("timestamp", &[]), &t("timestamptz", &[])));
    }

    #[test]
    fn typed_tables_of_a_composite_type_are_rewritten() {
        let sql = "-- file: 002_line.sql\n\
                   CREATE TYPE line AS (sku text, qty int);\n\
                   CREATE TABLE order_lines OF line;\n\
                   -- file: 003_retype.sql\n\
                   ALTER TYPE line ALTER ATTRIBUTE qty TYPE bigint CASCADE;\n";
        let found = crate::rules::tests::findings(&super::RULE, sql);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("(order_lines)"), "{}", found[0].message);
    }
}
