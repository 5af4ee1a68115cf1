//! Queue tickets: per department per day, read out as `人社-007`.

use chrono::FixedOffset;
use serde::{Deserialize, Serialize};

use super::department::DeptCode;
use super::matter::{MatterId, Outcome};
use super::registration::{Field, FieldError};
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
    /// The hall's day ended while it waited: the visitor was not seen and takes a
    /// new ticket when they come again. Yesterday's queue never heads today's.
    Lapsed,
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

impl Ticket {
    /// Still waiting, issued on a day before `today` (a `day_number`): the day it
    /// belonged to is over.
    pub fn outlived(&self, today: u32, tz: FixedOffset) -> bool {
        self.state == TicketState::Waiting && self.issued.day_number(tz) < today
    }
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

/// Desk names stand on the queue board and in every audit line: room for a
/// department, a number and a username, not for a paragraph.
pub const MAX_DESK_NAME_CHARS: usize = 40;

/// A desk name as typed in the config or on the command line; empty means
/// "name it after the officer", which the hall does.
pub fn check_desk_name(name: &str) -> Result<(), FieldError> {
    if name.chars().count() > MAX_DESK_NAME_CHARS {
        return Err(FieldError::new(
            Field::Desk,
            format!(
                "窗口名称最多 {MAX_DESK_NAME_CHARS} 个字，请在配置的 [desk] name 或 --desk 中改短"
            ),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(FieldError::new(
            Field::Desk,
            "窗口名称含有控制字符，请在配置的 [desk] name 或 --desk 中重新填写",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn desk_names_are_short_and_printable() {
        assert!(super::check_desk_name("").is_ok());
        assert!(super::check_desk_name("人社三号窗口").is_ok());
        assert!(super::check_desk_name(&"窗".repeat(40)).is_ok());
        let long = super::check_desk_name(&"窗".repeat(41)).unwrap_err();
        assert!(long.message.contains("最多 40 个字"), "{long}");
        assert!(super::check_desk_name("一号\x1b[2J").is_err());
    }

    #[test]
    fn labels_pad_to_three_digits() {
        assert_eq!(super::ticket_label("人社", 7), "人社-007");
        assert_eq!(super::ticket_label("公安", 1234), "公安-1234");
    }
}
