//! `lianfang migrate`: converts a store of an older layout into a new store of the
//! current one. From layout 4 (records and identity numbers in plain): every record
//! sealed with the hall key, the identity-number and phone indexes rebuilt as keyed
//! hashes. From layouts 5 to 9 (sealed, with the same key): records and indexes copied
//! byte for byte. All: the ledger's entries that the old layout lacks or keeps in an older
//! form written from the visits and matters, the pair indexes of layouts before 9 gathered
//! into lists ([`keys::is_list`]), everything else copied.
//! Nothing is dropped but layout 4's plain index terms and the indexes of visits and
//! matters by time (before layout 8; the ledgers' entries are keyed the same way); the
//! old store is only read, so a failed migration leaves it as it was.

use std::path::Path;

use super::check::{check, CheckReport};
use super::keys::{self, TreeId};
use super::table::BulkWriter;
use super::{
    existing_tree, open_db, stored_layout, Result, Store, StoreError, KEY_CHECK, LAYOUT,
    LAYOUT_KEY, LEGACY_META,
};
use crate::domain::visitor::Visitor;

/// The layouts this module converts from.
pub const FROM_LAYOUTS: [u32; 6] = [4, 5, 6, 7, 8, 9];

/// The first layout whose pair indexes are lists.
const LISTS_SINCE: u32 = 9;

/// What a migration copied, and the check of the new store.
#[derive(Debug)]
pub struct Migrated {
    /// The layout migrated from.
    pub from: u32,
    pub records: u64,
    /// Ledger entries written (one per visit and one per matter).
    pub entries: u64,
    pub check: CheckReport,
}

/// The ledger's entries (sealed, derived from the records).
const LEDGER: [TreeId; 2] = [TreeId::LedgerVisits, TreeId::LedgerMatters];

/// Trees holding records (sealed since layout 5); the others are the meta tree, the
/// statistics' day counts, the indexes and the ledger's entries.
fn holds_records(tree: TreeId) -> bool {
    tree != TreeId::Meta
        && tree != TreeId::Stats
        && !TreeId::INDEXES.contains(&tree)
        && !LEDGER.contains(&tree)
}

/// The ledger trees a store of layout `from` lacks (before 6) or keeps in an older form
/// (6: matter entries without their row): written afresh, not copied.
fn rebuilt(from: u32) -> &'static [TreeId] {
    match from {
        ..=5 => &LEDGER,
        6 => &[TreeId::LedgerMatters],
        _ => &[],
    }
}

/// Index entries of layout 4 that held identity numbers or phones in plain: the keyed
/// trees and the identity-number prefix buckets.
fn plain_sensitive(tree: TreeId, key: &[u8]) -> bool {
    keys::is_keyed(tree)
        || (tree == TreeId::IxPrefix && key.first() == Some(&(TreeId::IxIdNumber as u8)))
}

/// Copies the store at `old` (layout 4 to 9) into a new store at `new` (which must not
/// hold a store yet) sealed with the key in `key_file` (created if missing for layout 4;
/// a sealed store's own key), then checks it.
pub fn migrate(old: &Path, new: &Path, key_file: &Path, cache_mb: u64) -> Result<Migrated> {
    let source = open_db(old, cache_mb)?;
    let from = stored_layout(&source)?.unwrap_or(0);
    // Every layout this converts from kept its tables as trees of their own.
    let source_meta = match existing_tree(&source, LEGACY_META)? {
        Some(meta) if FROM_LAYOUTS.contains(&from) => meta,
        _ => {
            return Err(StoreError::Layout {
                found: from,
                expected: LAYOUT,
            })
        }
    };
    let sealed = from >= 5;
    let target = Store::open(new, cache_mb, key_file)?;
    if sealed && source_meta.get(KEY_CHECK)?.as_deref() != Some(&target.crypt.check_value()[..]) {
        return Err(StoreError::WrongKey {
            path: key_file.display().to_string(),
        });
    }
    let names = source.tree_names();
    let (mut records, mut entries) = (0, 0);
    let mut out = BulkWriter::new(&target);
    for tree in TreeId::ALL {
        // Trees newer than the old layout are not in the old store; ledger trees in an
        // older form are written afresh below. Trees the current layout no longer has are
        // not in `ALL`.
        if rebuilt(from).contains(&tree)
            || !names.iter().any(|n| n.as_ref() == tree.name().as_bytes())
        {
            continue;
        }
        let from_tree = source.open_tree(tree.name())?;
        if keys::is_list(tree) && from < LISTS_SINCE {
            gather_lists(&from_tree, tree, &mut out)?;
            continue;
        }
        for item in from_tree.iter() {
            let (key, value) = item?;
            let value = if tree == TreeId::Meta {
                // The new store has its own layout stamp and key check.
                if key.as_ref() == LAYOUT_KEY || key.as_ref() == KEY_CHECK {
                    continue;
                }
                value.to_vec()
            } else if holds_records(tree) {
                records += 1;
                if sealed {
                    value.to_vec()
                } else {
                    target.crypt.seal(tree, &key, &value)
                }
            } else if !sealed && plain_sensitive(tree, &key) {
                continue;
            } else {
                entries += u64::from(LEDGER.contains(&tree));
                value.to_vec()
            };
            out.insert(tree, &key, value)?;
        }
    }
    out.finish()?;
    if !sealed {
        // The keyed terms, derived from the records now sealed.
        let mut out = BulkWriter::new(&target);
        for visitor in target.all::<Visitor>() {
            for entry in target.index_entries(&visitor?) {
                if keys::is_keyed(entry.tree) {
                    out.insert(entry.tree, &entry.key, entry.value)?;
                }
            }
        }
        out.finish()?;
    }
    entries += target.rebuild_entries(rebuilt(from))?;
    target.flush()?;
    Ok(Migrated {
        from,
        records,
        entries,
        check: check(&target)?,
    })
}

/// Writes the pair keys of an older layout's `pairs` (`owner ‖ member`, in order) as one
/// list per owner. A key that is not a pair belongs to no record (the old store's check
/// reports it as an entry without one) and is not copied.
fn gather_lists(pairs: &sled::Tree, tree: TreeId, out: &mut BulkWriter) -> Result<()> {
    let mut owner = None;
    let mut members = Vec::new();
    for key in pairs.iter().keys() {
        let Some((a, b)) = keys::split_pair(&key?) else {
            continue;
        };
        if owner != Some(a) {
            if let Some(done) = owner.replace(a) {
                out.insert(tree, &keys::id_key(done), keys::list_value(&members))?;
            }
            members.clear();
        }
        members.push(b);
    }
    if let Some(done) = owner {
        out.insert(tree, &keys::id_key(done), keys::list_value(&members))?;
    }
    Ok(())
}

/// The layout the store at `db` is stamped with; none for a missing or empty store.
pub fn layout_of(db: &Path, cache_mb: u64) -> Result<Option<u32>> {
    if !db.exists() {
        return Ok(None);
    }
    stored_layout(&open_db(db, cache_mb)?)
}
