//! The deadline chain: which legal clock runs in each state, when it ends, and how urgent it is.
//!
//! Every limit counts from a start date with the convention of `calendar`: the last allowed
//! day is start + N, the start day itself not counted.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Lifecycle, State};
use crate::domain::calendar::{Calendar, DayKind};

/// The time limits of the `[deadlines]` config section, in the terms of the rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeadlineRules {
    /// How every limit but the objection period is counted.
    pub day_kind: DayKind,
    /// Intake routes a registered matter (Art 22).
    pub route_days: u32,
    /// The body tells the visitor in writing whether it accepts (Art 23).
    pub notify_days: u32,
    /// A receiving body may object to a matter outside its remit; always working days (Art 23).
    pub objection_working_days: u32,
    /// Handling after acceptance (Art 34).
    pub handle_days: u32,
    /// The most the one extension may add (Art 34).
    pub extend_days: u32,
    /// 复查 requested after the written reply; answered after the request (Art 35).
    pub review_request_days: u32,
    pub review_days: u32,
    /// 复核 requested after the review answer; answered after the request (Art 36).
    pub recheck_request_days: u32,
    pub recheck_days: u32,
    /// Shares of a limit, in per cent and ascending, at which a warning shows (local practice).
    pub warning_bands: Vec<u8>,
    /// A deadline this many calendar days away or fewer is in the 临期预警 tier.
    pub due_soon_days: u32,
    /// Overdue by more than this many calendar days is 严重超期.
    pub seriously_overdue_days: u32,
}

impl Default for DeadlineRules {
    /// The 条例's limits and the warning bands one provincial system uses.
    fn default() -> DeadlineRules {
        DeadlineRules {
            day_kind: DayKind::Calendar,
            route_days: 15,
            notify_days: 15,
            objection_working_days: 5,
            handle_days: 60,
            extend_days: 30,
            review_request_days: 30,
            review_days: 30,
            recheck_request_days: 30,
            recheck_days: 30,
            warning_bands: vec![50, 75, 85, 99],
            due_soon_days: 3,
            seriously_overdue_days: 30,
        }
    }
}

/// A rules value that makes no sense; `field` is the config key, to find its line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}：{message}")]
pub struct RulesError {
    pub field: &'static str,
    pub message: String,
}

impl DeadlineRules {
    pub fn check(&self) -> Result<(), RulesError> {
        let limits = [
            ("route_days", self.route_days),
            ("notify_days", self.notify_days),
            ("objection_working_days", self.objection_working_days),
            ("handle_days", self.handle_days),
            ("review_request_days", self.review_request_days),
            ("review_days", self.review_days),
            ("recheck_request_days", self.recheck_request_days),
            ("recheck_days", self.recheck_days),
        ];
        for (field, days) in limits {
            if !(1..=366).contains(&days) {
                return Err(RulesError {
                    field,
                    message: format!("期限应在 1 到 366 天之间，现为 {days}"),
                });
            }
        }
        if self.extend_days > 366 {
            return Err(RulesError {
                field: "extend_days",
                message: format!("延期天数应在 0 到 366 天之间，现为 {}", self.extend_days),
            });
        }
        let bands = &self.warning_bands;
        let ascending = bands.windows(2).all(|w| w[0] < w[1]);
        if !ascending || bands.iter().any(|b| !(1..=100).contains(b)) {
            return Err(RulesError {
                field: "warning_bands",
                message: "预警比例应是 1 到 100 之间从小到大的百分数，例如 [50, 75, 85, 99]"
                    .to_string(),
            });
        }
        Ok(())
    }
}

/// Which legal clock a deadline belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeadlineKind {
    Route,
    Notify,
    Objection,
    Handle,
    ReviewRequest,
    Review,
    RecheckRequest,
    Recheck,
}

impl DeadlineKind {
    /// What the desk shows, citing the article.
    pub fn label(self) -> &'static str {
        match self {
            DeadlineKind::Route => "转送交办期限（条例第二十二条）",
            DeadlineKind::Notify => "书面告知受理期限（条例第二十三条）",
            DeadlineKind::Objection => "退回异议期（条例第二十三条）",
            DeadlineKind::Handle => "办理期限（条例第三十四条）",
            DeadlineKind::ReviewRequest => "申请复查期限（条例第三十五条）",
            DeadlineKind::Review => "复查答复期限（条例第三十五条）",
            DeadlineKind::RecheckRequest => "申请复核期限（条例第三十六条）",
            DeadlineKind::Recheck => "复核答复期限（条例第三十六条）",
        }
    }

    /// A duty of the hall stays on the lists when missed; a right (the receiving body's
    /// objection, the visitor's request windows) simply ends.
    pub fn is_duty(self) -> bool {
        !matches!(
            self,
            DeadlineKind::Objection | DeadlineKind::ReviewRequest | DeadlineKind::RecheckRequest
        )
    }
}

