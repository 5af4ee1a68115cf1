//! Sensitive data at rest: the hall key, record encryption and keyed index terms.
//!
//! The hall key is 32 random bytes in a file outside the data directory, so a copy of
//! the data directory (a stolen disk, a backup file) reads as noise without it. Three
//! keys are derived from it by domain-separated HMAC-SHA256: one seals every record
//! (XChaCha20-Poly1305, a random nonce per value, the tree name and record key as
//! associated data so a record cannot be moved to another key), one turns identity
//! numbers and phones in index keys into truncated HMACs, and one is a check value kept
//! in the store's meta tree so a wrong key file is refused at open.

use std::io::Write;
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use super::keys::TreeId;
use super::StoreError;

/// Bytes in a hall key file.
pub const KEY_BYTES: usize = 32;
/// Bytes of an HMAC kept as an index term or a check value: collisions among a hall's
/// few million terms are out of reach at 128 bits.
pub const TERM_BYTES: usize = 16;
/// First byte of a sealed value; a new cipher or envelope would get another.
const ENVELOPE_V1: u8 = 1;
const NONCE_BYTES: usize = 24;

/// The file name of the default key, beside the data directory: `<data dir name>.key`.
const KEY_SUFFIX: &str = "key";

/// Where the hall key lives: `configured` (relative paths count from the folder that
/// holds the data directory), else `<data dir>.key` beside the data directory.
pub fn key_path(data_dir: &Path, configured: Option<&Path>) -> PathBuf {
    let dir = data_dir
        .canonicalize()
        .or_else(|_| std::path::absolute(data_dir))
        .unwrap_or_else(|_| data_dir.to_path_buf());
    let parent = dir.parent().unwrap_or(&dir).to_path_buf();
    match configured {
        Some(p) => parent.join(p),
        None => {
            let name = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "lianfang".into());
            parent.join(format!("{name}.{KEY_SUFFIX}"))
        }
    }
}

/// The keys derived from one hall key.
pub struct Crypt {
    cipher: XChaCha20Poly1305,
    index: [u8; 32],
    check: [u8; TERM_BYTES],
}

fn derive(master: &[u8], purpose: &str) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(master).expect("HMAC takes any key");
    mac.update(b"lianfang 1 ");
    mac.update(purpose.as_bytes());
    mac.finalize().into_bytes().into()
}

fn key_error(path: &Path, message: impl std::fmt::Display) -> StoreError {
    StoreError::KeyFile {
        path: path.display().to_string(),
        message: message.to_string(),
    }
}

impl Crypt {
    pub fn from_master(master: &[u8; KEY_BYTES]) -> Crypt {
        let check = derive(master, "check");
        Crypt {
            cipher: XChaCha20Poly1305::new(&derive(master, "seal").into()),
            index: derive(master, "index"),
            check: check[..TERM_BYTES].try_into().expect("16 of 32 bytes"),
        }
    }

    /// A random key that lives only in memory: temporary stores and the demo.
    pub fn ephemeral() -> Crypt {
        Crypt::from_master(&random_key())
    }

    /// Reads the hall key file; none when it does not exist.
    pub fn load(path: &Path) -> Result<Option<Crypt>, StoreError> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(key_error(path, e)),
        };
        let master: [u8; KEY_BYTES] = bytes.as_slice().try_into().map_err(|_| {
            key_error(
                path,
                format!("应为 {KEY_BYTES} 字节，实际 {} 字节", bytes.len()),
            )
        })?;
        Ok(Some(Crypt::from_master(&master)))
    }

    /// Writes a new random hall key to `path`, readable by its owner only; never
    /// replaces an existing file.
    pub fn create(path: &Path) -> Result<Crypt, StoreError> {
        let master = random_key();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| key_error(path, e))?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path).map_err(|e| key_error(path, e))?;
        file.write_all(&master)
            .and_then(|()| file.sync_all())
            .map_err(|e| key_error(path, e))?;
        Ok(Crypt::from_master(&master))
    }

    /// What the meta tree keeps to recognise this key.
    pub fn check_value(&self) -> [u8; TERM_BYTES] {
        self.check
    }

    /// The index term of a sensitive value: HMAC of the tree name and the normalised value.
    pub fn blind(&self, tree: TreeId, term: &[u8]) -> [u8; TERM_BYTES] {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.index).expect("HMAC takes any key");
        mac.update(tree.name().as_bytes());
        mac.update(&[0]);
        mac.update(term);
        let full = mac.finalize().into_bytes();
        full[..TERM_BYTES].try_into().expect("16 of 32 bytes")
    }

    /// `ENVELOPE_V1 ‖ nonce ‖ ciphertext and tag` of a record's plain bytes.
    pub fn seal(&self, tree: TreeId, key: &[u8], plain: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_BYTES];
        rand::thread_rng().fill_bytes(&mut nonce);
        let aad = associated(tree, key);
        let sealed = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: &aad,
                },
            )
            .expect("XChaCha20-Poly1305 encrypts any record size the codec allows");
        let mut out = Vec::with_capacity(1 + NONCE_BYTES + sealed.len());
        out.push(ENVELOPE_V1);
        out.extend_from_slice(&nonce);
        out.extend(sealed);
        out
    }

    /// The plain bytes of a sealed value; none when it was altered, moved to another
    /// key, or sealed with another hall key.
    pub fn open(&self, tree: TreeId, key: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
        let (&version, rest) = sealed.split_first()?;
        if version != ENVELOPE_V1 || rest.len() < NONCE_BYTES {
            return None;
        }
        let (nonce, body) = rest.split_at(NONCE_BYTES);
        let aad = associated(tree, key);
        self.cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: &aad,
                },
            )
            .ok()
    }
}

