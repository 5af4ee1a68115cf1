//! The daily report for the leader (领导日报): a short Chinese text of the day's numbers,
//! the group visits still open, and the matters overdue or due soon.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::measures::Measure;
use super::Tally;

/// A group visit of the day whose matter is still open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupVisitLine {
    /// `09:30`
    pub time: String,
    pub department: String,
    pub headcount: u16,
    pub matter: String,
    pub status: String,
}

/// An overdue or due-soon matter: number, department and the deadline as the lists word it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueLine {
    pub matter: String,
    pub department: String,
    pub deadline: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyReport {
    pub hall: String,
    /// `全大厅` or the department the reader may see.
    pub scope: String,
    pub date: NaiveDate,
    pub day: Tally,
    pub group_visits: Vec<GroupVisitLine>,
    pub overdue: Vec<DueLine>,
    pub due_soon: Vec<DueLine>,
}

/// Lines listed per section before `……等 N 件`.
const LISTED: usize = 10;

fn value(t: &Tally, m: Measure) -> String {
    m.value(t).text()
}

fn section<T>(out: &mut String, title: String, items: &[T], line: impl Fn(&T) -> String) {
    out.push_str(&title);
    out.push('\n');
    for (i, item) in items.iter().take(LISTED).enumerate() {
        out.push_str(&format!("  {}. {}\n", i + 1, line(item)));
    }
    if items.len() > LISTED {
        out.push_str(&format!("  ……等 {} 件\n", items.len()));
    }
}

impl DailyReport {
    pub fn text(&self) -> String {
        let t = &self.day;
        let d = self.date;
        let mut out = format!(
            "{}（{}）{}年{}月{}日信访情况日报\n",
            self.hall,
            self.scope,
            d.year(),
            d.month(),
            d.day()
        );
        out.push_str(&format!(
            "一、来访 {} 批 {} 人次，其中集体访 {} 批 {} 人次，重复访 {} 批次。\n",
            t.visits, t.people, t.group_visits, t.group_people, t.repeat_visits
        ));
        out.push_str(&format!(
            "二、新登记事项 {} 件，已受理 {} 件，已办结 {} 件；解决率 {}，按期办结率 {}，一次性化解率 {}。\n",
            t.matters,
            t.accepted,
            t.concluded,
            value(t, Measure::ResolutionRate),
            value(t, Measure::OnTimeRate),
            value(t, Measure::FirstVisitRate),
        ));
        section(
            &mut out,
            format!("三、未办结的集体访 {} 批", self.group_visits.len()),
            &self.group_visits,
            |g| {
                format!(
                    "{} {} {} 人，事项 {}（{}）",
                    g.time, g.department, g.headcount, g.matter, g.status
                )
            },
        );
        let due = |l: &DueLine| format!("{} {}：{}", l.matter, l.department, l.deadline);
        section(
            &mut out,
            format!("四、超期事项 {} 件", self.overdue.len()),
            &self.overdue,
            due,
        );
        section(
            &mut out,
            format!("五、临期事项 {} 件", self.due_soon.len()),
            &self.due_soon,
            due,
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_names_the_numbers_and_lists() {
        let due = |n: usize| DueLine {
            matter: format!("2026-{n:06}"),
            department: "人社".into(),
            deadline: "办理期限：超期 3 天".into(),
        };
        let report = DailyReport {
            hall: "某市联合接访中心".into(),
            scope: "全大厅".into(),
            date: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            day: Tally {
                visits: 7,
                people: 15,
                group_visits: 1,
                group_people: 6,
                repeat_visits: 2,
                matters: 5,
                resolved: 1,
                ..Tally::default()
            },
            group_visits: vec![GroupVisitLine {
                time: "09:30".into(),
                department: "住建".into(),
                headcount: 6,
                matter: "2026-000009".into(),
                status: "登记".into(),
            }],
            overdue: (1..=12).map(due).collect(),
            due_soon: Vec::new(),
        };
        let text = report.text();
        assert!(text.starts_with("某市联合接访中心（全大厅）2026年11月27日信访情况日报\n"));
        assert!(text.contains("一、来访 7 批 15 人次，其中集体访 1 批 6 人次，重复访 2 批次。"));
        assert!(text.contains("解决率 20.0%"));
        assert!(text.contains("  1. 09:30 住建 6 人，事项 2026-000009（登记）"));
        assert!(text.contains("四、超期事项 12 件\n"));
        assert!(text.contains("  10. 2026-000010"));
        assert!(!text.contains("2026-000011"));
        assert!(text.contains("……等 12 件"));
        assert!(text.contains("五、临期事项 0 件"));
    }
}
