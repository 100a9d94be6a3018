//! A rollback that does not bring the schema back to what it was before its migration.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::{Check, Family, Finding, FolderCx, Rule};
use crate::analysis::run_section;
use crate::catalog::model::{Catalog, MapExt, Table};
use crate::diagnostic::Severity;
use crate::diff::{Change, ChangeKind};
use crate::migrations::Role;
use crate::span::Span;
use crate::sql::split::{self, PieceKind};

pub const RULE: Rule = Rule {
    id: "rollback-mismatch",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Convention,
    summary: "A rollback that fails, or does not bring the schema back to what it was before its migration",
    why: "A rollback is only tested the day it is needed. The engine runs each migration and then its rollback \
          (`NNN_name_rollback.sql`, `.down.sql`, Flyway's `U` file, goose's or dbmate's down section) on the \
          schema the migration left, and compares the result with the schema before the migration, object by \
          object: a column the rollback forgets to drop, a table it drops but the migration only altered, an \
          index it does not recreate, a column that comes back with another type or default, a rename it does \
          not undo. A rollback that PostgreSQL would reject is reported at the failing statement, with \
          PostgreSQL's message. Objects are matched by name, so a table or column dropped and created again \
          counts as restored (column order aside). Deployed migrations are not checked.",
    setup: "CREATE TABLE IF NOT EXISTS orders (id bigint PRIMARY KEY);",
    bad: "-- file: 002_add_order_totals.sql\n\
          ALTER TABLE orders ADD COLUMN IF NOT EXISTS total numeric(12,2) NOT NULL DEFAULT 0;\n\
          CREATE INDEX IF NOT EXISTS idx_orders_total ON orders (total);\n\
          -- file: 002_add_order_totals_rollback.sql\n\
          DROP INDEX IF EXISTS idx_orders_total;\n",
    good: "-- file: 002_add_order_totals.sql\n\
           ALTER TABLE orders ADD COLUMN IF NOT EXISTS total numeric(12,2) NOT NULL DEFAULT 0;\n\
           CREATE INDEX IF NOT EXISTS idx_orders_total ON orders (total);\n\
           -- file: 002_add_order_totals_rollback.sql\n\
           DROP INDEX IF EXISTS idx_orders_total;\n\
           ALTER TABLE orders DROP COLUMN IF EXISTS total;\n",
    fix: "Make the rollback undo exactly what its migration does, in reverse order: drop what the migration \
          creates, recreate what it drops (with the same definition), rename back what it renames, and change \
          types and defaults back.",
    check: Check::Folder(check),
};

fn check(cx: &FolderCx<'_>, out: &mut Vec<Finding>) {
    let a = cx.analysis;
    let forward: Vec<_> = a.plan.forward.iter().filter(|m| m.role == Role::Forward).collect();
    for (i, result) in a.migrations.iter().enumerate() {
        let Some(m) = forward.get(i) else { continue };
        let Some(version) = &m.version else { continue };
        if !result.ok || super::not_idempotent::deployed(cx.options, Some(version)) {
            continue;
        }
        let Some(rollback) = a.plan.rollback_of(version) else { continue };
        let before = if i == 0 { &a.initial } else { &a.migrations[i - 1].catalog };
        let (restored, errors) = run_section(a, rollback, &result.catalog, cx.options);
        let forward_name = base(&result.name);
        let rollback_name = base(&rollback.name);
        if let Some((span, message)) = errors.into_iter().next() {
            out.push(
                Finding::new(format!("the rollback fails after {forward_name}: {message}"))
                    .help("Fix the rollback so that it runs on the schema its migration leaves.")
                    .at(span),
            );
            continue;
        }
        let at = first_statement(a, rollback);
        let aligned = align(before, &restored);
        let (before, aligned) = without_shared_tables(before, aligned);
        for change in crate::diff::changes(&before, &aligned) {
            out.push(
                Finding::new(describe(&change, forward_name, rollback_name))
                    .help("Make the rollback undo exactly what its migration does.")
                    .at(at),
            );
        }
    }
}

