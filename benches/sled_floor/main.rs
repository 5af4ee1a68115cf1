//! `cargo bench --bench sled_floor -- [--visitors N] [--cache-mib M]`
//!
//! The least any sled-backed hall of N visitors must hold, measured with sled
//! alone: its visitors, visits and matters (counts and sealed value sizes as in
//! the demo hall, docs/BENCHMARKS.md) and one exact identity-number index, with
//! none of lianfang's other indexes, ledger entries or logic, in one sled tree with
//! a prefix byte per table as the hall keeps them (`store::table`, layout 10). Its disk, opening
//! time and memory are a floor under issue 6's targets for a whole hall: a
//! target this floor misses cannot be met by any key layout on sled 0.34.
//! Last, durable changes of the same data, sled against SQLite (`changes`): the
//! floor under the registration's targets.

mod changes;
#[path = "../hall/flags.rs"]
mod flags;
#[path = "../../tests/raw_sled/mod.rs"]
mod raw_sled;
#[allow(dead_code)] // the hall benchmark's helpers; this program uses a few
#[path = "../hall/stats.rs"]
mod stats;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use lianfang::domain::time::Timestamp;
use lianfang::store::keys::{self, TreeId};
use lianfang::store::table::{Table, TABLES};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const OPEN_CHILD: &str = "LIANFANG_FLOOR_OPEN";
const LOOKUPS: usize = 10_000;

/// One kind of record of the floor: its table, how many per 1,000 visitors, its
/// sealed size, and whether its keys are keyed hashes (random order) or ids.
struct Records {
    tree: TreeId,
    per_thousand: u64,
    value_bytes: usize,
    hashed_key: bool,
}

/// Counts and average sizes of the layout-7 demo hall of 1,000,000 visitors.
const FLOOR: [Records; 4] = [
    Records {
        tree: TreeId::Visitors,
        per_thousand: 1_000,
        value_bytes: 178,
        hashed_key: false,
    },
    Records {
        tree: TreeId::Visits,
        per_thousand: 3_069,
        value_bytes: 92,
        hashed_key: false,
    },
    Records {
        tree: TreeId::Matters,
        per_thousand: 1_500,
        value_bytes: 341,
        hashed_key: false,
    },
    // A keyed hash (32 bytes) as the term of a `keys::lookup_key`.
    Records {
        tree: TreeId::IxIdNumber,
        per_thousand: 1_000,
        value_bytes: 0,
        hashed_key: true,
    },
];

