//! `INSERT … ON CONFLICT (cols)` needs a unique index on exactly those columns, or PostgreSQL rejects it.

use sqlparser::ast::{ConflictTarget, OnInsert, Statement, TableObject};

use super::{Check, Family, Finding, Rule, StatementCx};
use crate::catalog::model::{Index, Table};
use crate::catalog::names::{self, quote_ident, relation_name};
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    id: "on-conflict-without-unique",
    severity: Severity::Error,
    default_on: true,
    family: Family::Convention,
    summary: "INSERT … ON CONFLICT (columns) with no unique index or constraint on exactly those columns",
    why: "ON CONFLICT (columns) names the unique index that decides what a conflict is. PostgreSQL looks for a \
          unique index or constraint on exactly those columns (in any order, not more and not fewer); when there \
          is none it rejects the whole statement with \"there is no unique or exclusion constraint matching the \
          ON CONFLICT specification\", even on an empty table. The SOP's backfills rely on \
          `INSERT … ON CONFLICT (project_id, user_id) DO UPDATE` for idempotency, so a missing index turns a \
          re-runnable backfill into a migration that never runs. The rule reads the schema at that point of the \
          history: indexes created later do not count, a partial unique index only counts when the ON CONFLICT \
          clause has a WHERE, and a DEFERRABLE unique constraint never counts (PostgreSQL refuses it as an \
          arbiter). ON CONFLICT ON CONSTRAINT name is checked too.",
    setup: "CREATE TABLE IF NOT EXISTS project_members (\n    \
                project_id bigint NOT NULL,\n    \
                user_id bigint NOT NULL,\n    \
                role text NOT NULL DEFAULT 'member'\n\
            );",
    bad: "INSERT INTO project_members (project_id, user_id, role)\n\
          VALUES (1, 1, 'owner')\n\
          ON CONFLICT (project_id, user_id) DO UPDATE SET role = 'owner';\n",
    good: "CREATE UNIQUE INDEX IF NOT EXISTS project_members_project_id_user_id_key\n    \
               ON project_members (project_id, user_id);\n\
           INSERT INTO project_members (project_id, user_id, role)\n\
           VALUES (1, 1, 'owner')\n\
           ON CONFLICT (project_id, user_id) DO UPDATE SET role = 'owner';\n",
    fix: "Create the unique index (or add a UNIQUE constraint) on exactly the ON CONFLICT columns in this or an \
          earlier migration, before the INSERT; or change the column list to match an existing unique index.",
    check: Check::Statement(check),
};

const PG: &str = "there is no unique or exclusion constraint matching the ON CONFLICT specification";

fn check(cx: &StatementCx<'_>, out: &mut Vec<Finding>) {
    let Some(Statement::Insert(ins)) = cx.statement() else { return };
    let Some(OnInsert::OnConflict(oc)) = &ins.on else { return };
    let Some(target) = &oc.conflict_target else { return };
    let TableObject::TableName(name) = &ins.table else { return };
    let Some(table) = cx.table_before(name) else { return };
    let shown = relation_name(&table.name);
    let at = cx.find("ON CONFLICT");
    match target {
        ConflictTarget::Columns { columns, predicate } => {
            let wanted: Vec<String> = columns.iter().map(names::fold).collect();
            let candidates: Vec<&Index> = cx
                .before
                .indexes_of(&table.name)
                .filter(|i| i.unique && same_columns(i, &wanted))
                .filter(|i| i.predicate.is_none() || predicate.is_some())
                .collect();
            let list = wanted.iter().map(|c| quote_ident(c)).collect::<Vec<_>>().join(", ");
            if candidates.is_empty() {
                let mut help = format!("Create a unique index on {shown} ({list}) before this INSERT.");
                if let Some(partial) = cx.before.indexes_of(&table.name).find(|i| i.unique && same_columns(i, &wanted))
                {
                    help = format!(
                        "The unique index {} is partial: repeat its predicate after the column list (ON CONFLICT ({list}) WHERE {}).",
                        relation_name(&partial.name),
                        partial.predicate.as_deref().unwrap_or("…")
                    );
                }
                out.push(
                    Finding::new(format!(
                        "INSERT INTO {shown} … ON CONFLICT ({list}) fails: {PG} ({shown} has no unique index on exactly ({list})){}",
                        nearest(cx.before.indexes_of(&table.name).filter(|i| i.unique), &wanted)
                    ))
                    .help(help)
                    .at(at),
                );
                return;
            }
            if candidates.iter().all(|i| deferrable(table, i)) {
                out.push(
                    Finding::new(format!(
                        "INSERT INTO {shown} … ON CONFLICT ({list}) fails: ON CONFLICT does not support deferrable unique constraints/exclusion constraints as arbiters ({} is DEFERRABLE)",
                        quote_ident(candidates[0].constraint.as_deref().unwrap_or(&candidates[0].name.name))
                    ))
                    .help("Make the constraint NOT DEFERRABLE, or add a unique index on the same columns that is not deferrable.")
                    .at(at),
                );
            }
        }
        ConflictTarget::OnConstraint(c) => {
            let c = names::parts(c).last().cloned().unwrap_or_default();
            match table.constraint(&c) {
                None => out.push(
                    Finding::new(format!(
                        "INSERT INTO {shown} … ON CONFLICT ON CONSTRAINT {} fails: constraint \"{c}\" for table \"{}\" does not exist",
                        quote_ident(&c),
                        table.name.name
                    ))
                    .help("Name a unique or exclusion constraint of the table, or list the columns instead.")
                    .at(at),
                ),
                Some(con) if !con.kind.has_index() => out.push(
                    Finding::new(format!(
                        "INSERT INTO {shown} … ON CONFLICT ON CONSTRAINT {} fails: constraint in ON CONFLICT clause has no associated index",
                        quote_ident(&c)
                    ))
                    .help("Name a primary key, unique or exclusion constraint.")
                    .at(at),
                ),
                Some(con) if con.deferrable => out.push(
                    Finding::new(format!(
                        "INSERT INTO {shown} … ON CONFLICT ON CONSTRAINT {} fails: ON CONFLICT does not support deferrable unique constraints/exclusion constraints as arbiters",
                        quote_ident(&c)
                    ))
                    .help("Make the constraint NOT DEFERRABLE.")
                    .at(at),
                ),
                Some(_) => {}
            }
        }
    }
}

