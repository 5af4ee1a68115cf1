//! Written notices: filled from the matter as the officer may see it, and audited.

use super::LocalHall;
use crate::domain::matter::MatterId;
use crate::hall::api::{NoticeText, Session};
use crate::hall::error::{HallError, HallResult};
use crate::notice::{self, NoticeKind};
use crate::store::keys::{self, TreeId};

impl LocalHall {
    /// The matter's detail checks that the officer may see it (检举控告: Art 30); a notice
    /// the matter's state does not call for is refused with the reason.
    pub(super) fn notice(
        &self,
        s: &Session,
        matter: MatterId,
        kind: NoticeKind,
    ) -> HallResult<NoticeText> {
        let detail = self.matter_detail(s, matter)?;
        let text = notice::fill(kind, &detail, &self.config, self.today())
            .map_err(|e| HallError::Conflict(e.to_string()))?;
        let number = detail.matter.number;
        self.store.write(|w| {
            let action = format!("生成{} 事项 {number}", kind.label());
            self.audit(w, s, action, Some(matter), None)
        })?;
        Ok(NoticeText {
            kind,
            matter_number: number,
            text,
        })
    }
}

impl LocalHall {
    /// The matter numbered `2026-000123`, for the command line, which is given the number.
    pub fn matter_id(&self, number: &str) -> HallResult<MatterId> {
        let prefix = keys::exact_prefix(number.trim());
        self.store
            .scan_ids(TreeId::IxMatterNumber, &prefix, 1)?
            .first()
            .copied()
            .ok_or_else(|| HallError::NotFound(format!("编号为 {} 的事项", number.trim())))
    }
}
