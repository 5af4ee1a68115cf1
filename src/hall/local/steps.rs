//! Lifecycle steps on a matter outside a window's reception (acceptance by written notice,
//! extension, reply, 复查 / 复核, return …) and the list of matters whose deadlines are due.

use super::LocalHall;
use crate::domain::lifecycle::Transition;
use crate::domain::matter::{HistoryKind, Matter, MatterId};
use crate::domain::registration::{text_field, Field, MAX_NOTE};
use crate::hall::api::{CommandReply, EventKind, MatterBrief, Session};
use crate::hall::error::{HallError, HallResult};
use crate::hall::permissions::{self, Action};
use crate::store::keys::{self, TreeId};

/// The longest approver's name or title accepted (`分管副局长王某某`).
const MAX_APPROVER: usize = 20;

impl LocalHall {
    pub(super) fn step_matter(
        &self,
        s: &Session,
        matter: MatterId,
        step: Transition,
        note: String,
    ) -> HallResult<(CommandReply, Vec<EventKind>)> {
        if let Transition::Route { to, assigned } = step {
            return self.route(s, matter, to, assigned, note);
        }
        let note = text_field(Field::Note, "备注", &note, MAX_NOTE, false)?;
        let step = checked(step)?;
        self.change_matter(s, matter, |m| {
            permissions::may_step(&s.officer, &self.config, &m.department, step.kind())?;
            self.apply_step(m, step.clone())?;
            if let Transition::ReturnToSender { .. } = step {
                // Outside the receiving department's remit: intake routes it again.
                let intake = &self.config.intake_department().code;
                if permissions::may_hold(&self.config, intake, m).is_err() {
                    // Intake may not read an accusation (Art 30): it would sit there unseen.
                    return Err(HallError::Conflict(
                        "检举控告类事项不能退回登记部门（登记部门无权查看）；不属本机关职责的，请转送其他有权处理的机关或上级纪检监察机关".into(),
                    ));
                }
                m.department = intake.clone();
            }
            let kind = HistoryKind::Step {
                step: step.clone(),
                note: note.clone(),
            };
            Ok((kind, step.describe()))
        })
    }

    /// Open matters with a duty's deadline past or within the warning days, most overdue
    /// first; each shows that deadline. Reads only open matters, through their index: every
    /// login asks, and a city hall keeps years of closed ones.
    pub(super) fn due_matters(&self, s: &Session, hall_wide: bool) -> HallResult<Vec<MatterBrief>> {
        if hall_wide {
            permissions::require(&s.officer, Action::ViewHallDeadlines)?;
        }
        let limits = &self.config.limits;
        let today = self.today();
        let prefix = match hall_wide {
            true => Vec::new(),
            false => keys::exact_prefix(s.officer.department.as_str()),
        };
        let mut due = Vec::new();
        for id in self
            .store
            .scan_ids(TreeId::IxOpenMatters, &prefix, usize::MAX)?
        {
            let Some(m) = self.store.get_id::<Matter>(id)? else {
                continue;
            };
            if !permissions::can_see_matter(&s.officer, &self.config, &m) {
                continue;
            }
            // Not only the earliest clock: a routed matter's objection window may still be
            // open when its notice is nearly due (across a holiday week).
            let urgent = m
                .status
                .deadlines(limits)
                .into_iter()
                .map(|d| limits.status(d, today))
                .filter(|d| d.tier.is_some())
                .min_by_key(|d| d.days_left);
            if let Some(urgent) = urgent {
                let mut brief = MatterBrief::of(&m, limits, today);
                brief.deadline = Some(urgent);
                due.push(brief);
            }
        }
        due.sort_by_key(|b| (b.deadline.as_ref().map(|d| d.days_left), b.id));
        Ok(due)
    }
}

/// The texts a step carries, checked like every other form field.
fn checked(step: Transition) -> HallResult<Transition> {
    let text = |label, text: &str, max| text_field(Field::Note, label, text, max, true);
    Ok(match step {
        Transition::Extend {
            days,
            reason,
            approver,
            told_on,
        } => Transition::Extend {
            days,
            reason: text("延期的理由", &reason, MAX_NOTE)?,
            approver: text("批准延期的负责人", &approver, MAX_APPROVER)?,
            told_on,
        },
        Transition::ReturnToSender { reason } => Transition::ReturnToSender {
            reason: text("退回的理由", &reason, MAX_NOTE)?,
        },
        Transition::Refuse { ground, reason } => Transition::Refuse {
            ground,
            reason: text("不予受理的理由", &reason, MAX_NOTE)?,
        },
        other => other,
    })
}