/// Associated data of a sealed record: which tree and key it belongs to.
fn associated(tree: TreeId, key: &[u8]) -> Vec<u8> {
    let mut aad = tree.name().as_bytes().to_vec();
    aad.push(0);
    aad.extend_from_slice(key);
    aad
}

fn random_key() -> [u8; KEY_BYTES] {
    let mut master = [0u8; KEY_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut master);
    master
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_record_opens_only_under_its_own_tree_key_and_hall_key() {
        let crypt = Crypt::ephemeral();
        let sealed = crypt.seal(TreeId::Visitors, b"k1", "张三 110105".as_bytes());
        assert!(!sealed.windows(6).any(|w| w == "张三".as_bytes()));
        assert_eq!(
            crypt.open(TreeId::Visitors, b"k1", &sealed).unwrap(),
            "张三 110105".as_bytes()
        );
        assert!(crypt.open(TreeId::Visitors, b"k2", &sealed).is_none());
        assert!(crypt.open(TreeId::Matters, b"k1", &sealed).is_none());
        assert!(Crypt::ephemeral()
            .open(TreeId::Visitors, b"k1", &sealed)
            .is_none());
        let mut flipped = sealed.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(crypt.open(TreeId::Visitors, b"k1", &flipped).is_none());
        assert!(crypt.open(TreeId::Visitors, b"k1", &[]).is_none());
        // A fresh nonce each time: equal records do not look equal on disk.
        assert_ne!(
            sealed,
            crypt.seal(TreeId::Visitors, b"k1", "张三 110105".as_bytes())
        );
    }

    #[test]
    fn index_terms_depend_on_the_key_and_the_tree() {
        let master = [7u8; KEY_BYTES];
        let a = Crypt::from_master(&master);
        let b = Crypt::from_master(&master);
        let term = b"110105194912310021";
        assert_eq!(
            a.blind(TreeId::IxIdNumber, term),
            b.blind(TreeId::IxIdNumber, term)
        );
        assert_ne!(
            a.blind(TreeId::IxIdNumber, term),
            a.blind(TreeId::IxPhone, term)
        );
        assert_ne!(
            a.blind(TreeId::IxIdNumber, term),
            Crypt::from_master(&[8u8; KEY_BYTES]).blind(TreeId::IxIdNumber, term)
        );
        assert_ne!(a.check_value(), Crypt::ephemeral().check_value());
    }

    #[test]
    fn a_key_file_is_created_once_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/hall.key");
        assert!(Crypt::load(&path).unwrap().is_none());
        let created = Crypt::create(&path).unwrap();
        assert_eq!(std::fs::read(&path).unwrap().len(), KEY_BYTES);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let loaded = Crypt::load(&path).unwrap().unwrap();
        assert_eq!(loaded.check_value(), created.check_value());
        assert!(Crypt::create(&path).is_err(), "never replaces a key");
        std::fs::write(&path, b"short").unwrap();
        let err = Crypt::load(&path).err().unwrap().to_string();
        assert!(err.contains("32 字节"), "{err}");
    }

    #[test]
    fn the_default_key_sits_beside_the_data_directory() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("hall");
        std::fs::create_dir(&data).unwrap();
        let base = dir.path().canonicalize().unwrap();
        assert_eq!(key_path(&data, None), base.join("hall.key"));
        assert_eq!(
            key_path(&data, Some(Path::new("secret/k"))),
            base.join("secret/k")
        );
        assert_eq!(
            key_path(&data, Some(Path::new("/etc/k"))),
            PathBuf::from("/etc/k")
        );
        assert!(!key_path(&data, None).starts_with(data.canonicalize().unwrap()));
    }
}
