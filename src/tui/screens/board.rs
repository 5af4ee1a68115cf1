//! The shared queue board (home): every department's waiting tickets and what
//! every desk is serving, redrawn when the hall reports a change.

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::records::tier_marker;
use crate::hall::{DeptQueue, QueueEntry, QueueView};
use crate::tui::component::{Component, Consumed, Ctx, KeyHint};
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{fit, width};

/// A department block is at least this wide; wider terminals get more columns.
const COLUMN_COLS: u16 = 39;

#[derive(Default)]
pub struct BoardScreen {
    /// The last ticket called anywhere, for the announcement line.
    pub last_called: Option<(String, String)>,
}

/// `重复访×2 集体访 过号` for one waiting ticket.
pub fn flags(e: &QueueEntry) -> Vec<String> {
    let mut flags = Vec::new();
    if e.earlier_visits > 0 {
        flags.push(format!("重复访×{}", e.earlier_visits));
    }
    if e.group {
        flags.push("集体访".to_string());
    }
    if e.skipped > 0 {
        flags.push(if e.skipped > 1 {
            format!("过号×{}", e.skipped)
        } else {
            "过号".to_string()
        });
    }
    if e.lead.is_some() {
        flags.push("包案".to_string());
    }
    flags
}

/// The flags as spans: the matter's deadline tier in its colour, then the others.
fn flag_spans(e: &QueueEntry, t: &Theme) -> Vec<Span<'static>> {
    let tier = e
        .tier
        .map(|tier| Span::styled(tier_marker(tier), t.tier(Some(tier))));
    let rest = flags(e).into_iter().map(|f| Span::styled(f, t.warn()));
    let mut spans = Vec::new();
    for span in tier.into_iter().chain(rest) {
        spans.push(Span::raw(" "));
        spans.push(span);
    }
    spans
}

/// The flags of a ticket on a line of their own, for narrow columns.
pub fn flags_line(e: &QueueEntry, t: &Theme) -> Option<Line<'static>> {
    let spans = flag_spans(e, t);
    (!spans.is_empty()).then(|| {
        let mut line = vec![Span::raw("  ")];
        line.extend(spans);
        Line::from(line)
    })
}

/// One waiting ticket as a line: grade mark, number, masked name, minutes, people,
/// and the flags unless the caller shows them on a line of their own.
pub fn ticket_line(
    e: &QueueEntry,
    q: &QueueView,
    label_cols: usize,
    with_flags: bool,
    t: &Theme,
) -> Line<'static> {
    let minutes = q.now.minutes_since(e.issued);
    let (mark, label_style) = match e.key_grade {
        Some(g) => (format!("{g:?}"), t.grade(g)),
        None => (" ".to_string(), t.strong()),
    };
    let mut spans = vec![
        Span::styled(mark, label_style),
        Span::styled(fit(&e.label, label_cols), label_style),
        Span::raw(" "),
        Span::raw(fit(&e.name_masked, 6)),
        Span::raw(format!("{minutes:>3}分 {:>2}人", e.headcount)),
    ];
    if with_flags {
        spans.extend(flag_spans(e, t));
    }
    Line::from(spans)
}

fn block_lines(
    d: &DeptQueue,
    q: &QueueView,
    room: usize,
    cols: usize,
    t: &Theme,
) -> Vec<Line<'static>> {
    let people: u32 = d.waiting.iter().map(|e| u32::from(e.headcount)).sum();
    let mut lines = vec![Line::from(vec![
        Span::styled(d.department.name.clone(), t.title()),
        Span::styled(
            format!("  等候 {} 号 {} 人", d.waiting.len(), people),
            t.label(),
        ),
    ])];
    let label_cols = d.waiting.iter().map(|e| width(&e.label)).max().unwrap_or(0);
    for (i, e) in d.waiting.iter().enumerate() {
        // A flag cut off at the column edge would hide the 重复访 count: give it its own line.
        let whole = ticket_line(e, q, label_cols, true, t);
        let entry = if whole.width() <= cols {
            vec![whole]
        } else {
            let mut two = vec![ticket_line(e, q, label_cols, false, t)];
            two.extend(flags_line(e, t));
            two
        };
        let last = i + 1 == d.waiting.len();
        // Keep a line for "…另有" unless this entry is the last one.
        if lines.len() + entry.len() + usize::from(!last) > room {
            lines.push(Line::styled(
                format!("  …另有 {} 号等候", d.waiting.len() - i),
                t.dim(),
            ));
            break;
        }
        lines.extend(entry);
    }
    lines
}

