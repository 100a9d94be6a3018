//! A foreign key column whose type differs from the referenced column's (integer → bigint, varchar(50)
//! → text): PostgreSQL accepts it, but the two sides hold different values.

use super::schema_facts::{self, Step};
use super::{Check, Family, Finding, FolderCx, Rule};
use crate::catalog::model::{Catalog, ConstraintKind, ForeignKey, Table};
use crate::catalog::names::{quote_ident, relation_name};
use crate::catalog::types::TypeRef;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "foreign-key-type-mismatch",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Schema,
    summary: "A foreign key column whose type differs from the column it references",
    why: "PostgreSQL accepts a foreign key between different types when it can compare them: integer \
          referencing bigint, smallint referencing integer, varchar(50) referencing text, numeric(10,2) \
          referencing numeric(12,2). The two columns then hold different sets of values: once the referenced \
          ids pass 2147483647, an integer column cannot reference the new rows and inserts fail in \
          production; a varchar(50) column cannot reference a longer key. Every check and every join compares \
          across types, and the mismatch is usually an accident: a key widened to bigint while the columns \
          that reference it were forgotten.\n\n\
          The rule judges each migration as a whole (a migration that widens a key and then the columns that \
          reference it is fine) and reports where the mismatch appears: where the foreign key is created, or \
          where one of the two columns changes type. It stays quiet when a later migration aligns the types. \
          `varchar` without a length and `text` count as the same type. Types PostgreSQL cannot compare at \
          all (uuid and text) are errors the simulator already reports.",
    setup: "CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);",
    bad: "CREATE TABLE orders (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    \
          customer_id integer NOT NULL REFERENCES customers (id)\n);\nCREATE INDEX orders_customer_id_idx ON orders (customer_id);\n",
    good: "CREATE TABLE orders (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    \
           customer_id bigint NOT NULL REFERENCES customers (id)\n);\nCREATE INDEX orders_customer_id_idx ON orders (customer_id);\n",
    fix: "Give the referencing column the referenced column's type: in the CREATE TABLE when the migration \
          creates the table, else `ALTER TABLE orders ALTER COLUMN customer_id TYPE bigint;` (which rewrites \
          the table under an ACCESS EXCLUSIVE lock: plan it like any type change). When you widen a key, widen \
          every column that references it in the same migration.",
    check: Check::Folder(check),
};

/// One pair of columns whose types differ.
#[derive(Clone, Debug, PartialEq)]
struct Pair {
    column: String,
    ty: TypeRef,
    ref_column: String,
    ref_ty: TypeRef,
}

/// Whether a foreign key between these types is a mismatch worth reporting.
fn differ(a: &TypeRef, b: &TypeRef) -> bool {
    // varchar without a length and text are one type under two names.
    let plain =
        |t: &TypeRef| !t.array && t.schema.is_none() && (t.is("text") || (t.is("varchar") && t.mods.is_empty()));
    a != b && !(plain(a) && plain(b))
}

/// The mismatched column pairs of the foreign key `name` of the table `oid`, empty when it has none
/// (or does not exist).
fn mismatches(catalog: &Catalog, oid: u32, name: &str) -> Vec<Pair> {
    let Some((table, fk)) = schema_facts::foreign_key(catalog, oid, name) else { return Vec::new() };
    pairs_of(catalog, table, fk)
}

/// The column pairs of `fk` (a foreign key of `table`) whose types differ.
fn pairs_of(catalog: &Catalog, table: &Table, fk: &ForeignKey) -> Vec<Pair> {
    let Some(referenced) = catalog.table(&fk.ref_table) else { return Vec::new() };
    fk.columns
        .iter()
        .zip(&fk.ref_columns)
        .filter_map(|(c, r)| {
            let (a, b) = (table.column(c)?, referenced.column(r)?);
            differ(&a.ty, &b.ty).then(|| Pair {
                column: c.clone(),
                ty: a.ty.clone(),
                ref_column: r.clone(),
                ref_ty: b.ty.clone(),
            })
        })
        .collect()
}

fn check(cx: &FolderCx<'_>, out: &mut Vec<Finding>) {
    let steps = schema_facts::steps(cx);
    let last = schema_facts::final_catalog(cx);
    for table in last.tables.values().filter(|t| cx.judges(t.oid)) {
        for c in &table.constraints {
            let ConstraintKind::ForeignKey(fk) = &c.kind else { continue };
            // A partition's copy of its parent's key is judged with the parent's.
            if c.parent.is_some() {
                continue;
            }
            let pairs = pairs_of(last, table, fk);
            if pairs.is_empty() {
                continue;
            }
            let Some(step) = schema_facts::became_true(&steps, |cat| mismatches(cat, table.oid, &c.name) == pairs)
            else {
                continue;
            };
            if !step.deployed {
                out.extend(finding(cx, step, table.oid, &c.name, &pairs).map(|f| f.on_table(table)));
            }
        }
    }
}

/// The integer types by width, and the largest value each holds.
fn int_width(t: &TypeRef) -> Option<(u8, &'static str)> {
    match t.name.as_str() {
        _ if t.array || t.schema.is_some() => None,
        "int2" => Some((2, "32767")),
        "int4" => Some((4, "2147483647")),
        "int8" => Some((8, "9223372036854775807")),
        _ => None,
    }
}

