//! Statistics (数据统计): what each record adds to the per-day counts, and the measures
//! computed from them. One definition of every measure, used by the screen, the command
//! line and the export alike; the README repeats them in words.
//!
//! The store keeps a [`Tally`] per day and [`Dim`] and applies the difference a changed
//! record makes in the same transaction as the change, so a year's statistics sum at most
//! 366 days of rows instead of reading every record.

pub mod daily;
mod facts;
pub mod measures;
pub mod period;
pub mod report;

use chrono::FixedOffset;
use serde::{Deserialize, Serialize};

use super::department::DeptCode;
use super::lifecycle::TimeLimits;

pub use facts::{matter_rows, ticket_rows, visit_rows, TallyRow};

/// What a row of counts is about: the whole hall, one department, one content class or
/// one officer (the serving officer's department and username).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Dim {
    Hall,
    Department(DeptCode),
    Class(String),
    Officer {
        department: DeptCode,
        username: String,
    },
}

/// Counts of one day (or, summed, of a period). Matters are counted on the day they were
/// received, with what has become of them since: a matter received in March and closed in
/// May raises March's 办结. Waiting and service times come from finished tickets only,
/// which never change again, so the longest times can be kept as maxima.
/// 越级访 is judged on the visit's own day (`lawful_levels` looks only at dates up to it),
/// so a visit's count does not change when its matter moves on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// 批次: visits.
    pub visits: u64,
    /// 人次: people over those visits.
    pub people: u64,
    /// 集体访 批次 and 人次: visits of at least the hall's group threshold.
    pub group_visits: u64,
    pub group_people: u64,
    /// 重复访 批次: visits by someone who came before on the same matter.
    pub repeat_visits: u64,
    /// 件: matters received.
    pub matters: u64,
    /// 受理: of those, accepted (受理告知).
    pub accepted: u64,
    /// 办结: of those, concluded (see [`concluded_on`]).
    pub concluded: u64,
    /// 按期办结: concluded on or before the legal limit that ran at the time.
    pub concluded_on_time: u64,
    /// 解决: resolved on the spot, or answered in writing without a 复查 request.
    pub resolved: u64,
    /// 一次性化解: resolved with a single visit.
    pub resolved_first_visit: u64,
    /// Finished tickets, and their waiting (issued → called) and service (called → finished)
    /// seconds, summed and longest.
    pub tickets: u64,
    pub wait_secs: u64,
    pub wait_max_secs: u64,
    pub service_secs: u64,
    pub service_max_secs: u64,
    /// 越级访 (see `visit_facts::is_skip_level`).
    pub escalated: u64,
    /// Visits by the level the visitor had already reached (本级, 到市 …, as configured).
    pub by_level: [u64; MAX_LEVELS],
    /// Matters with a final satisfaction evaluation, and those found 满意 or 基本满意.
    pub evaluated: u64,
    pub satisfied: u64,
}

/// The most visit levels a hall may configure (see `config`).
pub const MAX_LEVELS: usize = 8;

impl Tally {
    /// Adds `other`'s counts; maxima take the larger.
    pub fn add(&mut self, o: &Tally) {
        self.each_count(o, |a, b| *a += b);
        self.wait_max_secs = self.wait_max_secs.max(o.wait_max_secs);
        self.service_max_secs = self.service_max_secs.max(o.service_max_secs);
    }

    /// Takes `other`'s counts back off (a record changed). Maxima stay: they come from
    /// finished tickets, which are never changed.
    pub fn subtract(&mut self, o: &Tally) {
        self.each_count(o, |a, b| *a = a.saturating_sub(b));
    }

    fn each_count(&mut self, o: &Tally, mut f: impl FnMut(&mut u64, u64)) {
        f(&mut self.visits, o.visits);
        f(&mut self.people, o.people);
        f(&mut self.group_visits, o.group_visits);
        f(&mut self.group_people, o.group_people);
        f(&mut self.repeat_visits, o.repeat_visits);
        f(&mut self.matters, o.matters);
        f(&mut self.accepted, o.accepted);
        f(&mut self.concluded, o.concluded);
        f(&mut self.concluded_on_time, o.concluded_on_time);
        f(&mut self.resolved, o.resolved);
        f(&mut self.resolved_first_visit, o.resolved_first_visit);
        f(&mut self.tickets, o.tickets);
        f(&mut self.wait_secs, o.wait_secs);
        f(&mut self.service_secs, o.service_secs);
        f(&mut self.escalated, o.escalated);
        for (a, b) in self.by_level.iter_mut().zip(o.by_level) {
            f(a, b);
        }
        f(&mut self.evaluated, o.evaluated);
        f(&mut self.satisfied, o.satisfied);
    }

    pub fn is_zero(&self) -> bool {
        *self == Tally::default()
    }
}

/// What the counts depend on besides the records: the hall's time zone (which day a
/// visit falls on), its group threshold and its legal time limits (按期办结).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TallyRules {
    pub tz: FixedOffset,
    pub group_threshold: u16,
    pub limits: TimeLimits,
}

impl Dim {
    /// How a row is named on screen and on paper: department short name, content class
    /// (`未分类` when a visit's matter was not found), `人社 张三` for an officer.
    pub fn label(&self, departments: &[super::department::Department]) -> String {
        let short = |code: &DeptCode| {
            departments
                .iter()
                .find(|d| &d.code == code)
                .map_or_else(|| code.to_string(), |d| d.ticket_prefix.clone())
        };
        match self {
            Dim::Hall => "全大厅".to_string(),
            Dim::Department(d) => short(d),
            Dim::Class(c) if c.is_empty() => "未分类".to_string(),
            Dim::Class(c) => c.clone(),
            Dim::Officer {
                department,
                username,
            } => format!("{} {username}", short(department)),
        }
    }
}
