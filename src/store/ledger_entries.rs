//! The visit ledger's entries: one sealed [`VisitEntry`] per visit in time order, kept in
//! step with the visits, visitors and matters inside the writing transaction (as the day
//! counts are), so that an export reads one tree in order. Without them every exported
//! row read its visitor and matter at random places: 18 s per 100,000 rows in a
//! 1,000,000-visitor hall.

use super::keys::{self, StaleEntries, Stored, TreeId};
use super::{Result, Store, Writer};
use crate::domain::ledger::VisitEntry;
use crate::domain::matter::Matter;
use crate::domain::visit::Visit;
use crate::domain::visitor::Visitor;

/// Inserted into sled at once while rebuilding: small, because large batches drive sled's
/// memory up (issue 6).
const REBUILD_BATCH: usize = 1_000;

/// Reads records as the reader sees them: the store, or a command's staged state.
trait Records {
    fn record<T: Stored>(&self, id: u64) -> Result<Option<T>>;
}

impl Records for Store {
    fn record<T: Stored>(&self, id: u64) -> Result<Option<T>> {
        self.get_id(id)
    }
}

impl Records for Writer<'_> {
    fn record<T: Stored>(&self, id: u64) -> Result<Option<T>> {
        self.get_id(id)
    }
}

/// The entry `visit` implies from its visitor and matter; none while either is missing
/// (`check` reports a visit without them).
fn entry_of(records: &impl Records, visit: &Visit) -> Result<Option<VisitEntry>> {
    let (Some(visitor), Some(matter)) = (
        records.record::<Visitor>(visit.visitor)?,
        records.record::<Matter>(visit.matter)?,
    ) else {
        return Ok(None);
    };
    Ok(Some(VisitEntry::of(visit, &visitor, &matter)))
}

impl Store {
    /// The entry the records imply for `visit`.
    pub fn implied_entry(&self, visit: &Visit) -> Result<Option<VisitEntry>> {
        entry_of(self, visit)
    }

    /// Visit entries with keys in `[from, end)`, in time order, at most `limit`.
    pub fn visit_entries(
        &self,
        from: &[u8],
        end: &[u8],
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, VisitEntry)>> {
        if from >= end {
            return Ok(Vec::new());
        }
        self.tree(TreeId::LedgerVisits)
            .range(from.to_vec()..end.to_vec())
            .take(limit)
            .map(|item| {
                let (k, v) = item?;
                Ok((k.to_vec(), self.unseal(&k, &v)?))
            })
            .collect()
    }

    /// Writes every visit's entry afresh: a store migrated from a layout without them.
    /// Returns how many were written.
    pub(super) fn rebuild_visit_entries(&self) -> Result<u64> {
        let ledger = self.tree(TreeId::LedgerVisits);
        let mut batch = sled::Batch::default();
        let (mut pending, mut written) = (0, 0);
        for visit in self.all::<Visit>() {
            let Some(entry) = entry_of(self, &visit?)? else {
                continue;
            };
            batch.insert(entry.key(), self.seal(&entry)?);
            pending += 1;
            written += 1;
            if pending == REBUILD_BATCH {
                ledger.apply_batch(std::mem::take(&mut batch))?;
                pending = 0;
            }
        }
        ledger.apply_batch(batch)?;
        Ok(written)
    }
}

impl Writer<'_> {
    /// Remembers whose entries replacing `old` by `new` makes stale.
    pub(super) fn note_stale<T: Stored>(&mut self, old: Option<&T>, new: &T) {
        match new.stale_entries(old) {
            StaleEntries::None => {}
            StaleEntries::Visits(ids) => self.stale_visits.extend(ids),
            StaleEntries::OfVisitor(id) => {
                self.stale_visitors.insert(id);
            }
        }
    }

    /// Stages the entries of every visit this command made stale, as it leaves them.
    pub(super) fn stage_entries(&mut self) -> Result<()> {
        for visitor in std::mem::take(&mut self.stale_visitors) {
            let prefix = keys::id_key(visitor);
            let visits = self
                .store
                .scan_ids(TreeId::IxVisitorVisits, &prefix, usize::MAX)?;
            self.stale_visits.extend(visits);
        }
        for id in std::mem::take(&mut self.stale_visits) {
            let Some(visit) = self.get_id::<Visit>(id)? else {
                continue;
            };
            if let Some(entry) = entry_of(self, &visit)? {
                self.stage_sealed(&entry)?;
            }
        }
        Ok(())
    }
}
