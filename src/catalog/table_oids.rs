//! The tables of each OID, kept per thread as a [`Derived`] index of the tables map: a table that a
//! statement renamed or moved to another schema is found again without reading every table.

use std::cell::RefCell;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use super::derived::{Derive, Derived};
use super::model::{Catalog, QualName, Table};

/// OID → the names of the tables with it (one, unless a catalog was put together by hand).
#[derive(Default)]
struct ByOid(HashMap<u32, Vec<QualName>>);

impl Derive<QualName, Arc<Table>> for ByOid {
    fn add(&mut self, key: &QualName, table: &Arc<Table>) {
        self.0.entry(table.oid).or_default().push(key.clone());
    }

    fn remove(&mut self, key: &QualName, table: &Arc<Table>) {
        if let Some(names) = self.0.get_mut(&table.oid) {
            names.retain(|n| n != key);
            if names.is_empty() {
                self.0.remove(&table.oid);
            }
        }
    }

    /// A table keeps its OID.
    fn update(&mut self, key: &QualName, old: &Arc<Table>, new: &Arc<Table>) {
        if old.oid != new.oid {
            self.remove(key, old);
            self.add(key, new);
        }
    }
}

thread_local! {
    static BY_OID: RefCell<Derived<QualName, Arc<Table>, ByOid>> = Default::default();
}

impl Catalog {
    /// The table with this OID (the first in the tables map's order).
    pub fn table_by_oid(&self, oid: u32) -> Option<&Arc<Table>> {
        let names = BY_OID.with_borrow_mut(|derived| derived.of(&self.tables).0.get(&oid).cloned())?;
        names.iter().min().and_then(|q| self.tables.get(q))
    }

    /// The table with this OID, looked up by `name` first: a table mostly keeps its name.
    pub fn table_with_oid(&self, oid: u32, name: &QualName) -> Option<&Arc<Table>> {
        match self.tables.get(name) {
            Some(t) if t.oid == oid => Some(t),
            _ => self.table_by_oid(oid),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::derived::snapshots;

    #[test]
    fn the_index_agrees_with_a_scan_of_the_tables() {
        let steps = [
            "CREATE SCHEMA app;\nCREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE app.b (id int);",
            "ALTER TABLE a RENAME TO z;\nALTER TABLE app.b SET SCHEMA public;\nCREATE TABLE c (id int);",
            "ALTER TABLE z ADD COLUMN n int;\nALTER TABLE z RENAME TO a;\nDROP TABLE c;",
            "ALTER TABLE b RENAME TO c;\nALTER TABLE a SET SCHEMA app;",
        ];
        let mut found = 0;
        for catalog in snapshots(&steps) {
            for oid in 16380..16400 {
                let scan = catalog.tables.values().find(|t| t.oid == oid);
                assert_eq!(catalog.table_by_oid(oid).map(|t| &t.name), scan.map(|t| &t.name), "{oid}");
                if let Some(t) = scan {
                    let elsewhere = QualName::new("nowhere", t.name.name.clone());
                    assert!(Arc::ptr_eq(catalog.table_with_oid(oid, &elsewhere).unwrap(), t));
                    assert!(Arc::ptr_eq(catalog.table_with_oid(oid, &t.name).unwrap(), t));
                    found += 1;
                }
            }
        }
        assert!(found > 15, "the history has tables to find: {found}");
    }
}
