//! The database opened with sled alone, as someone with the disk (or a repair) would.

use std::path::Path;
use std::time::Duration;

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
