//! The functions of each name, in every schema, kept per thread as a [`Derived`] index of the functions
//! map: a call in a default, a check or an index expression finds the functions it may mean without
//! reading every function of the catalog.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use super::derived::{Derive, Derived};
use super::model::{Catalog, Function, Name, QualName};

/// Function name → the qualified names that have overloads of it.
#[derive(Default)]
struct ByName(HashMap<Name, BTreeSet<QualName>>);

impl Derive<QualName, Arc<Vec<Function>>> for ByName {
    fn add(&mut self, key: &QualName, _: &Arc<Vec<Function>>) {
        self.0.entry(key.name.clone()).or_default().insert(key.clone());
    }

    /// The overloads changed, not the name.
    fn update(&mut self, _: &QualName, _: &Arc<Vec<Function>>, _: &Arc<Vec<Function>>) {}

    fn remove(&mut self, key: &QualName, _: &Arc<Vec<Function>>) {
        if let Some(names) = self.0.get_mut(&key.name) {
            names.remove(key);
            if names.is_empty() {
                self.0.remove(&key.name);
            }
        }
    }
}

thread_local! {
    static BY_NAME: RefCell<Derived<QualName, Arc<Vec<Function>>, ByName>> = Default::default();
}

impl Catalog {
    /// The qualified names of the functions called `name`, in any schema, in the functions map's order.
    pub fn functions_named(&self, name: &str) -> Vec<QualName> {
        BY_NAME.with_borrow_mut(|derived| {
            derived.of(&self.functions).0.get(name).map(|names| names.iter().cloned().collect()).unwrap_or_default()
        })
    }

    /// Whether a function called `name` exists in any schema.
    pub fn has_function_named(&self, name: &str) -> bool {
        BY_NAME.with_borrow_mut(|derived| derived.of(&self.functions).0.contains_key(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::derived::snapshots;

    #[test]
    fn the_index_agrees_with_a_scan_of_the_functions() {
        let steps = [
            "CREATE SCHEMA app;\n\
             CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';\n\
             CREATE FUNCTION app.f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';",
            "CREATE FUNCTION f(a text) RETURNS int LANGUAGE sql AS 'SELECT 2';\n\
             CREATE FUNCTION g() RETURNS int LANGUAGE sql AS 'SELECT 3';",
            "DROP FUNCTION app.f(int);\nALTER FUNCTION g() RENAME TO h;",
            "ALTER FUNCTION h() SET SCHEMA app;\nDROP FUNCTION f();",
            "DROP SCHEMA app CASCADE;",
        ];
        let mut checked = 0;
        for catalog in snapshots(&steps) {
            for name in ["f", "g", "h", "missing"] {
                let scan: Vec<QualName> = catalog.functions.keys().filter(|q| q.name == name).cloned().collect();
                assert_eq!(catalog.functions_named(name), scan, "{name}");
                assert_eq!(catalog.has_function_named(name), !scan.is_empty(), "{name}");
                checked += usize::from(!scan.is_empty());
            }
        }
        // The snapshots are not all empty: the test compares answers, not nothing with nothing.
        assert!(checked > 8, "{checked}");
    }
}
