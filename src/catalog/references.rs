//! The tables whose foreign keys reference each table, kept per thread as a [`Derived`] index of the
//! tables map: dropping, renaming or retyping a table or a column finds the keys that point at it
//! without reading every table's constraints.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use super::derived::{Derive, Derived};
use super::model::{Catalog, ConstraintKind, QualName, Table};

/// Referenced table → referencing table → how many of its foreign keys point there.
#[derive(Default)]
struct Referencing(HashMap<QualName, BTreeMap<QualName, u32>>);

impl Referencing {
    fn count(&mut self, key: &QualName, table: &Table, add: bool) {
        for c in &table.constraints {
            let ConstraintKind::ForeignKey(fk) = &c.kind else { continue };
            if add {
                *self.0.entry(fk.ref_table.clone()).or_default().entry(key.clone()).or_default() += 1;
                continue;
            }
            let Some(from) = self.0.get_mut(&fk.ref_table) else { continue };
            if let Some(n) = from.get_mut(key) {
                *n -= 1;
                if *n == 0 {
                    from.remove(key);
                }
            }
            if from.is_empty() {
                self.0.remove(&fk.ref_table);
            }
        }
    }
}

impl Derive<QualName, Arc<Table>> for Referencing {
    fn add(&mut self, key: &QualName, table: &Arc<Table>) {
        self.count(key, table, true);
    }

    fn remove(&mut self, key: &QualName, table: &Arc<Table>) {
        self.count(key, table, false);
    }

    fn update(&mut self, key: &QualName, old: &Arc<Table>, new: &Arc<Table>) {
        if !old.same_constraints(new) {
            self.count(key, old, false);
            self.count(key, new, true);
        }
    }
}

thread_local! {
    static REFERENCING: RefCell<Derived<QualName, Arc<Table>, Referencing>> = Default::default();
}

impl Catalog {
    /// The tables with a foreign key to `table` (`table` itself when it references itself), in the
    /// tables map's order.
    pub fn tables_referencing(&self, table: &QualName) -> Vec<QualName> {
        REFERENCING.with_borrow_mut(|derived| {
            derived.of(&self.tables).0.get(table).map(|from| from.keys().cloned().collect()).unwrap_or_default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::derived::snapshots;

    /// What the index answers, found by reading every table's constraints.
    fn scan(catalog: &Catalog, table: &QualName) -> Vec<QualName> {
        catalog
            .tables
            .values()
            .filter(|t| {
                t.constraints
                    .iter()
                    .any(|c| matches!(&c.kind, ConstraintKind::ForeignKey(fk) if &fk.ref_table == table))
            })
            .map(|t| t.name.clone())
            .collect()
    }

    #[test]
    fn agrees_with_a_scan_through_renames_moves_and_drops() {
        let steps = [
            "CREATE TABLE a (id int PRIMARY KEY, parent int REFERENCES a);
             CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a, a2 int REFERENCES a);
             CREATE SCHEMA s;",
            "CREATE TABLE c (id int PRIMARY KEY, b_id int REFERENCES b, a_id int REFERENCES a (id));
             ALTER TABLE b DROP CONSTRAINT b_a2_fkey;",
            "ALTER TABLE a RENAME TO a_renamed; ALTER TABLE c RENAME COLUMN a_id TO first_id;",
            "ALTER TABLE c SET SCHEMA s; ALTER TABLE b DROP COLUMN a_id;",
            "DROP TABLE s.c; ALTER TABLE b ADD CONSTRAINT b_again FOREIGN KEY (a2) REFERENCES a_renamed;",
            "DROP TABLE b;",
        ];
        let mut asked = 0;
        for catalog in snapshots(&steps) {
            let mut names: Vec<QualName> = catalog.tables.keys().cloned().collect();
            names.extend([QualName::public("a"), QualName::public("b"), QualName::new("s", "c")]);
            for q in &names {
                let expected = scan(&catalog, q);
                asked += usize::from(!expected.is_empty());
                assert_eq!(catalog.tables_referencing(q), expected, "{q:?}");
            }
        }
        assert!(asked > 10, "the steps should leave tables that others reference ({asked})");
    }
}
