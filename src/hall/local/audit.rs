//! The audit trail: append-only records of who did what, when — every change, every
//! login (success and failure), every view of a full identity number, every export.

use super::LocalHall;
use crate::domain::audit::AuditRecord;
use crate::domain::matter::MatterId;
use crate::domain::visitor::VisitorId;
use crate::hall::api::{AuditFilter, SessionToken};
use crate::hall::error::HallResult;
use crate::store::keys::TreeId;
use crate::store::Writer;

impl LocalHall {
    /// Appends one record under the next audit number. `Writer::append` refuses an
    /// existing key, so no code path can overwrite an entry.
    pub(super) fn audit_as(
        &self,
        w: &mut Writer,
        officer: &str,
        desk: &str,
        action: String,
        matter: Option<MatterId>,
        visitor: Option<VisitorId>,
    ) -> HallResult<()> {
        let record = AuditRecord {
            seq: w.next("seq.audit")?,
            at: self.now(),
            officer: officer.to_string(),
            desk: desk.to_string(),
            action,
            matter,
            visitor,
        };
        w.append(&record)?;
        Ok(())
    }

    /// The records the filter lets through, oldest first. A matter's records come
    /// from its index; the rest is one pass over the trail.
    pub(super) fn audit_trail(&self, filter: &AuditFilter) -> HallResult<Vec<AuditRecord>> {
        let wanted = |r: &AuditRecord| {
            filter.officer.as_ref().is_none_or(|o| &r.officer == o)
                && filter.from.is_none_or(|from| r.at >= from)
                && filter.to.is_none_or(|to| r.at < to)
        };
        let mut out = Vec::new();
        match filter.matter {
            Some(matter) => {
                for seq in self.store.list(TreeId::IxMatterAudit, matter)? {
                    out.extend(self.store.get_id::<AuditRecord>(seq)?.filter(wanted));
                }
            }
            None => {
                for record in self.store.all::<AuditRecord>() {
                    let record = record?;
                    if wanted(&record) {
                        out.push(record);
                    }
                }
            }
        }
        Ok(out)
    }

    /// The entry point for exports: call it once per export, in the same step that
    /// writes the file, with what was exported (`来访登记表 2026-11 共 312 条`) and the
    /// matter when the export is about one. Recorded as `导出 …` under the session's
    /// officer and desk.
    pub fn record_export(
        &self,
        token: &SessionToken,
        what: &str,
        matter: Option<MatterId>,
    ) -> HallResult<()> {
        let s = self.session(token)?;
        self.store.write(|w| {
            self.audit_as(
                w,
                &s.officer.username,
                &s.desk,
                format!("导出 {what}"),
                matter,
                None,
            )
        })
    }
}
