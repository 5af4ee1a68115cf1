//! A data directory for a test, one level inside a temporary directory: a hall keeps
//! its key beside its data directory (`<data>.key`), so the key is deleted with it.

use std::path::{Path, PathBuf};

pub struct TempData {
    _root: tempfile::TempDir,
    path: PathBuf,
}

impl TempData {
    pub fn new() -> TempData {
        let root = tempfile::tempdir().expect("temp dir");
        let path = root.path().join("hall");
        std::fs::create_dir(&path).expect("data dir");
        TempData { _root: root, path }
    }

    /// The data directory, `<root>/hall`; its key is `<root>/hall.key`.
    pub fn path(&self) -> &Path {
        &self.path
    }
}
