//! The states of a matter and the steps between them, with the Chinese words the desks show.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::department::DeptCode;
use crate::domain::matter::LegalChannel;

/// Where a matter stands in the 信访 procedure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum State {
    /// 登记: at the intake desk, to be routed within the route limit (Art 22).
    Registered,
    /// 待受理: the registering body is competent and decides on acceptance (Art 23).
    AwaitingAcceptance,
    /// 已转送 / 已交办: at the receiving body, which decides on acceptance or objects (Art 23).
    Routed,
    /// 已退回: the receiving body returned it as outside its remit; intake routes it again.
    Returned,
    /// 办理中 (Art 34 handling clock).
    InProgress,
    /// 延期办理中: the one extension was granted (Art 34).
    Extended,
    /// 已办结答复: the written reply was given; the 复查 window runs (Art 35).
    Replied,
    /// 已申请复查
    ReviewRequested,
    /// 复查中
    UnderReview,
    /// 已复查答复: the 复核 window runs (Art 36).
    ReviewAnswered,
    /// 已申请复核
    RecheckRequested,
    /// 复核中
    UnderRecheck,
    /// 终结: the 复核 was answered; the same facts are not accepted again (Art 36).
    Final,
    /// 当场化解
    ResolvedOnSpot,
    /// 不予受理 (including matters guided into litigation, arbitration, administrative review).
    Refused,
    /// 不再受理: a new request on a 终结 matter, recorded and refused (Art 36).
    NotAcceptedAgain,
    /// 超期未申请复查
    ReviewLapsed,
    /// 超期未申请复核
    RecheckLapsed,
}

impl State {
    pub const ALL: [State; 18] = [
        State::Registered,
        State::AwaitingAcceptance,
        State::Routed,
        State::Returned,
        State::InProgress,
        State::Extended,
        State::Replied,
        State::ReviewRequested,
        State::UnderReview,
        State::ReviewAnswered,
        State::RecheckRequested,
        State::UnderRecheck,
        State::Final,
        State::ResolvedOnSpot,
        State::Refused,
        State::NotAcceptedAgain,
        State::ReviewLapsed,
        State::RecheckLapsed,
    ];

    pub fn label(self) -> &'static str {
        match self {
            State::Registered => "登记",
            State::AwaitingAcceptance => "待受理",
            State::Routed => "已转送交办",
            State::Returned => "已退回",
            State::InProgress => "办理中",
            State::Extended => "延期办理中",
            State::Replied => "已办结答复",
            State::ReviewRequested => "已申请复查",
            State::UnderReview => "复查中",
            State::ReviewAnswered => "已复查答复",
            State::RecheckRequested => "已申请复核",
            State::UnderRecheck => "复核中",
            State::Final => "终结",
            State::ResolvedOnSpot => "当场化解",
            State::Refused => "不予受理",
            State::NotAcceptedAgain => "不再受理",
            State::ReviewLapsed => "超期未申请复查",
            State::RecheckLapsed => "超期未申请复核",
        }
    }

    /// The steps allowed from this state; empty when the matter is closed for good.
    pub fn allowed(self) -> &'static [TransitionKind] {
        use TransitionKind as T;
        match self {
            State::Registered | State::Returned => {
                &[T::Route, T::TakeUp, T::ResolveOnSpot, T::Refuse]
            }
            State::AwaitingAcceptance => &[T::Accept, T::ResolveOnSpot, T::Refuse],
            State::Routed => &[T::Accept, T::ResolveOnSpot, T::Refuse, T::ReturnToSender],
            State::InProgress => &[T::Extend, T::Reply],
            State::Extended => &[T::Reply],
            State::Replied => &[T::RequestReview, T::Lapse],
            State::ReviewRequested => &[T::StartReview],
            State::UnderReview => &[T::AnswerReview],
            State::ReviewAnswered => &[T::RequestRecheck, T::Lapse],
            State::RecheckRequested => &[T::StartRecheck],
            State::UnderRecheck => &[T::AnswerRecheck],
            State::Final
            | State::ResolvedOnSpot
            | State::Refused
            | State::NotAcceptedAgain
            | State::ReviewLapsed
            | State::RecheckLapsed => &[],
        }
    }

    /// No step is left: the matter is closed (终结, 当场化解, 不予受理, lapsed windows …).
    pub fn is_closed(self) -> bool {
        self.allowed().is_empty()
    }
}

/// Why a matter is not accepted; 不再受理 is its own state because reports count it apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RefusalGround {
    /// 涉法涉诉: the visitor is guided to the legal channel (Arts 22, 28, 31).
    LegalChannel(LegalChannel),
    /// The same facts were already brought to 终结 (Art 36): 不再受理.
    AlreadyFinal,
    /// Accepted or in progress at a lower level within its time limits (Art 19).
    PendingElsewhere,
    /// Another ground, written in the reason.
    Other,
}

