//! The ledger's entries: one sealed [`VisitEntry`] per visit in time order and one
//! [`MatterEntry`] per matter in the order received, kept in step with the visits,
//! visitors and matters inside the writing transaction (as the day counts are), so that
//! an export reads in order. Without them every exported row read its visitor (and a
//! visit row its matter) at random places: 18 s per 100,000 visit rows in a
//! 1,000,000-visitor hall.

use super::keys::{Stored, TreeId};
use super::table::BulkWriter;
use super::{Result, Store, Writer};
use crate::domain::ledger::{MatterEntry, VisitEntry};
use crate::domain::matter::Matter;
use crate::domain::visit::Visit;
use crate::domain::visitor::Visitor;

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
fn visit_entry(records: &impl Records, visit: &Visit) -> Result<Option<VisitEntry>> {
    let (Some(visitor), Some(matter)) = (
        records.record::<Visitor>(visit.visitor)?,
        records.record::<Matter>(visit.matter)?,
    ) else {
        return Ok(None);
    };
    Ok(Some(VisitEntry::of(visit, &visitor, &matter)))
}

/// The entry `matter` implies, with its visitors' names from their cards.
fn matter_entry(records: &impl Records, matter: &Matter) -> Result<MatterEntry> {
    let mut visitors = Vec::with_capacity(matter.visitors.len());
    for id in &matter.visitors {
        visitors.extend(records.record::<Visitor>(*id)?.map(|v| v.name));
    }
    Ok(MatterEntry::of(matter, visitors))
}

impl Store {
    /// The entry the records imply for `visit`.
    pub(super) fn implied_visit_entry(&self, visit: &Visit) -> Result<Option<VisitEntry>> {
        visit_entry(self, visit)
    }

    /// The entry the records imply for `matter`.
    pub(super) fn implied_matter_entry(&self, matter: &Matter) -> Result<MatterEntry> {
        matter_entry(self, matter)
    }

    /// Entries of type `T` (visit or matter entries) with keys in `[from, end)`, in
    /// order, at most `limit`.
    pub fn entries<T: Stored>(
        &self,
        from: &[u8],
        end: &[u8],
        limit: usize,
    ) -> Result<Vec<(Vec<u8>, T)>> {
        if from >= end {
            return Ok(Vec::new());
        }
        self.tree(T::TREE)
            .range(from, Some(end))
            .take(limit)
            .map(|item| {
                let (k, v) = item?;
                Ok((k.to_vec(), self.unseal(&k, &v)?))
            })
            .collect()
    }

    /// Writes the entries of the ledger `trees` (visits', matters' or both) afresh: a
    /// store migrated from a layout without them or with an older form of them. Returns
    /// how many were written.
    pub(super) fn rebuild_entries(&self, trees: &[TreeId]) -> Result<u64> {
        let mut out = BulkWriter::new(self);
        if trees.contains(&TreeId::LedgerVisits) {
            for visit in self.all::<Visit>() {
                if let Some(entry) = visit_entry(self, &visit?)? {
                    out.insert_sealed(&entry)?;
                }
            }
        }
        if trees.contains(&TreeId::LedgerMatters) {
            for matter in self.all::<Matter>() {
                out.insert_sealed(&matter_entry(self, &matter?)?)?;
            }
        }
        out.finish()
    }
}

impl Writer<'_> {
    /// Remembers whose entries replacing `old` by `new` makes stale.
    pub(super) fn note_stale<T: Stored>(&mut self, old: Option<&T>, new: &T) {
        let stale = new.stale_entries(old);
        self.stale_visits.extend(stale.visits);
        self.stale_matters.extend(stale.matters);
        self.stale_visitors.extend(stale.of_visitor);
    }

    /// Stages the entries of every visit and matter this command made stale, as it
    /// leaves them.
    pub(super) fn stage_entries(&mut self) -> Result<()> {
        for visitor in std::mem::take(&mut self.stale_visitors) {
            let visits = self.store.list(TreeId::IxVisitorVisits, visitor)?;
            self.stale_visits.extend(visits);
            let matters = self.store.list(TreeId::IxVisitorMatters, visitor)?;
            self.stale_matters.extend(matters);
        }
        for id in std::mem::take(&mut self.stale_visits) {
            let Some(visit) = self.get_id::<Visit>(id)? else {
                continue;
            };
            if let Some(entry) = visit_entry(self, &visit)? {
                self.stage_sealed(&entry)?;
            }
        }
        for id in std::mem::take(&mut self.stale_matters) {
            if let Some(matter) = self.get_id::<Matter>(id)? {
                let entry = matter_entry(self, &matter)?;
                self.stage_sealed(&entry)?;
            }
        }
        Ok(())
    }
}
