//! Statistics (F7): the measures of a period with 环比 and 同比, visits per day or week as a
//! bar chart, and a breakdown by department, content class or officer with a sparkline
//! each. F6 shows the leader's daily report of the period's last day; F9 opens the ledger
//! export dialog on the period shown.

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::domain::stats::daily::DailyReport;
use crate::domain::stats::measures::{Measure, Times};
use crate::domain::stats::period::{Period, PeriodKind};
use crate::domain::stats::report::{Breakdown, Scope, StatsReport};
use crate::hall::Query;
use crate::tui::component::{hint, Component, Consumed, Ctx, KeyHint};
use crate::tui::jobs::Slot;
use crate::tui::screens::export::ExportDialog;
use crate::tui::widgets::text::fit;

/// Which breakdown the lower table shows (F5 steps through them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum By {
    #[default]
    Department,
    Class,
    Officer,
}

impl By {
    fn label(self) -> &'static str {
        match self {
            By::Department => "按部门",
            By::Class => "按分类",
            By::Officer => "按人员",
        }
    }

    fn next(self) -> By {
        match self {
            By::Department => By::Class,
            By::Class => By::Officer,
            By::Officer => By::Department,
        }
    }
}

pub struct StatsScreen {
    period: Period,
    by: By,
    report: Option<StatsReport>,
    daily: Option<DailyReport>,
    /// Showing the daily report instead of the statistics.
    show_daily: bool,
    scroll: usize,
    /// The export dialog; kept while closed when an export is still running.
    export: Option<ExportDialog>,
    export_open: bool,
}

impl Default for StatsScreen {
    fn default() -> StatsScreen {
        StatsScreen::new(NaiveDate::MIN)
    }
}

impl StatsScreen {
    /// Opens on the month of `today`.
    pub fn new(today: NaiveDate) -> StatsScreen {
        StatsScreen {
            period: Period::containing(PeriodKind::Month, today),
            by: By::Department,
            report: None,
            daily: None,
            show_daily: false,
            scroll: 0,
            export: None,
            export_open: false,
        }
    }

    pub fn period(&self) -> Period {
        self.period
    }

    pub fn reload(&self, ctx: &mut Ctx) {
        ctx.query(
            Slot::Stats,
            Query::Stats {
                period: self.period,
            },
        );
        if self.show_daily {
            ctx.query(
                Slot::Daily,
                Query::DailyReport {
                    date: self.report_day(ctx),
                },
            );
        }
    }

    /// The daily report's day: today inside the period, else the period's last day.
    fn report_day(&self, ctx: &Ctx) -> NaiveDate {
        if (self.period.from..=self.period.to).contains(&ctx.today) {
            ctx.today
        } else {
            self.period.to
        }
    }

    pub fn report_arrived(&mut self, report: StatsReport) -> bool {
        // An answer for a period the officer has already left is dropped.
        if report.period != self.period || self.report.as_ref() == Some(&report) {
            return false;
        }
        self.report = Some(report);
        true
    }

    pub fn daily_arrived(&mut self, report: DailyReport) -> bool {
        if self.daily.as_ref() == Some(&report) {
            return false;
        }
        self.daily = Some(report);
        true
    }

    pub fn export(&self) -> Option<&ExportDialog> {
        self.export.as_ref().filter(|_| self.export_open)
    }

    /// F9: the running export if there is one, else a fresh dialog on this period.
    fn open_export(&mut self, ctx: &Ctx) {
        if !self.export.as_ref().is_some_and(ExportDialog::is_running) {
            self.export = Some(ExportDialog::new(self.period, ctx.today, ctx));
        }
        self.export_open = true;
    }

    /// True when the dialog shows the change.
    pub fn export_progress(&mut self, rows: u64) -> bool {
        let shown = self.export_open;
        self.export
            .as_mut()
            .is_some_and(|d| d.progress(rows) && shown)
    }

    pub fn export_done(&mut self, rows: u64, ctx: &mut Ctx) {
        if let Some(d) = &mut self.export {
            d.done(rows, ctx);
        }
    }

    pub fn export_failed(&mut self, message: String) {
        if let Some(d) = &mut self.export {
            d.failed(message);
        }
    }

    fn move_to(&mut self, period: Period, ctx: &mut Ctx) {
        self.period = period;
        self.scroll = 0;
        self.reload(ctx);
    }

    fn rows(&self) -> &[Breakdown] {
        let Some(r) = &self.report else {
            return &[];
        };
        match self.by {
            By::Department => &r.departments,
            By::Class => &r.classes,
            By::Officer => &r.officers,
        }
    }
}

