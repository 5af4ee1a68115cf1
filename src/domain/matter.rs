//! The matter (信访事项, 件): what the visitor asks, tracked until it is closed.

use chrono::{FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::department::DeptCode;
use super::evaluation::{Evaluation, EvaluationStep};
use super::lifecycle::{
    Lifecycle, LifecycleError, RefusalGround, TimeLimits, Transition, TransitionKind,
};
use super::oversight::{LeadCharge, Oversight, Supervision};
use super::time::Timestamp;
use super::visit_facts::LowerLevel;
use super::visitor::VisitorId;

pub type MatterId = u64;

/// 事项性质
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Category {
    Suggestion,
    Accusation,
    Claim,
}

impl Category {
    pub const ALL: [Category; 3] = [Category::Suggestion, Category::Accusation, Category::Claim];

    pub fn label(self) -> &'static str {
        match self {
            Category::Suggestion => "建议意见类",
            Category::Accusation => "检举控告类",
            Category::Claim => "申诉求决类",
        }
    }

    /// Accusations are confidential (Art 30): only the accusations desk and admins see them.
    pub fn confidential(self) -> bool {
        self == Category::Accusation
    }
}

/// The person or unit a 检举控告类 matter accuses (被反映人或单位). Its materials are never
/// shown or passed to them (Art 30): it is seen only where the matter itself is seen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accused {
    pub party: String,
    /// The department the accused unit belongs to, when known: the matter never goes there.
    pub department: Option<DeptCode>,
}

/// Legal channels a matter may be guided into instead of the 信访 procedure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LegalChannel {
    Litigation,
    Arbitration,
    AdministrativeReview,
    Other,
}

impl LegalChannel {
    pub const ALL: [LegalChannel; 4] = [
        LegalChannel::Litigation,
        LegalChannel::Arbitration,
        LegalChannel::AdministrativeReview,
        LegalChannel::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            LegalChannel::Litigation => "诉讼",
            LegalChannel::Arbitration => "仲裁",
            LegalChannel::AdministrativeReview => "行政复议",
            LegalChannel::Other => "其他法定途径",
        }
    }
}

/// What a window records at the end of a reception.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// 当场答复
    AnsweredOnSpot,
    /// 受理
    Accepted,
    /// 转送 to the competent body.
    Forwarded { to: DeptCode },
    /// 交办 (important matters, deadline and report required).
    Assigned { to: DeptCode },
    /// 不予受理
    NotAccepted,
    /// 导入法定途径
    LegalChannel(LegalChannel),
}

impl Outcome {
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::AnsweredOnSpot => "当场答复",
            Outcome::Accepted => "受理",
            Outcome::Forwarded { .. } => "转送",
            Outcome::Assigned { .. } => "交办",
            Outcome::NotAccepted => "不予受理",
            Outcome::LegalChannel(_) => "导入法定途径",
        }
    }

    /// Every outcome but a plain acceptance needs a written note: the answer given,
    /// the reason for routing or refusal, the channel explained.
    pub fn needs_note(&self) -> bool {
        !matches!(self, Outcome::Accepted)
    }

    /// 当场答复 and refusals close the matter; acceptance and routing keep it open.
    pub fn closes(&self) -> bool {
        matches!(
            self,
            Outcome::AnsweredOnSpot | Outcome::NotAccepted | Outcome::LegalChannel(_)
        )
    }

    /// The lifecycle step this outcome records; `note` is the reason of a refusal.
    pub fn transition(&self, note: &str) -> Transition {
        let refuse = |ground| Transition::Refuse {
            ground,
            reason: note.to_string(),
        };
        match self {
            Outcome::AnsweredOnSpot => Transition::ResolveOnSpot,
            Outcome::Accepted => Transition::Accept,
            Outcome::Forwarded { to } => Transition::Route {
                to: to.clone(),
                assigned: false,
            },
            Outcome::Assigned { to } => Transition::Route {
                to: to.clone(),
                assigned: true,
            },
            Outcome::NotAccepted => refuse(RefusalGround::Other),
            Outcome::LegalChannel(channel) => refuse(RefusalGround::LegalChannel(*channel)),
        }
    }
}