/// Packs labelled chips (`信访-admin 接待 信访-001 张*`) into lines of `cols` columns.
fn flow(head: Span<'static>, chips: Vec<Vec<Span<'static>>>, cols: usize) -> Vec<Line<'static>> {
    let indent = head.width();
    let mut lines = Vec::new();
    let mut current = vec![head];
    let mut used = indent;
    for chip in chips {
        let w: usize = chip.iter().map(Span::width).sum::<usize>() + 2;
        if used + w > cols && used > indent {
            lines.push(Line::from(std::mem::take(&mut current)));
            current.push(Span::raw(" ".repeat(indent)));
            used = indent;
        }
        current.extend(chip);
        current.push(Span::raw("  "));
        used += w;
    }
    lines.push(Line::from(current));
    lines
}

/// One line per desk: name, officer, whom it serves and for how long.
fn desk_rows(q: &QueueView, t: &Theme) -> Vec<Line<'static>> {
    let desk_cols = q.desks.iter().map(|d| width(&d.desk)).max().unwrap_or(0);
    let officer_cols = q.desks.iter().map(|d| width(&d.officer)).max().unwrap_or(0);
    let mut lines = vec![Line::styled("窗口", t.label())];
    for d in &q.desks {
        let minutes = q.now.minutes_since(d.since);
        let state = match &d.ticket_label {
            Some(label) => Span::styled(
                format!(
                    "接待 {label} {} 已 {minutes} 分钟",
                    d.name_masked.clone().unwrap_or_default()
                ),
                t.ok(),
            ),
            None => Span::styled(format!("空闲 {minutes} 分钟"), t.dim()),
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {} ", fit(&d.desk, desk_cols)), t.strong()),
            Span::styled(format!("{} ", fit(&d.officer, officer_cols)), t.label()),
            state,
        ]));
    }
    lines
}

fn desk_chips(q: &QueueView, t: &Theme) -> Vec<Vec<Span<'static>>> {
    q.desks
        .iter()
        .map(|d| {
            let state = match &d.ticket_label {
                Some(label) => Span::styled(
                    format!("接待 {label} {}", d.name_masked.clone().unwrap_or_default()),
                    t.ok(),
                ),
                None => Span::styled("空闲", t.dim()),
            };
            vec![Span::styled(format!("{} ", d.desk), t.strong()), state]
        })
        .collect()
}

impl Component for BoardScreen {
    fn event(&mut self, _key: KeyEvent, _ctx: &mut Ctx) -> Consumed {
        Consumed::No
    }

    fn commands(&self) -> Vec<KeyHint> {
        Vec::new()
    }

    fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let block = t.block(" 排队总览 ");
        let inner = block.inner(area);
        f.render_widget(block, area);
        let Some(q) = &ctx.queue else {
            f.render_widget(Paragraph::new("正在读取排队情况…").style(t.dim()), inner);
            return;
        };
        let cols = usize::from(inner.width);
        // A tall screen lists every desk on its own line; a small one packs them.
        let mut head = if q.desks.is_empty() {
            vec![Line::from(vec![
                Span::styled("窗口：", t.label()),
                Span::styled("暂无窗口登录", t.dim()),
            ])]
        } else if inner.height >= 30 {
            desk_rows(q, t)
        } else {
            flow(Span::styled("窗口：", t.label()), desk_chips(q, t), cols)
        };
        if let Some((label, desk)) = &self.last_called {
            head.push(Line::from(vec![
                Span::styled("叫号：", t.label()),
                Span::styled(format!("{label} 请到 {desk}"), t.strong()),
            ]));
        }
        head.truncate(usize::from(inner.height / 3).max(1));
        let head_rows = head.len() as u16;
        f.render_widget(
            Paragraph::new(head),
            Rect {
                height: head_rows,
                ..inner
            },
        );

