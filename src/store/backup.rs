//! Backup files: a consistent copy of every tree, and its restore into a new store.
//!
//! Layout: the magic line, a length-prefixed [`BackupHeader`] (through the
//! codec), then entries `[tree index u8][key len u32][key][value len u32][value]`,
//! an end byte [`END`], and the SHA-256 of everything before it. The copy is
//! taken with the write lock held, so it is one state between two commands;
//! readers go on meanwhile, commands wait.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::keys::TreeId;
use super::table::BulkWriter;
use super::{codec, Store, StoreError, LAYOUT, LAYOUT_KEY};

/// Bump when the layout above changes.
pub const BACKUP_FORMAT: u32 = 1;
const MAGIC: &[u8; 16] = b"LIANFANG-BACKUP\n";
const END: u8 = 0xFF;
const DIGEST: usize = 32;
/// No key or value comes near this; a longer length is a damaged file.
const MAX_ENTRY: usize = 64 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupHeader {
    pub format: u32,
    /// The store's key layout ([`LAYOUT`]) when the copy was taken.
    pub layout: u32,
    /// When the copy was taken, RFC 3339 in the hall's time zone.
    pub created: String,
    pub hall: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("备份文件读写失败：{0}。请检查路径、磁盘空间和权限")]
    Io(#[from] io::Error),
    #[error("这不是联访的备份文件（开头不对）。请确认文件名")]
    NotABackup,
    #[error("备份文件校验和不符：文件已损坏或不完整，不能用于恢复。请换一份备份")]
    Checksum,
    #[error("备份文件是第 {found} 版格式，本程序能恢复第 {expected} 版。请用制作备份的那个版本的联访程序恢复")]
    Format { found: u32, expected: u32 },
    #[error("备份中的索引格式是第 {found} 版，本程序使用第 {expected} 版。请用制作备份的那个版本的联访程序恢复")]
    Layout { found: u32, expected: u32 },
    #[error("恢复需要制作这份备份的大厅的密钥文件，但 {0} 不存在。请先把那个大厅的密钥文件复制到这里（或在配置 [store] key_file 中写明它的位置），再恢复")]
    KeyMissing(String),
    #[error("备份文件内容有误：{0}。请换一份备份")]
    Damaged(String),
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// A writer that hashes what passes through it.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn write_chunk(w: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    // Fits: keys, values and the header are far below 4 GiB.
    w.write_all(&(bytes.len() as u32).to_be_bytes())?;
    w.write_all(bytes)
}

/// Writes a complete backup of `store` to `out`; returns the number of entries.
pub fn export(store: &Store, header: &BackupHeader, out: impl Write) -> Result<u64, BackupError> {
    let mut w = Hashing {
        inner: BufWriter::new(out),
        hash: Sha256::new(),
    };
    w.write_all(MAGIC)?;
    let header = codec::to_bytes(header).map_err(|e| BackupError::Damaged(e.to_string()))?;
    write_chunk(&mut w, &header)?;
    let mut entries = 0;
    {
        // No command commits while the copy is taken.
        let _writers_wait = store.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        for tree in TreeId::ALL {
            for item in store.tree(tree).iter() {
                let (key, value) = item.map_err(StoreError::from)?;
                w.write_all(&[tree.index() as u8])?;
                write_chunk(&mut w, &key)?;
                write_chunk(&mut w, &value)?;
                entries += 1;
            }
        }
    }
    w.write_all(&[END])?;
    let digest = w.hash.finalize_reset();
    w.inner.write_all(&digest)?;
    w.inner.flush()?;
    Ok(entries)
}

/// Checks the magic, the checksum and the versions of a backup file; returns its header.
pub fn verify(path: &Path) -> Result<BackupHeader, BackupError> {
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    let mut magic = [0u8; MAGIC.len()];
    if len < (MAGIC.len() + DIGEST) as u64
        || file.read_exact(&mut magic).is_err()
        || &magic != MAGIC
    {
        return Err(BackupError::NotABackup);
    }
    file.rewind()?;
    let mut hash = Sha256::new();
    io::copy(
        &mut BufReader::new(&mut file).take(len - DIGEST as u64),
        &mut hash,
    )?;
    let mut stored = [0u8; DIGEST];
    file.seek(SeekFrom::Start(len - DIGEST as u64))?;
    file.read_exact(&mut stored)?;
    if hash.finalize().as_slice() != stored {
        return Err(BackupError::Checksum);
    }
    read_header(&mut BufReader::new(File::open(path)?))
}

fn read_header(r: &mut impl Read) -> Result<BackupHeader, BackupError> {
    let mut magic = [0u8; MAGIC.len()];
    r.read_exact(&mut magic)?;
    if &magic != MAGIC {
        return Err(BackupError::NotABackup);
    }
    let header: BackupHeader = codec::from_bytes(&read_chunk(r)?)
        .map_err(|e| BackupError::Damaged(format!("文件头：{e}")))?;
    if header.format != BACKUP_FORMAT {
        return Err(BackupError::Format {
            found: header.format,
            expected: BACKUP_FORMAT,
        });
    }
    if !RESTORES_LAYOUTS.contains(&header.layout) {
        return Err(BackupError::Layout {
            found: header.layout,
            expected: LAYOUT,
        });
    }
    Ok(header)
}

fn read_chunk(r: &mut impl Read) -> Result<Vec<u8>, BackupError> {
    let mut len = [0u8; 4];
    r.read_exact(&mut len)?;
    let len = u32::from_be_bytes(len) as usize;
    if len > MAX_ENTRY {
        return Err(BackupError::Damaged(format!("记录长度 {len} 字节")));
    }
    let mut bytes = vec![0; len];
    r.read_exact(&mut bytes)?;
    Ok(bytes)
}

