//! Oversight of a matter beside its legal procedure: 督办 (put under supervision with a due
//! date, listed until cleared), 领导批示 (a leader's written instruction), 领导包案 (a leader
//! takes personal charge) and 回访 (follow-up contact with the visitor).
//!
//! Pure: the service checks who may do what, then `apply` changes the matter or says in
//! Chinese why not. Every action is also kept in the matter's history, so instructions and
//! follow-ups are read from there.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::matter::{HistoryKind, Matter};

/// 督办: the matter is listed as supervised until someone clears it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supervision {
    /// The day the supervising office expects the matter settled or reported on.
    pub due: NaiveDate,
    pub note: String,
    /// Username of who put it under supervision.
    pub by: String,
    pub since: NaiveDate,
}

impl Supervision {
    pub fn overdue(&self, today: NaiveDate) -> bool {
        today > self.due
    }

    /// `督办 至2026-12-05` or `督办超期3天`: what every list shows.
    pub fn marker(&self, today: NaiveDate) -> String {
        let late = (today - self.due).num_days();
        if late > 0 {
            format!("督办超期{late}天")
        } else {
            format!("督办 至{}", self.due)
        }
    }
}

/// 领导包案: the leader personally in charge of the matter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadCharge {
    pub leader: String,
    /// The leader's name as the desks show it.
    pub name: String,
    pub since: NaiveDate,
}

/// How a follow-up contact (回访) was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FollowUpWay {
    Phone,
    InPerson,
    Sms,
    Letter,
    Other,
}

impl FollowUpWay {
    pub const ALL: [FollowUpWay; 5] = [
        FollowUpWay::Phone,
        FollowUpWay::InPerson,
        FollowUpWay::Sms,
        FollowUpWay::Letter,
        FollowUpWay::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            FollowUpWay::Phone => "电话",
            FollowUpWay::InPerson => "上门",
            FollowUpWay::Sms => "短信",
            FollowUpWay::Letter => "信函",
            FollowUpWay::Other => "其他",
        }
    }
}

/// One follow-up contact with the visitor; who made it is the history entry's officer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub way: FollowUpWay,
    pub on: NaiveDate,
    pub result: String,
}

/// One oversight action on a matter, as a desk sends it and the history keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Oversight {
    /// 督办 with a due date; a second one replaces the first (a new date, a new note).
    Supervise { due: NaiveDate, note: String },
    /// 解除督办, saying why (settled, reported …).
    ClearSupervision { note: String },
    /// 领导批示
    Instruct { text: String },
    /// 领导包案: the acting leader takes personal charge.
    TakeCharge,
    /// 解除包案
    ReleaseCharge,
    /// 回访
    FollowUp(FollowUp),
}

/// The kind of an oversight action, without its data: what permissions and desks list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OversightKind {
    Supervise,
    ClearSupervision,
    Instruct,
    TakeCharge,
    ReleaseCharge,
    FollowUp,
}

impl OversightKind {
    pub const ALL: [OversightKind; 6] = [
        OversightKind::Supervise,
        OversightKind::ClearSupervision,
        OversightKind::Instruct,
        OversightKind::TakeCharge,
        OversightKind::ReleaseCharge,
        OversightKind::FollowUp,
    ];