impl Component for StatsScreen {
    fn event(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Consumed {
        if let Some(dialog) = self.export.as_mut().filter(|_| self.export_open) {
            if key.code == KeyCode::Esc {
                self.export_open = false;
                return Consumed::Yes;
            }
            return dialog.event(key, ctx);
        }
        match key.code {
            KeyCode::Left | KeyCode::Right => {
                let period = self.period.step(key.code == KeyCode::Right);
                self.move_to(period, ctx);
            }
            KeyCode::Tab => {
                let cycle = PeriodKind::CYCLE;
                let at = cycle.iter().position(|k| *k == self.period.kind);
                let kind = cycle[at.map_or(0, |i| (i + 1) % cycle.len())];
                // The new unit holds the day the officer was looking at.
                let day = self
                    .report_day(ctx)
                    .min(self.period.to)
                    .max(self.period.from);
                self.move_to(Period::containing(kind, day), ctx);
            }
            KeyCode::F(5) => {
                self.by = self.by.next();
                self.scroll = 0;
            }
            KeyCode::F(6) => {
                self.show_daily = !self.show_daily;
                self.scroll = 0;
                self.reload(ctx);
            }
            KeyCode::F(9) => self.open_export(ctx),
            KeyCode::Down => self.scroll += 1,
            KeyCode::Up => self.scroll = self.scroll.saturating_sub(1),
            _ => return Consumed::No,
        }
        Consumed::Yes
    }

    fn commands(&self) -> Vec<KeyHint> {
        if let Some(dialog) = self.export() {
            return dialog.commands();
        }
        let stats = !self.show_daily;
        vec![
            hint("←→", "上一期/下一期"),
            hint("Tab", "日/周/月/季/年"),
            hint("F5", "分项").when(stats),
            hint("F6", if stats { "日报" } else { "返回统计" }),
            hint("F9", "导出台账"),
            hint("↑↓", "滚动").quiet(),
        ]
    }

    fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        self.draw_stats(f, area, ctx);
        if let Some(dialog) = self.export() {
            dialog.draw(f, area, ctx);
        }
    }
}

