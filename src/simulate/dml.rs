//! INSERT, UPDATE, DELETE and friends leave the schema alone; they are checked for references to
//! tables and columns that do not exist, as PostgreSQL would reject them.

use sqlparser::ast::{Statement, TableFactor, TableObject};

use super::{SimError, SimResult};
use crate::catalog::model::Catalog;
use crate::catalog::names;

/// Checks the statement, then records what the schema model keeps of data: whether a table has rows.
pub(crate) fn apply(catalog: &mut Catalog, stmt: &Statement) -> SimResult {
    check(catalog, stmt)?;
    match stmt {
        Statement::Insert(ins) => {
            if let TableObject::TableName(name) = &ins.table {
                let q = catalog.resolve(name);
                if let Some(t) = catalog.table_mut(&q) {
                    t.has_rows = true;
                }
            }
        }
        Statement::Truncate(tr) => {
            for t in &tr.table_names {
                let q = catalog.resolve(&t.name);
                if let Some(t) = catalog.table_mut(&q) {
                    t.has_rows = false;
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn check(catalog: &Catalog, stmt: &Statement) -> SimResult {
    match stmt {
        Statement::Insert(ins) => {
            let TableObject::TableName(name) = &ins.table else { return Ok(()) };
            let q = super::resolve_table(catalog, name)?;
            let t = catalog.table(&q).ok_or_else(|| SimError::new("table vanished"))?;
            for c in &ins.columns {
                let c = names::parts(c).last().cloned().unwrap_or_default();
                if t.column(&c).is_none() {
                    return Err(SimError::new(format!("column \"{c}\" of relation \"{}\" does not exist", q.name)));
                }
            }
            Ok(())
        }
        Statement::Update(up) => {
            if let TableFactor::Table { name, .. } = &up.table.relation {
                let q = super::resolve_table(catalog, name)?;
                let t = catalog.table(&q).ok_or_else(|| SimError::new("table vanished"))?;
                for a in &up.assignments {
                    if let sqlparser::ast::AssignmentTarget::ColumnName(n) = &a.target {
                        let c = names::parts(n).last().cloned().unwrap_or_default();
                        if t.column(&c).is_none() {
                            return Err(SimError::new(format!(
                                "column \"{c}\" of relation \"{}\" does not exist",
                                q.name
                            )));
                        }
                    }
                }
            }
            Ok(())
        }
        Statement::Delete(del) => {
            let tables = match &del.from {
                sqlparser::ast::FromTable::WithFromKeyword(t) | sqlparser::ast::FromTable::WithoutKeyword(t) => t,
            };
            for twj in tables {
                if let TableFactor::Table { name, .. } = &twj.relation {
                    super::resolve_table(catalog, name)?;
                }
            }
            Ok(())
        }
        Statement::Truncate(tr) => {
            for t in &tr.table_names {
                super::resolve_table(catalog, &t.name)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}
