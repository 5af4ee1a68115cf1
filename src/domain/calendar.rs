//! Counting days for legal time limits: calendar days, or working days that skip weekends
//! and public holidays but include the weekend days that are worked (调休).
//!
//! Convention for every time limit: "within N days of D" means the last allowed day is
//! D + N — day D itself is not counted (民法典第二百零一条：开始的当日不计入). In working-day
//! mode the N days are the N working days after D.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// The holiday file shipped with the program, so a fresh machine needs no file at all.
pub const DEFAULT_HOLIDAYS_TOML: &str = include_str!("../../config/holidays.toml");
pub const DEFAULT_HOLIDAYS_SOURCE: &str = "内置节假日文件 config/holidays.toml";

/// How the days of a time limit are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DayKind {
    /// 自然日: the 条例 says 日, so this is the default.
    Calendar,
    /// 工作日: the objection period always, other limits when the hall's config says so.
    Working,
}

impl DayKind {
    /// The unit after a number: `15日`, `5个工作日`.
    pub fn unit(self) -> &'static str {
        match self {
            DayKind::Calendar => "日",
            DayKind::Working => "个工作日",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("节假日文件 {source_name} 第 {line} 行有误：{message}")]
pub struct HolidayError {
    pub source_name: String,
    pub line: usize,
    pub message: String,
}

/// Public holidays and worked weekend days, per year, as the holiday file lists them.
/// A year the file does not list falls back to "Saturday and Sunday are rest days".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    holidays: BTreeSet<NaiveDate>,
    worked: BTreeSet<NaiveDate>,
    years: BTreeSet<i32>,
}

// The file's shape: one table per year, `[2026]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    #[serde(default)]
    holidays: Vec<Spanned<String>>,
    #[serde(default)]
    worked: Vec<Spanned<String>>,
}

impl Calendar {
    /// No holiday file: only weekends are rest days.
    pub fn weekends_only() -> Calendar {
        Calendar::default()
    }

    pub fn embedded() -> Calendar {
        Calendar::parse(DEFAULT_HOLIDAYS_TOML, DEFAULT_HOLIDAYS_SOURCE)
            .expect("the embedded holiday file is valid")
    }

    /// Parses a holiday file; every error names the line.
    pub fn parse(text: &str, source_name: &str) -> Result<Calendar, HolidayError> {
        let invalid = |line: usize, message: String| HolidayError {
            source_name: source_name.to_string(),
            line,
            message,
        };
        // Byte counting cannot panic, whatever offset a parser reports.
        let line_at = |offset: usize| {
            let before = &text.as_bytes()[..offset.min(text.len())];
            before.iter().filter(|b| **b == b'\n').count() + 1
        };
        let raw: BTreeMap<String, RawYear> = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| line_at(s.start));
            invalid(line, e.message().to_string())
        })?;

        let mut calendar = Calendar::default();
        for (key, year_table) in raw {
            let header_line = text
                .lines()
                .position(|l| l.trim_start().starts_with(&format!("[{key}]")))
                .map_or(1, |i| i + 1);
            let year = key
                .parse::<i32>()
                .ok()
                .filter(|y| (1990..=2200).contains(y))
                .ok_or_else(|| invalid(header_line, format!("“[{key}]”应是年份，例如 [2026]")))?;
            for entry in &year_table.holidays {
                let (first, last) = parse_entry(entry.get_ref(), year)
                    .map_err(|m| invalid(line_at(entry.span().start), m))?;
                calendar
                    .holidays
                    .extend(first.iter_days().take_while(|d| *d <= last));
            }
            for entry in &year_table.worked {
                let line = line_at(entry.span().start);
                let (first, last) =
                    parse_entry(entry.get_ref(), year).map_err(|m| invalid(line, m))?;
                for day in first.iter_days().take_while(|d| *d <= last) {
                    if !is_weekend(day) {
                        return Err(invalid(
                            line,
                            format!("{day} 是{}，调休上班日只能是周六或周日", weekday_name(day)),
                        ));
                    }
                    if calendar.holidays.contains(&day) {
                        return Err(invalid(
                            line,
                            format!("{day} 既写在放假日里又写在调休上班日里"),
                        ));
                    }
                    calendar.worked.insert(day);
                }
            }
            calendar.years.insert(year);
        }
        Ok(calendar)
    }

    /// Whether the holiday file lists this year; working days in other years only skip weekends,
    /// so the service should warn when it counts working days in an uncovered year.
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.worked.contains(&date) {
            return true;
        }
        !self.holidays.contains(&date) && !is_weekend(date)
    }

    /// The last allowed day of "within `days` days of `start`" (see the module comment).
    pub fn add(&self, start: NaiveDate, days: u32, kind: DayKind) -> NaiveDate {
        match kind {
            DayKind::Calendar => start
                .checked_add_days(Days::new(u64::from(days)))
                .unwrap_or(NaiveDate::MAX),
            DayKind::Working if days == 0 => start,
            DayKind::Working => start
                .iter_days()
                .skip(1)
                .filter(|d| self.is_working_day(*d))
                .nth(days as usize - 1)
                .unwrap_or(NaiveDate::MAX),
        }
    }

    /// Days counted from `from` to `to` (`from` not counted, `to` counted); negative when `to`
    /// is earlier. `count(d, add(d, n, k), k) == n`.
    pub fn count(&self, from: NaiveDate, to: NaiveDate, kind: DayKind) -> i64 {
        match kind {
            DayKind::Calendar => (to - from).num_days(),
            DayKind::Working => {
                let (low, high, sign) = if to >= from {
                    (from, to, 1)
                } else {
                    (to, from, -1)
                };
                let working = low
                    .iter_days()
                    .skip(1)
                    .take_while(|d| *d <= high)
                    .filter(|d| self.is_working_day(*d))
                    .count();
                sign * working as i64
            }
        }
    }
}

