//! Statements that fail, or duplicate what they made, when a migration runs a second time.

use sqlparser::ast::{
    AlterTable, AlterTableOperation, AlterTypeOperation, ObjectName, ObjectType, SchemaName, Statement, TableConstraint,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::names::{self, quote_ident, relation_name};
use crate::catalog::{QualName, Table};
use crate::diagnostic::Severity;
use crate::span::{LineCol, LineIndex, Span};
use crate::sql::alter_table::{AlterPart, ManualAction};
use crate::sql::parse::Parsed;

pub const RULE: Rule = Rule {
    id: "prefer-robust-stmts",
    severity: Severity::Warning,
    default_on: true,
    family: Family::Convention,
    summary: "A statement that fails or duplicates its work when the migration runs a second time",
    why: "Migrations run more than once: on development databases again and again, and again after a run \
          that failed part way. The team's rule is that every migration file can run twice: CREATE … IF NOT \
          EXISTS, DROP … IF EXISTS, ADD COLUMN IF NOT EXISTS, CREATE OR REPLACE FUNCTION, DROP TRIGGER IF EXISTS \
          before CREATE TRIGGER, and a DO block with an existence check around what has no IF NOT EXISTS \
          (ADD CONSTRAINT, CREATE TYPE). Without them the second run stops at the first object that already \
          exists (or no longer exists), and an unnamed index or constraint is created once more on every run.\n\
          \n\
          Unlike squawk, the rule also reports files that run inside a transaction: a transaction undoes a \
          failed run, but not a successful one that runs again. It does not report statements that can run \
          twice as they are (ALTER COLUMN … SET NOT NULL, TYPE, SET DEFAULT, VALIDATE CONSTRAINT), which squawk \
          asks to wrap in a transaction. Objects created earlier in the same file may be dropped without IF \
          EXISTS: the second run creates them again first. DO blocks are taken as the author's guard; \
          `not-idempotent` checks what a second run really does.",
    setup: "CREATE TABLE IF NOT EXISTS orders (id bigint PRIMARY KEY, legacy_code text);\n\
            CREATE OR REPLACE FUNCTION update_updated_at_column() RETURNS trigger LANGUAGE plpgsql AS $$\n\
            BEGIN NEW.updated_at = now(); RETURN NEW; END $$;",
    bad: "CREATE TABLE notifications (id bigint PRIMARY KEY, order_id bigint NOT NULL);\n\
          CREATE INDEX idx_notifications_order_id ON notifications (order_id);\n\
          ALTER TABLE orders ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();\n\
          ALTER TABLE orders DROP COLUMN legacy_code;\n\
          CREATE TRIGGER update_orders_updated_at BEFORE UPDATE ON orders\n    \
              FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();\n\
          ALTER TABLE notifications ADD CONSTRAINT notifications_order_id_fkey\n    \
              FOREIGN KEY (order_id) REFERENCES orders (id);\n",
    good: "CREATE TABLE IF NOT EXISTS notifications (id bigint PRIMARY KEY, order_id bigint NOT NULL);\n\
           CREATE INDEX IF NOT EXISTS idx_notifications_order_id ON notifications (order_id);\n\
           ALTER TABLE orders ADD COLUMN IF NOT EXISTS updated_at timestamptz NOT NULL DEFAULT now();\n\
           ALTER TABLE orders DROP COLUMN IF EXISTS legacy_code;\n\
           DROP TRIGGER IF EXISTS update_orders_updated_at ON orders;\n\
           CREATE TRIGGER update_orders_updated_at BEFORE UPDATE ON orders\n    \
               FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();\n\
           DO $$\n\
           BEGIN\n    \
               IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'notifications_order_id_fkey') THEN\n        \
                   ALTER TABLE notifications ADD CONSTRAINT notifications_order_id_fkey\n            \
                       FOREIGN KEY (order_id) REFERENCES orders (id);\n    \
               END IF;\n\
           END $$;\n",
    fix: "Add the guard PostgreSQL offers: IF NOT EXISTS after CREATE TABLE, INDEX, SEQUENCE, SCHEMA, EXTENSION, \
          MATERIALIZED VIEW and ADD COLUMN, and after ALTER TYPE … ADD VALUE; IF EXISTS after DROP …, DROP COLUMN \
          and DROP CONSTRAINT; OR REPLACE for functions and views; `DROP TRIGGER IF EXISTS name ON table;` \
          (or `DROP POLICY IF EXISTS`) right before CREATE TRIGGER (CREATE POLICY). Wrap ADD CONSTRAINT in a DO \
          block that checks pg_constraint first, and CREATE TYPE or CREATE DOMAIN in a DO block with \
          `EXCEPTION WHEN duplicate_object THEN NULL`. Give indexes a name so that IF NOT EXISTS can find them. \
          A rename cannot run twice: guard it with a DO block that checks information_schema.columns, or \
          silence the rule on it. `check` shows each mechanical fix as a diff.",
    check: Check::Statement(check),
};

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    if !cx.applied {
        // PostgreSQL rejects it already; a guard would only hide that.
        return;
    }
    // Tokenized only when a finding needs a position.
    let toks = LazyToks { text: cx.text, cell: std::cell::OnceCell::new() };
    match cx.parsed {
        Parsed::Statement(stmt, _) => statement(cx, &toks, stmt, out),
        Parsed::AlterTableParts { parts, .. } => {
            let single = parts.len() == 1;
            for part in parts {
                match part {
                    AlterPart::Parsed(stmt) => {
                        if let Statement::AlterTable(at) = &**stmt {
                            alter_table(cx, &toks, at, single, out);
                        }
                    }
                    AlterPart::Manual(action) => manual(cx, &toks, action, out),
                }
            }
        }
        _ => {}
    }
}

