//! The database opened with sled alone, as someone with the disk (or a repair) would.

use std::path::Path;
use std::time::{Duration, Instant};

/// Opens the sled database at `path`, waiting for the lock of a hall this test has just
/// dropped: sled lets go of it only when its flusher thread exits, a moment after the
/// last handle is gone, and later still on a busy machine (`store::open_db` waits the same way).
pub fn open(path: &Path) -> sled::Db {
    let started = Instant::now();
    loop {
        match sled::open(path) {
            Ok(db) => return db,
            Err(e)
                if e.to_string().contains("acquire lock")
                    && started.elapsed() < Duration::from_secs(10) =>
            {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => panic!("opening {}: {e}", path.display()),
        }
    }
}