/// `2026-10-01` or the inclusive range `2026-10-01..2026-10-07`, inside `year`.
fn parse_entry(text: &str, year: i32) -> Result<(NaiveDate, NaiveDate), String> {
    let date = |s: &str| {
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map_err(|_| format!("“{text}”不是日期，应写成 2026-10-01 或 2026-10-01..2026-10-07"))
    };
    let (first, last) = match text.split_once("..") {
        Some((a, b)) => (date(a)?, date(b)?),
        None => (date(text)?, date(text)?),
    };
    if last < first {
        return Err(format!("区间“{text}”的结束日早于开始日"));
    }
    if first.year() != year || last.year() != year {
        return Err(format!("“{text}”不在 [{year}] 这一年里"));
    }
    Ok((first, last))
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn weekday_name(date: NaiveDate) -> &'static str {
    match date.weekday() {
        Weekday::Mon => "周一",
        Weekday::Tue => "周二",
        Weekday::Wed => "周三",
        Weekday::Thu => "周四",
        Weekday::Fri => "周五",
        Weekday::Sat => "周六",
        Weekday::Sun => "周日",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn error_of(text: &str) -> HolidayError {
        Calendar::parse(text, "h.toml").unwrap_err()
    }

    #[test]
    fn the_shipped_file_covers_2025_and_2026_only() {
        let cal = Calendar::embedded();
        assert!(cal.covers(2025) && cal.covers(2026));
        assert!(!cal.covers(2024) && !cal.covers(2027));
        assert!(!cal.is_working_day(d("2025-01-28")), "2025 除夕");
        assert!(cal.is_working_day(d("2025-01-26")), "a worked Sunday");
        assert!(
            !cal.is_working_day(d("2026-01-03")),
            "a Saturday inside a holiday"
        );
        assert!(cal.is_working_day(d("2026-11-27")), "an ordinary Friday");
        assert!(!cal.is_working_day(d("2026-11-28")), "an ordinary Saturday");
    }

    #[test]
    fn calendar_days_do_not_count_the_start_day_and_know_leap_years() {
        let cal = Calendar::embedded();
        assert_eq!(
            cal.add(d("2026-03-01"), 15, DayKind::Calendar),
            d("2026-03-16")
        );
        assert_eq!(
            cal.add(d("2028-02-10"), 30, DayKind::Calendar),
            d("2028-03-11")
        );
        assert_eq!(
            cal.add(d("2026-02-10"), 30, DayKind::Calendar),
            d("2026-03-12")
        );
        assert_eq!(
            cal.add(d("2028-02-29"), 0, DayKind::Calendar),
            d("2028-02-29")
        );
        assert_eq!(
            cal.count(d("2028-02-28"), d("2028-03-01"), DayKind::Calendar),
            2
        );
        // Holidays do not move a calendar-day limit.
        assert_eq!(
            cal.add(d("2026-09-30"), 1, DayKind::Calendar),
            d("2026-10-01")
        );
    }

    #[test]
    fn five_working_days_span_a_weekend() {
        let cal = Calendar::embedded();
        // Thursday 2026-11-26: Fri 27, Mon 30, Tue 1, Wed 2, Thu 3.
        assert_eq!(
            cal.add(d("2026-11-26"), 5, DayKind::Working),
            d("2026-12-03")
        );
        assert_eq!(
            cal.add(d("2026-11-26"), 5, DayKind::Calendar),
            d("2026-12-01")
        );
        assert_eq!(
            cal.count(d("2026-11-26"), d("2026-12-03"), DayKind::Working),
            5
        );
        assert_eq!(
            cal.count(d("2026-11-26"), d("2026-12-02"), DayKind::Working),
            4
        );
        // Received on a Saturday: the first working day is Monday.
        assert_eq!(
            cal.add(d("2026-11-28"), 1, DayKind::Working),
            d("2026-11-30")
        );
    }

    #[test]
    fn national_day_2026_skips_the_holiday_week_and_counts_worked_weekends() {
        let cal = Calendar::embedded();
        // Fri 18 Sep → Sun 20 Sep is worked (调休).
        assert_eq!(
            cal.add(d("2026-09-18"), 1, DayKind::Working),
            d("2026-09-20")
        );
        // Wed 30 Sep → Oct 1–7 off → Thu 8, Fri 9, Sat 10 (worked).
        assert_eq!(
            cal.add(d("2026-09-30"), 1, DayKind::Working),
            d("2026-10-08")
        );
        assert_eq!(
            cal.add(d("2026-09-30"), 3, DayKind::Working),
            d("2026-10-10")
        );
        assert_eq!(
            cal.add(d("2026-09-30"), 4, DayKind::Working),
            d("2026-10-12")
        );
        assert_eq!(
            cal.count(d("2026-10-10"), d("2026-09-30"), DayKind::Working),
            -3
        );
    }

    #[test]
    fn spring_festival_2026_skips_nine_days_off() {
        let cal = Calendar::embedded();
        // Fri 13 Feb → Sat 14 (worked), then 15–23 off, Tue 24, Wed 25, Thu 26, Fri 27.
        assert_eq!(
            cal.add(d("2026-02-13"), 1, DayKind::Working),
            d("2026-02-14")
        );
        assert_eq!(
            cal.add(d("2026-02-14"), 1, DayKind::Working),
            d("2026-02-24")
        );
        assert_eq!(
            cal.add(d("2026-02-13"), 5, DayKind::Working),
            d("2026-02-27")
        );
        // Sat 28 Feb is worked too.
        assert_eq!(
            cal.add(d("2026-02-13"), 6, DayKind::Working),
            d("2026-02-28")
        );
        assert_eq!(
            cal.count(d("2026-02-13"), d("2026-02-28"), DayKind::Working),
            6
        );
    }

    #[test]
    fn a_year_missing_from_the_file_only_skips_weekends() {
        let cal = Calendar::embedded();
        // Fri 1 Oct 2027 would be a holiday, but the file has no 2027 yet.
        assert!(cal.is_working_day(d("2027-10-01")));
        assert_eq!(
            cal.add(d("2027-10-01"), 1, DayKind::Working),
            d("2027-10-04")
        );
        assert_eq!(
            Calendar::weekends_only(),
            Calendar::parse("", "empty").unwrap()
        );
    }

    #[test]
    fn parse_errors_name_the_line() {
        let bad_date = "[2026]\nholidays = [\n  \"2026-10-01\",\n  \"2026-13-01\",\n]\n";
        let e = error_of(bad_date);
        assert_eq!(e.line, 4);
        assert!(e.message.contains("2026-13-01"), "{e}");
        assert!(
            e.to_string().starts_with("节假日文件 h.toml 第 4 行有误"),
            "{e}"
        );

        let weekday_worked = "[2026]\nholidays = []\nworked = [\"2026-10-09\"]\n";
        let e = error_of(weekday_worked);
        assert_eq!((e.line, e.message.contains("周五")), (3, true), "{e}");

        let both = "[2026]\nholidays = [\"2026-10-01..2026-10-07\"]\nworked = [\"2026-10-03\"]\n";
        assert_eq!(error_of(both).line, 3);

        let wrong_year = "[2025]\n\nholidays = [\"2026-01-01\"]\n";
        let e = error_of(wrong_year);
        assert_eq!((e.line, e.message.contains("[2025]")), (3, true), "{e}");

        let reversed = "[2026]\nholidays = [\"2026-10-07..2026-10-01\"]\n";
        assert!(error_of(reversed).message.contains("早于"));

        let not_a_year = "# 注释\n[twenty]\nholidays = []\n";
        assert_eq!(error_of(not_a_year).line, 2);

        let unknown_key = "[2026]\nholiday = []\n";
        assert_eq!(error_of(unknown_key).line, 2);

        let syntax = "[2026]\nholidays = [\"2026-01-01\"\n\nworked = []\n";
        assert!(error_of(syntax).line >= 2);
    }
}
