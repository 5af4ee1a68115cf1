//! A visit (批次): one arrival, however many people came.

use serde::{Deserialize, Serialize};

use super::department::DeptCode;
use super::matter::MatterId;
use super::name::PersonName;
use super::time::Timestamp;
use super::visit_facts::VisitLevel;
use super::visitor::VisitorId;

pub type VisitId = u64;

/// 信访形式
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Channel {
    Walkin,
    Letter,
    Phone,
    Online,
    Other,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::Walkin,
        Channel::Letter,
        Channel::Phone,
        Channel::Online,
        Channel::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Channel::Walkin => "走访",
            Channel::Letter => "来信",
            Channel::Phone => "来电",
            Channel::Online => "网上",
            Channel::Other => "其他",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub id: VisitId,
    pub visitor: VisitorId,
    pub matter: MatterId,
    pub at: Timestamp,
    pub channel: Channel,
    /// 人次
    pub headcount: u16,
    /// Named representatives of a group visit (at most 5, Art 20).
    pub representatives: Vec<PersonName>,
    pub department: DeptCode,
    pub desk: String,
    pub officer: String,
    pub ticket: Option<u64>,
    /// The visitor came before on this matter (重复访).
    pub repeat: bool,
    /// The highest level the visitor had already taken the matter to (see
    /// `visit_facts::is_skip_level` for 越级访).
    pub level: VisitLevel,
    /// An anonymous letter or call.
    pub anonymous: bool,
}
