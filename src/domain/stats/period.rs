//! Statistics periods: today, this week, month, quarter, year or any span of days, with the
//! period before (环比) and the same period a year earlier (同比).

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PeriodKind {
    Day,
    Week,
    Month,
    Quarter,
    Year,
    Custom,
}

impl PeriodKind {
    /// The periods a screen steps through.
    pub const CYCLE: [PeriodKind; 5] = [
        PeriodKind::Day,
        PeriodKind::Week,
        PeriodKind::Month,
        PeriodKind::Quarter,
        PeriodKind::Year,
    ];

    pub fn label(self) -> &'static str {
        match self {
            PeriodKind::Day => "日",
            PeriodKind::Week => "周",
            PeriodKind::Month => "月",
            PeriodKind::Quarter => "季度",
            PeriodKind::Year => "年",
            PeriodKind::Custom => "自定义",
        }
    }
}

/// The days `from ..= to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    pub kind: PeriodKind,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

fn first_of_month(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN)
}

impl Period {
    /// The calendar day, week (Monday to Sunday), month, quarter or year holding `day`.
    pub fn containing(kind: PeriodKind, day: NaiveDate) -> Period {
        let (from, months) = match kind {
            PeriodKind::Day | PeriodKind::Custom => return Period::custom(day, day, kind),
            PeriodKind::Week => {
                let from = day - Days::new(u64::from(day.weekday().num_days_from_monday()));
                return Period::custom(from, from + Days::new(6), kind);
            }
            PeriodKind::Month => (first_of_month(day.year(), day.month()), 1),
            PeriodKind::Quarter => (first_of_month(day.year(), (day.month0() / 3) * 3 + 1), 3),
            PeriodKind::Year => (first_of_month(day.year(), 1), 12),
        };
        let to = from + Months::new(months) - Days::new(1);
        Period::custom(from, to, kind)
    }

    /// Any span; the ends are put in order.
    pub fn custom(a: NaiveDate, b: NaiveDate, kind: PeriodKind) -> Period {
        Period {
            kind,
            from: a.min(b),
            to: a.max(b),
        }
    }

    pub fn days(&self) -> u64 {
        (self.to - self.from).num_days().max(0) as u64 + 1
    }

    /// 环比: the calendar unit before; a day or a custom span: as many days just before.
    pub fn previous(&self) -> Period {
        match self.kind {
            PeriodKind::Month | PeriodKind::Quarter | PeriodKind::Year => {
                Period::containing(self.kind, self.from - Days::new(1))
            }
            _ => {
                let to = self.from - Days::new(1);
                Period::custom(to - Days::new(self.days() - 1), to, self.kind)
            }
        }
    }

    /// 同比: the same dates one year earlier (29 February reads as 28 February); a week:
    /// the week 52 weeks earlier, Monday to Sunday.
    pub fn year_earlier(&self) -> Period {
        let back = |d: NaiveDate| d - Months::new(12);
        match self.kind {
            PeriodKind::Week => Period::containing(PeriodKind::Week, self.from - Days::new(364)),
            _ => Period::custom(back(self.from), back(self.to), self.kind),
        }
    }

    /// The next or previous period of the same kind (the screen's ← →).
    pub fn step(&self, forward: bool) -> Period {
        if forward {
            let after = self.to + Days::new(1);
            match self.kind {
                PeriodKind::Custom => {
                    Period::custom(after, after + Days::new(self.days() - 1), self.kind)
                }
                kind => Period::containing(kind, after),
            }
        } else {
            self.previous()
        }
    }

    /// `2026-11-01 至 2026-11-30`, or one date.
    pub fn describe(&self) -> String {
        if self.from == self.to {
            self.from.to_string()
        } else {
            format!("{} 至 {}", self.from, self.to)
        }
    }

    pub fn each_day(&self) -> impl Iterator<Item = NaiveDate> {
        let from = self.from;
        (0..self.days()).map(move |i| from + Days::new(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn calendar_units_hold_the_day() {
        let day = d(2026, 11, 27); // a Friday
        let week = Period::containing(PeriodKind::Week, day);
        assert_eq!((week.from, week.to), (d(2026, 11, 23), d(2026, 11, 29)));
        let quarter = Period::containing(PeriodKind::Quarter, day);
        assert_eq!(
            (quarter.from, quarter.to),
            (d(2026, 10, 1), d(2026, 12, 31))
        );
        let feb = Period::containing(PeriodKind::Month, d(2028, 2, 10));
        assert_eq!(feb.to, d(2028, 2, 29));
        assert_eq!(Period::containing(PeriodKind::Year, day).days(), 365);
    }

    #[test]
    fn previous_and_year_earlier() {
        let march = Period::containing(PeriodKind::Month, d(2026, 3, 5));
        let feb = march.previous();
        assert_eq!((feb.from, feb.to), (d(2026, 2, 1), d(2026, 2, 28)));
        let q1 = Period::containing(PeriodKind::Quarter, d(2026, 2, 1)).previous();
        assert_eq!((q1.from, q1.to), (d(2025, 10, 1), d(2025, 12, 31)));
        let span = Period::custom(d(2026, 3, 10), d(2026, 3, 1), PeriodKind::Custom);
        let before = span.previous();
        assert_eq!((before.from, before.to), (d(2026, 2, 19), d(2026, 2, 28)));
        let leap = Period::containing(PeriodKind::Day, d(2028, 2, 29)).year_earlier();
        assert_eq!(leap.from, d(2027, 2, 28));
        let week = Period::containing(PeriodKind::Week, d(2026, 11, 27)).year_earlier();
        assert_eq!((week.from, week.to), (d(2025, 11, 24), d(2025, 11, 30)));
    }

    #[test]
    fn stepping_moves_by_one_unit() {
        let nov = Period::containing(PeriodKind::Month, d(2026, 11, 27));
        assert_eq!(nov.step(true).from, d(2026, 12, 1));
        assert_eq!(nov.step(false).from, d(2026, 10, 1));
        assert_eq!(nov.step(true).step(false), nov);
    }
}
