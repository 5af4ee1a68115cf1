//! The measures of the statistics and how they read: one list, shown in this order by the
//! screen, the command line and the export.

use super::Tally;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Measure {
    Visits,
    People,
    GroupVisits,
    GroupPeople,
    RepeatVisits,
    Escalated,
    Matters,
    Accepted,
    Concluded,
    ResolutionRate,
    OnTimeRate,
    SatisfactionRate,
    FirstVisitRate,
}

/// A measure's value: a count, or a share (None when nothing to divide by).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Count(u64),
    Rate(Option<f64>),
}

/// `part / whole`, none when the whole is zero.
pub fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

impl Measure {
    pub const ALL: [Measure; 13] = [
        Measure::Visits,
        Measure::People,
        Measure::GroupVisits,
        Measure::GroupPeople,
        Measure::RepeatVisits,
        Measure::Escalated,
        Measure::Matters,
        Measure::Accepted,
        Measure::Concluded,
        Measure::ResolutionRate,
        Measure::OnTimeRate,
        Measure::SatisfactionRate,
        Measure::FirstVisitRate,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Measure::Visits => "来访批次",
            Measure::People => "来访人次",
            Measure::GroupVisits => "集体访批次",
            Measure::GroupPeople => "集体访人次",
            Measure::RepeatVisits => "重复访批次",
            Measure::Escalated => "越级访",
            Measure::Matters => "件",
            Measure::Accepted => "受理",
            Measure::Concluded => "办结",
            Measure::ResolutionRate => "解决率",
            Measure::OnTimeRate => "按期办结率",
            Measure::SatisfactionRate => "满意率",
            Measure::FirstVisitRate => "一次性化解率",
        }
    }

    /// The column name of the JSON and export: stable ASCII.
    pub fn key(self) -> &'static str {
        match self {
            Measure::Visits => "visits",
            Measure::People => "people",
            Measure::GroupVisits => "group_visits",
            Measure::GroupPeople => "group_people",
            Measure::RepeatVisits => "repeat_visits",
            Measure::Escalated => "escalated",
            Measure::Matters => "matters",
            Measure::Accepted => "accepted",
            Measure::Concluded => "concluded",
            Measure::ResolutionRate => "resolution_rate",
            Measure::OnTimeRate => "on_time_rate",
            Measure::SatisfactionRate => "satisfaction_rate",
            Measure::FirstVisitRate => "first_visit_rate",
        }
    }

    pub fn value(self, t: &Tally) -> Value {
        match self {
            Measure::Visits => Value::Count(t.visits),
            Measure::People => Value::Count(t.people),
            Measure::GroupVisits => Value::Count(t.group_visits),
            Measure::GroupPeople => Value::Count(t.group_people),
            Measure::RepeatVisits => Value::Count(t.repeat_visits),
            Measure::Matters => Value::Count(t.matters),
            Measure::Accepted => Value::Count(t.accepted),
            Measure::Concluded => Value::Count(t.concluded),
            Measure::ResolutionRate => Value::Rate(rate(t.resolved, t.matters)),
            Measure::OnTimeRate => Value::Rate(rate(t.concluded_on_time, t.concluded)),
            Measure::FirstVisitRate => Value::Rate(rate(t.resolved_first_visit, t.matters)),
            Measure::Escalated => Value::Count(t.escalated),
            Measure::SatisfactionRate => Value::Rate(rate(t.satisfied, t.evaluated)),
        }
    }
}

impl Value {
    /// `12`, `87.5%`, `—`.
    pub fn text(self) -> String {
        match self {
            Value::Count(n) => n.to_string(),
            Value::Rate(Some(r)) => format!("{:.1}%", r * 100.0),
            Value::Rate(None) => "—".to_string(),
        }
    }

    /// 同比 / 环比 against `before`: counts as the difference and its percentage
    /// (`+12 (+8.3%)`), rates in percentage points (`+2.1pt`); `—` when there is no base.
    pub fn change(self, before: Value) -> String {
        match (self, before) {
            (Value::Count(now), Value::Count(then)) => {
                let diff = now as i64 - then as i64;
                match rate(now, then) {
                    Some(r) => format!("{diff:+} ({:+.1}%)", (r - 1.0) * 100.0),
                    None => format!("{diff:+}"),
                }
            }
            (Value::Rate(Some(now)), Value::Rate(Some(then))) => {
                format!("{:+.1}pt", (now - then) * 100.0)
            }
            _ => "—".to_string(),
        }
    }

    /// The number itself, for JSON: a count, a share between 0 and 1, or none.
    pub fn number(self) -> Option<f64> {
        match self {
            Value::Count(n) => Some(n as f64),
            Value::Rate(r) => r,
        }
    }
}

/// Average and longest waiting and service time, in whole minutes, of finished tickets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Times {
    pub tickets: u64,
    pub wait_avg_min: u64,
    pub wait_max_min: u64,
    pub service_avg_min: u64,
    pub service_max_min: u64,
}

impl Times {
    pub fn of(t: &Tally) -> Times {
        let avg = |secs: u64| secs.checked_div(t.tickets).unwrap_or(0) / 60;
        Times {
            tickets: t.tickets,
            wait_avg_min: avg(t.wait_secs),
            wait_max_min: t.wait_max_secs / 60,
            service_avg_min: avg(t.service_secs),
            service_max_min: t.service_max_secs / 60,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_divide_by_the_right_base() {
        let t = Tally {
            matters: 8,
            resolved: 6,
            concluded: 5,
            concluded_on_time: 4,
            resolved_first_visit: 2,
            evaluated: 4,
            satisfied: 3,
            escalated: 1,
            ..Tally::default()
        };
        assert_eq!(Measure::ResolutionRate.value(&t).text(), "75.0%");
        assert_eq!(Measure::OnTimeRate.value(&t).text(), "80.0%");
        assert_eq!(Measure::FirstVisitRate.value(&t).text(), "25.0%");
        assert_eq!(Measure::OnTimeRate.value(&Tally::default()).text(), "—");
        // 满意 and 基本满意 over the matters evaluated, not over all matters.
        assert_eq!(Measure::SatisfactionRate.value(&t).text(), "75.0%");
        assert_eq!(Measure::Escalated.value(&t), Value::Count(1));
    }

    #[test]
    fn changes_read_as_difference_and_percentage() {
        assert_eq!(Value::Count(12).change(Value::Count(8)), "+4 (+50.0%)");
        assert_eq!(Value::Count(3).change(Value::Count(0)), "+3");
        assert_eq!(Value::Count(6).change(Value::Count(8)), "-2 (-25.0%)");
        assert_eq!(
            Value::Rate(Some(0.8)).change(Value::Rate(Some(0.75))),
            "+5.0pt"
        );
        assert_eq!(Value::Rate(None).change(Value::Rate(Some(0.5))), "—");
    }

    #[test]
    fn times_average_over_finished_tickets() {
        let t = Tally {
            tickets: 2,
            wait_secs: 40 * 60,
            wait_max_secs: 30 * 60,
            service_secs: 25 * 60,
            service_max_secs: 15 * 60,
            ..Tally::default()
        };
        let times = Times::of(&t);
        assert_eq!((times.wait_avg_min, times.wait_max_min), (20, 30));
        assert_eq!((times.service_avg_min, times.service_max_min), (12, 15));
        assert_eq!(Times::of(&Tally::default()).wait_avg_min, 0);
    }
}
