//! Indexes derived from one of the catalog's maps (constraint names, the indexes of each table, …) for
//! questions that would otherwise scan the whole map. Each is kept per thread for the last map it was
//! asked about, and brought up to date with another map by `imbl`'s `diff`, which skips the subtrees two
//! snapshots share: successive statements' catalogs differ by a few entries.

use imbl::ordmap::DiffItem;

use super::model::Map;

/// What an index does with an entry of the map it is derived from.
pub trait Derive<K, V>: Default {
    fn add(&mut self, key: &K, value: &V);
    fn remove(&mut self, key: &K, value: &V);
    /// `key`'s value changed from `old` to `new`: by default, a removal and an addition. An index that
    /// reads part of the value only skips changes elsewhere.
    fn update(&mut self, key: &K, old: &V, new: &V) {
        self.remove(key, old);
        self.add(key, new);
    }
}

/// An index `I` of a map, for the map it last saw.
pub struct Derived<K, V, I> {
    map: Map<K, V>,
    index: I,
}

impl<K: Ord + Clone, V: Clone, I: Default> Default for Derived<K, V, I> {
    fn default() -> Self {
        Derived { map: Map::new(), index: I::default() }
    }
}

impl<K: Ord + Clone, V: Clone + PartialEq, I: Derive<K, V>> Derived<K, V, I> {
    /// The index of `map`.
    pub fn of(&mut self, map: &Map<K, V>) -> &I {
        if !self.map.ptr_eq(map) {
            let before = std::mem::replace(&mut self.map, map.clone());
            for item in before.diff(map) {
                match item {
                    DiffItem::Add(key, value) => self.index.add(key, value),
                    DiffItem::Remove(key, value) => self.index.remove(key, value),
                    DiffItem::Update { old: (key, old), new: (_, new) } => self.index.update(key, old, new),
                }
            }
        }
        &self.index
    }
}

/// For the tests of indexes derived from the catalog: the catalog after each of `steps` (one migration
/// each), then the same going back, an empty catalog (it shares nothing with the others) and the last
/// one again.
#[cfg(test)]
pub(crate) fn snapshots(steps: &[&str]) -> Vec<super::Catalog> {
    let files: Vec<crate::SourceFile> =
        steps.iter().enumerate().map(|(i, sql)| crate::SourceFile::new(format!("{:03}_s.sql", i + 1), *sql)).collect();
    let analysis = crate::analyze(files, &crate::Options::default());
    assert!(!analysis.has_errors(), "{:?}", analysis.diagnostics);
    let mut catalogs: Vec<super::Catalog> = analysis.migrations.iter().map(|m| m.catalog.clone()).collect();
    catalogs.extend(catalogs.clone().into_iter().rev());
    catalogs.push(super::Catalog::new());
    catalogs.push(analysis.catalog.clone());
    catalogs
}
