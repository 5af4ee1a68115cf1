//! The store: the only module that knows sled.
//!
//! Records live in one table per type ([`table`]: key ranges of one sled tree);
//! secondary indexes are derived from the records by [`keys`] and written in the same
//! batch. Writers are serialised by one lock, so a command's reads and its writes see
//! one state, and every commit is flushed before the command is acknowledged.

pub mod backup;
pub mod check;
pub mod codec;
mod counts;
pub mod crypt;
mod format8;
pub mod keys;
mod ledger_entries;
pub mod migrate;
mod prune;
mod snapshots;
pub mod table;
mod tallies;

pub use tallies::Tallies;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::domain::stats::TallyRules;
use crypt::Crypt;
use keys::{IndexEntry, Stored, TreeId};
use table::{Batch, Table, TABLES};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("数据目录 {path} 无法打开：{message}。如果另一个联访程序正在使用它，请先关闭那个程序，或改用 --server 连接服务器")]
    Open { path: String, message: String },
    #[error("数据库读写失败：{0}。请检查磁盘空间和数据目录的权限")]
    Sled(String),
    #[error("记录已损坏（{tree} / {key}）：{message}。请运行 lianfang check 并联系管理员")]
    Corrupt {
        tree: &'static str,
        key: String,
        message: String,
    },
    /// An append-only record (the audit) was about to be overwritten.
    #[error("记录已存在（{tree} / {key}），只能追加不能覆盖。请运行 lianfang check 并联系管理员")]
    Exists { tree: &'static str, key: String },
    #[error("数据目录的索引格式是第 {found} 版，本程序使用第 {expected} 版。第 4 版（未加密）至第 9 版的数据目录请先运行 lianfang migrate 迁移；其他版本请用与数据相同版本的联访程序打开，或换一个新的数据目录")]
    Layout { found: u32, expected: u32 },
    #[error("找不到大厅密钥文件 {path}，而数据目录里已有加密的数据。请把这个大厅的密钥文件放回 {path}（或在配置 [store] key_file 中写明它的位置）；不会生成新的密钥，因为新密钥打不开已有的数据")]
    KeyMissing { path: String },
    #[error(
        "大厅密钥文件 {path} 无法使用：{message}。请检查这个文件和它的权限，或从密钥备份中恢复它"
    )]
    KeyFile { path: String, message: String },
    #[error("大厅密钥文件 {path} 不是这个数据目录的密钥（数据是用另一把密钥加密的）。请换上这个大厅自己的密钥文件")]
    WrongKey { path: String },
    #[error("磁盘已满，这项操作没有保存（{0}）。请清理数据目录所在磁盘的空间，然后重新启动联访；已经保存的数据不受影响")]
    DiskFull(String),
    #[error("数据目录不可写（只读的磁盘或没有写权限）：{0}。请把数据目录放在可写的磁盘上，或请管理员检查挂载方式和目录权限")]
    ReadOnly(String),
}

impl From<sled::Error> for StoreError {
    fn from(e: sled::Error) -> Self {
        io_kind(&e)
            .and_then(|kind| storage_fault(kind, e.to_string()))
            .unwrap_or_else(|| StoreError::Sled(e.to_string()))
    }
}

fn io_kind(e: &sled::Error) -> Option<std::io::ErrorKind> {
    match e {
        sled::Error::Io(io) => Some(io.kind()),
        _ => None,
    }
}

fn open_error(path: &Path, kind: Option<std::io::ErrorKind>, message: String) -> StoreError {
    let path = path.display().to_string();
    kind.and_then(|k| storage_fault(k, format!("{path}：{message}")))
        .unwrap_or(StoreError::Open { path, message })
}

