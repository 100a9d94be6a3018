//! The tables whose triggers run each function, kept per thread as a [`Derived`] index of the tables map:
//! when a trigger function is replaced, the tables it may break are found without reading every table.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use super::derived::{Derive, Derived};
use super::model::{Catalog, QualName, Table};

/// Function → the tables with a trigger that runs it (a table counted once per trigger).
#[derive(Default)]
struct Users(HashMap<QualName, BTreeSet<(QualName, usize)>>);

impl Derive<QualName, Arc<Table>> for Users {
    fn add(&mut self, key: &QualName, table: &Arc<Table>) {
        for (i, trigger) in table.triggers.iter().enumerate() {
            self.0.entry(trigger.function.clone()).or_default().insert((key.clone(), i));
        }
    }

    fn remove(&mut self, key: &QualName, table: &Arc<Table>) {
        for (i, trigger) in table.triggers.iter().enumerate() {
            if let Some(tables) = self.0.get_mut(&trigger.function) {
                tables.remove(&(key.clone(), i));
                if tables.is_empty() {
                    self.0.remove(&trigger.function);
                }
            }
        }
    }

    fn update(&mut self, key: &QualName, old: &Arc<Table>, new: &Arc<Table>) {
        // Only each trigger's place and function count.
        if !old.triggers.iter().map(|tr| &tr.function).eq(new.triggers.iter().map(|tr| &tr.function)) {
            self.remove(key, old);
            self.add(key, new);
        }
    }
}

thread_local! {
    static USERS: RefCell<Derived<QualName, Arc<Table>, Users>> = Default::default();
}

impl Catalog {
    /// The names of the tables with a trigger that runs one of `functions`, in the tables map's order.
    pub fn tables_triggering<'a>(&self, functions: impl IntoIterator<Item = &'a QualName>) -> Vec<QualName> {
        USERS.with_borrow_mut(|derived| {
            let users = derived.of(&self.tables);
            let mut names: BTreeSet<&QualName> = BTreeSet::new();
            for f in functions {
                names.extend(users.0.get(f).into_iter().flatten().map(|(t, _)| t));
            }
            names.into_iter().cloned().collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::derived::snapshots;

    #[test]
    fn the_index_agrees_with_a_scan_of_the_tables() {
        let function = |name: &str| {
            format!("CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n")
        };
        let steps = [
            format!(
                "{}{}CREATE SCHEMA app;\n\
                 CREATE TABLE a (id int);\nCREATE TABLE app.b (id int);\nCREATE TABLE c (id int);\n\
                 CREATE TRIGGER a1 BEFORE INSERT ON a FOR EACH ROW EXECUTE FUNCTION f();\n\
                 CREATE TRIGGER a2 BEFORE UPDATE ON a FOR EACH ROW EXECUTE FUNCTION f();\n\
                 CREATE TRIGGER b1 BEFORE INSERT ON app.b FOR EACH ROW EXECUTE FUNCTION f();\n\
                 CREATE TRIGGER c1 BEFORE INSERT ON c FOR EACH ROW EXECUTE FUNCTION g();",
                function("f"),
                function("g")
            ),
            "DROP TRIGGER a1 ON a;\nALTER TABLE c RENAME TO d;\nALTER TRIGGER b1 ON app.b RENAME TO b2;".into(),
            "DROP TRIGGER a2 ON a;\nCREATE TRIGGER d2 AFTER DELETE ON d FOR EACH ROW EXECUTE FUNCTION f();".into(),
            "ALTER TABLE app.b SET SCHEMA public;\nDROP TABLE d;".into(),
            "DROP SCHEMA app CASCADE;\nDROP TABLE b;".into(),
        ];
        let steps: Vec<&str> = steps.iter().map(String::as_str).collect();
        let mut checked = 0;
        for catalog in snapshots(&steps) {
            for functions in [vec!["f"], vec!["g"], vec!["f", "g"], vec!["missing"]] {
                let functions: Vec<QualName> = functions.into_iter().map(QualName::public).collect();
                let scan: Vec<QualName> = catalog
                    .tables
                    .values()
                    .filter(|t| t.triggers.iter().any(|tr| functions.contains(&tr.function)))
                    .map(|t| t.name.clone())
                    .collect();
                assert_eq!(catalog.tables_triggering(&functions), scan, "{functions:?}");
                checked += scan.len();
            }
        }
        // The snapshots are not all empty: the test compares answers, not nothing with nothing.
        assert!(checked > 10, "{checked}");
    }
}