fn statement(cx: &StatementCx<'_>, toks: &LazyToks<'_>, stmt: &Statement, out: &mut Vec<Finding>) {
    match stmt {
        Statement::CreateTable(ct) if !ct.if_not_exists && !ct.or_replace && !ct.temporary => {
            let q = cx.after.resolve(&ct.name);
            out.push(
                not_exists(
                    cx,
                    toks,
                    &["TABLE"],
                    "CREATE TABLE",
                    &relation_name(&q),
                    &format!("relation \"{}\" already exists", q.name),
                )
                .help("Write CREATE TABLE IF NOT EXISTS, so that a second run leaves the table alone."),
            );
        }
        Statement::CreateIndex(ci) if !ci.if_not_exists => create_index(cx, toks, ci, out),
        Statement::CreateSequence { if_not_exists: false, name, .. } => {
            let q = cx.after.resolve(name);
            out.push(
                not_exists(
                    cx,
                    toks,
                    &["SEQUENCE"],
                    "CREATE SEQUENCE",
                    &relation_name(&q),
                    &format!("relation \"{}\" already exists", q.name),
                )
                .help("Write CREATE SEQUENCE IF NOT EXISTS."),
            );
        }
        Statement::CreateSchema { if_not_exists: false, or_replace: false, schema_name, .. } => {
            let name = match schema_name {
                SchemaName::Simple(n) | SchemaName::NamedAuthorization(n, _) => names::object_name(n),
                SchemaName::UnnamedAuthorization(i) => names::fold(i),
            };
            out.push(
                not_exists(
                    cx,
                    toks,
                    &["SCHEMA"],
                    "CREATE SCHEMA",
                    &quote_ident(&name),
                    &format!("schema \"{name}\" already exists"),
                )
                .help("Write CREATE SCHEMA IF NOT EXISTS."),
            );
        }
        Statement::CreateExtension(ce) if !ce.if_not_exists => {
            let name = names::fold(&ce.name);
            out.push(
                not_exists(
                    cx,
                    toks,
                    &["EXTENSION"],
                    "CREATE EXTENSION",
                    &quote_ident(&name),
                    &format!("extension \"{name}\" already exists"),
                )
                .help("Write CREATE EXTENSION IF NOT EXISTS."),
            );
        }
        Statement::CreateView(cv) if !cv.or_replace && !cv.if_not_exists => {
            let q = cx.after.resolve(&cv.name);
            let pg = format!("relation \"{}\" already exists", q.name);
            if cv.materialized {
                out.push(
                    not_exists(cx, toks, &["VIEW"], "CREATE MATERIALIZED VIEW", &relation_name(&q), &pg)
                        .help("Write CREATE MATERIALIZED VIEW IF NOT EXISTS."),
                );
            } else {
                out.push(
                    or_replace(cx, toks, "CREATE VIEW", &relation_name(&q), &pg).help("Write CREATE OR REPLACE VIEW."),
                );
            }
        }
        Statement::CreateFunction(cf) if !cf.or_replace => {
            let q = cx.after.resolve(&cf.name);
            let what = if let Parsed::Statement(_, e) = cx.parsed
                && e.procedure
            {
                "CREATE PROCEDURE"
            } else {
                "CREATE FUNCTION"
            };
            let pg = format!("function \"{}\" already exists with same argument types", q.name);
            out.push(or_replace(cx, toks, what, &relation_name(&q), &pg).help(format!(
                "Write {} so that a second run replaces it.",
                what.replacen("CREATE", "CREATE OR REPLACE", 1)
            )));
        }
        Statement::CreateTrigger(ct) if !ct.or_replace => {
            let name = names::parts(&ct.name).last().cloned().unwrap_or_default();
            let table = cx.after.resolve(&ct.table_name);
            if dropped_before(cx, |s| match s {
                Statement::DropTrigger(dt) => {
                    names::parts(&dt.trigger_name).last() == Some(&name)
                        && dt.table_name.as_ref().is_some_and(|t| cx.resolve(t) == table)
                }
                _ => false,
            }) {
                return;
            }
            let drop = format!("DROP TRIGGER IF EXISTS {} ON {};\n", quote_ident(&name), relation_name(&table));
            out.push(
                Finding::new(format!(
                    "CREATE TRIGGER {} on {} fails when the migration runs again: trigger \"{name}\" for relation \"{}\" already exists",
                    quote_ident(&name),
                    relation_name(&table),
                    table.name
                ))
                .help("Drop the trigger with DROP TRIGGER IF EXISTS right before creating it, as the SOP's template does.")
                .at(name_span(cx, toks, "TRIGGER"))
                .fix("Add DROP TRIGGER IF EXISTS before it", at_start(cx), drop),
            );
        }
        Statement::CreatePolicy(cp) => {
            let name = names::fold(&cp.name);
            let table = cx.after.resolve(&cp.table_name);
            if dropped_before(cx, |s| match s {
                Statement::DropPolicy(dp) => names::fold(&dp.name) == name && cx.resolve(&dp.table_name) == table,
                _ => false,
            }) {
                return;
            }
            let drop = format!("DROP POLICY IF EXISTS {} ON {};\n", quote_ident(&name), relation_name(&table));
            out.push(
                Finding::new(format!(
                    "CREATE POLICY {} on {} fails when the migration runs again: policy \"{name}\" for table \"{}\" already exists",
                    quote_ident(&name),
                    relation_name(&table),
                    table.name
                ))
                .help("Drop the policy with DROP POLICY IF EXISTS right before creating it.")
                .at(name_span(cx, toks, "POLICY"))
                .fix("Add DROP POLICY IF EXISTS before it", at_start(cx), drop),
            );
        }
        Statement::CreateType { name, .. } => create_type(cx, name, "CREATE TYPE", out),
        Statement::CreateDomain(cd) => create_type(cx, &cd.name, "CREATE DOMAIN", out),
        Statement::AlterType(at) => {
            if let AlterTypeOperation::AddValue(add) = &at.operation
                && !add.if_not_exists
            {
                let q = cx.after.resolve(&at.name);
                let label = &add.value.value;
                let mut f = Finding::new(format!(
                    "ALTER TYPE {} ADD VALUE '{label}' fails when the migration runs again: enum label \"{label}\" already exists",
                    relation_name(&q)
                ))
                .help("Write ADD VALUE IF NOT EXISTS.");
                if let Some(i) = toks.find(&["ADD", "VALUE"]) {
                    let end = toks.0[i + 1].end;
                    f = f.at(cx.sub_span(toks.0[i].start, end)).fix(
                        "Add IF NOT EXISTS",
                        cx.sub_span(end, end),
                        " IF NOT EXISTS",
                    );
                }
                out.push(f);
            }
        }
        Statement::AlterTable(at) => alter_table(cx, toks, at, at.operations.len() == 1, out),
        Statement::Drop { object_type, if_exists: false, names, .. } => {
            let Some((what, kind)) = drop_kind(*object_type) else { return };
            let gone: Vec<&ObjectName> = names.iter().filter(|n| existed_at_start(cx, *object_type, n)).collect();
            let Some(first) = gone.first() else { return };
            let q = cx.resolve(first);
            drop_finding(cx, toks, what, &relation_name(&q), &format!("{kind} \"{}\" does not exist", q.name), out);
        }
        Statement::DropFunction(df) if !df.if_exists => {
            let Some(desc) = df.func_desc.iter().find(|d| cx.file.start.functions.contains_key(&cx.resolve(&d.name)))
            else {
                return;
            };
            let q = cx.resolve(&desc.name);
            let shown = relation_name(&q);
            let pg = match &desc.args {
                None => format!("could not find a function named \"{}\"", q.name),
                Some(args) => {
                    let types: Vec<String> = args.iter().map(|a| a.data_type.to_string().to_lowercase()).collect();
                    format!("function {shown}({}) does not exist", types.join(", "))
                }
            };
            drop_finding(cx, toks, "DROP FUNCTION", &shown, &pg, out);
        }
        Statement::DropTrigger(dt) if !dt.if_exists => {
            let name = names::parts(&dt.trigger_name).last().cloned().unwrap_or_default();
            let Some(table_name) = &dt.table_name else { return };
            let Some(table) = cx.file.start.table(&cx.resolve(table_name)) else { return };
            if !table.triggers.iter().any(|t| t.name == name) {
                return;
            }
            let pg = format!("trigger \"{name}\" for table \"{}\" does not exist", table.name.name);
            drop_finding(cx, toks, "DROP TRIGGER", &quote_ident(&name), &pg, out);
        }
        Statement::DropPolicy(dp) if !dp.if_exists => {
            let name = names::fold(&dp.name);
            let Some(table) = cx.file.start.table(&cx.resolve(&dp.table_name)) else { return };
            if !table.policies.iter().any(|p| p.name == name) {
                return;
            }
            let pg = format!("policy \"{name}\" for table \"{}\" does not exist", table.name.name);
            drop_finding(cx, toks, "DROP POLICY", &quote_ident(&name), &pg, out);
        }
        Statement::DropDomain(dd) if !dd.if_exists => {
            let q = cx.resolve(&dd.name);
            if cx.file.start.types.contains_key(&q) {
                drop_finding(
                    cx,
                    toks,
                    "DROP DOMAIN",
                    &relation_name(&q),
                    &format!("type \"{}\" does not exist", q.name),
                    out,
                );
            }
        }
        Statement::DropExtension(de) if !de.if_exists => {
            let Some(name) = de.names.iter().map(names::fold).find(|n| cx.file.start.extensions.contains_key(n)) else {
                return;
            };
            drop_finding(
                cx,
                toks,
                "DROP EXTENSION",
                &quote_ident(&name),
                &format!("extension \"{name}\" does not exist"),
                out,
            );
        }
        _ => {}
    }
}

