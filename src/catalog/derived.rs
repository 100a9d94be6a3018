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
                    DiffItem::Update { old: (key, old), new: (_, new) } => {
                        self.index.remove(key, old);
                        self.index.add(key, new);
                    }
                }
            }
        }
        &self.index
    }
}
