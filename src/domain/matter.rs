//! The matter (信访事项, 件): what the visitor asks, tracked until it is closed.

use serde::{Deserialize, Serialize};

use super::department::DeptCode;
use super::time::Timestamp;
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

    pub fn status(&self) -> MatterStatus {
        match self {
            Outcome::AnsweredOnSpot => MatterStatus::AnsweredOnSpot,
            Outcome::Accepted => MatterStatus::Accepted,
            Outcome::Forwarded { .. } => MatterStatus::Forwarded,
            Outcome::Assigned { .. } => MatterStatus::Assigned,
            Outcome::NotAccepted => MatterStatus::NotAccepted,
            Outcome::LegalChannel(_) => MatterStatus::LegalChannel,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MatterStatus {
    /// 登记: registered, waiting to be received.
    Registered,
    /// 已受理
    Accepted,
    /// 已转送
    Forwarded,
    /// 已交办
    Assigned,
    /// 当场答复 (closed)
    AnsweredOnSpot,
    /// 不予受理 (closed)
    NotAccepted,
    /// 导入法定途径 (closed for this procedure)
    LegalChannel,
}

impl MatterStatus {
    pub fn label(self) -> &'static str {
        match self {
            MatterStatus::Registered => "登记",
            MatterStatus::Accepted => "已受理",
            MatterStatus::Forwarded => "已转送",
            MatterStatus::Assigned => "已交办",
            MatterStatus::AnsweredOnSpot => "当场答复",
            MatterStatus::NotAccepted => "不予受理",
            MatterStatus::LegalChannel => "导入法定途径",
        }
    }

    pub fn is_open(self) -> bool {
        matches!(
            self,
            MatterStatus::Registered
                | MatterStatus::Accepted
                | MatterStatus::Forwarded
                | MatterStatus::Assigned
        )
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
    RepeatVisit {
        visit: u64,
    },
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
    pub department: DeptCode,
    pub status: MatterStatus,
    pub received: Timestamp,
    pub accepted: Option<Timestamp>,
    pub closed: Option<Timestamp>,
    pub visitors: Vec<VisitorId>,
    pub visits: Vec<u64>,
    pub history: Vec<HistoryEntry>,
}

impl Matter {
    pub fn confidential(&self) -> bool {
        self.category.confidential()
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
        assert!(!Outcome::AnsweredOnSpot.status().is_open());
        assert!(Outcome::Forwarded {
            to: DeptCode::new("rs")
        }
        .status()
        .is_open());
    }
}