/// A full disk and a read-only directory are the operator's to fix, so they are
/// named as such rather than as a database failure.
fn storage_fault(kind: std::io::ErrorKind, detail: String) -> Option<StoreError> {
    use std::io::ErrorKind::*;
    match kind {
        StorageFull | QuotaExceeded | FileTooLarge => Some(StoreError::DiskFull(detail)),
        ReadOnlyFilesystem | PermissionDenied => Some(StoreError::ReadOnly(detail)),
        _ => None,
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

pub struct Store {
    /// Removes superseded lookup keys ([`prune`]); first, so it finishes before the
    /// database closes.
    pruner: prune::Pruner,
    db: sled::Db,
    /// Every table ([`table`]).
    tables: sled::Tree,
    write_lock: Mutex<()>,
    /// Counts the commits of this opening: a view built at one count is current while it
    /// holds ([`Store::generation`]).
    generation: AtomicU64,
    /// The waiting tickets of each department's queue, counted ([`counts`]).
    term_counts: counts::TermCounts,
    /// How records count in the statistics; none: no day counts are kept.
    tally_rules: Option<TallyRules>,
    /// Seals the records and hashes the sensitive index terms.
    crypt: Crypt,
    /// The hall key file this opening created (a new hall), to tell the operator.
    created_key: Option<PathBuf>,
}

fn corrupt(tree: TreeId, key: &[u8], e: codec::CodecError) -> StoreError {
    corrupt_value(tree.name(), key, e)
}

/// The members of a list index's stored value ([`keys::is_list`]).
fn decode_list(tree: TreeId, key: &[u8], value: &[u8]) -> Result<Vec<u64>> {
    keys::list_members(value).ok_or_else(|| StoreError::Corrupt {
        tree: tree.name(),
        key: format!("{key:02x?}"),
        message: format!("列表长 {} 字节，不是按顺序排列的编号", value.len()),
    })
}

fn corrupt_value(tree: &'static str, key: &[u8], e: codec::CodecError) -> StoreError {
    StoreError::Corrupt {
        tree,
        key: format!("{key:02x?}"),
        message: e.to_string(),
    }
}

/// Version of the key layout `keys` derives (4: open matters by department, visits and
/// matters by time, the statistics' day counts, login guards; 5: records sealed with the
/// hall key, identity numbers and phones indexed by keyed hash; 6: the visit and matter
/// ledgers' entries; 7: a matter's entry holds its whole ledger row; 8: no indexes of
/// visits and matters by time, the ledgers' entries are keyed the same way; 9: a
/// visitor's visits and matters and a matter's audit records kept as one list each,
/// [`keys::is_list`]; 10: every table a key range of one sled tree, [`table`]; 11: the
/// keys of layout 10, stamped anew because its records may be of format 9, which a program
/// of layout 10 cannot read and would overwrite as if they were not there; 12: the
/// keys of layout 10, and a visitor's lookup keys under earlier visits that wait for the
/// pruner ([`prune`]), which a program of layout 11 would not remove with their term). A
/// data directory written with another layout would answer lookups wrongly, so it is
/// refused at open; layouts 4 to 9 are converted by [`migrate`], layouts 10 and 11 are
/// opened as they are.
pub const LAYOUT: u32 = 12;
/// The layouts opened as they are, stamped [`LAYOUT`] at open: those with its keys.
pub const SAME_KEYS: [u32; 3] = [10, 11, LAYOUT];
const LAYOUT_KEY: &[u8] = b"store.layout";
/// The hall key's check value ([`Crypt::check_value`]) in the meta table.
const KEY_CHECK: &[u8] = b"store.key_check";
/// The sled tree that held the meta table before layout 10, one tree per table.
const LEGACY_META: &str = "meta";

/// The layout a store's meta table (or, before layout 10, its meta tree) is stamped
/// with: none for an empty store; 2 for a store written before the stamp existed.
/// Only reads: a tree that is not there is not created.
fn stored_layout(db: &sled::Db) -> Result<Option<u32>> {
    let stamp = |v: sled::IVec| <[u8; 4]>::try_from(v.as_ref()).map_or(0, u32::from_be_bytes);
    if let Some(tables) = existing_tree(db, TABLES)? {
        let meta = Table::new(&tables, TreeId::Meta);
        return Ok(Some(meta.get(LAYOUT_KEY)?.map_or(2, stamp)));
    }
    Ok(existing_tree(db, LEGACY_META)?
        .map(|meta| meta.get(LAYOUT_KEY))
        .transpose()?
        .map(|found| found.map_or(2, stamp)))
}

/// The tree `name` of `db` if it is there and holds something.
fn existing_tree(db: &sled::Db, name: &str) -> Result<Option<sled::Tree>> {
    if !db.tree_names().iter().any(|n| n == name.as_bytes()) {
        return Ok(None);
    }
    let tree = db.open_tree(name)?;
    Ok((!tree.is_empty()).then_some(tree))
}

/// Stamps a new store, or one of the [`SAME_KEYS`] layouts, with [`LAYOUT`]; refuses one
/// stamped with another (before creating anything in it). Returns the tables.
fn check_layout(db: &sled::Db) -> Result<sled::Tree> {
    let found = stored_layout(db)?;
    if let Some(found) = found.filter(|found| !SAME_KEYS.contains(found)) {
        return Err(StoreError::Layout {
            found,
            expected: LAYOUT,
        });
    }
    let tables = db.open_tree(TABLES)?;
    if found != Some(LAYOUT) {
        // Before this program writes a record: from now on the previous one refuses it.
        Table::new(&tables, TreeId::Meta).insert(LAYOUT_KEY, &LAYOUT.to_be_bytes())?;
    }
    Ok(tables)
}

/// Records a new store's key check value; refuses a key whose value differs.
fn check_key(meta: Table, crypt: &Crypt, key_file: &Path) -> Result<()> {
    match meta.get(KEY_CHECK)? {
        Some(stored) if stored.as_ref() == crypt.check_value() => Ok(()),
        Some(_) => Err(StoreError::WrongKey {
            path: key_file.display().to_string(),
        }),
        None => {
            meta.insert(KEY_CHECK, &crypt.check_value())?;
            Ok(())
        }
    }
}

/// The hall key for the store at `meta`: the key file's, or a new one for a store that
/// holds nothing sealed yet (no check value); never a new key for existing data.
fn hall_key(meta: Table, key_file: &Path) -> Result<(Crypt, Option<PathBuf>)> {
    match Crypt::load(key_file)? {
        Some(crypt) => Ok((crypt, None)),
        None if meta.get(KEY_CHECK)?.is_none() => {
            Ok((Crypt::create(key_file)?, Some(key_file.to_path_buf())))
        }
        None => Err(StoreError::KeyMissing {
            path: key_file.display().to_string(),
        }),
    }
}

/// How long an opening waits for a file lock held by this process's own database just
/// dropped: sled lets go of the lock only when its flusher thread has exited, a moment
/// after the last handle is gone (sled issues #1234, #1289), which restore-then-check and
/// migrate run into under load.
const LOCK_WAIT: Duration = Duration::from_secs(3);

fn open_db(path: &Path, cache_mb: u64) -> Result<sled::Db> {
    snapshots::remove_unfinished(path)
        .map_err(|e| open_error(path, Some(e.kind()), e.to_string()))?;
    let config = sled::Config::new()
        .path(path)
        .cache_capacity(cache_mb * 1024 * 1024);
    open_waiting(&config, LOCK_WAIT).map_err(|e| open_error(path, io_kind(&e), e.to_string()))
}

/// Opens a sled database, waiting up to `wait` for a lock held by a handle this process
/// has just dropped ([`LOCK_WAIT`]); another program's lock is reported after the wait.
/// Also for tests and benchmarks that open a hall's database with sled alone.
pub fn open_waiting(config: &sled::Config, wait: Duration) -> sled::Result<sled::Db> {
    let started = Instant::now();
    loop {
        match config.open() {
            // The words sled uses for a held lock.
            Err(e) if e.to_string().contains("acquire lock") && started.elapsed() < wait => {
                std::thread::sleep(Duration::from_millis(50));
            }
            opened => return opened,
        }
    }
}

impl Store {
    /// Opens (or creates) the store at `path` with the hall key in `key_file`, which a
    /// new store creates.
    pub fn open(path: &Path, cache_mb: u64, key_file: &Path) -> Result<Store> {
        let db = open_db(path, cache_mb)?;
        let tables = check_layout(&db)?;
        let meta = Table::new(&tables, TreeId::Meta);
        let (crypt, created_key) = hall_key(meta, key_file)?;
        check_key(meta, &crypt, key_file)?;
        Ok(Store::from_db(db, tables, crypt, created_key))
    }

    /// A throw-away store for tests and `--demo`, with a key that lives in memory only.
    pub fn temporary() -> Result<Store> {
        let db = sled::Config::new().temporary(true).open()?;
        let tables = check_layout(&db)?;
        let crypt = Crypt::ephemeral();
        check_key(
            Table::new(&tables, TreeId::Meta),
            &crypt,
            Path::new("（临时）"),
        )?;
        Ok(Store::from_db(db, tables, crypt, None))
    }

    fn from_db(
        db: sled::Db,
        tables: sled::Tree,
        crypt: Crypt,
        created_key: Option<PathBuf>,
    ) -> Store {
        Store {
            pruner: prune::Pruner::start(tables.clone()),
            db,
            tables,
            write_lock: Mutex::new(()),
            generation: AtomicU64::new(0),
            term_counts: counts::TermCounts::default(),
            tally_rules: None,
            crypt,
            created_key,
        }
    }

    /// Refuses the store if its key check value is not this key's (after a restore).
    pub fn verify_key(&self, key_file: &Path) -> Result<()> {
        check_key(self.tree(TreeId::Meta), &self.crypt, key_file)
    }

    /// The hall key file this opening created, if it created one.
    pub fn created_key(&self) -> Option<&Path> {
        self.created_key.as_deref()
    }

    /// A stored record's bytes, unsealed and decoded; bytes that do not open under this
    /// hall key for this tree and key, or do not decode, are reported as corruption.
    pub(crate) fn unseal<T: Stored>(&self, key: &[u8], sealed: &[u8]) -> Result<T> {
        let plain = self.crypt.open(T::TREE, key, sealed).ok_or_else(|| {
            corrupt(
                T::TREE,
                key,
                codec::CodecError::Decode(
                    "无法解密：记录被改动或调换了位置，或不是用本大厅的密钥加密的".into(),
                ),
            )
        })?;
        T::decode(&plain).map_err(|e| corrupt(T::TREE, key, e))
    }

    /// A record's bytes as stored: encoded and sealed under its tree and key.
    fn seal<T: Stored>(&self, record: &T) -> Result<Vec<u8>> {
        let key = record.key();
        let plain = codec::encode(record).map_err(|e| corrupt(T::TREE, &key, e))?;
        Ok(self.crypt.seal(T::TREE, &key, &plain))
    }

    fn decode_record<T: Stored>(&self, key: &[u8], bytes: Option<&[u8]>) -> Result<Option<T>> {
        bytes.map(|b| self.unseal(key, b)).transpose()
    }

    /// A record's index entries as stored: keyed terms replaced by their keyed hash.
    pub fn index_entries<T: Stored>(&self, record: &T) -> Vec<IndexEntry> {
        let mut entries = record.indexes();
        for e in entries.iter_mut().filter(|e| keys::is_keyed(e.tree)) {
            if let Some(k) = keys::parse_lookup_key(&e.key) {
                let hashed = self.crypt.blind(e.tree, k.term);
                e.key = keys::with_term(&e.key, &hashed).unwrap_or_default();
            }
        }
        entries
    }

    /// The scan prefix that finds exactly `term` in `tree`, keyed if the tree is.
    pub fn term_prefix(&self, tree: TreeId, term: &str) -> Vec<u8> {
        if !keys::is_keyed(tree) {
            return keys::exact_prefix(term);
        }
        let mut prefix = self.crypt.blind(tree, term.as_bytes()).to_vec();
        prefix.push(0);
        prefix
    }

    pub(crate) fn tree(&self, id: TreeId) -> Table<'_> {
        self.pruner.note_read();
        Table::new(&self.tables, id)
    }

    /// Applies `batch` at once: all of it or, after a crash, none. Bulk copies write
    /// through here, around the writer, so the counted terms are counted again.
    pub(crate) fn apply(&self, batch: Batch) -> Result<()> {
        self.land(batch, None)
    }

    /// Every batch lands here, so the counted terms ([`counts`]) follow every write:
    /// `counted` is what a writer noted the batch changes in them. Without it (a bulk
    /// copy), or if the batch fails, the counts are forgotten after the batch — also any
    /// taken while it was landing — and counted again when next asked.
    fn land(&self, batch: Batch, counted: Option<&counts::CountChanges>) -> Result<()> {
        let applied = self.tables.apply_batch(batch.into_sled());
        match (&applied, counted) {
            (Ok(()), Some(changes)) => self.term_counts.add(changes),
            _ => self.term_counts.forget(),
        }
        Ok(applied?)
    }

    pub fn get<T: Stored>(&self, key: &[u8]) -> Result<Option<T>> {
        self.decode_record(key, self.tree(T::TREE).get(key)?.as_deref())
    }

    pub fn get_id<T: Stored>(&self, id: u64) -> Result<Option<T>> {
        self.get(&keys::id_key(id))
    }

    /// The members of `owner`'s list in a list index ([`keys::is_list`]), ascending:
    /// what scanning the pair keys under `id_key(owner)` gave before layout 9.
    pub fn list(&self, tree: TreeId, owner: u64) -> Result<Vec<u64>> {
        let key = keys::id_key(owner);
        match self.tree(tree).get(&key)? {
            Some(value) => decode_list(tree, &key, &value),
            None => Ok(Vec::new()),
        }
    }

    /// Whether an index entry is stored (in its owner's list, for a list index).
    pub fn has_entry(&self, entry: &IndexEntry) -> Result<bool> {
        match keys::list_entry(entry.tree, &entry.key) {
            Some((owner, member)) => Ok(self
                .list(entry.tree, owner)
                .is_ok_and(|members| members.binary_search(&member).is_ok())),
            None => Ok(self.tree(entry.tree).get(&entry.key)?.as_deref() == Some(&entry.value[..])),
        }
    }

    /// Every record of a type, in key order. For check, export and the demo.
    pub fn all<T: Stored>(&self) -> impl Iterator<Item = Result<T>> + '_ {
        self.tree(T::TREE).iter().map(|item| {
            let (k, v) = item?;
            self.unseal(&k, &v)
        })
    }

    /// Records of a type from `start` on, in key order, at most `limit`.
    pub fn range_from<T: Stored>(&self, start: &[u8], limit: usize) -> Result<Vec<T>> {
        self.tree(T::TREE)
            .range(start, None)
            .take(limit)
            .map(|item| {
                let (k, v) = item?;
                self.unseal(&k, &v)
            })
            .collect()
    }

    /// Keys and values of an index under `prefix`, in order, at most `limit`.
    pub fn scan(
        &self,
        tree: TreeId,
        prefix: &[u8],
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        self.tree(tree)
            .scan_prefix(prefix)
            .take(limit)
            .map(|item| {
                let (k, v) = item?;
                Ok((k.to_vec(), v.to_vec()))
            })
            .collect()
    }

    /// Calls `f` with each key and value under `prefix` in key order until it
    /// returns `false` or fails (a read it makes, such as the record an entry names).
    /// Returns whether every entry was seen.
    pub fn scan_while(
        &self,
        tree: TreeId,
        prefix: &[u8],
        mut f: impl FnMut(&[u8], &[u8]) -> Result<bool>,
    ) -> Result<bool> {
        for item in self.tree(tree).scan_prefix(prefix) {
            let (k, v) = item?;
            if !f(&k, &v)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Like [`Store::scan_while`], starting at the first key at or after `from`.
    pub fn scan_while_from(
        &self,
        tree: TreeId,
        prefix: &[u8],
        from: &[u8],
        mut f: impl FnMut(&[u8], &[u8]) -> bool,
    ) -> Result<bool> {
        for item in self.tree(tree).range(from, None) {
            let (k, v) = item?;
            if !k.starts_with(prefix) {
                break;
            }
            if !f(&k, &v) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Keys of `tree` in `[from, end)`, in order, at most `limit`: one page of a range scan.
    pub fn keys_between(
        &self,
        tree: TreeId,
        from: &[u8],
        end: &[u8],
        limit: usize,
    ) -> Result<Vec<Vec<u8>>> {
        if from >= end {
            return Ok(Vec::new());
        }
        self.tree(tree)
            .range(from, Some(end))
            .take(limit)
            .map(|item| Ok(item?.0.to_vec()))
            .collect()
    }

    /// Ids at the end of the index keys under `prefix`.
    pub fn scan_ids(&self, tree: TreeId, prefix: &[u8], limit: usize) -> Result<Vec<u64>> {
        Ok(self
            .scan(tree, prefix, limit)?
            .into_iter()
            .filter_map(|(k, _)| keys::trailing_id(&k))
            .collect())
    }

    pub fn counter(&self, name: &str) -> Result<u64> {
        Ok(self
            .tree(TreeId::Meta)
            .get(name.as_bytes())?
            .and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
            .map_or(0, u64::from_be_bytes))
    }

    pub fn is_empty_of<T: Stored>(&self) -> bool {
        self.tree(T::TREE).is_empty()
    }

    /// Runs `f` with the write lock held; what it stages is committed in one
    /// batch and flushed to disk before this returns `Ok`.
    pub fn write<R, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&mut Writer) -> std::result::Result<R, E>,
    ) -> std::result::Result<R, E> {
        let guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let mut writer = Writer {
            store: self,
            staged: BTreeMap::new(),
            stale_visits: BTreeSet::new(),
            stale_matters: BTreeSet::new(),
            stale_visitors: BTreeSet::new(),
            count_changes: BTreeMap::new(),
            superseded: Vec::new(),
            _guard: guard,
        };
        let result = f(&mut writer)?;
        writer.stage_entries()?;
        writer.commit()?;
        self.generation.fetch_add(1, Ordering::SeqCst);
        // The guard is dropped with the writer in commit, before the flush.
        // Flush outside the lock: concurrent commands share one fsync.
        self.db.flush().map_err(StoreError::from)?;
        Ok(result)
    }

    /// How many commands have committed since the store was opened. Read it before
    /// building a view from the store: the view is current while the count is the same.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    pub fn flush(&self) -> Result<()> {
        self.db.flush()?;
        Ok(())
    }

    pub fn size_on_disk(&self) -> Result<u64> {
        Ok(self.db.size_on_disk()?)
    }
}

/// Staged writes of one command: the final state of every key it touches.
pub struct Writer<'a> {
    store: &'a Store,
    staged: BTreeMap<(TreeId, Vec<u8>), Option<Vec<u8>>>,
    /// Visits, matters, and visitors' visits and matters, whose ledger entries are
    /// rewritten at commit.
    stale_visits: BTreeSet<u64>,
    stale_matters: BTreeSet<u64>,
    stale_visitors: BTreeSet<u64>,
    /// What this command changes in the counted terms ([`counts`]).
    count_changes: counts::CountChanges,
    /// Lookup keys this command's visits superseded, for the pruner ([`prune`]).
    superseded: Vec<Vec<u8>>,
    _guard: MutexGuard<'a, ()>,
}