/// The words after DROP that name the object type, and PostgreSQL's word for it in "… does not exist".
fn drop_kind(t: ObjectType) -> Option<(&'static str, &'static str)> {
    Some(match t {
        ObjectType::Table => ("DROP TABLE", "table"),
        ObjectType::View => ("DROP VIEW", "view"),
        ObjectType::MaterializedView => ("DROP MATERIALIZED VIEW", "materialized view"),
        ObjectType::Index => ("DROP INDEX", "index"),
        ObjectType::Schema => ("DROP SCHEMA", "schema"),
        ObjectType::Sequence => ("DROP SEQUENCE", "sequence"),
        ObjectType::Type => ("DROP TYPE", "type"),
        _ => return None,
    })
}

/// Whether the object existed when the file started: one created earlier in the file is created again
/// by a second run before it is dropped.
fn existed_at_start(cx: &StatementCx<'_>, t: ObjectType, name: &ObjectName) -> bool {
    let start = &cx.file.start;
    let q = cx.resolve(name);
    match t {
        ObjectType::Table => cx.existing_table(name).is_some(),
        ObjectType::View | ObjectType::MaterializedView => start.views.contains_key(&q),
        ObjectType::Index => start.indexes.contains_key(&q),
        ObjectType::Schema => start.schemas.contains_key(&names::object_name(name)),
        ObjectType::Sequence => start.sequences.contains_key(&q),
        ObjectType::Type => start.types.contains_key(&q),
        _ => false,
    }
}

