//! sled 0.34.7 writes its recovery snapshot to `snap.N.generating` and renames it
//! when complete, but when it opens a database it reads the highest-named
//! `snap.*` file, `.generating` ones included. A snapshot cut short (a full disk,
//! a kill at the wrong moment) therefore makes every later open fail with "Read
//! corrupted data", although the log and the previous snapshot are intact. An
//! unfinished snapshot carries nothing the log does not, so it is removed before
//! sled opens the directory.

use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;
use std::path::Path;

/// The file sled locks while a process has the database open.
const LOCK_FILE: &str = "db";

/// Removes unfinished snapshots from the sled directory `dir`, unless another
/// process has the database open (it may be writing one right now). Returns how
/// many were removed.
pub fn remove_unfinished(dir: &Path) -> io::Result<usize> {
    let Ok(lock) = File::open(dir.join(LOCK_FILE)) else {
        return Ok(0); // no database yet
    };
    // sled takes this same lock (flock, exclusive) for as long as it has the database open.
    // SAFETY: flock on a descriptor `lock` owns; closing it releases the lock.
    if unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        return Ok(0); // in use: sled's own open reports that
    }
    let mut removed = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            std::fs::remove_file(entry.path())?;
            tracing::warn!(file = %name, "removed an unfinished sled snapshot");
            removed += 1;
        }
    }
    drop(lock);
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unfinished_snapshots_of_a_free_database_go() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(remove_unfinished(dir.path()).unwrap(), 0);
        for f in [
            "db",
            "conf",
            "snap.0000000000000010",
            "snap.0000000000000020.generating",
        ] {
            std::fs::write(dir.path().join(f), b"x").unwrap();
        }
        // Held by another open file, as sled holds it: nothing is touched.
        let held = File::open(dir.path().join("db")).unwrap();
        assert_eq!(unsafe { libc::flock(held.as_raw_fd(), libc::LOCK_EX) }, 0);
        assert_eq!(remove_unfinished(dir.path()).unwrap(), 0);
        drop(held);
        assert_eq!(remove_unfinished(dir.path()).unwrap(), 1);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["conf", "db", "snap.0000000000000010"]);
    }
}
