//! Durable changes on the floor's data, sled against SQLite holding the same rows:
//! the write floor under issue 6's registration targets. A commit re-files `r` ranked
//! index entries (each removed and written again under a new last visit, as a repeat
//! visit re-files the visitor's lookup terms), rewrites one visitor and appends a visit
//! and a matter; sled applies it as one batch and flushes, SQLite as one transaction
//! with `synchronous = FULL`. The two alternate, commit by commit, on the same machine:
//! first on the data as loaded, then again after both have lived through about two
//! years of visits (every entry re-filed twice), whose rewritten pages a hall has.

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use lianfang::domain::time::Timestamp;
use lianfang::store::keys::{self, TreeId};
use lianfang::store::table::{Table, TABLES};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rusqlite::{params, Connection};

use crate::stats::{fmt_duration, ratio, Summary};
use crate::{term_of, Records, FLOOR};

const COMMITS: usize = 300;

/// Entries re-filed per commit: one, a few, a visitor's 15 lookup terms, and 27
/// (with the three records, about the 55 keys a repeat visit writes).
const REFILES: [usize; 4] = [1, 4, 15, 27];

/// The same sizes and cache as the hall benchmark's SQLite peer.
const PRAGMAS: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA cache_size = -65536;
";

/// One commit's changes, the same for both: `(tree, key, value)`, no value to remove.
type Change = Vec<(TreeId, Vec<u8>, Option<Vec<u8>>)>;

pub fn section(db: &sled::Db, work: &Path, visitors: u64) {
    let started = Instant::now();
    let conn = copy_to_sqlite(db, &work.join("floor.sqlite"));
    println!(
        "\n## Durable changes, sled against SQLite holding the same rows\n\n\
         SQLite copy made in {:.1} s. {COMMITS} commits each, alternating; sled: one \
         `apply_batch` then `flush`; SQLite: one transaction, synchronous = FULL.\n",
        started.elapsed().as_secs_f64()
    );
    println!("| data | re-filed entries | keys written | sled p50 | p99 | of it the batch, p50 | SQLite p50 | p99 | ratio p50 | ratio p99 |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let mut rng = StdRng::seed_from_u64(13);
    let mut next = NextIds::after(visitors);
    measure(db, &conn, visitors, "as loaded", &mut next, &mut rng);
    let started = Instant::now();
    age(db, &conn, visitors, &mut rng);
    let aged = format!("aged ({:.0} s)", started.elapsed().as_secs_f64());
    measure(db, &conn, visitors, &aged, &mut next, &mut rng);
}

/// A row per number of re-filed entries: sled and SQLite making the same commits.
fn measure(
    db: &sled::Db,
    conn: &Connection,
    visitors: u64,
    data: &str,
    next: &mut NextIds,
    rng: &mut StdRng,
) {
    for refiles in REFILES {
        let (mut ours, mut batches, mut theirs) = (Vec::new(), Vec::new(), Vec::new());
        let mut keys_written = 0;
        for _ in 0..COMMITS {
            let change = registration(db, visitors, refiles, next, rng);
            keys_written = change.len();
            let (total, batch) = apply_sled(db, &change);
            ours.push(total);
            batches.push(batch);
            theirs.push(apply_sqlite(conn, &change));
        }
        let (ours, batches, theirs) =
            (Summary::of(ours), Summary::of(batches), Summary::of(theirs));
        println!(
            "| {data} | {refiles} | {keys_written} | {} | {} | {} | {} | {} | {} | {} |",
            fmt_duration(ours.p50),
            fmt_duration(ours.p99),
            fmt_duration(batches.p50),
            fmt_duration(theirs.p50),
            fmt_duration(theirs.p99),
            ratio(ours.p50, theirs.p50),
            ratio(ours.p99, theirs.p99),
        );
    }
}

/// About two years of visits, as the demo hall has had: every visitor's entry re-filed
/// twice and its record rewritten, in untimed commits of 1,000 visitors, so both
/// stores' pages have been rewritten in place as a living hall's are.
fn age(db: &sled::Db, conn: &Connection, visitors: u64, rng: &mut StdRng) {
    for _ in 0..2 {
        let mut ids: Vec<u64> = (0..visitors).collect();
        ids.shuffle(rng);
        for chunk in ids.chunks(1_000) {
            let mut change = refile(db, chunk, rng);
            change.extend(chunk.iter().map(|&id| record(TreeId::Visitors, id, rng)));
            apply_sled(db, &change);
            apply_sqlite(conn, &change);
        }
    }
}

/// Ids after the floor's own visits and matters: new records append, as in the hall.
struct NextIds {
    visit: u64,
    matter: u64,
}

impl NextIds {
    fn after(visitors: u64) -> NextIds {
        let count = |tree: TreeId| visitors * floor(tree).per_thousand / 1_000;
        NextIds {
            visit: count(TreeId::Visits),
            matter: count(TreeId::Matters),
        }
    }
}

/// A registration's writes: `refiles` distinct random visitors' index entries re-filed,
/// one visitor rewritten, a visit and a matter appended.
fn registration(
    db: &sled::Db,
    visitors: u64,
    refiles: usize,
    next: &mut NextIds,
    rng: &mut StdRng,
) -> Change {
    let mut picked = HashSet::new();
    while picked.len() < refiles {
        picked.insert(rng.gen_range(0..visitors));
    }
    let ids: Vec<u64> = picked.into_iter().collect();
    let mut out = refile(db, &ids, rng);
    out.push(record(TreeId::Visitors, ids[0], rng));
    out.push(record(TreeId::Visits, next.visit, rng));
    out.push(record(TreeId::Matters, next.matter, rng));
    next.visit += 1;
    next.matter += 1;
    out
}

/// Each of `ids`' index entries removed and filed again under a new last visit. Reads
/// sled's current keys, outside any timed part.
fn refile(db: &sled::Db, ids: &[u64], rng: &mut StdRng) -> Change {
    let index = crate::raw_sled::table(db, TreeId::IxIdNumber);
    let mut out: Change = Vec::new();
    for &id in ids {
        let (old, _) = index
            .scan_prefix(term_of(id))
            .next()
            .expect("indexed")
            .expect("scan");
        let now = Timestamp(rng.gen_range(1_795_000_000..1_800_000_000));
        out.push((TreeId::IxIdNumber, old.to_vec(), None));
        out.push((
            TreeId::IxIdNumber,
            keys::lookup_key(&term_of(id), false, Some(now), id),
            Some(Vec::new()),
        ));
    }
    out
}

/// A record of `tree` written anew: random bytes of its sealed size.
fn record(tree: TreeId, id: u64, rng: &mut StdRng) -> (TreeId, Vec<u8>, Option<Vec<u8>>) {
    let value: Vec<u8> = (0..floor(tree).value_bytes).map(|_| rng.gen()).collect();
    (tree, keys::id_key(id), Some(value))
}

/// The floor's kind of record kept in `tree`.
fn floor(tree: TreeId) -> &'static Records {
    FLOOR
        .iter()
        .find(|r| r.tree == tree)
        .expect("a table of the floor")
}