fn main() {
    let argv: Vec<String> = std::env::args().collect();
    let value = |flag: &str| flags::number(&argv, flag);
    let visitors = value("--visitors").unwrap_or(1_000_000).max(1_000);
    // The hall's own cache size by default (`store::Store::open`).
    let cache_mib = value("--cache-mib").unwrap_or(64).max(1);
    if let Ok(dir) = std::env::var(OPEN_CHILD) {
        open_child(Path::new(&dir), visitors, cache_mib);
        return;
    }
    let work = tempfile::Builder::new()
        .prefix("lianfang-floor")
        .tempdir()
        .expect("temp dir");
    let dir = work.path().join("db");
    println!("# sled floor: {visitors} visitors, sled alone ({cache_mib} MiB cache)\n");

    let started = Instant::now();
    let keys = load(&dir, visitors, cache_mib);
    println!(
        "loaded {keys} keys in {:.1} s; peak RSS while loading {:.0} MiB",
        started.elapsed().as_secs_f64(),
        stats::peak_rss_mib()
    );
    // Sled writes its recovery snapshot when it opens a database; the hall's demo
    // does the same once after generating, so every timed opening below is warm.
    drop(open(&dir, cache_mib));
    println!(
        "disk {:.0} MiB",
        stats::dir_size(&dir) as f64 / (1024.0 * 1024.0)
    );
    let exe = std::env::current_exe().expect("own path");
    for run in 1..=3 {
        let out = Command::new(&exe)
            .args(["--visitors", &visitors.to_string()])
            .args(["--cache-mib", &cache_mib.to_string()])
            .env(OPEN_CHILD, &dir)
            .output()
            .expect("open child");
        assert!(out.status.success(), "open child failed");
        println!(
            "fresh process {run}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    changes::section(&open(&dir, cache_mib), work.path(), visitors);
}

/// Opens the floor, waiting for the lock of the handle just dropped (`load`'s, or the
/// parent's while its children start).
fn open(dir: &Path, cache_mib: u64) -> sled::Db {
    raw_sled::open_config(
        &sled::Config::new()
            .path(dir)
            .cache_capacity(cache_mib * 1024 * 1024),
    )
}

/// Writes the floor's records in batches of 1,000 (sled's memory stays flat at
/// that size, issue 6) and returns the number of keys written.
fn load(dir: &Path, visitors: u64, cache_mib: u64) -> u64 {
    let db = open(dir, cache_mib);
    let tables = db.open_tree(TABLES).expect("tree");
    let mut rng = StdRng::seed_from_u64(7);
    let mut keys = 0;
    for records in &FLOOR {
        let count = visitors * records.per_thousand / 1_000;
        let mut batch = sled::Batch::default();
        for id in 0..count {
            // Sealed values do not compress: random bytes stand for them.
            let value: Vec<u8> = (0..records.value_bytes).map(|_| rng.gen()).collect();
            let key = Table::full_key(records.tree, &key(records, id, &mut rng));
            batch.insert(key, value);
            if id % 1_000 == 999 {
                tables
                    .apply_batch(std::mem::take(&mut batch))
                    .expect("batch");
            }
        }
        tables.apply_batch(batch).expect("batch");
        keys += count;
    }
    db.flush().expect("flush");
    keys
}

fn key(records: &Records, id: u64, rng: &mut StdRng) -> Vec<u8> {
    if !records.hashed_key {
        return keys::id_key(id);
    }
    // A last visit within the demo's two years.
    let last_visit = Timestamp(rng.gen_range(1_730_000_000..1_795_000_000));
    keys::lookup_key(&term_of(id), false, Some(last_visit), id)
}

/// The keyed hash standing for visitor `id`'s identity number: random, and
/// computable again by the process that looks it up.
fn term_of(id: u64) -> [u8; 32] {
    StdRng::seed_from_u64(id ^ 0x5eed).gen()
}

/// A fresh process: open, read one visitor, then look visitors up by identity
/// number as the hall does (the term's first index key, then the record).
fn open_child(dir: &Path, visitors: u64, cache_mib: u64) {
    let started = Instant::now();
    let db = open(dir, cache_mib);
    let records = raw_sled::table(&db, TreeId::Visitors);
    let found = records.get(keys::id_key(42)).expect("get").is_some();
    let opened = started.elapsed();
    let rss_opened = stats::peak_rss_mib();
    let index = raw_sled::table(&db, TreeId::IxIdNumber);
    let mut rng = StdRng::seed_from_u64(11);
    let ids: Vec<u64> = (0..LOOKUPS).map(|_| rng.gen_range(0..visitors)).collect();
    let lookups = stats::time_each(&ids, |&id| {
        let (key, _) = index
            .scan_prefix(term_of(id))
            .next()
            .expect("indexed")
            .expect("scan");
        let found = keys::trailing_id(&key).expect("id");
        let record = records.get(keys::id_key(found)).expect("get");
        assert!(record.is_some(), "record {id}");
    });
    print!(
        "open + first get {} (found: {found}), peak RSS {rss_opened:.0} MiB; \
         {LOOKUPS} exact lookups p50 {} p99 {} max {}, peak RSS then {:.0} MiB",
        stats::fmt_duration(opened),
        stats::fmt_duration(lookups.p50),
        stats::fmt_duration(lookups.p99),
        stats::fmt_duration(lookups.max),
        stats::peak_rss_mib()
    );
}