/// Whether an earlier statement of this file drops the object (`DROP TRIGGER IF EXISTS` before
/// `CREATE TRIGGER`), so that the creation runs on a clean slate.
fn dropped_before(cx: &StatementCx<'_>, is_drop: impl Fn(&Statement) -> bool) -> bool {
    cx.file.earlier.iter().any(|e| matches!(&*e.parsed, Parsed::Statement(s, _) if is_drop(s)))
}

fn create_index(cx: &StatementCx<'_>, toks: &LazyToks<'_>, ci: &sqlparser::ast::CreateIndex, out: &mut Vec<Finding>) {
    let table = cx.after.resolve(&ci.table_name);
    // A temporary table, and its indexes, start afresh with each run.
    if table.schema == crate::catalog::model::TEMP_SCHEMA {
        return;
    }
    // The index the statement made, with the name PostgreSQL chose when none was given.
    let made = cx.after.indexes_of(&table).find(|i| !cx.before.indexes.contains_key(&i.name)).map(|i| i.name.clone());
    let keyword = if ci.concurrently { "CONCURRENTLY" } else { "INDEX" };
    let at_kw = toks.find(&[keyword]);
    match &ci.name {
        Some(name) => {
            let q = cx.after.resolve(name);
            out.push(
                not_exists(
                    cx,
                    toks,
                    &[keyword],
                    "CREATE INDEX",
                    &relation_name(&q),
                    &format!("relation \"{}\" already exists", q.name),
                )
                .help("Write CREATE INDEX IF NOT EXISTS."),
            );
        }
        None => {
            let Some(made) = made else { return };
            let next = next_name(&made.name, |n| cx.after.relation_exists(&QualName::new(made.schema.clone(), n)));
            let mut f = Finding::new(format!(
                "CREATE INDEX without a name on {} builds one more index every time the migration runs: PostgreSQL names this one {}, the next {}",
                relation_name(&table),
                quote_ident(&made.name),
                quote_ident(&next)
            ))
            .help("Name the index and write CREATE INDEX IF NOT EXISTS name.");
            if let Some(i) = at_kw {
                let end = toks.0[i].end;
                f = f.at(cx.sub_span(toks.0[0].start, end)).fix(
                    "Name the index and add IF NOT EXISTS",
                    cx.sub_span(end, end),
                    format!(" IF NOT EXISTS {}", quote_ident(&made.name)),
                );
            }
            out.push(f);
        }
    }
}

fn create_type(cx: &StatementCx<'_>, name: &ObjectName, what: &str, out: &mut Vec<Finding>) {
    let q = cx.after.resolve(name);
    if dropped_before(cx, |s| match s {
        Statement::Drop { object_type: ObjectType::Type, names, .. } => names.iter().any(|n| cx.resolve(n) == q),
        Statement::DropDomain(dd) => cx.resolve(&dd.name) == q,
        _ => false,
    }) {
        return;
    }
    let wrapped = do_block(&format!("BEGIN\n    {};\nEXCEPTION WHEN duplicate_object THEN NULL;\n", cx.text));
    out.push(
        Finding::new(format!(
            "{what} {} fails when the migration runs again: type \"{}\" already exists (PostgreSQL has no {what} IF NOT EXISTS)",
            relation_name(&q),
            q.name
        ))
        .help("Create it in a DO block that catches duplicate_object.")
        .at(head_span(cx, 2))
        .fix("Wrap it in a DO block that ignores duplicate_object", cx.span, wrapped),
    );
}