/// One running clock: `days` counted from `start` end on `due`, the last allowed day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub kind: DeadlineKind,
    pub start: NaiveDate,
    pub days: u32,
    pub day_kind: DayKind,
    pub due: NaiveDate,
}

impl Deadline {
    pub fn label(&self) -> &'static str {
        self.kind.label()
    }

    /// `办理期限（条例第三十四条）：2026-03-01 起 60日，至 2026-04-30`
    pub fn describe(&self) -> String {
        format!(
            "{}：{} 起 {}{}，至 {}",
            self.label(),
            self.start,
            self.days,
            self.day_kind.unit(),
            self.due
        )
    }
}

/// Calendar days from `today` to `due`: 0 when due today, negative when overdue.
pub fn days_left(due: NaiveDate, today: NaiveDate) -> i64 {
    (due - today).num_days()
}

/// How late a deadline of the hall is, for the lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Tier {
    /// Due within `due_soon_days`.
    Warning,
    /// Past due.
    Overdue,
    /// Past due by more than `seriously_overdue_days`.
    SeriouslyOverdue,
}

impl Tier {
    pub fn label(self) -> &'static str {
        match self {
            Tier::Warning => "临期预警",
            Tier::Overdue => "超期",
            Tier::SeriouslyOverdue => "严重超期",
        }
    }
}

/// The next deadline of a matter as a desk shows it on `today`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineStatus {
    pub deadline: Deadline,
    pub days_left: i64,
    pub band: Option<u8>,
    pub tier: Option<Tier>,
}

impl DeadlineStatus {
    /// `办理期限（条例第三十四条）：至 2026-05-01，还剩 3 天〔临期预警〕`
    pub fn line(&self) -> String {
        let label = self.deadline.label();
        let due = self.deadline.due;
        let when = match self.days_left {
            0 => format!("{label}：今天（{due}）到期"),
            n if n > 0 => format!("{label}：至 {due}，还剩 {n} 天"),
            n => format!("{label}：已于 {due} 届满，超期 {} 天", -n),
        };
        match self.tier {
            Some(tier) => format!("{when}〔{}〕", tier.label()),
            None => when,
        }
    }
}

/// The deadline rules and the calendar they count on: built once by the service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeLimits {
    pub rules: DeadlineRules,
    pub calendar: Calendar,
}

impl TimeLimits {
    pub fn new(rules: DeadlineRules, calendar: Calendar) -> TimeLimits {
        TimeLimits { rules, calendar }
    }

    pub fn deadline(&self, kind: DeadlineKind, start: NaiveDate, days: u32) -> Deadline {
        let day_kind = match kind {
            DeadlineKind::Objection => DayKind::Working,
            _ => self.rules.day_kind,
        };
        Deadline {
            kind,
            start,
            days,
            day_kind,
            due: self.calendar.add(start, days, day_kind),
        }
    }

    /// Says which year the holiday file misses when a deadline counted in working days from
    /// `today` could fall in it: there working days only skip weekends, so a 5-day objection
    /// window may end inside the Spring Festival. The objection window always counts working
    /// days; in working-day mode the longest clock (handling plus extension) does too.
    pub fn calendar_warning(&self, today: NaiveDate) -> Option<String> {
        let r = &self.rules;
        let reach = match r.day_kind {
            // Working days within a fortnight, then calendar days.
            DayKind::Calendar => 14,
            // Working days run at most 5 to 7 calendar days: double for holiday weeks.
            DayKind::Working => u64::from(r.handle_days + 30) * 2,
        };
        let last = today + chrono::Days::new(reach);
        let year = (today.year()..=last.year()).find(|y| !self.calendar.covers(*y))?;
        Some(format!(
            "节假日文件缺 {year} 年的放假安排，工作日期限只跳过周末，请补上 holidays.toml"
        ))
    }

