//! The next legal deadlines of a matter, in calendar days from the config.
//! (Working-day counting, extensions and the review chain come with the
//! matter lifecycle.)

use chrono::{Days, FixedOffset};

use super::api::Deadline;
use crate::config::HallConfig;
use crate::domain::matter::{HistoryKind, Matter, MatterStatus, Outcome};
use crate::domain::time::Timestamp;

fn deadline(label: &str, from: Timestamp, days: u32, now: Timestamp, tz: FixedOffset) -> Deadline {
    let start = from.local_date(tz);
    let due_date = start
        .checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(start);
    let today = now.local_date(tz);
    Deadline {
        label: label.to_string(),
        due: Timestamp::start_of(due_date, tz),
        days_left: (due_date - today).num_days(),
    }
}

fn is_routing(kind: &HistoryKind) -> bool {
    matches!(
        kind,
        HistoryKind::Routed { .. }
            | HistoryKind::Outcome {
                outcome: Outcome::Forwarded { .. } | Outcome::Assigned { .. },
                ..
            }
    )
}

pub fn open_deadlines(m: &Matter, config: &HallConfig, now: Timestamp) -> Vec<Deadline> {
    let d = &config.deadlines;
    let tz = config.timezone;
    let intake = config.department(&m.department).is_some_and(|x| x.intake);
    match m.status {
        MatterStatus::Registered if intake => vec![deadline(
            "转送、交办期限（第二十二条）",
            m.received,
            d.route_days,
            now,
            tz,
        )],
        MatterStatus::Registered | MatterStatus::Forwarded | MatterStatus::Assigned => {
            // A routed matter's clock starts when the receiving department got it,
            // whether it was routed from the matter or as a window's outcome.
            let since = m
                .history
                .iter()
                .rev()
                .find(|h| is_routing(&h.kind))
                .map_or(m.received, |h| h.at);
            vec![deadline(
                "书面告知是否受理（第二十三条）",
                since,
                d.notify_days,
                now,
                tz,
            )]
        }
        MatterStatus::Accepted => vec![deadline(
            "办结期限（第三十四条）",
            m.accepted.unwrap_or(m.received),
            d.handle_days,
            now,
            tz,
        )],
        _ => Vec::new(),
    }
}