/// The layouts whose backups restore into this one: entries name their table, layout 10
/// changed only where sled keeps the tables ([`super::table`]), not what they hold,
/// layout 11 only the stamp, and layout 12 only when lookup keys are removed.
const RESTORES_LAYOUTS: [u32; 4] = [9, 10, 11, LAYOUT];

/// Verifies `backup`, then fills the new store at `db_path` with it. Returns the
/// header and the number of entries. The caller makes sure `db_path` is new. The
/// records are sealed with the backed-up hall's key, so `key_file` must hold that key.
pub fn restore(
    backup: &Path,
    db_path: &Path,
    cache_mb: u64,
    key_file: &Path,
) -> Result<(BackupHeader, u64), BackupError> {
    let header = verify(backup)?;
    let mut r = BufReader::new(File::open(backup)?);
    read_header(&mut r)?;
    if !key_file.exists() {
        return Err(BackupError::KeyMissing(key_file.display().to_string()));
    }
    let store = Store::open(db_path, cache_mb, key_file)?;
    let mut out = BulkWriter::new(&store);
    let mut entries = 0;
    loop {
        let mut tag = [0u8; 1];
        r.read_exact(&mut tag)?;
        if tag[0] == END {
            break;
        }
        let tree = *TreeId::ALL
            .get(usize::from(tag[0]))
            .ok_or_else(|| BackupError::Damaged(format!("未知的数据表 {}", tag[0])))?;
        let key = read_chunk(&mut r)?;
        let value = read_chunk(&mut r)?;
        entries += 1;
        // The new store keeps its own stamp: a layout-9 backup carries 9.
        if tree == TreeId::Meta && key == LAYOUT_KEY {
            continue;
        }
        out.insert(tree, &key, value)?;
    }
    out.finish()?;
    store.flush()?;
    // The backup's key check value has replaced the new store's own.
    store.verify_key(key_file)?;
    Ok((header, entries))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> BackupHeader {
        BackupHeader {
            format: BACKUP_FORMAT,
            layout: LAYOUT,
            created: "2026-11-27T10:00:00+08:00".into(),
            hall: "测试大厅".into(),
        }
    }

    /// A store in `dir` whose visitor counter is 41, and its key file.
    fn store_with_a_counter(dir: &Path) -> (Store, std::path::PathBuf) {
        let key = dir.join("hall.key");
        let source = Store::open(&dir.join("source"), 8, &key).unwrap();
        source
            .write(|w| {
                w.set_counter("seq.visitor", 41);
                Ok::<_, StoreError>(())
            })
            .unwrap();
        (source, key)
    }

    #[test]
    fn a_backup_round_trips_and_a_flipped_byte_is_caught() {
        let dir = tempfile::tempdir().unwrap();
        let (source, key) = store_with_a_counter(dir.path());
        let file = dir.path().join("b.lfbak");
        let entries = export(&source, &header(), File::create(&file).unwrap()).unwrap();
        assert!(entries >= 2, "the layout stamp and the counter");
        assert_eq!(verify(&file).unwrap(), header());

        let (read, restored) = restore(&file, &dir.path().join("db"), 8, &key).unwrap();
        assert_eq!((read, restored), (header(), entries));
        let copy = Store::open(&dir.path().join("db"), 8, &key).unwrap();
        assert_eq!(copy.counter("seq.visitor").unwrap(), 41);
        drop(copy);

        // Without the hall's key there is no restore: none, or another hall's.
        let missing = dir.path().join("missing.key");
        let err = restore(&file, &dir.path().join("db2"), 8, &missing).unwrap_err();
        assert!(matches!(err, BackupError::KeyMissing(_)), "{err}");
        let other = dir.path().join("other.key");
        crate::store::crypt::Crypt::create(&other).unwrap();
        let err = restore(&file, &dir.path().join("db3"), 8, &other).unwrap_err();
        assert!(err.to_string().contains("不是这个数据目录的密钥"), "{err}");

        let mut bytes = std::fs::read(&file).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 1;
        std::fs::write(&file, &bytes).unwrap();
        assert!(matches!(verify(&file), Err(BackupError::Checksum)));
        std::fs::write(&file, b"not a backup at all, but long enough to be read").unwrap();
        assert!(matches!(verify(&file), Err(BackupError::NotABackup)));
    }

    #[test]
    fn a_layout_9_backup_restores_into_this_layout_and_a_layout_8_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (source, key) = store_with_a_counter(dir.path());
        // What a layout-9 hall's backup holds: the same tables, stamped 9.
        let meta = source.tree(TreeId::Meta);
        meta.insert(LAYOUT_KEY, &9u32.to_be_bytes()[..]).unwrap();
        for (layout, restores) in [(9, true), (8, false)] {
            let file = dir.path().join(format!("{layout}.lfbak"));
            let old = BackupHeader { layout, ..header() };
            export(&source, &old, File::create(&file).unwrap()).unwrap();
            let db = dir.path().join(format!("db{layout}"));
            match restore(&file, &db, 8, &key) {
                Ok(_) if restores => {
                    let copy = Store::open(&db, 8, &key).unwrap();
                    assert_eq!(copy.counter("seq.visitor").unwrap(), 41);
                }
                Err(BackupError::Layout { found: 8, .. }) if !restores => {}
                other => panic!("layout {layout}: {other:?}"),
            }
        }
    }
}
