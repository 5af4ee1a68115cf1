//! `lianfang stats` and `lianfang report daily`: the statistics and the leader's daily
//! report on the command line, as text or JSON, with the measures the screen shows.

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::output::{json, table};
use super::paths::open_hall;
use super::CliError;
use crate::config::HallConfig;
use crate::domain::stats::measures::{Measure, Times};
use crate::domain::stats::period::{Period, PeriodKind};
use crate::domain::stats::report::{Breakdown, Scope, StatsReport};
use crate::domain::stats::Tally;
use crate::hall::HallExt;

/// The rows `--by` lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    /// 按部门
    Department,
    /// 按内容分类
    Class,
    /// 按接待人员（等候和接待时间）
    Officer,
}

/// `2026-11-27`, or the error saying how to write it.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("日期“{text}”无法识别，请写成 2026-11-27 的形式"))
}

/// The period of `--from` / `--to`; without them, the current month.
pub fn period(from: Option<NaiveDate>, to: Option<NaiveDate>, today: NaiveDate) -> Period {
    match (from, to) {
        (None, None) => Period::containing(PeriodKind::Month, today),
        (Some(a), None) => Period::custom(a, today.max(a), PeriodKind::Custom),
        (None, Some(b)) => Period::custom(
            NaiveDate::from_ymd_opt(b.year(), b.month(), 1).unwrap_or(b),
            b,
            PeriodKind::Custom,
        ),
        (Some(a), Some(b)) => Period::custom(a, b, PeriodKind::Custom),
    }
}

#[derive(Serialize)]
struct MeasureJson {
    key: &'static str,
    label: &'static str,
    value: Option<f64>,
    previous: Option<f64>,
    year_earlier: Option<f64>,
}

#[derive(Serialize)]
struct RowJson {
    name: String,
    measures: Vec<(&'static str, Option<f64>)>,
    tickets: u64,
    wait_avg_min: u64,
    wait_max_min: u64,
    service_avg_min: u64,
    service_max_min: u64,
}

#[derive(Serialize)]
struct StatsJson {
    scope: String,
    from: NaiveDate,
    to: NaiveDate,
    previous: (NaiveDate, NaiveDate),
    year_earlier: (NaiveDate, NaiveDate),
    measures: Vec<MeasureJson>,
    daily_visits: Vec<u64>,
    /// Visits by the level reached, in the config's order.
    levels: Vec<(String, u64)>,
    rows: Vec<RowJson>,
}

fn scope_label(scope: &Scope, config: &HallConfig) -> String {
    match scope {
        Scope::Hall => "全大厅".to_string(),
        Scope::Department(d) => config.dept_short(d),
    }
}

fn rows_of(report: &StatsReport, by: By) -> &[Breakdown] {
    match by {
        By::Department => &report.departments,
        By::Class => &report.classes,
        By::Officer => &report.officers,
    }
}

fn times_cells(t: &Tally) -> Vec<String> {
    let times = Times::of(t);
    vec![
        times.tickets.to_string(),
        times.wait_avg_min.to_string(),
        times.wait_max_min.to_string(),
        times.service_avg_min.to_string(),
        times.service_max_min.to_string(),
    ]
}

const TIME_HEADER: [&str; 5] = ["号数", "平均等候", "最长等候", "平均接待", "最长接待"];

/// The text of a report: the measures with 环比 and 同比, then the rows of `by`.
pub fn stats_text(report: &StatsReport, by: By, config: &HallConfig) -> String {
    let mut out = format!(
        "统计期间：{}（{}）  环比：{}  同比：{}\n\n",
        report.period.describe(),
        scope_label(&report.scope, config),
        report.previous.describe(),
        report.year_earlier.describe()
    );
    let rows: Vec<Vec<String>> = Measure::ALL
        .iter()
        .map(|m| {
            let now = m.value(&report.total);
            vec![
                m.label().to_string(),
                now.text(),
                now.change(m.value(&report.previous_total)),
                now.change(m.value(&report.year_earlier_total)),
            ]
        })
        .collect();
    out.push_str(&table(&["指标", "本期", "环比", "同比"], &rows));
    out.push_str(&format!(
        "来访层级：{}\n\n",
        levels(report, config).join("  ")
    ));
    let list = rows_of(report, by);
    if list.is_empty() {
        out.push_str("没有可显示的分项（按内容分类只对全大厅统计）。\n");
        return out;
    }
    let mut header = vec!["名称"];
    let columns = Measure::ALL;
    header.extend(columns.iter().map(|m| m.label()));
    header.extend(TIME_HEADER);
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|b| {
            let mut row = vec![b.dim.label(&config.departments)];
            row.extend(columns.iter().map(|m| m.value(&b.tally).text()));
            row.extend(times_cells(&b.tally));
            row
        })
        .collect();
    out.push_str(&table(&header, &rows));
    out.push_str("（时间单位：分钟，来自已接待完毕的号：取号→叫号为等候，叫号→办结为接待）\n");
    out
}

