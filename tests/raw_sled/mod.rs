//! The database opened with sled alone, as someone with the disk (or a repair) would.

use std::path::Path;
use std::time::{Duration, Instant};

/// Opens the sled database at `path` with sled's defaults; see [`open_config`].
pub fn open(path: &Path) -> sled::Db {
    open_config(&sled::Config::new().path(path))
}

/// Opens a sled database, waiting for the lock of one this process has just dropped:
/// sled lets go of it only when its flusher thread exits, a moment after the last handle
/// is gone, and later still on a busy machine (`store::open_db` waits the same way).
pub fn open_config(config: &sled::Config) -> sled::Db {
    let started = Instant::now();
    loop {
        match config.open() {
            Ok(db) => return db,
            Err(e)
                if e.to_string().contains("acquire lock")
                    && started.elapsed() < Duration::from_secs(10) =>
            {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => panic!("opening sled: {e}"),
        }
    }
}
