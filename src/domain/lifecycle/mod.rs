//! The life of a matter under the 信访工作条例 (2022): its states, the steps between them, the
//! rules a step must meet and the legal clocks that run meanwhile.
//!
//! Pure: the service passes today's local date and the hall's `TimeLimits`; `apply` returns the
//! new `Lifecycle` or a Chinese error saying what is wrong and what is allowed.

mod deadline;
mod national;
mod offer;
mod state;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::department::DeptCode;

pub use deadline::{
    days_left, Deadline, DeadlineKind, DeadlineRules, DeadlineStatus, RulesError, Tier, TimeLimits,
};
pub use national::{from_national, national_state, NATIONAL_STATES};
pub use state::{RefusalGround, State, Transition, TransitionKind};

/// The last 转送 / 交办 of a matter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Routing {
    pub to: DeptCode,
    /// 交办 rather than 转送: a deadline and a 办结报告 are required (Art 22).
    pub assigned: bool,
    pub on: NaiveDate,
}

/// A receiving body's objection: it returned the matter to `Routing::to`'s sender.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Return {
    pub reason: String,
    pub on: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub ground: RefusalGround,
    pub reason: String,
}

/// The one extension of the handling limit (Art 34).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub days: u32,
    pub reason: String,
    pub approver: String,
    pub told_on: NaiveDate,
    pub granted_on: NaiveDate,
}

/// A matter's state and the dates its clocks count from; part of the stored matter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lifecycle {
    pub state: State,
    /// The day the current state began.
    pub since: NaiveDate,
    pub received: NaiveDate,
    pub routing: Option<Routing>,
    pub returned: Option<Return>,
    pub refusal: Option<Refusal>,
    pub accepted: Option<NaiveDate>,
    pub extension: Option<Extension>,
    /// The written reply (处理意见).
    pub replied: Option<NaiveDate>,
    pub review_requested: Option<NaiveDate>,
    pub review_answered: Option<NaiveDate>,
    pub recheck_requested: Option<NaiveDate>,
    pub recheck_answered: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    #[error("事项当前状态为“{state}”，不能{attempted}。{}", allowed_text(.allowed))]
    NotAllowed {
        state: &'static str,
        attempted: &'static str,
        allowed: Vec<TransitionKind>,
    },
    #[error("延期办理只能一次（条例第三十四条），本事项已于 {granted_on} 延期 {days} 日")]
    SecondExtension { granted_on: NaiveDate, days: u32 },
    #[error("延期最多 {max} 日（条例第三十四条），请填写 1 到 {max} 之间的天数")]
    ExtensionTooLong { days: u32, max: u32 },
    #[error("{}已于 {} 届满，不能再延期：延期须在办理期限内批准", .deadline.label(), .deadline.due)]
    ExtensionTooLate { deadline: Deadline },
    #[error("告知信访人的日期 {told_on} 晚于今天，请填写实际告知的日期")]
    ToldInFuture { told_on: NaiveDate },
    #[error("请填写{what}")]
    Missing { what: &'static str },
    #[error("{}已于 {} 届满，事项状态为“{}”，不再受理该申请", .deadline.label(), .deadline.due, .lapsed.label())]
    WindowLapsed { deadline: Deadline, lapsed: State },
    #[error("{}到 {} 才届满，现在还不能记为“{}”", .deadline.label(), .deadline.due, .lapsed.label())]
    WindowOpen { deadline: Deadline, lapsed: State },
    #[error("{}已于 {} 届满，不能再退回，请受理或不予受理", .deadline.label(), .deadline.due)]
    ObjectionLate { deadline: Deadline },
}

fn allowed_text(allowed: &[TransitionKind]) -> String {
    if allowed.is_empty() {
        return "该状态下已没有后续步骤。".to_string();
    }
    let labels: Vec<&str> = allowed.iter().map(|k| k.label()).collect();
    format!("当前可以：{}。", labels.join("、"))
}

/// Trimmed text, or the error naming what is missing.
fn required(text: String, what: &'static str) -> Result<String, LifecycleError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(LifecycleError::Missing { what });
    }
    Ok(trimmed.to_string())
}

impl Lifecycle {
    /// A matter registered on `received`.
    pub fn new(received: NaiveDate) -> Lifecycle {
        Lifecycle {
            state: State::Registered,
            since: received,
            received,
            routing: None,
            returned: None,
            refusal: None,
            accepted: None,
            extension: None,
            replied: None,
            review_requested: None,
            review_answered: None,
            recheck_requested: None,
            recheck_answered: None,
        }
    }

