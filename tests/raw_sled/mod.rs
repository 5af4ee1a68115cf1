//! The database opened with sled alone, as someone with the disk (or a repair) would.
//! Each test binary uses only part of this module.
#![allow(dead_code)]

use std::path::Path;
use std::time::Duration;

use lianfang::store::keys::TreeId;
use lianfang::store::table::{Table, TABLES};

/// Opens the sled database at `path` with sled's defaults; see [`open_config`].
pub fn open(path: &Path) -> sled::Db {
    open_config(&sled::Config::new().path(path))
}

/// Opens a sled database as the store does (`store::open_waiting`), waiting for the lock
/// of one this process has just dropped: longer than the store, since tests run on a busy
/// machine.
pub fn open_config(config: &sled::Config) -> sled::Db {
    lianfang::store::open_waiting(config, Duration::from_secs(10))
        .unwrap_or_else(|e| panic!("opening sled: {e}"))
}

/// One table of a hall's database (`lianfang::store::table`), read and written with sled
/// alone: keys given and returned without the table's prefix.
pub struct RawTable {
    tree: sled::Tree,
    id: TreeId,
}

pub fn table(db: &sled::Db, id: TreeId) -> RawTable {
    RawTable {
        tree: db.open_tree(TABLES).unwrap(),
        id,
    }
}

type Entry = sled::Result<(sled::IVec, sled::IVec)>;

fn strip(item: Entry) -> Entry {
    item.map(|(k, v)| (k.subslice(1, k.len() - 1), v))
}

impl RawTable {
    fn full(&self, key: impl AsRef<[u8]>) -> Vec<u8> {
        Table::full_key(self.id, key.as_ref())
    }

    pub fn get(&self, key: impl AsRef<[u8]>) -> sled::Result<Option<sled::IVec>> {
        self.tree.get(self.full(key))
    }

    pub fn insert(
        &self,
        key: impl AsRef<[u8]>,
        value: impl Into<sled::IVec>,
    ) -> sled::Result<Option<sled::IVec>> {
        self.tree.insert(self.full(key), value)
    }

    pub fn remove(&self, key: impl AsRef<[u8]>) -> sled::Result<Option<sled::IVec>> {
        self.tree.remove(self.full(key))
    }

    pub fn scan_prefix(&self, prefix: impl AsRef<[u8]>) -> impl Iterator<Item = Entry> {
        self.tree.scan_prefix(self.full(prefix)).map(strip)
    }

    pub fn iter(&self) -> impl Iterator<Item = Entry> {
        self.scan_prefix([])
    }

    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Removes the table's first entry.
    pub fn pop_min(&self) -> sled::Result<Option<(sled::IVec, sled::IVec)>> {
        let Some(first) = self.iter().next().transpose()? else {
            return Ok(None);
        };
        self.remove(&first.0)?;
        Ok(Some(first))
    }
}
