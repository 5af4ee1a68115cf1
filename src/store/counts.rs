//! Entries counted per term ([`keys::is_counted`]: the waiting tickets of each
//! department's queue), so a count needs no scan: every registration says how many
//! wait ahead, and a busy department's queue is long. The counts live in memory: a
//! term is counted from the table the first time a writer asks, under the write lock,
//! and every commit after that adds what it changed.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use super::keys::{self, TreeId};
use super::{Result, Writer};

/// A counted term of a table.
type Term = (TreeId, Vec<u8>);

/// What a command changes in the counted terms.
pub(super) type CountChanges = BTreeMap<Term, isize>;

/// The counts of the terms counted so far in this opening.
#[derive(Default)]
pub(super) struct TermCounts(Mutex<BTreeMap<Term, usize>>);

impl TermCounts {
    fn lock(&self) -> MutexGuard<'_, BTreeMap<Term, usize>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Forgets every count: a write that went around the writer (a bulk copy) or a
    /// commit that failed may have changed the tables in ways not counted.
    pub(super) fn forget(&self) {
        self.lock().clear();
    }

    /// Adds a committed command's changes to the terms already counted; the others
    /// are counted from the tables, which now hold the changes, when first asked.
    pub(super) fn add(&self, changes: &CountChanges) {
        let mut counts = self.lock();
        for (term, change) in changes {
            if let Some(count) = counts.get_mut(term) {
                *count = count.saturating_add_signed(*change);
            }
        }
    }
}

impl Writer<'_> {
    /// How many entries of `tree` are filed under `term`, this command's changes included.
    pub fn count(&self, tree: TreeId, term: &[u8]) -> Result<usize> {
        debug_assert!(keys::is_counted(tree));
        let key = (tree, term.to_vec());
        let mut counts = self.store.term_counts.lock();
        let committed = match counts.get(&key) {
            Some(&n) => n,
            None => {
                let mut n = 0;
                for item in self.store.tree(tree).scan_prefix(term) {
                    item?;
                    n += 1;
                }
                counts.insert(key.clone(), n);
                n
            }
        };
        let change = self.count_changes.get(&key).copied().unwrap_or(0);
        Ok(committed.saturating_add_signed(change))
    }

    /// Notes what staging `value` (none: a removal) at `key` changes in its term's count.
    pub(super) fn note_count(
        &mut self,
        tree: TreeId,
        key: &[u8],
        value: &Option<Vec<u8>>,
    ) -> Result<()> {
        if !keys::is_counted(tree) {
            return Ok(());
        }
        let before = isize::from(self.raw_get(tree, key)?.is_some());
        let after = isize::from(value.is_some());
        if before != after {
            let term = (tree, keys::counted_term(key).to_vec());
            *self.count_changes.entry(term).or_default() += after - before;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::department::DeptCode;
    use crate::domain::ticket::{Ticket, TicketState};
    use crate::domain::time::Timestamp;
    use crate::store::table::Batch;
    use crate::store::{Store, StoreError};

    fn ticket(id: u64, department: &str) -> Ticket {
        Ticket {
            id,
            department: DeptCode::new(department),
            label: format!("{department}-{id:03}"),
            order: id,
            visitor: id,
            visit: id,
            matter: id,
            headcount: 1,
            issued: Timestamp(1_700_000_000_000),
            called: None,
            finished: None,
            skipped: 0,
            state: TicketState::Waiting,
        }
    }

    fn queue(department: &str) -> Vec<u8> {
        keys::queue_prefix(department)
    }

    /// The count a scan of the committed table gives.
    fn scanned(store: &Store, department: &str) -> usize {
        store
            .tree(TreeId::IxQueue)
            .scan_prefix(&queue(department))
            .count()
    }

    fn count(store: &Store, department: &str) -> usize {
        store
            .write(|w| w.count(TreeId::IxQueue, &queue(department)))
            .unwrap()
    }

    #[test]
    fn a_queue_count_follows_every_commit_and_only_committed_ones() {
        let store = Store::temporary().unwrap();
        // Counted once, when first asked, with nothing yet in the queue.
        assert_eq!(count(&store, "rs"), 0);
        store
            .write(|w| {
                for id in 1..=3 {
                    w.put(&ticket(id, "rs"))?;
                }
                w.put(&ticket(4, "ga"))?;
                // A command sees its own changes.
                assert_eq!(w.count(TreeId::IxQueue, &queue("rs"))?, 3);
                Ok::<_, StoreError>(())
            })
            .unwrap();
        assert_eq!((count(&store, "rs"), count(&store, "ga")), (3, 1));

        // Lapsed, and put twice in the same command: counted once.
        store
            .write(|w| {
                let mut lapsed = ticket(2, "rs");
                lapsed.state = TicketState::Lapsed;
                w.put(&lapsed)?;
                w.put(&lapsed)?;
                Ok::<_, StoreError>(())
            })
            .unwrap();
        assert_eq!(count(&store, "rs"), 2);
        assert_eq!(scanned(&store, "rs"), 2);

        // A command that fails commits nothing and counts nothing.
        let failed: Result<()> = store.write(|w| {
            w.put(&ticket(5, "rs"))?;
            Err(StoreError::Exists {
                tree: "tickets",
                key: "refused".into(),
            })
        });
        assert!(failed.is_err());
        assert_eq!(count(&store, "rs"), 2);

        // A bulk copy writes around the writer: the queue is counted again.
        let mut batch = Batch::default();
        let extra = ticket(6, "rs");
        for entry in store.index_entries(&extra) {
            batch.insert(entry.tree, &entry.key, entry.value.as_slice());
        }
        store.apply(batch).unwrap();
        assert_eq!(count(&store, "rs"), 3);
        assert_eq!(scanned(&store, "rs"), 3);

        // Its record put over the entry already there: nothing new in the queue.
        store.write(|w| w.put(&extra)).unwrap();
        assert_eq!(count(&store, "rs"), 3);
        assert_eq!(scanned(&store, "rs"), 3);
    }
}