    /// The highest warning band reached: the share of the limit used by `today`, counted in
    /// the limit's own kind of days.
    pub fn band(&self, deadline: &Deadline, today: NaiveDate) -> Option<u8> {
        let used = self
            .calendar
            .count(deadline.start, today, deadline.day_kind)
            .max(0) as u64;
        self.rules
            .warning_bands
            .iter()
            .rev()
            .find(|band| used * 100 >= u64::from(**band) * u64::from(deadline.days))
            .copied()
    }

    /// A deadline with its days left, warning band and tier on `today`.
    pub fn status(&self, deadline: Deadline, today: NaiveDate) -> DeadlineStatus {
        DeadlineStatus {
            days_left: days_left(deadline.due, today),
            band: self.band(&deadline, today),
            tier: self.tier(&deadline, today),
            deadline,
        }
    }

    /// The tier of a duty's deadline; `None` while it is comfortably ahead, and always for a
    /// right (its end is not the hall's lateness).
    pub fn tier(&self, deadline: &Deadline, today: NaiveDate) -> Option<Tier> {
        if !deadline.kind.is_duty() {
            return None;
        }
        let left = days_left(deadline.due, today);
        if left < -i64::from(self.rules.seriously_overdue_days) {
            Some(Tier::SeriouslyOverdue)
        } else if left < 0 {
            Some(Tier::Overdue)
        } else if left <= i64::from(self.rules.due_soon_days) {
            Some(Tier::Warning)
        } else {
            None
        }
    }
}

impl Lifecycle {
    /// Every clock running in the current state (a routed matter runs two).
    pub fn deadlines(&self, limits: &TimeLimits) -> Vec<Deadline> {
        let r = &limits.rules;
        let at = |kind, start: Option<NaiveDate>, days| {
            // Dates are set when their state is entered; an imported record may lack one.
            limits.deadline(kind, start.unwrap_or(self.since), days)
        };
        let extension = self.extension.as_ref().map_or(0, |e| e.days);
        match self.state {
            State::Registered => vec![at(DeadlineKind::Route, Some(self.received), r.route_days)],
            State::Returned => vec![at(DeadlineKind::Route, Some(self.since), r.route_days)],
            State::AwaitingAcceptance => {
                vec![at(DeadlineKind::Notify, Some(self.received), r.notify_days)]
            }
            State::Routed => vec![
                at(
                    DeadlineKind::Objection,
                    Some(self.since),
                    r.objection_working_days,
                ),
                at(DeadlineKind::Notify, Some(self.since), r.notify_days),
            ],
            State::InProgress | State::Extended => vec![at(
                DeadlineKind::Handle,
                self.accepted,
                r.handle_days + extension,
            )],
            State::Replied => vec![at(
                DeadlineKind::ReviewRequest,
                self.replied,
                r.review_request_days,
            )],
            State::ReviewRequested | State::UnderReview => {
                vec![at(
                    DeadlineKind::Review,
                    self.review_requested,
                    r.review_days,
                )]
            }
            State::ReviewAnswered => vec![at(
                DeadlineKind::RecheckRequest,
                self.review_answered,
                r.recheck_request_days,
            )],
            State::RecheckRequested | State::UnderRecheck => {
                vec![at(
                    DeadlineKind::Recheck,
                    self.recheck_requested,
                    r.recheck_days,
                )]
            }
            State::Final
            | State::ResolvedOnSpot
            | State::Refused
            | State::NotAcceptedAgain
            | State::ReviewLapsed
            | State::RecheckLapsed => Vec::new(),
        }
    }

    /// The deadline the desk shows: the earliest duty (even when missed) or right still open.
    pub fn next_deadline(&self, limits: &TimeLimits, today: NaiveDate) -> Option<Deadline> {
        self.deadlines(limits)
            .into_iter()
            .filter(|d| d.kind.is_duty() || today <= d.due)
            .min_by_key(|d| d.due)
    }

    /// The next deadline with its days left, warning band and tier, for lists and details.
    pub fn deadline_status(&self, limits: &TimeLimits, today: NaiveDate) -> Option<DeadlineStatus> {
        self.next_deadline(limits, today)
            .map(|deadline| limits.status(deadline, today))
    }

    pub(super) fn running(&self, kind: DeadlineKind, limits: &TimeLimits) -> Option<Deadline> {
        self.deadlines(limits).into_iter().find(|d| d.kind == kind)
    }
}