        let waiting: Vec<&DeptQueue> = q
            .departments
            .iter()
            .filter(|d| !d.waiting.is_empty())
            .collect();
        let idle: Vec<&str> = q
            .departments
            .iter()
            .filter(|d| d.waiting.is_empty())
            .map(|d| d.department.ticket_prefix.as_str())
            .collect();
        let idle_lines = if idle.is_empty() {
            Vec::new()
        } else {
            let chips = idle
                .iter()
                .map(|name| vec![Span::styled(name.to_string(), t.dim())])
                .collect();
            flow(Span::styled("无人等候：", t.label()), chips, cols)
        };
        let idle_rows = idle_lines.len() as u16;
        let body = Rect {
            y: inner.y + head_rows + 1,
            height: inner
                .height
                .saturating_sub(head_rows + 1 + idle_rows + u16::from(idle_rows > 0)),
            ..inner
        };
        if waiting.is_empty() {
            f.render_widget(Paragraph::new("目前没有人在等候。").style(t.dim()), body);
        }
        // Blocks go to the shortest column, newspaper style.
        let columns = (body.width / COLUMN_COLS).max(1);
        let col_width = body.width / columns;
        let mut used = vec![0u16; usize::from(columns)];
        for d in waiting {
            let (col, top) = used
                .iter()
                .copied()
                .enumerate()
                .min_by_key(|&(_, h)| h)
                .unwrap_or((0, 0));
            let room = body.height.saturating_sub(top);
            if room < 2 {
                continue;
            }
            let lines = block_lines(
                d,
                q,
                usize::from(room),
                usize::from(col_width.saturating_sub(1)),
                t,
            );
            let height = (lines.len() as u16).min(room);
            let rect = Rect {
                x: body.x + col as u16 * col_width,
                y: body.y + top,
                width: col_width.saturating_sub(1),
                height,
            };
            f.render_widget(Paragraph::new(lines), rect);
            used[col] = top + height + 1;
        }
        if idle_rows > 0 {
            f.render_widget(
                Paragraph::new(idle_lines),
                Rect {
                    y: inner.y + inner.height.saturating_sub(idle_rows),
                    height: idle_rows,
                    ..inner
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::HallConfig;
    use crate::domain::time::Timestamp;

    #[test]
    fn flags_that_would_be_cut_off_move_to_their_own_line() {
        let department = HallConfig::embedded()
            .departments
            .into_iter()
            .find(|d| d.ticket_prefix == "自然资源")
            .unwrap();
        let entry = QueueEntry {
            ticket: 1,
            label: "自然资源-001".into(),
            issued: Timestamp(0),
            headcount: 12,
            group: true,
            earlier_visits: 2,
            key_grade: None,
            skipped: 1,
            name_masked: "欧阳**".into(),
            tier: None,
            lead: None,
        };
        let d = DeptQueue {
            department,
            waiting: vec![entry.clone(), entry],
        };
        let q = QueueView {
            now: Timestamp(600),
            departments: vec![d.clone()],
            desks: Vec::new(),
        };
        let t = Theme { ascii: false };
        let lines = block_lines(&d, &q, 20, 38, &t);
        assert!(lines.iter().all(|l| l.width() <= 38));
        let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        assert_eq!(
            text.iter()
                .filter(|l| l.contains("重复访×2 集体访 过号"))
                .count(),
            2,
            "{text:?}"
        );
        // Wide enough, the flags stay on the ticket's line.
        assert_eq!(block_lines(&d, &q, 20, 80, &t).len(), 3);
        // Too few rows: the rest is counted, not dropped silently.
        let short = block_lines(&d, &q, 3, 38, &t);
        assert!(
            short.last().unwrap().to_string().contains("另有 2 号"),
            "{short:?}"
        );
    }
}