/// What the mismatch does, after a colon.
fn consequence(p: &Pair, referenced: &str) -> String {
    if let (Some((a, max)), Some((b, _))) = (int_width(&p.ty), int_width(&p.ref_ty)) {
        return if a < b {
            format!(
                "rows of {referenced} with ids above {max} cannot be referenced, and every check compares across types"
            )
        } else {
            "the column is wider than any key it can hold, and every check compares across types".to_string()
        };
    }
    let limit = |t: &TypeRef| if t.is("varchar") || t.is("bpchar") { t.mods.first().copied() } else { None };
    if let Some(n) = limit(&p.ty)
        && limit(&p.ref_ty).is_none_or(|m| m > n)
    {
        return format!("keys of {referenced} longer than {n} characters cannot be referenced");
    }
    "the two columns hold different values and every check compares across types".to_string()
}

fn finding(cx: &FolderCx<'_>, step: &Step<'_>, oid: u32, name: &str, pairs: &[Pair]) -> Option<Finding> {
    let (table, fk) = schema_facts::foreign_key(step.after, oid, name)?;
    let p = pairs.first()?;
    let referenced = relation_name(&fk.ref_table);
    let t = relation_name(&table.name);
    let message = format!(
        "foreign key {} on {t}: {t}.{} is {} but {referenced}.{} is {}: {}",
        quote_ident(name),
        quote_ident(&p.column),
        p.ty.display(),
        quote_ident(&p.ref_column),
        p.ref_ty.display(),
        consequence(p, &referenced)
    );
    let new_table = !step.before.had_table_oid(oid);
    let help = if new_table {
        format!("Declare {} as {} in the CREATE TABLE.", quote_ident(&p.column), p.ref_ty.display())
    } else {
        format!(
            "Give the column the referenced column's type: ALTER TABLE {t} ALTER COLUMN {} TYPE {};",
            quote_ident(&p.column),
            p.ref_ty.display()
        )
    };
    let at = match schema_facts::foreign_key(step.before, oid, name) {
        // New in this migration: where it is declared.
        None => {
            let origin = table.constraint(name)?.origin.created;
            if origin.file != step.file {
                return None;
            }
            schema_facts::fk_span(origin, schema_facts::text_of(cx, origin), name, fk)
        }
        // A column changed type in this migration: that statement.
        Some((old_table, _)) => {
            let referencing = table.column(&p.column)?;
            let old_ty = old_table.column(&p.column).map(|c| &c.ty);
            let (span, column) = if old_ty != Some(&referencing.ty) {
                (referencing.origin.changed, &p.column)
            } else {
                let r = step.after.table(&fk.ref_table)?.column(&p.ref_column)?;
                (r.origin.changed, &p.ref_column)
            };
            if span.file != step.file {
                return None;
            }
            let text = schema_facts::text_of(cx, span);
            schema_facts::word_in(span, text, column).unwrap_or(span)
        }
    };
    Some(Finding::new(message).help(help).at(at))
}

#[cfg(test)]
mod tests {
    use super::super::tests::findings;
    use super::*;

    fn messages(sql: &str) -> Vec<String> {
        findings(&RULE, sql).into_iter().map(|d| String::from(d.message)).collect()
    }

    #[test]
    fn the_bad_example_names_both_types() {
        let m = messages(RULE.bad);
        assert_eq!(m.len(), 1);
        assert!(m[0].contains("orders.customer_id is integer but customers.id is bigint"), "{}", m[0]);
        assert!(m[0].contains("above 2147483647"), "{}", m[0]);
    }

    #[test]
    fn widening_the_key_without_the_references_is_reported_at_the_type_change() {
        let sql = "-- file: 002_orders.sql\nCREATE TABLE accounts (id integer PRIMARY KEY);\n\
                   CREATE TABLE invoices (id int PRIMARY KEY, account_id integer REFERENCES accounts);\n\
                   -- file: 003_widen.sql\nALTER TABLE accounts ALTER COLUMN id TYPE bigint;\n";
        let d = findings(&RULE, sql);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].span.file, 2);
        let text = sql.split("003_widen.sql\n").nth(1).unwrap_or("");
        assert_eq!(&text[d[0].span.range()], "id");
        let both = "-- file: 002_orders.sql\nCREATE TABLE accounts (id integer PRIMARY KEY);\n\
                    CREATE TABLE invoices (id int PRIMARY KEY, account_id integer REFERENCES accounts);\n\
                    -- file: 003_widen.sql\nALTER TABLE accounts ALTER COLUMN id TYPE bigint;\n\
                    ALTER TABLE invoices ALTER COLUMN account_id TYPE bigint;\n";
        assert!(messages(both).is_empty());
    }

    #[test]
    fn a_later_migration_that_aligns_the_types_settles_it() {
        let sql = "-- file: 002_a.sql\nCREATE TABLE orders (id int PRIMARY KEY, customer_id integer REFERENCES customers);\n\
                   -- file: 003_b.sql\nALTER TABLE orders ALTER COLUMN customer_id TYPE bigint;\n";
        assert!(messages(sql).is_empty());
    }

    #[test]
    fn lengths_and_text() {
        let setup = "CREATE TABLE codes (code varchar(20) PRIMARY KEY, name text UNIQUE, tag varchar UNIQUE);\n";
        let short = format!("{setup}CREATE TABLE uses (code varchar(10) REFERENCES codes (code));\n");
        let m = messages(&short);
        assert_eq!(m.len(), 1);
        assert!(m[0].contains("longer than 10 characters"), "{}", m[0]);
        let same = format!(
            "{setup}CREATE TABLE uses (name varchar REFERENCES codes (name), tag text REFERENCES codes (tag));\n"
        );
        assert!(messages(&same).is_empty());
        let wider = format!("{setup}CREATE TABLE uses (code text REFERENCES codes (code));\n");
        assert_eq!(messages(&wider).len(), 1);
    }

    #[test]
    fn matching_types_are_quiet() {
        let sql = "CREATE TABLE orders (id int PRIMARY KEY, customer_id bigint REFERENCES customers);\n";
        assert!(messages(sql).is_empty());
    }
}
