//! `lianfang migrate`: converts a layout-4 store (records and identity numbers in
//! plain) into a new layout-5 store: every record sealed with the hall key, the
//! identity-number and phone indexes rebuilt as keyed hashes, everything else copied
//! byte for byte. Nothing is dropped but the plain index terms; the old store is only
//! read, so a failed migration leaves it as it was.

use std::path::Path;

use super::check::{check, CheckReport};
use super::keys::{self, TreeId};
use super::{open_db, Result, Store, StoreError, KEY_CHECK, LAYOUT_KEY};
use crate::domain::visitor::Visitor;

/// The layout this module converts from.
pub const FROM_LAYOUT: u32 = 4;

/// Entries written to sled at once.
const BATCH: usize = 10_000;

/// What a migration copied, and the check of the new store.
#[derive(Debug)]
pub struct Migrated {
    pub records: u64,
    pub check: CheckReport,
}

/// Trees holding records (sealed in layout 5); the others are the meta tree, the
/// statistics' day counts and the indexes.
fn holds_records(tree: TreeId) -> bool {
    tree != TreeId::Meta && tree != TreeId::Stats && !TreeId::INDEXES.contains(&tree)
}

/// Index entries of layout 4 that held identity numbers or phones in plain: the keyed
/// trees and the identity-number prefix buckets.
fn plain_sensitive(tree: TreeId, key: &[u8]) -> bool {
    keys::is_keyed(tree)
        || (tree == TreeId::IxPrefix && key.first() == Some(&(TreeId::IxIdNumber as u8)))
}

/// The layout stamped in a store's meta tree (none: an empty store).
fn stamped_layout(meta: &sled::Tree) -> Result<Option<u32>> {
    Ok(meta
        .get(LAYOUT_KEY)?
        .map(|v| <[u8; 4]>::try_from(v.as_ref()).map_or(0, u32::from_be_bytes)))
}

/// Copies the layout-4 store at `old` into a new store at `new` (which must not hold a
/// store yet) sealed with the key in `key_file` (created if missing), then checks it.
pub fn migrate(old: &Path, new: &Path, key_file: &Path, cache_mb: u64) -> Result<Migrated> {
    let source = open_db(old, cache_mb)?;
    let found = stamped_layout(&source.open_tree(TreeId::Meta.name())?)?.unwrap_or(0);
    if found != FROM_LAYOUT {
        return Err(StoreError::Layout {
            found,
            expected: FROM_LAYOUT,
        });
    }
    let target = Store::open(new, cache_mb, key_file)?;
    let mut records = 0;
    for tree in TreeId::ALL {
        let from = source.open_tree(tree.name())?;
        let mut batch = sled::Batch::default();
        let mut pending = 0;
        for item in from.iter() {
            let (key, value) = item?;
            let value = if tree == TreeId::Meta {
                // The new store has its own layout stamp and key check.
                if key.as_ref() == LAYOUT_KEY || key.as_ref() == KEY_CHECK {
                    continue;
                }
                value.to_vec()
            } else if holds_records(tree) {
                records += 1;
                target.crypt.seal(tree, &key, &value)
            } else if plain_sensitive(tree, &key) {
                continue;
            } else {
                value.to_vec()
            };
            batch.insert(key.as_ref(), value);
            pending += 1;
            if pending == BATCH {
                target.tree(tree).apply_batch(std::mem::take(&mut batch))?;
                pending = 0;
            }
        }
        target.tree(tree).apply_batch(batch)?;
    }
    // The keyed terms, derived from the records now sealed.
    for visitor in target.all::<Visitor>() {
        for entry in target.index_entries(&visitor?) {
            if keys::is_keyed(entry.tree) {
                target.tree(entry.tree).insert(entry.key, entry.value)?;
            }
        }
    }
    target.flush()?;
    Ok(Migrated {
        records,
        check: check(&target)?,
    })
}

/// Whether the store at `db` is stamped with `layout`; false for a missing store.
pub fn has_layout(db: &Path, layout: u32, cache_mb: u64) -> Result<bool> {
    if !db.exists() {
        return Ok(false);
    }
    let source = open_db(db, cache_mb)?;
    Ok(stamped_layout(&source.open_tree(TreeId::Meta.name())?)? == Some(layout))
}
