//! The store's tables (layout 10): every record type and index is the range of keys
//! under its one-byte prefix ([`TreeId::index`]) in the hall's one sled tree. A command's
//! writes, whatever tables they touch, then commit as one `apply_batch`: atomic, and
//! without the read sled's multi-tree transactions make before every write (a fifth of
//! a registration's time, docs/BENCHMARKS.md).

use std::ops::Bound;

use sled::IVec;

use super::keys::{Stored, TreeId};
use super::{Result, Store};

/// The name of the sled tree holding every table.
pub const TABLES: &str = "tables";

/// One table: keys given and returned without the table's prefix.
#[derive(Clone, Copy)]
pub struct Table<'a> {
    tree: &'a sled::Tree,
    id: TreeId,
}

impl<'a> Table<'a> {
    pub(super) fn new(tree: &'a sled::Tree, id: TreeId) -> Table<'a> {
        Table { tree, id }
    }

    fn prefix(&self) -> u8 {
        self.id.index() as u8
    }

    /// `key` of the table `id` as sled holds it; also for tools and tests that open a
    /// hall's database with sled alone.
    pub fn full_key(id: TreeId, key: &[u8]) -> Vec<u8> {
        let mut full = Vec::with_capacity(key.len() + 1);
        full.push(id.index() as u8);
        full.extend_from_slice(key);
        full
    }

    pub fn get(&self, key: &[u8]) -> sled::Result<Option<IVec>> {
        self.tree.get(Table::full_key(self.id, key))
    }

    pub fn insert(&self, key: &[u8], value: impl Into<IVec>) -> sled::Result<()> {
        self.tree.insert(Table::full_key(self.id, key), value)?;
        Ok(())
    }

    /// Every entry, in key order.
    pub fn iter(&self) -> Entries {
        self.scan_prefix(&[])
    }

    /// Entries whose key starts with `prefix`, in key order.
    pub fn scan_prefix(&self, prefix: &[u8]) -> Entries {
        Entries(self.tree.scan_prefix(Table::full_key(self.id, prefix)))
    }

    /// Entries from `from` on, before `end` if given (else to the table's end).
    pub fn range(&self, from: &[u8], end: Option<&[u8]>) -> Entries {
        let upper = match end {
            Some(end) => Bound::Excluded(Table::full_key(self.id, end)),
            None => Bound::Excluded(vec![self.prefix() + 1]),
        };
        let lower = Bound::Included(Table::full_key(self.id, from));
        Entries(self.tree.range::<Vec<u8>, _>((lower, upper)))
    }

    pub fn last(&self) -> sled::Result<Option<(IVec, IVec)>> {
        self.iter().next_back().transpose()
    }

    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }
}

/// A table's entries, with the table's prefix taken off each key.
pub struct Entries(sled::Iter);

fn strip(item: sled::Result<(IVec, IVec)>) -> sled::Result<(IVec, IVec)> {
    item.map(|(k, v)| (k.subslice(1, k.len() - 1), v))
}

impl Iterator for Entries {
    type Item = sled::Result<(IVec, IVec)>;

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(strip)
    }
}

impl DoubleEndedIterator for Entries {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(strip)
    }
}

/// Writes to any of the tables, applied at once by [`super::Store::apply`].
#[derive(Default)]
pub struct Batch {
    inner: sled::Batch,
    len: usize,
}

impl Batch {
    pub fn insert(&mut self, table: TreeId, key: &[u8], value: impl Into<IVec>) {
        self.inner.insert(Table::full_key(table, key), value);
        self.len += 1;
    }

    pub fn remove(&mut self, table: TreeId, key: &[u8]) {
        self.inner.remove(Table::full_key(table, key));
        self.len += 1;
    }

    /// How many writes were added since the batch was made.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub(super) fn into_sled(self) -> sled::Batch {
        self.inner
    }
}

/// Writes applied at most [`BULK_BATCH`] at a time: the copies that are too large for
/// one batch (migrate, restore, the ledger rebuild).
const BULK_BATCH: usize = 1_000;

/// Writes too many for one batch, applied in batches of [`BULK_BATCH`]: one sled batch
/// of 10,000 records drove a loader's memory to 12 GiB (issue 6).
pub(super) struct BulkWriter<'a> {
    store: &'a Store,
    batch: Batch,
    written: u64,
}

impl<'a> BulkWriter<'a> {
    pub(super) fn new(store: &'a Store) -> BulkWriter<'a> {
        BulkWriter {
            store,
            batch: Batch::default(),
            written: 0,
        }
    }

    pub(super) fn insert(&mut self, table: TreeId, key: &[u8], value: Vec<u8>) -> Result<()> {
        if self.batch.len() == BULK_BATCH {
            self.store.apply(std::mem::take(&mut self.batch))?;
        }
        self.batch.insert(table, key, value);
        self.written += 1;
        Ok(())
    }

    /// A record sealed as the store keeps it, under its table and key.
    pub(super) fn insert_sealed<T: Stored>(&mut self, record: &T) -> Result<()> {
        let sealed = self.store.seal(record)?;
        self.insert(T::TREE, &record.key(), sealed)
    }

    /// Applies what is pending; returns how many writes there were in all.
    pub(super) fn finish(self) -> Result<u64> {
        self.store.apply(self.batch)?;
        Ok(self.written)
    }
}