fn alter_table(cx: &StatementCx<'_>, toks: &LazyToks<'_>, at: &AlterTable, single: bool, out: &mut Vec<Finding>) {
    let q = cx.resolve(&at.name);
    let Some(before) = cx.before.table(&q) else { return };
    let shown = relation_name(&q);
    let start_table = cx.file.start.table_with_oid(before.oid, &q).map(|t| &**t);
    for op in &at.operations {
        match op {
            AlterTableOperation::AddColumn { if_not_exists: false, column_def, .. } => {
                let col = names::fold(&column_def.name);
                let mut f = Finding::new(format!(
                    "ALTER TABLE {shown} ADD COLUMN {} fails when the migration runs again: column \"{col}\" of relation \"{}\" already exists",
                    quote_ident(&col),
                    q.name
                ))
                .help("Write ADD COLUMN IF NOT EXISTS.");
                if let Some((s, e)) = toks.action(&["ADD"], Some("COLUMN"), &col) {
                    f = f.at(cx.sub_span(s, e)).fix("Add IF NOT EXISTS", cx.sub_span(e, e), " IF NOT EXISTS");
                }
                out.push(f);
            }
            AlterTableOperation::DropColumn { if_exists: false, column_names, .. } => {
                // A column added earlier in the file is added again by a second run.
                let Some(col) = column_names.iter().map(names::fold).find(|c| {
                    start_table.is_some_and(|t| {
                        before.column(c).is_some_and(|bc| t.columns.iter().any(|sc| sc.attnum == bc.attnum))
                    })
                }) else {
                    continue;
                };
                let mut f = Finding::new(format!(
                    "ALTER TABLE {shown} DROP COLUMN {} fails when the migration runs again: column \"{col}\" of relation \"{}\" does not exist",
                    quote_ident(&col),
                    q.name
                ))
                .help("Write DROP COLUMN IF EXISTS.");
                if let Some((s, e)) = toks.action(&["DROP"], Some("COLUMN"), &col) {
                    f = f.at(cx.sub_span(s, e)).fix("Add IF EXISTS", cx.sub_span(e, e), " IF EXISTS");
                }
                out.push(f);
            }
            AlterTableOperation::DropConstraint { if_exists: false, name, .. } => {
                let c = names::fold(name);
                if start_table.is_none_or(|t| t.constraint(&c).is_none()) {
                    continue;
                }
                let mut f = Finding::new(format!(
                    "ALTER TABLE {shown} DROP CONSTRAINT {} fails when the migration runs again: constraint \"{c}\" of relation \"{}\" does not exist",
                    quote_ident(&c),
                    q.name
                ))
                .help("Write DROP CONSTRAINT IF EXISTS.");
                if let Some((s, e)) = toks.action(&["DROP", "CONSTRAINT"], None, &c) {
                    f = f.at(cx.sub_span(s, e)).fix("Add IF EXISTS", cx.sub_span(e, e), " IF EXISTS");
                }
                out.push(f);
            }
            AlterTableOperation::AddConstraint { constraint, .. } => {
                add_constraint(cx, toks, at, &q, before, constraint, single, out);
            }
            AlterTableOperation::RenameColumn { old_column_name, new_column_name } => {
                let (old, new) = (names::fold(old_column_name), names::fold(new_column_name));
                out.push(
                    Finding::new(format!(
                        "ALTER TABLE {shown} RENAME COLUMN {} TO {} fails when the migration runs again: column \"{old}\" does not exist",
                        quote_ident(&old),
                        quote_ident(&new)
                    ))
                    .help("Guard the rename with a DO block that checks information_schema.columns for the old name, or silence the rule on it.")
                    .at(toks.find(&["RENAME"]).map_or(cx.span, |i| cx.sub_span(toks.0[i].start, toks.0[i].end))),
                );
            }
            AlterTableOperation::RenameTable { .. } if !at.if_exists => {
                out.push(
                    Finding::new(format!(
                        "ALTER TABLE {shown} RENAME TO … fails when the migration runs again: relation \"{}\" does not exist",
                        q.name
                    ))
                    .help("Write ALTER TABLE IF EXISTS, or guard the rename with a DO block that checks information_schema.tables.")
                    .at(toks.find(&["RENAME"]).map_or(cx.span, |i| cx.sub_span(toks.0[i].start, toks.0[i].end))),
                );
            }
            AlterTableOperation::DetachPartitionOf { partition, .. } => {
                let p = cx.resolve(partition);
                out.push(
                    Finding::new(format!(
                        "ALTER TABLE {shown} DETACH PARTITION {} fails when the migration runs again: relation \"{}\" is not a partition of relation \"{}\"",
                        relation_name(&p),
                        p.name,
                        q.name
                    ))
                    .help("Guard the detach with a DO block that checks pg_inherits for the partition, or silence the rule on it.")
                    .at(toks.find(&["DETACH"]).map_or(cx.span, |i| cx.sub_span(toks.0[i].start, toks.0[i].end))),
                );
            }
            AlterTableOperation::RenameConstraint { old_name, .. } => {
                let old = names::fold(old_name);
                out.push(
                    Finding::new(format!(
                        "ALTER TABLE {shown} RENAME CONSTRAINT {} fails when the migration runs again: constraint \"{old}\" for table \"{}\" does not exist",
                        quote_ident(&old),
                        q.name
                    ))
                    .help("Guard the rename with a DO block that checks pg_constraint for the old name, or silence the rule on it.")
                    .at(toks.find(&["RENAME"]).map_or(cx.span, |i| cx.sub_span(toks.0[i].start, toks.0[i].end))),
                );
            }
            _ => {}
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn add_constraint(
    cx: &StatementCx<'_>,
    toks: &LazyToks<'_>,
    at: &AlterTable,
    q: &QualName,
    before: &Table,
    constraint: &TableConstraint,
    single: bool,
    out: &mut Vec<Finding>,
) {
    let after = cx.after.table_with_oid(before.oid, q);
    let Some(after) = after else { return };
    // The constraint the statement added, with the name PostgreSQL chose when none was given.
    let Some(added) = after.constraints.iter().find(|c| before.constraint(&c.name).is_none()) else { return };
    let name = &added.name;
    let written = constraint_name(constraint).is_some();
    let guarded =
        dropped_before(cx, |s| match s {
            Statement::AlterTable(a) => cx.resolve(&a.name) == *q
                && a.operations.iter().any(
                    |op| matches!(op, AlterTableOperation::DropConstraint { name: n, .. } if names::fold(n) == *name),
                ),
            _ => false,
        }) || written && earlier_action_drops(at, name);
    if guarded {
        return;
    }
    let shown = relation_name(q);
    let message = if !written && !matches!(constraint, TableConstraint::PrimaryKey(_)) {
        let next = next_name(name, |n| {
            after.constraint(n).is_some() || cx.after.relation_exists(&QualName::new(q.schema.clone(), n))
        });
        format!(
            "ALTER TABLE {shown} ADD {} without a name adds one more constraint every time the migration runs: PostgreSQL names this one {}, the next {}",
            constraint_word(constraint),
            quote_ident(name),
            quote_ident(&next)
        )
    } else {
        let pg = match constraint {
            TableConstraint::PrimaryKey(_) | TableConstraint::PrimaryKeyUsingIndex(_) => {
                format!("multiple primary keys for table \"{}\" are not allowed", q.name)
            }
            TableConstraint::Unique(_) | TableConstraint::UniqueUsingIndex(_) | TableConstraint::Exclude(_) => {
                format!("relation \"{name}\" already exists")
            }
            _ => format!("constraint \"{name}\" for relation \"{}\" already exists", q.name),
        };
        format!(
            "ALTER TABLE {shown} ADD CONSTRAINT {} fails when the migration runs again: {pg} (PostgreSQL has no ADD CONSTRAINT IF NOT EXISTS)",
            quote_ident(name)
        )
    };
    let at_span = toks.find(&["ADD"]).map_or(cx.span, |i| {
        let end = toks.0.get(i + 1).map_or(toks.0[i].end, |t| t.end);
        cx.sub_span(toks.0[i].start, end)
    });
    let mut f = Finding::new(message)
        .help(
            "Wrap the ALTER TABLE in a DO block that adds the constraint only when pg_constraint does not have it yet.",
        )
        .at(at_span);
    if single {
        let body = format!(
            "BEGIN\n    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = {}) THEN\n        {};\n    END IF;\n",
            literal(name),
            cx.text
        );
        f = f.fix("Wrap it in a DO block that checks pg_constraint", cx.span, do_block(&body));
    }
    out.push(f);
}

/// `ALTER TABLE t DROP CONSTRAINT IF EXISTS c, ADD CONSTRAINT c …` in one statement.
fn earlier_action_drops(at: &AlterTable, name: &str) -> bool {
    at.operations
        .iter()
        .take_while(|op| !matches!(op, AlterTableOperation::AddConstraint { .. }))
        .any(|op| matches!(op, AlterTableOperation::DropConstraint { name: n, .. } if names::fold(n) == name))
}

fn constraint_name(c: &TableConstraint) -> Option<&sqlparser::ast::Ident> {
    match c {
        TableConstraint::Unique(u) => u.name.as_ref(),
        TableConstraint::PrimaryKey(p) => p.name.as_ref(),
        TableConstraint::ForeignKey(f) => f.name.as_ref(),
        TableConstraint::Check(c) => c.name.as_ref(),
        TableConstraint::Index(i) => i.name.as_ref(),
        TableConstraint::PrimaryKeyUsingIndex(u) | TableConstraint::UniqueUsingIndex(u) => u.name.as_ref(),
        TableConstraint::Exclude(e) => e.name.as_ref(),
        TableConstraint::FulltextOrSpatial(_) => None,
    }
}

fn constraint_word(c: &TableConstraint) -> &'static str {
    match c {
        TableConstraint::Unique(_) | TableConstraint::UniqueUsingIndex(_) => "UNIQUE",
        TableConstraint::PrimaryKey(_) | TableConstraint::PrimaryKeyUsingIndex(_) => "PRIMARY KEY",
        TableConstraint::ForeignKey(_) => "FOREIGN KEY",
        TableConstraint::Check(_) => "CHECK",
        TableConstraint::Exclude(_) => "EXCLUDE",
        _ => "CONSTRAINT",
    }
}

fn manual(cx: &StatementCx<'_>, toks: &LazyToks<'_>, action: &ManualAction, out: &mut Vec<Finding>) {
    let (ManualAction::DropIdentity { column, if_exists: false }
    | ManualAction::DropExpression { column, if_exists: false }) = action
    else {
        return;
    };
    let (word, pg) = match action {
        ManualAction::DropIdentity { .. } => ("IDENTITY", "is not an identity column"),
        _ => ("EXPRESSION", "is not a stored generated column"),
    };
    let mut f = Finding::new(format!(
        "DROP {word} on column {} fails when the migration runs again: the column {pg} any more",
        quote_ident(column)
    ))
    .help(format!("Write DROP {word} IF EXISTS."));
    if let Some(i) = toks.find(&["DROP", word]) {
        let end = toks.0[i + 1].end;
        f = f.at(cx.sub_span(toks.0[i].start, end)).fix("Add IF EXISTS", cx.sub_span(end, end), " IF EXISTS");
    }
    out.push(f);
}

/// A finding for `CREATE <kind> name` without IF NOT EXISTS, with the fix after the last of `keyword`.
fn not_exists(
    cx: &StatementCx<'_>,
    toks: &LazyToks<'_>,
    keyword: &[&str],
    what: &str,
    name: &str,
    pg: &str,
) -> Finding {
    let f = Finding::new(format!("{what} {name} fails when the migration runs again: {pg}"));
    match toks.find(keyword) {
        Some(i) => {
            let end = toks.0[i + keyword.len() - 1].end;
            f.at(cx.sub_span(toks.0[0].start, end)).fix("Add IF NOT EXISTS", cx.sub_span(end, end), " IF NOT EXISTS")
        }
        None => f,
    }
}

fn or_replace(cx: &StatementCx<'_>, toks: &LazyToks<'_>, what: &str, name: &str, pg: &str) -> Finding {
    let f = Finding::new(format!("{what} {name} fails when the migration runs again: {pg}"));
    match toks.find(&["CREATE"]) {
        Some(i) => {
            let end = toks.0[i].end;
            f.at(head_span(cx, 2)).fix("Add OR REPLACE", cx.sub_span(end, end), " OR REPLACE")
        }
        None => f,
    }
}

fn drop_finding(cx: &StatementCx<'_>, toks: &LazyToks<'_>, what: &str, name: &str, pg: &str, out: &mut Vec<Finding>) {
    let mut f = Finding::new(format!("{what} {name} fails when the migration runs again: {pg}"))
        .help(format!("Write {what} IF EXISTS."));
    // IF EXISTS goes after the object words, and after CONCURRENTLY.
    let words: Vec<&str> = what.split_whitespace().collect();
    if let Some(i) = toks.find(&words) {
        let mut last = i + words.len() - 1;
        if toks.0.get(last + 1).is_some_and(|t| t.is("CONCURRENTLY")) {
            last += 1;
        }
        let end = toks.0[last].end;
        f = f.at(cx.sub_span(toks.0[i].start, end)).fix("Add IF EXISTS", cx.sub_span(end, end), " IF EXISTS");
    }
    out.push(f);
}

fn at_start(cx: &StatementCx<'_>) -> Span {
    cx.sub_span(0, 0)
}

/// The statement's first `n` significant tokens.
fn head_span(cx: &StatementCx<'_>, n: usize) -> Span {
    let toks = Toks::new(cx.text);
    match (toks.0.first(), toks.0.get(n.saturating_sub(1)).or(toks.0.last())) {
        (Some(a), Some(b)) => cx.sub_span(a.start, b.end),
        _ => cx.span,
    }
}

/// The span of `KEYWORD name`, e.g. `TRIGGER set_updated_at`.
fn name_span(cx: &StatementCx<'_>, toks: &LazyToks<'_>, keyword: &str) -> Span {
    match toks.find(&[keyword]) {
        Some(i) => cx.sub_span(toks.0[i].start, toks.0.get(i + 1).map_or(toks.0[i].end, |t| t.end)),
        None => cx.span,
    }
}

/// `DO $$\n{body}END $$`, with a dollar tag that does not occur in the body. The statement keeps its
/// own lines as written (re-indenting could change a multi-line string in it).
fn do_block(body: &str) -> String {
    let mut tag = String::from("$$");
    let mut n = 0;
    while body.contains(&tag) {
        n += 1;
        tag = format!("$do{n}$");
    }
    format!("DO {tag}\n{body}END {tag}")
}

/// A string literal.
fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The statement's tokens, read on first use.
struct LazyToks<'a> {
    text: &'a str,
    cell: std::cell::OnceCell<Toks>,
}

impl std::ops::Deref for LazyToks<'_> {
    type Target = Toks;

    fn deref(&self) -> &Toks {
        self.cell.get_or_init(|| Toks::new(self.text))
    }
}