/// One line of a matter's history: routing, outcomes and notes are never overwritten.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: Timestamp,
    pub officer: String,
    pub kind: HistoryKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HistoryKind {
    Registered {
        department: DeptCode,
    },
    Routed {
        from: DeptCode,
        to: DeptCode,
        assigned: bool,
        reason: String,
    },
    Outcome {
        outcome: Outcome,
        note: String,
    },
    Note {
        text: String,
    },
    /// A lifecycle step recorded outside a window's reception (extension, reply, 复查 …),
    /// with the officer's optional remark.
    Step {
        step: Transition,
        note: String,
    },
    RepeatVisit {
        visit: u64,
    },
    /// A satisfaction evaluation or a 第三方评价 step.
    Evaluated {
        step: EvaluationStep,
    },
    /// 督办, 领导批示, 领导包案, 回访 and their clearing (see `oversight`).
    Oversight(Oversight),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matter {
    pub id: MatterId,
    /// `2026-000123`: per-year sequence, easy to read out and to type without an IME.
    pub number: String,
    pub category: Category,
    pub content_class: String,
    /// 问题属地
    pub place: String,
    pub summary: String,
    pub demands: String,
    /// Set for 检举控告类 matters only.
    pub accused: Option<Accused>,
    pub department: DeptCode,
    /// Where the matter stands in the 信访 procedure, with the dates its clocks count from.
    pub status: Lifecycle,
    pub received: Timestamp,
    pub visitors: Vec<VisitorId>,
    pub visits: Vec<u64>,
    pub history: Vec<HistoryEntry>,
    /// The visitor's evaluations of the written answers, oldest first.
    pub evaluations: Vec<Evaluation>,
    /// The lower level that had already accepted the matter when it was registered (Art 19).
    pub lower_level: Option<LowerLevel>,
    /// 督办: listed as supervised until cleared.
    pub supervision: Option<Supervision>,
    /// 领导包案: the leader in personal charge, shown wherever the matter is.
    pub lead: Option<LeadCharge>,
}

/// What a matter is about, as the desk, the demo or a ledger registers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    pub category: Category,
    pub content_class: String,
    /// 问题属地
    pub place: String,
    pub summary: String,
    pub demands: String,
    /// 检举控告类 matters only.
    pub accused: Option<Accused>,
}

impl Subject {
    pub fn accused_department(&self) -> Option<&DeptCode> {
        self.accused.as_ref().and_then(|a| a.department.as_ref())
    }
}

impl Matter {
    /// A matter as registration creates it: nothing decided yet, its history one entry
    /// saying who registered it and which department has it.
    pub fn registered(
        id: MatterId,
        number: String,
        subject: Subject,
        department: DeptCode,
        received: Timestamp,
        tz: FixedOffset,
        officer: String,
    ) -> Matter {
        Matter {
            id,
            number,
            category: subject.category,
            content_class: subject.content_class,
            place: subject.place,
            summary: subject.summary,
            demands: subject.demands,
            accused: subject.accused,
            department: department.clone(),
            status: Lifecycle::new(received.local_date(tz)),
            received,
            visitors: Vec::new(),
            visits: Vec::new(),
            history: vec![HistoryEntry {
                at: received,
                officer,
                kind: HistoryKind::Registered { department },
            }],
            evaluations: Vec::new(),
            lower_level: None,
            supervision: None,
            lead: None,
        }
    }

    /// The unit tests' matter: a 人社 claim about `summary`, received at the start of
    /// `day` in +08:00.
    #[cfg(test)]
    pub fn sample(summary: &str, day: NaiveDate) -> Matter {
        let tz = FixedOffset::east_opt(8 * 3600).expect("+08:00");
        let subject = Subject {
            category: Category::Claim,
            content_class: "劳动社保".into(),
            place: "东城区".into(),
            summary: summary.into(),
            demands: String::new(),
            accused: None,
        };
        let received = Timestamp::start_of(day, tz);
        let department = DeptCode::new("rs");
        let number = "2026-000001".to_string();
        Matter::registered(1, number, subject, department, received, tz, "reg".into())
    }

