//! The 15 matter states of the national 信访 system's export, for the reports' import and export.

use super::State;

/// In the order the national system lists them.
pub const NATIONAL_STATES: [&str; 15] = [
    "受理申请审查中",
    "不予受理",
    "受理",
    "已作出处理意见",
    "超期未作出处理意见",
    "不再受理",
    "超期未申请复查",
    "复查",
    "提出复查意见",
    "超期未作出复查意见",
    "超期未申请复核",
    "复核",
    "提出复核意见",
    "超期未作出复核意见",
    "审核认定办结",
];

/// The national state of a matter in `state`; `overdue` says the hall's running duty (handling,
/// review, recheck) is past due, which the national system reports as a state of its own.
pub fn national_state(state: State, overdue: bool) -> &'static str {
    match state {
        State::Registered | State::AwaitingAcceptance | State::Routed | State::Returned => {
            "受理申请审查中"
        }
        State::Refused => "不予受理",
        State::NotAcceptedAgain => "不再受理",
        State::InProgress | State::Extended if overdue => "超期未作出处理意见",
        State::InProgress | State::Extended => "受理",
        // A matter resolved at the desk was handled and answered there.
        State::Replied | State::ResolvedOnSpot => "已作出处理意见",
        State::ReviewLapsed => "超期未申请复查",
        State::ReviewRequested | State::UnderReview if overdue => "超期未作出复查意见",
        State::ReviewRequested | State::UnderReview => "复查",
        State::ReviewAnswered => "提出复查意见",
        State::RecheckLapsed => "超期未申请复核",
        State::RecheckRequested | State::UnderRecheck if overdue => "超期未作出复核意见",
        State::RecheckRequested | State::UnderRecheck => "复核",
        State::Final => "提出复核意见",
    }
}

/// The project's state for an imported national state; `None` for a text that is not one of
/// `NATIONAL_STATES`. Overdue states import as the running state: the dates decide lateness.
pub fn from_national(text: &str) -> Option<State> {
    let state = match text.trim() {
        "受理申请审查中" => State::AwaitingAcceptance,
        "不予受理" => State::Refused,
        "受理" | "超期未作出处理意见" => State::InProgress,
        "已作出处理意见" => State::Replied,
        "不再受理" => State::NotAcceptedAgain,
        "超期未申请复查" => State::ReviewLapsed,
        "复查" | "超期未作出复查意见" => State::UnderReview,
        "提出复查意见" => State::ReviewAnswered,
        "超期未申请复核" => State::RecheckLapsed,
        "复核" | "超期未作出复核意见" => State::UnderRecheck,
        // 审核认定办结: the 信访 body confirmed the matter closed; nothing more is accepted.
        "提出复核意见" | "审核认定办结" => State::Final,
        _ => return None,
    };
    Some(state)
}
