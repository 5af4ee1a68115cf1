//! Repeat candidates (同人+同事): before a visit is registered as a new matter, the matters it
//! may repeat — the same person's, or a co-petitioner's, with the same content class and place.

use std::collections::BTreeSet;

use super::LocalHall;
use crate::domain::lifecycle::State;
use crate::domain::matter::{Matter, MatterId};
use crate::domain::visitor::{Visitor, VisitorId};
use crate::hall::api::{MatterBrief, Session};
use crate::hall::error::HallResult;
use crate::hall::permissions;
use crate::store::keys::TreeId;

impl LocalHall {
    /// Matters the visit may repeat, open ones first, then newest: those of `visitor` and of
    /// everyone who shared a matter with them, with the same content class and place, that a
    /// visit can still be attached to (open, or 终结 — recorded then as 不再受理).
    pub(super) fn repeat_candidates(
        &self,
        s: &Session,
        visitor: VisitorId,
        content_class: &str,
        place: &str,
    ) -> HallResult<Vec<MatterBrief>> {
        let (class, place) = (content_class.trim(), place.trim());
        // Nobody knows who wrote an anonymous letter: it repeats nothing.
        if self
            .store
            .get_id::<Visitor>(visitor)?
            .is_some_and(|v| v.anonymous)
        {
            return Ok(Vec::new());
        }
        let own = self.matters_of(visitor)?;
        let mut people: BTreeSet<VisitorId> = BTreeSet::from([visitor]);
        let mut ids: BTreeSet<MatterId> = own.iter().copied().collect();
        for id in own {
            if let Some(m) = self.store.get_id::<Matter>(id)? {
                people.extend(m.visitors);
            }
        }
        for person in people.into_iter().filter(|p| *p != visitor) {
            ids.extend(self.matters_of(person)?);
        }
        let mut out = Vec::new();
        for id in ids {
            let Some(m) = self.store.get_id::<Matter>(id)? else {
                continue;
            };
            let same = m.content_class == class && m.place.trim() == place;
            let attachable = m.is_open() || m.status.state == State::Final;
            if same && attachable && permissions::can_see_matter(&s.officer, &self.config, &m) {
                out.push(self.brief(&m));
            }
        }
        out.sort_by(|a, b| {
            b.is_open()
                .cmp(&a.is_open())
                .then(b.received.cmp(&a.received))
                .then(b.id.cmp(&a.id))
        });
        Ok(out)
    }

    fn matters_of(&self, visitor: VisitorId) -> HallResult<Vec<MatterId>> {
        Ok(self.store.list(TreeId::IxVisitorMatters, visitor)?)
    }
}