    pub fn confidential(&self) -> bool {
        self.category.confidential()
    }

    /// The department the accused unit belongs to, when the matter names one.
    pub fn accused_department(&self) -> Option<&DeptCode> {
        self.accused.as_ref().and_then(|a| a.department.as_ref())
    }

    /// What the matter is about, as registered or corrected since.
    pub fn subject(&self) -> Subject {
        Subject {
            category: self.category,
            content_class: self.content_class.clone(),
            place: self.place.clone(),
            summary: self.summary.clone(),
            demands: self.demands.clone(),
            accused: self.accused.clone(),
        }
    }

    /// Not closed for good (终结, 当场化解, 不予受理, a lapsed window …): visits may be added.
    pub fn is_open(&self) -> bool {
        !self.status.state.is_closed()
    }

    /// Whether a window's outcome still decides the matter: it has been neither accepted,
    /// refused nor resolved since it was registered, routed or returned.
    pub fn awaits_decision(&self) -> bool {
        self.status
            .allowed()
            .contains(&TransitionKind::ResolveOnSpot)
    }

    /// Records a window's outcome on `today`; the matter is unchanged when the step is refused.
    /// A window that accepts a matter still at the registration stage takes it up itself
    /// first. Once the matter is decided, a later reception on it (the visitor asking how it
    /// stands) is 当场答复 and leaves the lifecycle as it is.
    pub fn record_outcome(
        &mut self,
        outcome: &Outcome,
        note: &str,
        today: NaiveDate,
        limits: &TimeLimits,
    ) -> Result<(), LifecycleError> {
        if *outcome == Outcome::AnsweredOnSpot && !self.awaits_decision() {
            return Ok(());
        }
        let mut status = self.status.clone();
        if *outcome == Outcome::Accepted && status.allowed().contains(&TransitionKind::TakeUp) {
            status = status.apply(Transition::TakeUp, today, limits)?;
        }
        self.status = status.apply(outcome.transition(note), today, limits)?;
        if let Outcome::Forwarded { to } | Outcome::Assigned { to } = outcome {
            self.department = to.clone();
        }
        Ok(())
    }
}

/// `2026-000123`
pub fn matter_number(year: i32, seq: u64) -> String {
    format!("{year}-{seq:06}")
}

/// A lookup text that can only be a matter number (or its prefix): `2026-`, `2026-0001`.
pub fn looks_like_matter_number(text: &str) -> bool {
    let mut parts = text.splitn(2, '-');
    let year = parts.next().unwrap_or("");
    let rest = parts.next();
    year.len() == 4
        && year.starts_with('2')
        && year.chars().all(|c| c.is_ascii_digit())
        && rest.is_some_and(|r| r.len() <= 6 && r.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matter_numbers_are_recognised_but_not_phones() {
        assert_eq!(matter_number(2026, 123), "2026-000123");
        assert!(looks_like_matter_number("2026-000123"));
        assert!(looks_like_matter_number("2026-"));
        assert!(!looks_like_matter_number("010-12345678"));
        assert!(!looks_like_matter_number("2026"));
        assert!(!looks_like_matter_number("2026-0001234"));
    }

    #[test]
    fn only_non_acceptance_outcomes_need_a_note() {
        assert!(!Outcome::Accepted.needs_note());
        assert!(Outcome::NotAccepted.needs_note());
        assert_eq!(
            Outcome::LegalChannel(LegalChannel::Arbitration).transition("去仲裁"),
            Transition::Refuse {
                ground: RefusalGround::LegalChannel(LegalChannel::Arbitration),
                reason: "去仲裁".into()
            }
        );
    }
}
