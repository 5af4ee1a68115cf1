//! 督办, 领导批示, 领导包案 and 回访 on a matter; the list of supervised matters; and what an
//! officer may do to an opened matter now (the desk's action panel).

use super::LocalHall;
use crate::domain::lifecycle::{Lifecycle, Tier};
use crate::domain::matter::{HistoryKind, Matter, MatterId};
use crate::domain::officer::OfficerInfo;
use crate::domain::oversight::{self, FollowUp, Oversight, OversightError, OversightKind};
use crate::domain::registration::{text_field, Field, FieldError, MAX_NOTE};
use crate::hall::api::{CommandReply, DeskAction, EventKind, MatterBrief, Session};
use crate::hall::error::{HallError, HallResult};
use crate::hall::permissions::{self, Action};

impl LocalHall {
    pub(super) fn oversee(
        &self,
        s: &Session,
        matter: MatterId,
        action: Oversight,
    ) -> HallResult<(CommandReply, Vec<EventKind>)> {
        let action = checked(action)?;
        let today = self.today();
        self.change_matter(s, matter, |m| {
            let in_charge = m.lead.as_ref().map(|l| l.leader.clone());
            permissions::may_oversee(
                &s.officer,
                &self.config,
                &m.department,
                in_charge.as_deref(),
                action.kind(),
            )?;
            let officer = (s.officer.username.as_str(), s.officer.display_name.as_str());
            let kept =
                oversight::apply(m, action.clone(), officer, today).map_err(|e| refused(m, e))?;
            let what = kept.describe();
            Ok((HistoryKind::Oversight(kept), what))
        })
    }

    /// Matters under 督办, earliest due first. Reads every matter, as the due list does.
    pub(super) fn supervised_matters(
        &self,
        s: &Session,
        hall_wide: bool,
    ) -> HallResult<Vec<MatterBrief>> {
        if hall_wide {
            permissions::require(&s.officer, Action::ViewHallDeadlines)?;
        }
        let mut list = Vec::new();
        for m in self.store.all::<Matter>() {
            let m = m?;
            let mine = hall_wide || m.department == s.officer.department;
            if mine
                && m.supervision.is_some()
                && permissions::can_see_matter(&s.officer, &self.config, &m)
            {
                list.push(self.brief(&m));
            }
        }
        list.sort_by_key(|b| (b.supervision.as_ref().map(|s| s.due), b.id));
        Ok(list)
    }

    /// What `officer` may do to the matter today: the steps its state and clocks allow and
    /// the officer may record, then the oversight actions that apply and the officer may take.
    pub(super) fn desk_actions(&self, officer: &OfficerInfo, m: &Matter) -> Vec<DeskAction> {
        let config = &self.config;
        let steps = m
            .status
            .offered(self.today(), &config.limits)
            .into_iter()
            .filter(|k| permissions::may_step(officer, config, &m.department, *k).is_ok())
            .map(DeskAction::Step);
        let in_charge = m.lead.as_ref().map(|l| l.leader.as_str());
        let oversee = OversightKind::ALL
            .into_iter()
            .filter(|k| m.oversight_applies(*k))
            .filter(|k| {
                permissions::may_oversee(officer, config, &m.department, in_charge, *k).is_ok()
            })
            .map(DeskAction::Oversee);
        steps.chain(oversee).collect()
    }

    /// The deadline tier a list shows for a matter in `status`: that of its next deadline,
    /// as on the matter's own lines.
    pub(super) fn tier_of(&self, status: &Lifecycle) -> Option<Tier> {
        status
            .deadline_status(&self.config.limits, self.today())
            .and_then(|d| d.tier)
    }
}

/// The texts an action carries, checked for length like every other form field.
fn checked(action: Oversight) -> HallResult<Oversight> {
    let text = |label, text: &str| text_field(Field::Note, label, text, MAX_NOTE, false);
    Ok(match action {
        Oversight::Supervise { due, note } => Oversight::Supervise {
            due,
            note: text("督办要求", &note)?,
        },
        Oversight::ClearSupervision { note } => Oversight::ClearSupervision {
            note: text("解除督办的理由", &note)?,
        },
        Oversight::Instruct { text: t } => Oversight::Instruct {
            text: text("批示内容", &t)?,
        },
        Oversight::FollowUp(f) => Oversight::FollowUp(FollowUp {
            result: text("回访结果", &f.result)?,
            ..f
        }),
        other => other,
    })
}

/// A refused action in the words of the desk, naming the matter.
fn refused(m: &Matter, e: OversightError) -> HallError {
    match e {
        OversightError::Missing { .. } => FieldError::new(Field::Note, e.to_string()).into(),
        _ => HallError::Conflict(format!("事项 {}：{e}", m.number)),
    }
}
