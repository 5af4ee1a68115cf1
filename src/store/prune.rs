//! The pruner: removes the lookup keys that visits superseded ([`Stored::RANKED_BY_VISIT`]),
//! in a thread of its own, while the hall is quiet: no command and no read, so that an
//! officer typing into the lookup box does not share the machine with it. A registration's
//! commit thereby spares the random page of each broad term's old key (a quarter of its
//! time at 100,000 visitors, docs/BENCHMARKS.md). Until pruned, a superseded key is only a
//! duplicate that lookups pass over; one a crash leaves behind stays so until
//! `check --prune` (or a restore, which runs it) removes it.
//!
//! [`Stored::RANKED_BY_VISIT`]: super::keys::Stored::RANKED_BY_VISIT

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};

/// No commit and no read for this long and the hall counts as quiet.
const QUIET: Duration = Duration::from_millis(300);
/// Keys removed between two looks for a command or a read arriving: a few milliseconds
/// of random leaves at 1,000,000 visitors.
const CHUNK: usize = 32;
/// Pending keys past which the pruner works between commits too, so a long rush keeps
/// its memory bounded (about 60 bytes a key).
const BACKLOG: usize = 100_000;

/// Superseded keys, as sled holds them ([`super::table::Table::full_key`]).
type Pending = Arc<Mutex<Vec<Vec<u8>>>>;

enum Wake {
    Committed,
    Stop,
}

pub(super) struct Pruner {
    pending: Pending,
    /// Counts the store's reads ([`Pruner::note_read`]).
    reads: Arc<AtomicU64>,
    wake: Sender<Wake>,
    /// None if the system refused a thread: then each commit's keys are removed at once.
    thread: Option<JoinHandle<()>>,
    tables: sled::Tree,
}

impl Pruner {
    pub(super) fn start(tables: sled::Tree) -> Pruner {
        let pending = Pending::default();
        let reads = Arc::new(AtomicU64::new(0));
        let (wake, woken) = crossbeam_channel::unbounded();
        let (shared, counted, own) = (pending.clone(), reads.clone(), tables.clone());
        let thread = std::thread::Builder::new()
            .name("lianfang-pruner".into())
            .spawn(move || run(&own, &shared, &counted, &woken))
            .ok();
        Pruner {
            pending,
            reads,
            wake,
            thread,
            tables,
        }
    }

    /// Tells the pruner the store was read: the hall is not quiet.
    pub(super) fn note_read(&self) {
        self.reads.fetch_add(1, Ordering::Relaxed);
    }

    /// Hands over the keys a commit superseded.
    pub(super) fn supersede(&self, keys: Vec<Vec<u8>>) {
        if keys.is_empty() {
            return;
        }
        lock(&self.pending).extend(keys);
        if self.thread.is_some() {
            let _ = self.wake.send(Wake::Committed);
        } else {
            while prune_chunk(&self.tables, &self.pending) > 0 {}
        }
    }
}

impl Drop for Pruner {
    /// Removes what is still pending before the store closes.
    fn drop(&mut self) {
        let _ = self.wake.send(Wake::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn lock(pending: &Pending) -> std::sync::MutexGuard<'_, Vec<Vec<u8>>> {
    pending.lock().unwrap_or_else(|p| p.into_inner())
}

fn run(tables: &sled::Tree, pending: &Pending, reads: &AtomicU64, woken: &Receiver<Wake>) {
    loop {
        let read_before = reads.load(Ordering::Relaxed);
        match woken.recv_timeout(QUIET) {
            Ok(Wake::Committed) if lock(pending).len() < BACKLOG => {}
            Ok(Wake::Committed) => {
                prune_chunk(tables, pending);
            }
            Ok(Wake::Stop) | Err(RecvTimeoutError::Disconnected) => {
                while prune_chunk(tables, pending) > 0 {}
                return;
            }
            // No commit: if nothing read either, prune until done or until the next
            // command or read.
            Err(RecvTimeoutError::Timeout) => {
                while reads.load(Ordering::Relaxed) == read_before
                    && woken.is_empty()
                    && prune_chunk(tables, pending) > 0
                {}
            }
        }
    }
}

/// Removes up to [`CHUNK`] pending keys; returns how many it took. One key at a time,
/// not as a batch: sled's `apply_batch` holds every reader of the database off until it
/// ends, and these removals need no atomicity.
fn prune_chunk(tables: &sled::Tree, pending: &Pending) -> usize {
    let chunk = {
        let mut pending = lock(pending);
        let from = pending.len().saturating_sub(CHUNK);
        pending.split_off(from)
    };
    for key in &chunk {
        // A failed removal leaves a superseded key, which lookups pass over anyway.
        let _ = tables.remove(key.as_slice());
    }
    chunk.len()
}