/// Whether the index's keys are exactly these plain columns, in any order.
fn same_columns(i: &Index, wanted: &[String]) -> bool {
    i.keys.len() == wanted.len()
        && wanted.iter().all(|c| i.keys.iter().any(|k| k.expr == quote_ident(c)))
        && i.keys.iter().all(|k| wanted.iter().any(|c| k.expr == quote_ident(c)))
}

fn deferrable(table: &Table, i: &Index) -> bool {
    i.constraint.as_deref().and_then(|c| table.constraint(c)).is_some_and(|c| c.deferrable)
}

/// Mentions the unique indexes the table does have, as a hint.
fn nearest<'a>(unique: impl Iterator<Item = &'a Index>, wanted: &[String]) -> String {
    let mut shown: Vec<String> = unique
        .filter(|i| i.keys.iter().any(|k| wanted.iter().any(|c| k.expr == quote_ident(c))))
        .map(|i| {
            let keys: Vec<&str> = i.keys.iter().map(|k| k.expr.as_str()).collect();
            format!("{} ({})", relation_name(&i.name), keys.join(", "))
        })
        .collect();
    shown.truncate(3);
    if shown.is_empty() {
        String::new()
    } else {
        format!("; its unique indexes on these columns: {}", shown.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(sql: &str) -> Vec<String> {
        super::super::tests::findings(&RULE, sql).into_iter().map(|d| String::from(d.message)).collect()
    }

    #[test]
    fn column_order_does_not_matter_but_the_set_does() {
        let idx = "CREATE UNIQUE INDEX IF NOT EXISTS pm_key ON project_members (user_id, project_id);\n";
        assert!(
            found(&format!(
                "{idx}INSERT INTO project_members VALUES (1, 1) ON CONFLICT (project_id, user_id) DO NOTHING;"
            ))
            .is_empty()
        );
        let more =
            found(&format!("{idx}INSERT INTO project_members VALUES (1, 1) ON CONFLICT (project_id) DO NOTHING;"));
        assert!(more[0].contains("pm_key (user_id, project_id)"), "{more:?}");
    }

    #[test]
    fn primary_keys_and_unique_constraints_count() {
        let sql = "ALTER TABLE project_members ADD PRIMARY KEY (project_id, user_id);\nINSERT INTO project_members VALUES (1, 1) ON CONFLICT (user_id, project_id) DO NOTHING;";
        assert!(found(sql).is_empty());
        let sql = "ALTER TABLE project_members ADD CONSTRAINT pm_u UNIQUE (project_id, user_id) DEFERRABLE;\nINSERT INTO project_members VALUES (1, 1) ON CONFLICT (user_id, project_id) DO NOTHING;";
        assert!(found(sql)[0].contains("deferrable"));
    }

    #[test]
    fn partial_indexes_need_a_where() {
        let idx = "CREATE UNIQUE INDEX IF NOT EXISTS pm_owner ON project_members (project_id) WHERE role = 'owner';\n";
        assert_eq!(
            found(&format!(
                "{idx}INSERT INTO project_members VALUES (1, 1, 'owner') ON CONFLICT (project_id) DO NOTHING;"
            ))
            .len(),
            1
        );
        assert!(found(&format!("{idx}INSERT INTO project_members VALUES (1, 1, 'owner') ON CONFLICT (project_id) WHERE role = 'owner' DO NOTHING;")).is_empty());
    }

    #[test]
    fn on_constraint_and_no_target() {
        assert!(found("INSERT INTO project_members VALUES (1, 1) ON CONFLICT DO NOTHING;").is_empty());
        assert!(
            found("INSERT INTO project_members VALUES (1, 1) ON CONFLICT ON CONSTRAINT nope DO NOTHING;")[0]
                .contains("does not exist")
        );
    }
}