/// One significant token of the statement, with its byte range in the statement's text.
pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
    pub token: Token,
}

impl Tok {
    /// An unquoted keyword, compared case-insensitively.
    pub fn is(&self, word: &str) -> bool {
        matches!(&self.token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(word))
    }

    /// The identifier as PostgreSQL folds it.
    pub fn ident(&self) -> Option<String> {
        match &self.token {
            Token::Word(w) if w.quote_style.is_some() => Some(w.value.clone()),
            Token::Word(w) => Some(names::truncate(w.value.to_ascii_lowercase())),
            _ => None,
        }
    }
}

/// The significant tokens of a statement (no whitespace or comments); empty when it does not tokenize.
pub(crate) struct Toks(pub Vec<Tok>);

impl Toks {
    pub fn new(text: &str) -> Toks {
        let dialect = PostgreSqlDialect {};
        let Ok(tokens) = Tokenizer::new(&dialect, text).tokenize_with_location() else { return Toks(Vec::new()) };
        let index = LineIndex::new(text);
        let at = |l: sqlparser::tokenizer::Location| {
            index.offset(text, LineCol { line: l.line as u32, column: l.column as u32 })
        };
        Toks(
            tokens
                .into_iter()
                .filter(|t| !matches!(t.token, Token::Whitespace(_) | Token::EOF))
                .map(|t| {
                    let start = at(t.span.start);
                    let end = at(t.span.end).max(start);
                    Tok { start, end, token: t.token }
                })
                .collect(),
        )
    }