/// The whole durable commit, and the batch alone.
fn apply_sled(db: &sled::Db, change: &Change) -> (Duration, Duration) {
    let tables = db.open_tree(TABLES).expect("tree");
    let mut batch = sled::Batch::default();
    for (tree, key, value) in change {
        let key = Table::full_key(*tree, key);
        match value {
            Some(v) => batch.insert(key, v.as_slice()),
            None => batch.remove(key),
        }
    }
    let started = Instant::now();
    tables.apply_batch(batch).expect("batch");
    let batch = started.elapsed();
    db.flush().expect("flush");
    (started.elapsed(), batch)
}

/// The same commit as one SQLite transaction; its statements' text is made before the
/// clock starts, as sled's batch is.
fn apply_sqlite(conn: &Connection, change: &Change) -> Duration {
    let statements: Vec<String> = change
        .iter()
        .map(|(tree, _, value)| {
            let name = tree.name();
            match (is_record(*tree), value.is_some()) {
                (true, true) => format!("INSERT OR REPLACE INTO {name} VALUES (?1, ?2)"),
                (false, true) => format!("INSERT INTO {name} VALUES (?1)"),
                (_, false) => format!("DELETE FROM {name} WHERE k = ?1"),
            }
        })
        .collect();
    let started = Instant::now();
    let tx = conn.unchecked_transaction().expect("begin");
    for ((tree, key, value), sql) in change.iter().zip(&statements) {
        let mut stmt = tx.prepare_cached(sql).expect("prepare");
        match (is_record(*tree), value) {
            (true, Some(v)) => stmt.execute(params![row_id(key), v]),
            (true, None) => stmt.execute(params![row_id(key)]),
            (false, _) => stmt.execute(params![key]),
        }
        .expect("write");
    }
    tx.commit().expect("commit");
    started.elapsed()
}

fn is_record(tree: TreeId) -> bool {
    tree != TreeId::IxIdNumber
}

fn row_id(key: &[u8]) -> i64 {
    keys::trailing_id(key).expect("an id key") as i64
}

/// The floor's rows in SQLite as its best schema holds them: records in rowid tables
/// keyed by their id, the index a `WITHOUT ROWID` table of its keys.
fn copy_to_sqlite(db: &sled::Db, path: &Path) -> Connection {
    let mut conn = Connection::open(path).expect("sqlite");
    conn.execute_batch(PRAGMAS).expect("pragmas");
    for records in &FLOOR {
        let (record, name) = (is_record(records.tree), records.tree.name());
        conn.execute_batch(&if record {
            format!("CREATE TABLE {name} (k INTEGER PRIMARY KEY, v BLOB NOT NULL);")
        } else {
            format!("CREATE TABLE {name} (k BLOB PRIMARY KEY) WITHOUT ROWID;")
        })
        .expect("create");
        let mut rows = crate::raw_sled::table(db, records.tree).iter().peekable();
        while rows.peek().is_some() {
            let tx = conn.transaction().expect("begin");
            {
                let mut stmt = tx
                    .prepare(&if record {
                        format!("INSERT INTO {name} VALUES (?1, ?2)")
                    } else {
                        format!("INSERT INTO {name} VALUES (?1)")
                    })
                    .expect("prepare");
                for row in rows.by_ref().take(100_000) {
                    let (k, v) = row.expect("read");
                    if record {
                        stmt.execute(params![row_id(&k), v.as_ref()])
                    } else {
                        stmt.execute(params![k.as_ref()])
                    }
                    .expect("insert");
                }
            }
            tx.commit().expect("commit");
        }
    }
    conn
}