/// Visits of the period by the level the visitor had already reached: `到市 3`.
fn levels(report: &StatsReport, config: &HallConfig) -> Vec<String> {
    config
        .visit_levels
        .iter()
        .zip(report.total.by_level)
        .map(|(name, n)| format!("{name} {n}"))
        .collect()
}

/// Stable JSON: measures with their 环比/同比 bases, and the rows of `by`.
pub fn stats_json(report: &StatsReport, by: By, config: &HallConfig) -> String {
    let measures = Measure::ALL
        .iter()
        .map(|m| MeasureJson {
            key: m.key(),
            label: m.label(),
            value: m.value(&report.total).number(),
            previous: m.value(&report.previous_total).number(),
            year_earlier: m.value(&report.year_earlier_total).number(),
        })
        .collect();
    let rows = rows_of(report, by)
        .iter()
        .map(|b| {
            let times = Times::of(&b.tally);
            RowJson {
                name: b.dim.label(&config.departments),
                measures: Measure::ALL
                    .iter()
                    .map(|m| (m.key(), m.value(&b.tally).number()))
                    .collect(),
                tickets: times.tickets,
                wait_avg_min: times.wait_avg_min,
                wait_max_min: times.wait_max_min,
                service_avg_min: times.service_avg_min,
                service_max_min: times.service_max_min,
            }
        })
        .collect();
    json(&StatsJson {
        scope: scope_label(&report.scope, config),
        from: report.period.from,
        to: report.period.to,
        previous: (report.previous.from, report.previous.to),
        year_earlier: (report.year_earlier.from, report.year_earlier.to),
        measures,
        daily_visits: report.daily_visits.clone(),
        levels: config
            .visit_levels
            .iter()
            .cloned()
            .zip(report.total.by_level)
            .collect(),
        rows,
    })
}

pub fn stats(
    data: &Path,
    config: HallConfig,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    by: By,
    as_json: bool,
) -> Result<(), CliError> {
    let hall = open_hall(data, config)?;
    let system = hall.system_session()?;
    let today = hall.now().local_date(hall.config().timezone);
    let report = hall.stats(&system, period(from, to, today))?;
    if as_json {
        println!("{}", stats_json(&report, by, hall.config()));
    } else {
        print!("{}", stats_text(&report, by, hall.config()));
    }
    Ok(())
}

pub fn daily(
    data: &Path,
    config: HallConfig,
    date: Option<NaiveDate>,
    as_json: bool,
) -> Result<(), CliError> {
    let hall = open_hall(data, config)?;
    let system = hall.system_session()?;
    let date = date.unwrap_or_else(|| hall.now().local_date(hall.config().timezone));
    let report = hall.daily_report(&system, date)?;
    if as_json {
        println!("{}", json(&report));
    } else {
        print!("{}", report.text());
    }
    Ok(())
}
