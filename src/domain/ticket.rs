//! Queue tickets: per department per day, read out as `人社-007`.

use serde::{Deserialize, Serialize};

use super::department::DeptCode;
use super::matter::{MatterId, Outcome};
use super::time::Timestamp;
use super::visit::VisitId;
use super::visitor::VisitorId;

pub type TicketId = u64;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TicketState {
    Waiting,
    Called {
        desk: String,
        officer: String,
    },
    /// `officer` served the visitor: the statistics count service times per officer.
    Done {
        outcome: Outcome,
        officer: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    pub id: TicketId,
    pub department: DeptCode,
    /// `人社-007`
    pub label: String,
    /// Position in the department's queue; a skipped ticket gets a new, later one.
    pub order: u64,
    pub visitor: VisitorId,
    pub visit: VisitId,
    pub matter: MatterId,
    pub headcount: u16,
    pub issued: Timestamp,
    pub called: Option<Timestamp>,
    pub finished: Option<Timestamp>,
    /// How often it was skipped (过号): shown as a mark in the queue.
    pub skipped: u8,
    pub state: TicketState,
}

pub fn ticket_label(prefix: &str, seq: u64) -> String {
    format!("{prefix}-{seq:03}")
}

/// What a desk is doing now: which officer sits there and whom they serve.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskState {
    pub desk: String,
    pub officer: String,
    pub department: DeptCode,
    pub ticket: Option<TicketId>,
    pub since: Timestamp,
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels_pad_to_three_digits() {
        assert_eq!(super::ticket_label("人社", 7), "人社-007");
        assert_eq!(super::ticket_label("公安", 1234), "公安-1234");
    }
}