impl StatsScreen {
    fn draw_stats(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let [head, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        let scope = match self.report.as_ref().map(|r| &r.scope) {
            Some(Scope::Department(d)) => ctx.dept_short(d),
            Some(Scope::Hall) => "全大厅".to_string(),
            None => String::new(),
        };
        let title = format!(
            " {} {} {}",
            self.period.kind.label(),
            self.period.describe(),
            scope
        );
        f.render_widget(Paragraph::new(Line::styled(title, t.title())), head);
        if self.show_daily {
            let text = match &self.daily {
                Some(d) => d.text(),
                None => "正在生成日报……".to_string(),
            };
            let lines: Vec<Line> = text.lines().skip(self.scroll).map(Line::raw).collect();
            let block = t.block(" 领导日报 ");
            let wrap = Wrap { trim: false };
            f.render_widget(Paragraph::new(lines).block(block).wrap(wrap), body);
            return;
        }
        let Some(report) = &self.report else {
            f.render_widget(Paragraph::new(" 正在统计……"), body);
            return;
        };
        // The chart takes half a tall terminal; the measures need their rows at least.
        let measures_height = (Measure::ALL.len() as u16 + 2).max(body.height / 2);
        let [top, bottom] =
            Layout::vertical([Constraint::Length(measures_height), Constraint::Fill(1)])
                .areas(body);
        let table_width = if area.width >= 110 { 56 } else { 44 };
        let [left, right] =
            Layout::horizontal([Constraint::Length(table_width), Constraint::Fill(1)]).areas(top);
        draw_measures(f, left, report, ctx);
        draw_chart(f, right, report, ctx);
        self.draw_breakdown(f, bottom, ctx);
    }
}

/// Measure, this period, 环比 and 同比, then the visits by level reached.
fn draw_measures(f: &mut Frame, area: Rect, r: &StatsReport, ctx: &Ctx) {
    let t = &ctx.theme;
    let wide = area.width >= 56;
    let cols: [usize; 4] = if wide {
        [14, 8, 17, 17]
    } else {
        [13, 7, 12, 12]
    };
    let cell = |s: &str, w: usize| fit(s, w);
    let mut lines = vec![Line::styled(
        format!(
            "{}{}{}{}",
            cell("指标", cols[0]),
            cell("本期", cols[1]),
            cell("环比", cols[2]),
            cell("同比", cols[3])
        ),
        t.label(),
    )];
    for m in Measure::ALL {
        let now = m.value(&r.total);
        lines.push(Line::styled(
            format!(
                "{}{}{}{}",
                cell(m.label(), cols[0]),
                cell(&now.text(), cols[1]),
                cell(&now.change(m.value(&r.previous_total)), cols[2]),
                cell(&now.change(m.value(&r.year_earlier_total)), cols[3])
            ),
            t.text(),
        ));
    }
    let levels: Vec<String> = ctx
        .info
        .visit_levels
        .iter()
        .zip(r.total.by_level)
        .map(|(name, n)| format!("{name}{n}"))
        .collect();
    lines.push(Line::styled(
        format!("层级 {}", levels.join(" ")),
        t.label(),
    ));
    f.render_widget(Paragraph::new(lines), area);
}

/// Visits per day (a month or less) or per week, as vertical bars.
fn draw_chart(f: &mut Frame, area: Rect, r: &StatsReport, ctx: &Ctx) {
    let t = &ctx.theme;
    let weekly = r.daily_visits.len() > 31;
    let values = if weekly {
        bucket(&r.daily_visits, 7)
    } else {
        r.daily_visits.clone()
    };
    let max = values.iter().copied().max().unwrap_or(0);
    let title = format!(
        " 每{}来访批次（最高 {max}） ",
        if weekly { "周" } else { "日" }
    );
    let block = t.block(&title);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let lines = bars(
        &values,
        usize::from(inner.width),
        usize::from(inner.height),
        t.ascii,
    );
    f.render_widget(Paragraph::new(lines.join("\n")).style(t.strong()), inner);
}

impl StatsScreen {
    /// Each row: counts, times of finished tickets (minutes) and a sparkline of its visits.
    fn draw_breakdown(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let wide = area.width >= 110;
        let name_w = if wide { 14 } else { 9 };
        let header = [
            ("批次", 6),
            ("人次", 6),
            ("件", 5),
            ("办结", 5),
            ("解决率", 7),
            ("等候均/长", 10),
            ("接待均/长", 10),
        ];
        let used: usize = name_w + header.iter().map(|(_, w)| w).sum::<usize>();
        let spark_w = usize::from(area.width).saturating_sub(used + 1);
        let mut head = fit(self.by.label(), name_w);
        for (label, w) in header {
            head.push_str(&fit(label, w));
        }
        head.push_str(&fit("走势", spark_w));
        let mut lines = vec![Line::styled(head, t.label())];
        let rows = self.rows();
        if rows.is_empty() {
            lines.push(Line::styled(
                "（无数据；按内容分类只对全大厅统计）",
                t.dim(),
            ));
        }
        let visible = usize::from(area.height).saturating_sub(1);
        let start = self.scroll.min(rows.len().saturating_sub(visible));
        for b in rows.iter().skip(start).take(visible) {
            let tally = &b.tally;
            let times = Times::of(tally);
            let cells = [
                tally.visits.to_string(),
                tally.people.to_string(),
                tally.matters.to_string(),
                tally.concluded.to_string(),
                Measure::ResolutionRate.value(tally).text(),
                format!("{}/{}", times.wait_avg_min, times.wait_max_min),
                format!("{}/{}", times.service_avg_min, times.service_max_min),
            ];
            let mut spans = vec![Span::raw(fit(&b.dim.label(&ctx.info.departments), name_w))];
            for (text, (_, w)) in cells.iter().zip(header) {
                spans.push(Span::raw(fit(text, w)));
            }
            spans.push(Span::styled(
                spark(&b.daily_visits, spark_w, t.ascii),
                t.ok(),
            ));
            lines.push(Line::from(spans));
        }
        f.render_widget(Paragraph::new(lines), area);
    }
}

/// Sums of consecutive runs of `size` values.
fn bucket(values: &[u64], size: usize) -> Vec<u64> {
    values.chunks(size.max(1)).map(|c| c.iter().sum()).collect()
}

/// Values summed into at most `cols` groups.
fn fit_to(values: &[u64], cols: usize) -> Vec<u64> {
    if cols == 0 || values.len() <= cols {
        return values.to_vec();
    }
    bucket(values, values.len().div_ceil(cols))
}

/// A one-line sparkline of `values` in `cols` characters.
pub fn spark(values: &[u64], cols: usize, ascii: bool) -> String {
    let marks: &[char] = if ascii {
        &[' ', '.', ':', '-', '=', '+', '*', '#']
    } else {
        &[' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█']
    };
    let values = fit_to(values, cols);
    let max = values.iter().copied().max().unwrap_or(0);
    let top = marks.len() as u64 - 1;
    values
        .iter()
        .map(|&v| {
            if max == 0 {
                marks[0]
            } else {
                // Anything above zero shows at least the lowest mark.
                marks[(v * top).div_ceil(max) as usize]
            }
        })
        .collect()
}

/// Vertical bars of `values` in a `cols` × `rows` box, as text lines; bars are as wide as
/// the box allows with one column between them.
pub fn bars(values: &[u64], cols: usize, rows: usize, ascii: bool) -> Vec<String> {
    let fill = if ascii { "#" } else { "█" };
    let values = fit_to(values, cols / 2);
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    let bar_w = (cols / values.len().max(1)).saturating_sub(1).clamp(1, 3);
    (0..rows)
        .map(|row| {
            let level = (rows - row) as u64;
            let mut line = String::new();
            for &v in &values {
                let height = (v * rows as u64).div_ceil(max);
                let cell = if height >= level { fill } else { " " };
                line.push_str(&cell.repeat(bar_w));
                line.push(' ');
            }
            fit(&line, cols).trim_end().to_string()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::widgets::text::width;

    #[test]
    fn sparklines_scale_to_the_largest_value() {
        assert_eq!(spark(&[0, 1, 8], 3, false), " ▁█");
        assert_eq!(spark(&[0, 4, 8], 3, true), " =#");
        assert_eq!(spark(&[1, 1, 2, 2], 2, false), "▄█");
        assert_eq!(spark(&[0, 0], 2, false), "  ");
    }

    #[test]
    fn bars_grow_from_the_bottom() {
        let lines = bars(&[1, 2], 4, 2, true);
        assert_eq!(lines, vec!["  #", "# #"]);
        assert_eq!(width(&bars(&[5; 40], 20, 3, false)[0]), 19);
    }
}