impl RefusalGround {
    pub fn label(self) -> &'static str {
        match self {
            RefusalGround::LegalChannel(channel) => channel.label(),
            RefusalGround::AlreadyFinal => "已终结，不再受理（条例第三十六条）",
            RefusalGround::PendingElsewhere => "已在下级受理或办理中（条例第十九条）",
            RefusalGround::Other => "其他",
        }
    }
}

/// The kind of a step, without its data: what `State::allowed` lists and desks offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TransitionKind {
    TakeUp,
    Accept,
    Extend,
    Reply,
    RequestReview,
    StartReview,
    AnswerReview,
    RequestRecheck,
    StartRecheck,
    AnswerRecheck,
    ResolveOnSpot,
    Route,
    ReturnToSender,
    Refuse,
    Lapse,
}

impl TransitionKind {
    pub const ALL: [TransitionKind; 15] = [
        TransitionKind::TakeUp,
        TransitionKind::Accept,
        TransitionKind::Extend,
        TransitionKind::Reply,
        TransitionKind::RequestReview,
        TransitionKind::StartReview,
        TransitionKind::AnswerReview,
        TransitionKind::RequestRecheck,
        TransitionKind::StartRecheck,
        TransitionKind::AnswerRecheck,
        TransitionKind::ResolveOnSpot,
        TransitionKind::Route,
        TransitionKind::ReturnToSender,
        TransitionKind::Refuse,
        TransitionKind::Lapse,
    ];

    pub fn label(self) -> &'static str {
        match self {
            TransitionKind::TakeUp => "本单位受理审查",
            TransitionKind::Accept => "受理",
            TransitionKind::Extend => "延期",
            TransitionKind::Reply => "办结答复",
            TransitionKind::RequestReview => "申请复查",
            TransitionKind::StartReview => "开始复查",
            TransitionKind::AnswerReview => "复查答复",
            TransitionKind::RequestRecheck => "申请复核",
            TransitionKind::StartRecheck => "开始复核",
            TransitionKind::AnswerRecheck => "复核答复",
            TransitionKind::ResolveOnSpot => "当场化解",
            TransitionKind::Route => "转送交办",
            TransitionKind::ReturnToSender => "退回",
            TransitionKind::Refuse => "不予受理",
            TransitionKind::Lapse => "记为超期未申请",
        }
    }
}

/// One step with what it needs; `Lifecycle::apply` checks it against the rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Transition {
    /// The registering body is itself competent and starts deciding on acceptance.
    TakeUp,
    Accept,
    /// The one extension of the handling limit (Art 34).
    Extend {
        days: u32,
        reason: String,
        /// The head of the body who approved it.
        approver: String,
        /// When the visitor was told of the extension and its reason.
        told_on: NaiveDate,
    },
    /// The written reply (处理意见) is given.
    Reply,
    RequestReview,
    StartReview,
    AnswerReview,
    RequestRecheck,
    StartRecheck,
    AnswerRecheck,
    ResolveOnSpot,
    /// 转送 (`assigned: false`) or 交办 (`assigned: true`) to the competent body (Art 22).
    Route {
        to: DeptCode,
        assigned: bool,
    },
    /// The receiving body objects: the matter is outside its remit (Art 23).
    ReturnToSender {
        reason: String,
    },
    Refuse {
        ground: RefusalGround,
        reason: String,
    },
    /// Records that the visitor let the 复查 or 复核 window pass.
    Lapse,
}

impl Transition {
    /// One line for a matter's history and the audit trail.
    pub fn describe(&self) -> String {
        let label = self.kind().label();
        match self {
            Transition::Extend {
                days,
                reason,
                approver,
                told_on,
            } => format!("{label} {days} 日：{reason}（{approver}批准，{told_on} 已告知信访人）"),
            Transition::Route { to, assigned } => {
                format!("{} {to}", if *assigned { "交办" } else { "转送" })
            }
            Transition::ReturnToSender { reason } => format!("{label}：{reason}"),
            Transition::Refuse { ground, reason } => {
                format!("{label}（{}）：{reason}", ground.label())
            }
            _ => label.to_string(),
        }
    }

    pub fn kind(&self) -> TransitionKind {
        match self {
            Transition::TakeUp => TransitionKind::TakeUp,
            Transition::Accept => TransitionKind::Accept,
            Transition::Extend { .. } => TransitionKind::Extend,
            Transition::Reply => TransitionKind::Reply,
            Transition::RequestReview => TransitionKind::RequestReview,
            Transition::StartReview => TransitionKind::StartReview,
            Transition::AnswerReview => TransitionKind::AnswerReview,
            Transition::RequestRecheck => TransitionKind::RequestRecheck,
            Transition::StartRecheck => TransitionKind::StartRecheck,
            Transition::AnswerRecheck => TransitionKind::AnswerRecheck,
            Transition::ResolveOnSpot => TransitionKind::ResolveOnSpot,
            Transition::Route { .. } => TransitionKind::Route,
            Transition::ReturnToSender { .. } => TransitionKind::ReturnToSender,
            Transition::Refuse { .. } => TransitionKind::Refuse,
            Transition::Lapse => TransitionKind::Lapse,
        }
    }
}