    pub fn label(self) -> &'static str {
        match self {
            OversightKind::Supervise => "督办",
            OversightKind::ClearSupervision => "解除督办",
            OversightKind::Instruct => "领导批示",
            OversightKind::TakeCharge => "领导包案",
            OversightKind::ReleaseCharge => "解除包案",
            OversightKind::FollowUp => "回访",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OversightError {
    #[error("督办期限 {due} 早于今天（{today}），请填写今天或以后的日期")]
    DueInPast { due: NaiveDate, today: NaiveDate },
    #[error("事项已“{state}”，不能再{what}；已办结的事项可以回访或批示")]
    Closed {
        state: &'static str,
        what: &'static str,
    },
    #[error("该事项没有在督办，无需解除")]
    NotSupervised,
    #[error("该事项已由{name}包案；须由{name}或管理员先解除包案")]
    AlreadyInCharge { name: String },
    #[error("该事项没有领导包案，无需解除")]
    NotInCharge,
    #[error("回访日期 {on} 晚于今天，请填写实际回访的日期")]
    FollowUpInFuture { on: NaiveDate },
    #[error("请填写{what}")]
    Missing { what: &'static str },
}

impl Oversight {
    pub fn kind(&self) -> OversightKind {
        match self {
            Oversight::Supervise { .. } => OversightKind::Supervise,
            Oversight::ClearSupervision { .. } => OversightKind::ClearSupervision,
            Oversight::Instruct { .. } => OversightKind::Instruct,
            Oversight::TakeCharge => OversightKind::TakeCharge,
            Oversight::ReleaseCharge => OversightKind::ReleaseCharge,
            Oversight::FollowUp(_) => OversightKind::FollowUp,
        }
    }

    /// One line for the history and the audit trail.
    pub fn describe(&self) -> String {
        let label = self.kind().label();
        match self {
            Oversight::Supervise { due, note } => format!("{label}，限 {due} 前：{note}"),
            Oversight::ClearSupervision { note } | Oversight::Instruct { text: note } => {
                format!("{label}：{note}")
            }
            Oversight::TakeCharge | Oversight::ReleaseCharge => label.to_string(),
            Oversight::FollowUp(f) => {
                format!("{label}（{}，{}）：{}", f.way.label(), f.on, f.result)
            }
        }
    }

    /// The texts trimmed, and the error naming a missing one.
    fn checked(self) -> Result<Oversight, OversightError> {
        let need = |text: String, what| {
            let text = text.trim().to_string();
            if text.is_empty() {
                Err(OversightError::Missing { what })
            } else {
                Ok(text)
            }
        };
        Ok(match self {
            Oversight::Supervise { due, note } => Oversight::Supervise {
                due,
                note: need(note, "督办要求")?,
            },
            Oversight::ClearSupervision { note } => Oversight::ClearSupervision {
                note: need(note, "解除督办的理由")?,
            },
            Oversight::Instruct { text } => Oversight::Instruct {
                text: need(text, "批示内容")?,
            },
            Oversight::FollowUp(f) => Oversight::FollowUp(FollowUp {
                result: need(f.result, "回访结果")?,
                ..f
            }),
            other => other,
        })
    }
}

/// Applies an oversight action by `officer` (username, shown name) on `today`; returns the
/// action as kept in the history. The matter is unchanged when it is refused.
pub fn apply(
    m: &mut Matter,
    action: Oversight,
    officer: (&str, &str),
    today: NaiveDate,
) -> Result<Oversight, OversightError> {
    let action = action.checked()?;
    let closed = |what| OversightError::Closed {
        state: m.status.label(),
        what,
    };
    match &action {
        Oversight::Supervise { due, note } => {
            if !m.is_open() {
                return Err(closed("督办"));
            }
            if *due < today {
                return Err(OversightError::DueInPast { due: *due, today });
            }
            m.supervision = Some(Supervision {
                due: *due,
                note: note.clone(),
                by: officer.0.to_string(),
                since: today,
            });
        }
        Oversight::ClearSupervision { .. } => {
            if m.supervision.take().is_none() {
                return Err(OversightError::NotSupervised);
            }
        }
        Oversight::Instruct { .. } => {}
        Oversight::TakeCharge => {
            if !m.is_open() {
                return Err(closed("包案"));
            }
            if let Some(lead) = &m.lead {
                return Err(OversightError::AlreadyInCharge {
                    name: lead.name.clone(),
                });
            }
            m.lead = Some(LeadCharge {
                leader: officer.0.to_string(),
                name: officer.1.to_string(),
                since: today,
            });
        }
        Oversight::ReleaseCharge => {
            if m.lead.take().is_none() {
                return Err(OversightError::NotInCharge);
            }
        }
        Oversight::FollowUp(f) => {
            if f.on > today {
                return Err(OversightError::FollowUpInFuture { on: f.on });
            }
        }
    }
    Ok(action)
}

impl Matter {
    /// Whether the matter's state lets an oversight action of `kind` be taken at all (who may
    /// take it is the service's `permissions`): a desk offers only these.
    pub fn oversight_applies(&self, kind: OversightKind) -> bool {
        match kind {
            OversightKind::Supervise => self.is_open(),
            OversightKind::ClearSupervision => self.supervision.is_some(),
            OversightKind::TakeCharge => self.is_open() && self.lead.is_none(),
            OversightKind::ReleaseCharge => self.lead.is_some(),
            OversightKind::Instruct | OversightKind::FollowUp => true,
        }
    }

    /// The follow-up contacts (回访), oldest first, with who made each.
    pub fn follow_ups(&self) -> impl Iterator<Item = (&str, &FollowUp)> {
        self.history.iter().filter_map(|h| match &h.kind {
            HistoryKind::Oversight(Oversight::FollowUp(f)) => Some((h.officer.as_str(), f)),
            _ => None,
        })
    }

    /// The leaders' instructions (领导批示), oldest first, with who wrote each.
    pub fn instructions(&self) -> impl Iterator<Item = (&str, &str)> {
        self.history.iter().filter_map(|h| match &h.kind {
            HistoryKind::Oversight(Oversight::Instruct { text }) => {
                Some((h.officer.as_str(), text.as_str()))
            }
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lifecycle::{TimeLimits, Transition};
    use crate::domain::matter::HistoryEntry;
    use crate::domain::time::Timestamp;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).expect("a valid test date")
    }

    fn matter() -> Matter {
        Matter::sample("欠薪", day(1))
    }

    const LEADER: (&str, &str) = ("ld", "刘局长");

    #[test]
    fn supervision_needs_a_due_date_not_past_and_a_note() {
        let mut m = matter();
        let past = Oversight::Supervise {
            due: day(9),
            note: "尽快".into(),
        };
        assert_eq!(
            apply(&mut m, past, LEADER, day(10)),
            Err(OversightError::DueInPast {
                due: day(9),
                today: day(10)
            })
        );
        let blank = Oversight::Supervise {
            due: day(20),
            note: "  ".into(),
        };
        assert!(matches!(
            apply(&mut m, blank, LEADER, day(10)),
            Err(OversightError::Missing { .. })
        ));
        assert_eq!(m.supervision, None);
        let ok = Oversight::Supervise {
            due: day(10),
            note: " 月底前办结 ".into(),
        };
        apply(&mut m, ok, LEADER, day(10)).expect("supervised");
        let s = m.supervision.clone().expect("set");
        assert_eq!(
            (s.due, s.note.as_str(), s.by.as_str()),
            (day(10), "月底前办结", "ld")
        );
        assert!(!s.overdue(day(10)));
        assert!(s.overdue(day(11)));
        assert_eq!(s.marker(day(10)), "督办 至2026-11-10");
        assert_eq!(s.marker(day(13)), "督办超期3天");
        assert!(m.oversight_applies(OversightKind::ClearSupervision));
    }

    #[test]
    fn clearing_ends_supervision_once() {
        let mut m = matter();
        assert!(!m.oversight_applies(OversightKind::ClearSupervision));
        let clear = || Oversight::ClearSupervision {
            note: "已办结".into(),
        };
        assert_eq!(
            apply(&mut m, clear(), LEADER, day(2)),
            Err(OversightError::NotSupervised)
        );
        let due = day(20);
        let note = "督".to_string();
        apply(&mut m, Oversight::Supervise { due, note }, LEADER, day(2)).expect("set");
        apply(&mut m, clear(), LEADER, day(3)).expect("cleared");
        assert_eq!(m.supervision, None);
    }

    #[test]
    fn one_leader_in_charge_at_a_time_and_only_of_an_open_matter() {
        let mut m = matter();
        assert!(!m.oversight_applies(OversightKind::ReleaseCharge));
        apply(&mut m, Oversight::TakeCharge, LEADER, day(2)).expect("taken");
        assert!(!m.oversight_applies(OversightKind::TakeCharge));
        assert!(m.oversight_applies(OversightKind::ReleaseCharge));
        assert_eq!(m.lead.as_ref().map(|l| l.name.as_str()), Some("刘局长"));
        assert_eq!(
            apply(&mut m, Oversight::TakeCharge, ("ld2", "陈副局长"), day(2)),
            Err(OversightError::AlreadyInCharge {
                name: "刘局长".into()
            })
        );
        apply(&mut m, Oversight::ReleaseCharge, LEADER, day(3)).expect("released");
        assert_eq!(
            apply(&mut m, Oversight::ReleaseCharge, LEADER, day(3)),
            Err(OversightError::NotInCharge)
        );
        let limits = TimeLimits::new(
            Default::default(),
            crate::domain::calendar::Calendar::embedded(),
        );
        m.status = m
            .status
            .apply(Transition::ResolveOnSpot, day(3), &limits)
            .expect("resolved");
        assert!(matches!(
            apply(&mut m, Oversight::TakeCharge, LEADER, day(4)),
            Err(OversightError::Closed { .. })
        ));
        assert!(!m.oversight_applies(OversightKind::Supervise));
        // A closed matter is still followed up.
        let f = FollowUp {
            way: FollowUpWay::Phone,
            on: day(4),
            result: "满意".into(),
        };
        apply(&mut m, Oversight::FollowUp(f), LEADER, day(4)).expect("follow-up");
    }

    #[test]
    fn follow_ups_are_dated_today_or_earlier_and_read_from_the_history() {
        let mut m = matter();
        let on = |d| {
            Oversight::FollowUp(FollowUp {
                way: FollowUpWay::InPerson,
                on: day(d),
                result: "已补发工资".into(),
            })
        };
        assert_eq!(
            apply(&mut m, on(6), LEADER, day(5)),
            Err(OversightError::FollowUpInFuture { on: day(6) })
        );
        let kept = apply(&mut m, on(5), LEADER, day(5)).expect("ok");
        m.history.push(HistoryEntry {
            at: Timestamp(0),
            officer: "rs1".into(),
            kind: HistoryKind::Oversight(kept),
        });
        let ups: Vec<_> = m.follow_ups().collect();
        assert_eq!(ups.len(), 1);
        assert_eq!((ups[0].0, ups[0].1.on), ("rs1", day(5)));
        assert_eq!(m.instructions().count(), 0);
    }
}