impl Writer<'_> {
    fn raw_get(&self, tree: TreeId, key: &[u8]) -> Result<Option<Vec<u8>>> {
        if let Some(staged) = self.staged.get(&(tree, key.to_vec())) {
            return Ok(staged.clone());
        }
        Ok(self.store.tree(tree).get(key)?.map(|v| v.to_vec()))
    }

    /// Reads a record as this command has left it so far.
    pub fn get<T: Stored>(&self, key: &[u8]) -> Result<Option<T>> {
        self.store
            .decode_record(key, self.raw_get(T::TREE, key)?.as_deref())
    }

    pub fn get_id<T: Stored>(&self, id: u64) -> Result<Option<T>> {
        self.get(&keys::id_key(id))
    }

    pub fn store(&self) -> &Store {
        self.store
    }

    /// Stages a record and the index changes it implies. A lookup key the record's new
    /// visit supersedes is left to the pruner ([`Stored::RANKED_BY_VISIT`]); a term the
    /// record no longer has is removed with its keys under earlier visits.
    pub fn put<T: Stored>(&mut self, record: &T) -> Result<()> {
        let key = record.key();
        // A corrupt old value has unknown index entries; `check` reports those.
        let old: Option<T> = self.get(&key).ok().flatten();
        self.stage_tallies(old.as_ref(), record)?;
        self.note_stale(old.as_ref(), record);
        let old_entries = old
            .map(|o| self.store.index_entries(&o))
            .unwrap_or_default();
        let new_entries = self.store.index_entries(record);
        for e in &old_entries {
            if !T::RANKED_BY_VISIT {
                if !new_entries
                    .iter()
                    .any(|n| n.tree == e.tree && n.key == e.key)
                {
                    self.stage_index(e.tree, e.key.clone(), None)?;
                }
                continue;
            }
            // A lookup entry is kept as it is, or superseded by the same term and value
            // under a later visit; otherwise its term or value (a bucket's list of terms)
            // is gone, and so are its keys under earlier visits, or a lookup would find
            // the visitor by what they no longer have.
            if new_entries.contains(e) {
                continue;
            }
            let moved = |n: &IndexEntry| {
                n.tree == e.tree && n.value == e.value && keys::superseded_by(&e.key, &n.key)
            };
            if new_entries.iter().any(moved) {
                self.superseded.push(Table::full_key(e.tree, &e.key));
                continue;
            }
            self.remove_earlier_keys(e.tree, &e.key)?;
            self.stage_index(e.tree, e.key.clone(), None)?;
        }
        // Entries the old record already had, byte for byte, are not written again.
        for entry in new_entries {
            if !old_entries.contains(&entry) {
                let IndexEntry { tree, key, value } = entry;
                self.stage_index(tree, key, Some(value))?;
            }
        }
        self.stage_sealed(record)
    }

    /// Stages the removal of the keys of lookup key `key`'s visitor under its term and
    /// reading that earlier visits superseded and the pruner has not removed yet (after a
    /// crash, it never will).
    fn remove_earlier_keys(&mut self, tree: TreeId, key: &[u8]) -> Result<()> {
        let (Some(term), Some(id)) = (keys::lookup_term(key), keys::trailing_id(key)) else {
            return Ok(());
        };
        for item in self.store.tree(tree).scan_prefix(term) {
            let (earlier, _) = item?;
            if keys::trailing_id(&earlier) == Some(id) && keys::lookup_term(&earlier) == Some(term)
            {
                self.stage_index(tree, earlier.to_vec(), None)?;
            }
        }
        Ok(())
    }

    /// Stages an index entry (`Some(value)`) or its removal; the entry of a list index
    /// adds its member to, or takes it from, its owner's list ([`keys::is_list`]).
    fn stage_index(&mut self, tree: TreeId, key: Vec<u8>, value: Option<Vec<u8>>) -> Result<()> {
        let Some((owner, member)) = keys::list_entry(tree, &key) else {
            self.note_count(tree, &key, &value)?;
            self.staged.insert((tree, key), value);
            return Ok(());
        };
        let list_key = keys::id_key(owner);
        let mut members = match self.raw_get(tree, &list_key)? {
            Some(stored) => decode_list(tree, &list_key, &stored)?,
            None => Vec::new(),
        };
        match (members.binary_search(&member), value.is_some()) {
            (Err(at), true) => members.insert(at, member),
            (Ok(at), false) => {
                members.remove(at);
            }
            _ => return Ok(()),
        }
        let list = (!members.is_empty()).then(|| keys::list_value(&members));
        self.staged.insert((tree, list_key), list);
        Ok(())
    }

    /// Stages a record's sealed bytes alone, without the index changes it implies.
    fn stage_sealed<T: Stored>(&mut self, record: &T) -> Result<()> {
        let key = record.key();
        let sealed = self.store.seal(record)?;
        self.staged.insert((T::TREE, key), Some(sealed));
        Ok(())
    }

    /// Stages a record that must be new: append-only records (the audit) are never
    /// overwritten, so an existing key, stored or staged, is refused.
    pub fn append<T: Stored>(&mut self, record: &T) -> Result<()> {
        let key = record.key();
        if self.raw_get(T::TREE, &key)?.is_some() {
            return Err(StoreError::Exists {
                tree: T::TREE.name(),
                key: format!("{key:02x?}"),
            });
        }
        self.put(record)
    }

    /// The next value of a named counter (ids, ticket numbers), starting at 1.
    pub fn next(&mut self, name: &str) -> Result<u64> {
        let current = self
            .raw_get(TreeId::Meta, name.as_bytes())?
            .and_then(|v| <[u8; 8]>::try_from(v.as_slice()).ok())
            .map_or(0, u64::from_be_bytes);
        let next = current + 1;
        self.staged.insert(
            (TreeId::Meta, name.as_bytes().to_vec()),
            Some(next.to_be_bytes().to_vec()),
        );
        Ok(next)
    }

    /// Sets a named value in the meta tree (same encoding as the counters).
    pub fn set_counter(&mut self, name: &str, value: u64) {
        self.staged.insert(
            (TreeId::Meta, name.as_bytes().to_vec()),
            Some(value.to_be_bytes().to_vec()),
        );
    }

    fn commit(self) -> Result<()> {
        let mut batch = Batch::default();
        for ((tree, key), value) in &self.staged {
            match value {
                Some(v) => batch.insert(*tree, key, v.as_slice()),
                None => batch.remove(*tree, key),
            }
        }
        if batch.is_empty() {
            return Ok(());
        }
        self.store.land(batch, Some(&self.count_changes))?;
        self.store.pruner.supersede(self.superseded);
        Ok(())
    }
}
