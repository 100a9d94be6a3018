//! A destructive change in a migration that has no rollback.

use std::sync::Arc;

use imbl::ordmap::DiffItem;

use sqlparser::ast::{AlterColumnOperation, AlterTableOperation, Statement};

use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::model::{Catalog, Table};
use crate::catalog::names::{quote_ident, relation_name};
use crate::diagnostic::Severity;
use crate::migrations::{self, PlanOptions, Scheme};
use crate::sql::alter_table::AlterPart;
use crate::sql::parse::Parsed;

pub const RULE: Rule = Rule {
    id: "missing-rollback",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Convention,
    summary: "A migration that drops or rewrites something has no rollback",
    why: "The SOP asks for a rollback file next to every complex migration, and a backup before destructive \
          ones: when a release that dropped a column or a table, or changed a column's type, has to be undone, \
          the rollback should be written and tested already, not improvised during the incident. The rule \
          reads the schema before and after each statement, so it reports what really goes away — a DROP … \
          CASCADE, a DO block, a type change — and not what was created earlier in the same file. It reports \
          the first destructive statement of a migration once, and only in folders whose naming scheme has \
          rollbacks: `NNN_name_rollback.sql`, golang-migrate's and sqlx's `.down.sql`, Flyway's `U` files, \
          goose's `-- +goose Down` and dbmate's `-- migrate:down` sections.",
    setup: "CREATE TABLE IF NOT EXISTS orders (id bigint PRIMARY KEY, legacy_code text);",
    bad: "-- file: 002_drop_legacy_code.sql\n\
          ALTER TABLE orders DROP COLUMN IF EXISTS legacy_code;\n",
    good: "-- file: 002_drop_legacy_code.sql\n\
           ALTER TABLE orders DROP COLUMN IF EXISTS legacy_code;\n\
           -- file: 002_drop_legacy_code_rollback.sql\n\
           ALTER TABLE orders ADD COLUMN IF NOT EXISTS legacy_code text;\n",
    fix: "Write the rollback file the scheme expects (the message names it) that recreates what the migration \
          removes, and keep a backup of the data it cannot recreate. `rollback-mismatch` then checks that the \
          rollback restores the schema.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    if cx.file.has_rollback || !cx.applied || !may_destroy(cx.parsed) {
        return;
    }
    let lost = losses(cx.before, cx.after, &cx.file.start);
    let Some(first) = lost.first() else { return };
    // Once per migration: at its first destructive statement.
    if !losses(&cx.file.start, cx.before, &cx.file.start).is_empty() {
        return;
    }
    let Some(rollback) = rollback_name(cx.file.name, cx.file.text) else { return };
    let more = match lost.len() {
        1 => String::new(),
        n => format!(" (and {} more)", n - 1),
    };
    let base = base_name(cx.file.name);
    out.push(
        Finding::new(format!(
            "this statement {first}{more}, and {base} has no rollback ({rollback}): undoing the release would mean writing one during the incident"
        ))
        .help(format!("Write {rollback} to restore what this migration removes, and back up the data it cannot restore.")),
    );
}

/// Whether the statement is of a kind that can remove something (the catalog comparison is not free).
fn may_destroy(parsed: &Parsed) -> bool {
    let alter = |s: &Statement| match s {
        Statement::AlterTable(at) => at.operations.iter().any(|op| {
            matches!(
                op,
                AlterTableOperation::DropColumn { .. }
                    | AlterTableOperation::DropConstraint { .. }
                    | AlterTableOperation::DropPrimaryKey { .. }
                    | AlterTableOperation::DropForeignKey { .. }
                    | AlterTableOperation::DropIndex { .. }
                    | AlterTableOperation::AlterColumn { op: AlterColumnOperation::SetDataType { .. }, .. }
            )
        }),
        _ => false,
    };
    match parsed {
        Parsed::Statement(s, _) => {
            alter(s)
                || matches!(
                    &**s,
                    Statement::Drop { .. }
                        | Statement::DropFunction(_)
                        | Statement::DropDomain(_)
                        | Statement::DropExtension(_)
                        | Statement::DropTrigger(_)
                        | Statement::DropPolicy(_)
                        | Statement::DropProcedure { .. }
                )
        }
        Parsed::AlterTableParts { parts, .. } => parts.iter().any(|p| matches!(p, AlterPart::Parsed(s) if alter(s))),
        Parsed::Do { .. } => true,
        _ => false,
    }
}

fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// Where the rollback of migration `name` goes, or `None` when its naming scheme has no rollbacks.
fn rollback_name(name: &str, text: &str) -> Option<String> {
    let base = base_name(name);
    let plan = migrations::plan(&[(base, text)], &PlanOptions::default());
    match plan.scheme? {
        Scheme::Goose => Some("a `-- +goose Down` section".into()),
        Scheme::Dbmate => Some("a `-- migrate:down` section".into()),
        _ => migrations::next_rollback_name(&plan, base),
    }
}

/// What goes away between `from` and `to`, among the objects that existed in `start` (the schema when the
/// file began): tables, columns, column types, and other objects. Only the parts of the catalogs that
/// differ are visited (the maps share everything else), so this is cheap on every statement.
pub(super) fn losses(from: &Catalog, to: &Catalog, start: &Catalog) -> Vec<String> {
    let mut out = Vec::new();
    // By OID: a renamed table is the same table.
    let find = |c: &Catalog, t: &Table| -> Option<Arc<Table>> {
        if c.had_table_oid(t.oid) { c.table_with_oid(t.oid, &t.name).cloned() } else { None }
    };
    let mut gone_tables = Vec::new();
    for item in from.tables.diff(&to.tables) {
        let (name, t) = match item {
            DiffItem::Remove(name, t) | DiffItem::Update { old: (name, t), .. } => (name, t),
            DiffItem::Add(..) => continue,
        };
        let Some(at_start) = find(start, t) else { continue };
        let Some(now) = find(to, t) else {
            out.push(format!("drops table {} and all its rows", relation_name(name)));
            gone_tables.push(name.clone());
            continue;
        };
        if Arc::ptr_eq(&now, t) {
            continue;
        }
        let shown = relation_name(name);
        for c in &t.columns {
            if !at_start.columns.iter().any(|s| s.attnum == c.attnum) {
                continue;
            }
            match now.columns.iter().find(|n| n.attnum == c.attnum) {
                None => out.push(format!("drops column {shown}.{} and its data", quote_ident(&c.name))),
                Some(n) if n.ty != c.ty => out.push(format!(
                    "changes the type of {shown}.{} from {} to {}",
                    quote_ident(&c.name),
                    c.ty.display(),
                    n.ty.display()
                )),
                Some(_) => {}
            }
        }
        let kept = |what: &str, name: &str, present: bool, was: bool| {
            (was && !present).then(|| format!("drops {what} {} on {shown}", quote_ident(name)))
        };
        for c in &t.constraints {
            out.extend(kept(
                "constraint",
                &c.name,
                now.constraint(&c.name).is_some(),
                at_start.constraint(&c.name).is_some(),
            ));
        }
        for tr in &t.triggers {
            let has = |x: &Table| x.triggers.iter().any(|y| y.name == tr.name);
            out.extend(kept("trigger", &tr.name, has(&now), has(&at_start)));
        }
        for p in &t.policies {
            let has = |x: &Table| x.policies.iter().any(|y| y.name == p.name);
            out.extend(kept("policy", &p.name, has(&now), has(&at_start)));
        }
    }
    for item in from.indexes.diff(&to.indexes) {
        if let DiffItem::Remove(name, i) = item
            && i.constraint.is_none()
            && !gone_tables.contains(&i.table)
            && start.indexes.contains_key(name)
        {
            out.push(format!("drops index {}", relation_name(name)));
        }
    }
    for item in from.views.diff(&to.views) {
        if let DiffItem::Remove(name, v) = item
            && start.views.contains_key(name)
        {
            let what = if v.materialized { "materialized view" } else { "view" };
            out.push(format!("drops {what} {}", relation_name(name)));
        }
    }
    for item in from.sequences.diff(&to.sequences) {
        if let DiffItem::Remove(name, s) = item {
            let owner_gone = s.owned_by.as_ref().is_some_and(|(t, _)| gone_tables.contains(t));
            if !owner_gone && start.sequences.contains_key(name) {
                out.push(format!("drops sequence {}", relation_name(name)));
            }
        }
    }
    for item in from.types.diff(&to.types) {
        if let DiffItem::Remove(name, _) = item
            && start.types.contains_key(name)
        {
            out.push(format!("drops type {}", relation_name(name)));
        }
    }
    for item in from.functions.diff(&to.functions) {
        let (name, list) = match item {
            DiffItem::Remove(name, list) | DiffItem::Update { old: (name, list), .. } => (name, list),
            DiffItem::Add(..) => continue,
        };
        for f in list.iter() {
            let was = start.functions.get(name).is_some_and(|l| l.iter().any(|s| s.arg_types == f.arg_types));
            let is = to.functions.get(name).is_some_and(|l| l.iter().any(|s| s.arg_types == f.arg_types));
            if was && !is {
                out.push(format!("drops function {}({})", relation_name(name), f.arg_types.join(", ")));
            }
        }
    }
    for item in from.schemas.diff(&to.schemas) {
        if let DiffItem::Remove(name, _) = item
            && start.schemas.contains_key(name)
        {
            out.push(format!("drops schema {} and everything in it", quote_ident(name)));
        }
    }
    for item in from.extensions.diff(&to.extensions) {
        if let DiffItem::Remove(name, _) = item
            && start.extensions.contains_key(name)
        {
            out.push(format!("drops extension {}", quote_ident(name)));
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
    fn what_the_schema_loses_is_named() {
        let got = found("-- file: 002_retype.sql\nALTER TABLE orders ALTER COLUMN legacy_code TYPE varchar(20);");
        assert!(
            got[0].contains("changes the type of orders.legacy_code from text to character varying(20)"),
            "{got:?}"
        );
        assert!(got[0].contains("002_retype_rollback.sql"), "{got:?}");
        let got = found("-- file: 002_drop.sql\nDROP TABLE orders CASCADE;");
        assert!(got[0].contains("drops table orders"), "{got:?}");
    }

    #[test]
    fn once_per_migration_and_not_for_objects_of_the_same_file() {
        let got = found("-- file: 002_x.sql\nALTER TABLE orders DROP COLUMN legacy_code;\nDROP TABLE orders;");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(found("-- file: 002_x.sql\nCREATE TABLE IF NOT EXISTS tmp (id int);\nDROP TABLE tmp;").is_empty());
        assert!(found("-- file: 002_x.sql\nDROP TABLE IF EXISTS never_existed;").is_empty());
    }

    #[test]
    fn schemes_without_rollbacks_are_left_alone() {
        let sql = "-- file: 0002-drop.sql\nALTER TABLE orders DROP COLUMN legacy_code;";
        let files = vec![
            crate::analysis::SourceFile::new("0001-setup.sql", RULE.setup),
            crate::analysis::SourceFile::new("0002-drop.sql", sql),
        ];
        let options = crate::analysis::Options { rules: crate::rules::RuleConfig::only(RULE.id), ..Default::default() };
        let a = crate::analysis::analyze(files, &options);
        assert!(a.diagnostics.iter().all(|d| d.rule != RULE.id), "{:?}", a.diagnostics);
    }

    #[test]
    fn rollback_names_follow_the_scheme() {
        assert_eq!(rollback_name("db/011_x.sql", "").as_deref(), Some("011_x_rollback.sql"));
        assert_eq!(rollback_name("000011_x.up.sql", "").as_deref(), Some("000011_x.down.sql"));
        assert_eq!(rollback_name("V11__x.sql", "").as_deref(), Some("U11__x.sql"));
        assert_eq!(
            rollback_name("011_x.sql", "-- +goose Up\nSELECT 1;").as_deref(),
            Some("a `-- +goose Down` section")
        );
    }
}