    /// The state's label, told apart where the desk needs it (转送 / 交办).
    pub fn label(&self) -> &'static str {
        match (self.state, &self.routing) {
            (State::Routed, Some(r)) if r.assigned => "已交办",
            (State::Routed, Some(_)) => "已转送",
            (state, _) => state.label(),
        }
    }

    /// 终结 (Art 36): a new request on the same facts and reasons is 不再受理.
    pub fn is_final(&self) -> bool {
        self.state == State::Final
    }

    pub fn allowed(&self) -> &'static [TransitionKind] {
        self.state.allowed()
    }

    /// The state as it reads on `today`: a 复查 / 复核 window that ended unused reads as
    /// lapsed even before anyone records the lapse.
    pub fn status_on(&self, today: NaiveDate, limits: &TimeLimits) -> State {
        match self.window(limits) {
            Some((deadline, lapsed)) if today > deadline.due => lapsed,
            _ => self.state,
        }
    }

    /// The label of the state as it reads on `today` (`已交办`, `超期未申请复查` …).
    pub fn label_on(&self, today: NaiveDate, limits: &TimeLimits) -> &'static str {
        let state = self.status_on(today, limits);
        if state == self.state {
            self.label()
        } else {
            state.label()
        }
    }

    /// The national export's state on `today` (see `national_state`).
    pub fn national_state(&self, today: NaiveDate, limits: &TimeLimits) -> &'static str {
        let overdue = self
            .deadlines(limits)
            .iter()
            .any(|d| d.kind.is_duty() && today > d.due);
        national_state(self.status_on(today, limits), overdue)
    }

    /// Applies one step on `today`; the value itself is unchanged, so a refused step leaves
    /// nothing half done.
    pub fn apply(
        &self,
        transition: Transition,
        today: NaiveDate,
        limits: &TimeLimits,
    ) -> Result<Lifecycle, LifecycleError> {
        let kind = transition.kind();
        if let (State::Extended, TransitionKind::Extend, Some(e)) =
            (self.state, kind, &self.extension)
        {
            return Err(LifecycleError::SecondExtension {
                granted_on: e.granted_on,
                days: e.days,
            });
        }
        if !self.allowed().contains(&kind) {
            return Err(LifecycleError::NotAllowed {
                state: self.label(),
                attempted: kind.label(),
                allowed: self.allowed().to_vec(),
            });
        }
        let mut next = self.clone();
        next.since = today;
        next.state = match transition {
            Transition::TakeUp => State::AwaitingAcceptance,
            Transition::Accept => {
                next.accepted = Some(today);
                State::InProgress
            }
            Transition::Extend {
                days,
                reason,
                approver,
                told_on,
            } => {
                next.extension =
                    Some(self.extension(days, reason, approver, told_on, today, limits)?);
                State::Extended
            }
            Transition::Reply => {
                next.replied = Some(today);
                State::Replied
            }
            Transition::RequestReview | Transition::RequestRecheck => {
                if let Some((deadline, lapsed)) = self.window(limits) {
                    if today > deadline.due {
                        return Err(LifecycleError::WindowLapsed { deadline, lapsed });
                    }
                }
                if kind == TransitionKind::RequestReview {
                    next.review_requested = Some(today);
                    State::ReviewRequested
                } else {
                    next.recheck_requested = Some(today);
                    State::RecheckRequested
                }
            }
            Transition::StartReview => State::UnderReview,
            Transition::AnswerReview => {
                next.review_answered = Some(today);
                State::ReviewAnswered
            }
            Transition::StartRecheck => State::UnderRecheck,
            Transition::AnswerRecheck => {
                next.recheck_answered = Some(today);
                State::Final
            }
            Transition::ResolveOnSpot => State::ResolvedOnSpot,
            Transition::Route { to, assigned } => {
                next.routing = Some(Routing {
                    to,
                    assigned,
                    on: today,
                });
                State::Routed
            }
            Transition::ReturnToSender { reason } => {
                if let Some(deadline) = self.running(DeadlineKind::Objection, limits) {
                    if today > deadline.due {
                        return Err(LifecycleError::ObjectionLate { deadline });
                    }
                }
                next.returned = Some(Return {
                    reason: required(reason, "退回的理由")?,
                    on: today,
                });
                State::Returned
            }
            Transition::Refuse { ground, reason } => {
                next.refusal = Some(Refusal {
                    ground,
                    reason: required(reason, "不予受理的理由")?,
                });
                match ground {
                    RefusalGround::AlreadyFinal => State::NotAcceptedAgain,
                    _ => State::Refused,
                }
            }
            Transition::Lapse => match self.window(limits) {
                Some((deadline, lapsed)) if today > deadline.due => {
                    // The window ended on its last day; the lapse dates from the day after.
                    next.since = deadline.due.succ_opt().unwrap_or(deadline.due);
                    lapsed
                }
                Some((deadline, lapsed)) => {
                    return Err(LifecycleError::WindowOpen { deadline, lapsed })
                }
                // `allowed()` offers a lapse only in the two states that have a window.
                None => self.state,
            },
        };
        Ok(next)
    }

    /// The visitor's open request window and the state it lapses into.
    fn window(&self, limits: &TimeLimits) -> Option<(Deadline, State)> {
        let (kind, lapsed) = match self.state {
            State::Replied => (DeadlineKind::ReviewRequest, State::ReviewLapsed),
            State::ReviewAnswered => (DeadlineKind::RecheckRequest, State::RecheckLapsed),
            _ => return None,
        };
        self.running(kind, limits).map(|d| (d, lapsed))
    }

    fn extension(
        &self,
        days: u32,
        reason: String,
        approver: String,
        told_on: NaiveDate,
        today: NaiveDate,
        limits: &TimeLimits,
    ) -> Result<Extension, LifecycleError> {
        let max = limits.rules.extend_days;
        if days == 0 || days > max {
            return Err(LifecycleError::ExtensionTooLong { days, max });
        }
        if let Some(deadline) = self.running(DeadlineKind::Handle, limits) {
            if today > deadline.due {
                return Err(LifecycleError::ExtensionTooLate { deadline });
            }
        }
        if told_on > today {
            return Err(LifecycleError::ToldInFuture { told_on });
        }
        Ok(Extension {
            days,
            reason: required(reason, "延期的理由")?,
            approver: required(approver, "批准延期的负责人")?,
            told_on,
            granted_on: today,
        })
    }
}

#[cfg(test)]
mod tests;
