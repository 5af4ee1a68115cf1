//! A matter already accepted or in progress at a lower level (Art 19): while that level's time
//! limit runs, the hall registers the visit and records the matter as 不予受理 at its own level.

use super::LocalHall;
use crate::domain::lifecycle::RefusalGround;
use crate::domain::matter::Matter;
use crate::domain::time::Timestamp;
use crate::domain::visit_facts::LowerLevel;
use crate::hall::api::Session;
use crate::hall::error::HallResult;

impl LocalHall {
    /// Keeps the lower level on the newly registered matter `m`; while its limit runs, refuses
    /// the matter and returns the warning the desk shows. After the limit it stays a plain
    /// registration.
    pub(super) fn pending_at_lower_level(
        &self,
        m: &mut Matter,
        lower: &LowerLevel,
        s: &Session,
        now: Timestamp,
    ) -> HallResult<Option<String>> {
        m.lower_level = Some(lower.clone());
        if !lower.pending_on(self.today()) {
            return Ok(None);
        }
        let reason = format!(
            "{}已受理或正在办理，办理期限至 {}，期限内本级不再受理",
            lower.body, lower.until
        );
        self.refuse_at_registration(m, RefusalGround::PendingElsewhere, reason, s, now)?;
        // The ticket names the new matter; the warning says why and what to tell the visitor.
        Ok(Some(format!(
            "该事项已由{}受理或正在办理，期限至 {}；期限内本级不予受理（《信访工作条例》第十九条），已记为不予受理。请告知来访人向{}了解办理情况",
            lower.body, lower.until, lower.body
        )))
    }
}