    /// The index of the first run of these keywords.
    pub fn find(&self, words: &[&str]) -> Option<usize> {
        if words.is_empty() {
            return None;
        }
        self.0.windows(words.len()).position(|w| w.iter().zip(words).all(|(t, k)| t.is(k)))
    }

    /// The byte range from `lead` to the keyword before the name, for `lead [optional] name` (`ADD
    /// COLUMN email`, `DROP CONSTRAINT c`), so that `IF [NOT] EXISTS` goes at its end.
    pub fn action(&self, lead: &[&str], optional: Option<&str>, name: &str) -> Option<(usize, usize)> {
        let n = lead.len();
        (0..self.0.len().saturating_sub(n)).find_map(|i| {
            if !self.0[i..i + n].iter().zip(lead).all(|(t, k)| t.is(k)) {
                return None;
            }
            let mut last = i + n - 1;
            if let Some(opt) = optional
                && self.0.get(last + 1).is_some_and(|t| t.is(opt))
            {
                last += 1;
            }
            let next = self.0.get(last + 1)?;
            (next.ident().as_deref() == Some(name)).then(|| (self.0[i].start, self.0[last].end))
        })
    }
}

/// The name PostgreSQL picks the next time for an object it named `made` (`ChooseRelationName`: the base
/// name, then the base with 1, 2, … appended until one is free). Its labels (`idx`, `key`, `check`, …) end
/// in no digit, so the digits at the end of `made` are the number it appended.
fn next_name(made: &str, taken: impl Fn(&str) -> bool) -> String {
    let base = made.trim_end_matches(|c: char| c.is_ascii_digit());
    let mut n: u64 = made[base.len()..].parse().unwrap_or(0);
    loop {
        n += 1;
        let candidate = format!("{base}{n}");
        if !taken(&candidate) || n > 10_000 {
            return candidate;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(sql: &str) -> Vec<String> {
        super::super::tests::findings(&RULE, sql).into_iter().map(|d| String::from(d.message)).collect()
    }

    fn fixed(sql: &str) -> Vec<String> {
        super::super::tests::findings(&RULE, sql)
            .into_iter()
            .filter_map(|d| d.fix.map(|f| String::from(f.replacement)))
            .collect()
    }

    #[test]
    fn guarded_statements_pass() {
        assert!(found("CREATE TABLE IF NOT EXISTS a (id int); DROP TABLE IF EXISTS a;").is_empty());
        assert!(found("CREATE OR REPLACE VIEW v AS SELECT 1 AS x;").is_empty());
        assert!(found("ALTER TABLE orders ALTER COLUMN legacy_code SET NOT NULL;").is_empty());
    }

    #[test]
    fn objects_created_in_the_same_file_may_be_dropped_plainly() {
        assert!(found("CREATE TABLE IF NOT EXISTS tmp (id int);\nDROP TABLE tmp;").is_empty());
        assert!(
            found("ALTER TABLE orders ADD COLUMN IF NOT EXISTS x int;\nALTER TABLE orders DROP COLUMN x;").is_empty()
        );
    }

    #[test]
    fn drops_of_existing_objects_are_reported_with_a_fix() {
        assert_eq!(fixed("DROP TABLE orders;"), vec![" IF EXISTS"]);
        let sql = "CREATE INDEX IF NOT EXISTS i ON orders (legacy_code);\n-- file: 003_b.sql\n-- no-transaction\nDROP INDEX CONCURRENTLY i;";
        let f = super::super::tests::findings(&RULE, sql);
        assert_eq!(f.len(), 1);
        let fix = f[0].fix.as_ref().unwrap();
        assert_eq!((fix.span.start, fix.replacement.as_str()), (18 + 23, " IF EXISTS"), "after CONCURRENTLY");
        let f = super::super::tests::findings(&RULE, "DROP TRIGGER nope ON orders;");
        assert!(f.is_empty(), "a failing statement is the simulator's business");
    }

    #[test]
    fn a_trigger_dropped_earlier_in_the_file_is_guarded() {
        let sql = "DROP TRIGGER IF EXISTS t_upd ON orders;\nCREATE TRIGGER t_upd BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();";
        assert!(found(sql).is_empty());
        let sql = "CREATE OR REPLACE TRIGGER t_upd BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();";
        assert!(found(sql).is_empty());
        let sql =
            "CREATE TRIGGER t_upd BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();";
        assert_eq!(fixed(sql), vec!["DROP TRIGGER IF EXISTS t_upd ON orders;\n"]);
    }

    #[test]
    fn unnamed_indexes_get_the_name_postgres_chose() {
        assert_eq!(fixed("CREATE INDEX ON orders (legacy_code);"), vec![" IF NOT EXISTS orders_legacy_code_idx"]);
    }

    #[test]
    fn add_constraint_guards() {
        let sql = "ALTER TABLE orders DROP CONSTRAINT IF EXISTS c, ADD CONSTRAINT c CHECK (id > 0);";
        assert!(found(sql).is_empty());
        let sql =
            "ALTER TABLE orders DROP CONSTRAINT IF EXISTS c;\nALTER TABLE orders ADD CONSTRAINT c CHECK (id > 0);";
        assert!(found(sql).is_empty());
        let unnamed = found("ALTER TABLE orders ADD CHECK (id > 0);");
        assert!(unnamed[0].contains("orders_id_check1"), "{unnamed:?}");
    }

    #[test]
    fn the_fixes_apply_and_make_the_file_rerunnable() {
        use crate::analysis::{Options, analyze};
        for sql in [
            RULE.bad,
            "CREATE TYPE mood AS ENUM ('a');\nALTER TYPE mood ADD VALUE 'b';\nCREATE SCHEMA s;\nCREATE SEQUENCE s.q;\nCREATE INDEX ON orders (legacy_code);\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';\nCREATE VIEW v AS SELECT 1 AS one;\nALTER TABLE orders ADD CHECK (id > 0);\n",
        ] {
            let diags = super::super::tests::findings(&RULE, sql);
            assert!(!diags.is_empty());
            let mut text = sql.to_string();
            let mut fixes: Vec<_> = diags.into_iter().filter_map(|d| d.fix).collect();
            fixes.sort_by_key(|f| std::cmp::Reverse(f.span.start));
            for f in fixes {
                text.replace_range(f.span.range(), &f.replacement);
            }
            assert!(found(&text).is_empty(), "{text}\n{:?}", found(&text));
            // The fixed file applies, then applies once more.
            let files = vec![
                crate::analysis::SourceFile::new("001_setup.sql", RULE.setup),
                crate::analysis::SourceFile::new("002_a.sql", text.clone()),
                crate::analysis::SourceFile::new("003_a_again.sql", text.clone()),
            ];
            let a = analyze(files, &Options { rules: crate::rules::RuleConfig::only(RULE.id), ..Options::default() });
            assert!(!a.has_errors(), "{text}\n{:?}", a.diagnostics);
        }
    }

    #[test]
    fn the_next_name_is_the_one_postgres_picks() {
        assert_eq!(super::next_name("users_email_idx", |_| false), "users_email_idx1");
        assert_eq!(super::next_name("users_email_idx1", |_| false), "users_email_idx2");
        assert_eq!(super::next_name("users_email_idx", |n| n == "users_email_idx1"), "users_email_idx2");
    }

    #[test]
    fn a_detached_partition_is_not_a_partition_the_second_time() {
        let sql = "-- file: 002_events.sql\n\
                   CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);\n\
                   CREATE TABLE events_2023 PARTITION OF events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');\n\
                   -- file: 003_detach.sql\n\
                   -- no-transaction\n\
                   ALTER TABLE events DETACH PARTITION events_2023 CONCURRENTLY;\n";
        let all = found(sql);
        let detach: Vec<_> = all.iter().filter(|m| m.contains("DETACH PARTITION")).collect();
        assert_eq!(detach.len(), 1, "{all:?}");
        assert!(detach[0].contains("is not a partition of relation \"events\""), "{}", detach[0]);
    }
}
