//! What one record adds to the day counts: the single definition of every count.

use chrono::NaiveDate;

use super::{Dim, Tally, TallyRules};
use crate::domain::evaluation::Satisfaction;
use crate::domain::lifecycle::{DeadlineKind, Lifecycle, State, TimeLimits};
use crate::domain::matter::Matter;
use crate::domain::ticket::{Ticket, TicketState};
use crate::domain::visit::Visit;

/// One day's counts under one dimension.
pub type TallyRow = (NaiveDate, Dim, Tally);

fn rows(day: NaiveDate, dims: Vec<Dim>, tally: Tally) -> Vec<TallyRow> {
    dims.into_iter().map(|d| (day, d, tally)).collect()
}

/// A visit counts on its local day for the hall, the department it came to and the
/// content class of its matter; 越级访 by the matter's dates up to that day.
pub fn visit_rows(v: &Visit, matter: Option<&Matter>, rules: &TallyRules) -> Vec<TallyRow> {
    let people = u64::from(v.headcount);
    let group = v.headcount >= rules.group_threshold;
    let day_of = |t: crate::domain::time::Timestamp| t.local_date(rules.tz);
    let mut tally = Tally {
        visits: 1,
        people,
        group_visits: u64::from(group),
        group_people: if group { people } else { 0 },
        repeat_visits: u64::from(v.repeat),
        escalated: u64::from(matter.is_some_and(|m| v.is_skip_level(m, day_of))),
        ..Tally::default()
    };
    tally.by_level[usize::from(v.level).min(super::MAX_LEVELS - 1)] = 1;
    let class = matter.map_or("", |m| m.content_class.as_str());
    let dims = vec![
        Dim::Hall,
        Dim::Department(v.department.clone()),
        Dim::Class(class.to_string()),
    ];
    rows(v.at.local_date(rules.tz), dims, tally)
}

/// 办结: the day a matter was concluded — its written reply (处理意见), or the day it was
/// resolved on the spot, refused or recorded as 不再受理. None while it is still handled.
pub fn concluded_on(l: &Lifecycle) -> Option<NaiveDate> {
    match (l.replied, l.state) {
        (Some(day), _) => Some(day),
        (None, State::ResolvedOnSpot | State::Refused | State::NotAcceptedAgain) => Some(l.since),
        _ => None,
    }
}

/// 按期办结: concluded within the limit that ran at the time — the handling limit (60 days
/// from acceptance, plus an extension) for a written reply, the limit for telling the
/// visitor (15 days from receipt or routing) for a decision without acceptance.
pub fn concluded_on_time(l: &Lifecycle, limits: &TimeLimits) -> bool {
    let Some(day) = concluded_on(l) else {
        return false;
    };
    let r = &limits.rules;
    let due = if l.replied.is_some() {
        let extension = l.extension.as_ref().map_or(0, |e| e.days);
        let start = l.accepted.unwrap_or(l.received);
        limits.deadline(DeadlineKind::Handle, start, r.handle_days + extension)
    } else {
        let start = l.routing.as_ref().map_or(l.received, |r| r.on);
        limits.deadline(DeadlineKind::Notify, start, r.notify_days)
    };
    day <= due.due
}

/// 解决: resolved on the spot, or answered in writing and the visitor asked for no 复查.
pub fn resolved(l: &Lifecycle) -> bool {
    l.state == State::ResolvedOnSpot || (l.replied.is_some() && l.review_requested.is_none())
}

/// A matter counts on the day it was received, for the hall, the department that holds it
/// now and its content class, with what has become of it since.
pub fn matter_rows(m: &Matter, rules: &TallyRules) -> Vec<TallyRow> {
    let l = &m.status;
    let resolved = resolved(l);
    let tally = Tally {
        matters: 1,
        accepted: u64::from(l.accepted.is_some()),
        concluded: u64::from(concluded_on(l).is_some()),
        concluded_on_time: u64::from(concluded_on_time(l, &rules.limits)),
        resolved: u64::from(resolved),
        resolved_first_visit: u64::from(resolved && m.visits.len() <= 1),
        evaluated: u64::from(m.satisfaction().is_some()),
        satisfied: u64::from(
            m.satisfaction()
                .is_some_and(Satisfaction::counts_as_satisfied),
        ),
        ..Tally::default()
    };
    let dims = vec![
        Dim::Hall,
        Dim::Department(m.department.clone()),
        Dim::Class(m.content_class.clone()),
    ];
    rows(l.received, dims, tally)
}

/// A finished ticket counts its waiting and service time on the day it was issued, for the
/// hall, its department and the officer who served it. Waiting and called tickets count
/// nothing yet: their times are not known.
pub fn ticket_rows(t: &Ticket, rules: &TallyRules) -> Vec<TallyRow> {
    let (TicketState::Done { officer, .. }, Some(called), Some(finished)) =
        (&t.state, t.called, t.finished)
    else {
        return Vec::new();
    };
    let wait = (called.0 - t.issued.0).max(0) as u64;
    let service = (finished.0 - called.0).max(0) as u64;
    let tally = Tally {
        tickets: 1,
        wait_secs: wait,
        wait_max_secs: wait,
        service_secs: service,
        service_max_secs: service,
        ..Tally::default()
    };
    let dims = vec![
        Dim::Hall,
        Dim::Department(t.department.clone()),
        Dim::Officer {
            department: t.department.clone(),
            username: officer.clone(),
        },
    ];
    rows(t.issued.local_date(rules.tz), dims, tally)
}