fn base(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// The first statement of the rollback, or its start when it has none.
fn first_statement(a: &crate::analysis::Analysis, section: &crate::migrations::MigrationFile) -> Span {
    let text = a.files.get(section.file as usize).map_or("", |f| f.text.as_ref());
    split::split_range(text, section.body.clone())
        .into_iter()
        .find(|p| p.kind == PieceKind::Statement)
        .map_or(Span::new(section.file, section.body.start, section.body.start), |p| {
            Span::new(section.file, p.start, p.end)
        })
}

fn describe(c: &Change, forward: &str, rollback: &str) -> String {
    let what = match &c.table {
        Some(t) if c.object == "column" => format!("column {t}.{}", c.name),
        Some(t) => format!("{} {} on {t}", c.object, c.name),
        None => format!("{} {}", c.object, c.name),
    };
    let one_line = |s: &Option<String>| {
        let s = s.as_deref().unwrap_or("");
        let first = s.lines().next().unwrap_or("");
        if s.lines().nth(1).is_some() { format!("{first} …") } else { first.to_string() }
    };
    match c.kind {
        ChangeKind::Added => {
            format!("after {forward} and {rollback}, {what} is left behind: it did not exist before {forward}")
        }
        ChangeKind::Removed => {
            format!("after {forward} and {rollback}, {what} is missing: it existed before {forward}")
        }
        ChangeKind::Altered => format!(
            "after {forward} and {rollback}, {what} is not restored: it was `{}` before {forward}, and is `{}` after the rollback",
            one_line(&c.before),
            one_line(&c.after)
        ),
        ChangeKind::Renamed => format!(
            "after {forward} and {rollback}, {} {} is still named {}: the rollback does not rename it back",
            c.object,
            c.before.as_deref().unwrap_or(""),
            c.after.as_deref().unwrap_or("")
        ),
    }
}

/// Both catalogs without the tables they share (the same `Arc`): those cannot differ, and describing
/// them is most of what a comparison costs. Indexes, functions and the rest stay.
fn without_shared_tables(before: &Catalog, mut after: Catalog) -> (Catalog, Catalog) {
    let mut before = before.clone();
    let shared: Vec<crate::catalog::QualName> = before
        .tables
        .iter()
        .filter(|(name, t)| after.tables.get(*name).is_some_and(|a| Arc::ptr_eq(a, t)))
        .map(|(name, _)| name.clone())
        .collect();
    for name in shared {
        before.tables.remove(&name);
        after.tables.remove(&name);
    }
    (before, after)
}

/// `after` with tables and columns that have a namesake in `before` given that namesake's OID and column
/// number: a table dropped and created again is the same table to a reader of the schema.
fn align(before: &Catalog, after: &Catalog) -> Catalog {
    let mut out = after.clone();
    let taken_oids: BTreeSet<u32> =
        out.tables.iter().filter_map(|(name, _)| before.tables.get(name).map(|b| b.oid)).collect();
    let mut fresh_oid = u32::MAX;
    let unchanged = |t: &Arc<Table>| before.tables.get(&t.name).is_some_and(|b| Arc::ptr_eq(b, t));
    out.tables.update_where(
        |t| !unchanged(t),
        |t| {
            match before.tables.get(&t.name) {
                Some(b) if b.oid != t.oid => Arc::make_mut(t).oid = b.oid,
                Some(_) => {}
                None if taken_oids.contains(&t.oid) => {
                    Arc::make_mut(t).oid = fresh_oid;
                    fresh_oid -= 1;
                }
                None => {}
            }
            let Some(b) = before.tables.get(&t.name) else { return };
            let taken: BTreeSet<u32> = t.columns.iter().filter_map(|c| b.column(&c.name).map(|bc| bc.attnum)).collect();
            let mut fresh = u32::MAX;
            let needs = t.columns.iter().any(|c| match b.column(&c.name) {
                Some(bc) => bc.attnum != c.attnum,
                None => taken.contains(&c.attnum),
            });
            if !needs {
                return;
            }
            for c in &mut Arc::make_mut(t).columns {
                let c = Arc::make_mut(c);
                match b.column(&c.name) {
                    Some(bc) => c.attnum = bc.attnum,
                    None if taken.contains(&c.attnum) => {
                        c.attnum = fresh;
                        fresh -= 1;
                    }
                    None => {}
                }
            }
        },
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(sql: &str) -> Vec<String> {
        super::super::tests::findings(&RULE, sql).into_iter().map(|d| String::from(d.message)).collect()
    }

    #[test]
    fn a_forgotten_column_is_left_behind() {
        let got = found(RULE.bad);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("column orders.total is left behind"), "{got:?}");
    }

    #[test]
    fn dropped_and_recreated_objects_count_as_restored() {
        let sql = "-- file: 002_drop.sql\nDROP TABLE IF EXISTS orders;\n-- file: 002_drop_rollback.sql\nCREATE TABLE IF NOT EXISTS orders (id bigint PRIMARY KEY);\n";
        assert!(found(sql).is_empty(), "{:?}", found(sql));
        let sql = "-- file: 002_x.sql\nALTER TABLE orders ADD COLUMN IF NOT EXISTS a int, ADD COLUMN IF NOT EXISTS b int;\n\
                   -- file: 003_y.sql\nALTER TABLE orders DROP COLUMN IF EXISTS a;\n\
                   -- file: 003_y_rollback.sql\nALTER TABLE orders ADD COLUMN IF NOT EXISTS a int;\n";
        assert!(found(sql).is_empty(), "{:?}", found(sql));
    }

    #[test]
    fn what_differs_is_named() {
        let sql = "-- file: 002_x.sql\nALTER TABLE orders ALTER COLUMN id TYPE numeric;\nALTER TABLE orders RENAME TO purchases;\n\
                   -- file: 002_x_rollback.sql\nSELECT 1;\n";
        let got = found(sql);
        assert!(got.iter().any(|m| m.contains("table orders is still named purchases")), "{got:?}");
        assert!(got.iter().any(|m| m.contains("was `bigint NOT NULL`")), "{got:?}");
    }

    #[test]
    fn a_failing_rollback_is_reported_where_it_fails() {
        let sql = "-- file: 002_x.sql\nALTER TABLE orders ADD COLUMN IF NOT EXISTS a int;\n\
                   -- file: 002_x_rollback.sql\nALTER TABLE orders DROP COLUMN b;\n";
        let got = found(sql);
        assert_eq!(
            got,
            vec!["the rollback fails after 002_x.sql: column \"b\" of relation \"orders\" does not exist".to_string()]
        );
    }

    #[test]
    fn goose_down_sections_are_rollbacks() {
        let files = vec![
            crate::analysis::SourceFile::new(
                "001_setup.sql",
                format!("-- +goose Up\n{}\n-- +goose Down\nDROP TABLE orders;\n", RULE.setup),
            ),
            crate::analysis::SourceFile::new(
                "002_total.sql",
                "-- +goose Up\nALTER TABLE orders ADD COLUMN total int;\n-- +goose Down\nSELECT 1;\n",
            ),
        ];
        let options = crate::analysis::Options { rules: crate::rules::RuleConfig::only(RULE.id), ..Default::default() };
        let a = crate::analysis::analyze(files, &options);
        let mine: Vec<_> = a.diagnostics.iter().filter(|d| d.rule == RULE.id).collect();
        assert_eq!(mine.len(), 1, "{mine:?}");
        assert!(mine[0].message.contains("column orders.total is left behind"));
        assert_eq!(mine[0].span.file, 1);
    }
}
