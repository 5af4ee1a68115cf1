//! The wall screen's state and its pure view.

use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::big;
use crate::hall::{DeskView, QueueView};

/// What the board shows: the last queue fetched and the state of the link.
#[derive(Clone, Debug, Default)]
pub struct Board {
    pub hall_name: String,
    pub queue: Option<QueueView>,
    pub online: bool,
    /// Why the last refresh failed, in Chinese; cleared by the next success.
    pub problem: Option<String>,
}

impl Board {
    pub fn new(hall_name: String) -> Board {
        Board {
            hall_name,
            online: true,
            ..Board::default()
        }
    }

    /// Desks serving a ticket, the latest call first.
    fn calls(&self) -> Vec<&DeskView> {
        let mut calls: Vec<&DeskView> = self
            .queue
            .iter()
            .flat_map(|q| &q.desks)
            .filter(|d| d.ticket_label.is_some())
            .collect();
        calls.sort_by(|a, b| b.since.cmp(&a.since).then_with(|| a.desk.cmp(&b.desk)));
        calls
    }
}

/// `人社-007` → (`人社-`, `007`): the number part is drawn large (the prefix is
/// Chinese, which block glyphs cannot draw; the line above names it).
fn split_label(label: &str) -> (&str, &str) {
    match label.rfind('-') {
        Some(i) => label.split_at(i + 1),
        None => ("", label),
    }
}

pub fn view(board: &Board, frame: &mut Frame) {
    let area = frame.area();
    let dept_rows = department_lines(board, area.width.saturating_sub(2)).len() as u16;
    let [title, latest, others, waiting] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(big::HEIGHT as u16 + 4),
        Constraint::Min(3),
        Constraint::Length(dept_rows + 2),
    ])
    .areas(area);
    frame.render_widget(title_line(board), title);
    let calls = board.calls();
    render_latest(frame, latest, calls.first().copied());
    render_others(frame, others, calls.get(1..).unwrap_or_default());
    frame.render_widget(
        Paragraph::new(department_lines(board, area.width.saturating_sub(2)))
            .block(Block::new().borders(Borders::ALL).title(" 各部门等候人数 ")),
        waiting,
    );
}

fn title_line(board: &Board) -> Paragraph<'_> {
    let mut spans = vec![Span::styled(
        format!(" {} · 叫号大屏 ", board.hall_name),
        Style::new().add_modifier(Modifier::BOLD),
    )];
    if !board.online {
        spans.push(Span::styled(
            " 与服务器断开，正在重连；显示的是断开前的情况 ",
            Style::new().fg(Color::White).bg(Color::Red),
        ));
    } else if let Some(problem) = &board.problem {
        spans.push(Span::styled(
            format!(" {problem} "),
            Style::new().fg(Color::Black).bg(Color::Yellow),
        ));
    }
    Paragraph::new(Line::from(spans))
}

fn render_latest(frame: &mut Frame, area: Rect, call: Option<&DeskView>) {
    let block = Block::new().borders(Borders::ALL).title(" 正在叫号 ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(call) = call else {
        frame.render_widget(
            Paragraph::new("请等候叫号").alignment(Alignment::Center),
            inner,
        );
        return;
    };
    let label = call.ticket_label.as_deref().unwrap_or_default();
    let (_, number) = split_label(label);
    let loud = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
    let mut lines = vec![Line::from(vec![
        Span::raw("请 "),
        Span::styled(label.to_string(), loud),
        Span::raw(" 号 到 "),
        Span::styled(call.desk.clone(), loud),
        Span::raw(" 办理"),
    ])];
    match big::big_digits(number) {
        Some(rows) if big::width(number) <= usize::from(inner.width) => {
            lines.extend(rows.into_iter().map(|r| Line::styled(r, loud)));
        }
        _ => lines.push(Line::styled(label.to_string(), loud)),
    }
    frame.render_widget(Paragraph::new(lines).alignment(Alignment::Center), inner);
}

fn render_others(frame: &mut Frame, area: Rect, calls: &[&DeskView]) {
    let lines: Vec<Line> = calls
        .iter()
        .map(|d| {
            Line::from(vec![
                Span::styled(
                    format!(" {} ", d.ticket_label.as_deref().unwrap_or_default()),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                Span::raw(" → "),
                Span::styled(d.desk.clone(), Style::new().fg(Color::Green)),
            ])
        })
        .collect();
    let lines = if lines.is_empty() {
        vec![Line::from(" 暂无其他窗口在接待")]
    } else {
        lines
    };
    frame.render_widget(
        Paragraph::new(lines).block(Block::new().borders(Borders::ALL).title(" 其他窗口 ")),
        area,
    );
}

/// `人社 等候 3 人` for every department, packed into lines of `width` columns.
fn department_lines(board: &Board, width: u16) -> Vec<Line<'static>> {
    let Some(queue) = &board.queue else {
        return vec![Line::from(" 正在读取排队情况……")];
    };
    const CELL: usize = 18;
    let per_line = (usize::from(width) / CELL).max(1);
    queue
        .departments
        .chunks(per_line)
        .map(|chunk| {
            Line::from(
                chunk
                    .iter()
                    .flat_map(|d| {
                        let n = d.waiting.len();
                        let name = d.department.ticket_prefix.clone();
                        let count = format!("{n:>3} 人");
                        let pad = CELL.saturating_sub(
                            unicode_width::UnicodeWidthStr::width(name.as_str()) + count.len() + 2,
                        );
                        let style = if n > 0 {
                            Style::new().add_modifier(Modifier::BOLD)
                        } else {
                            Style::new().fg(Color::DarkGray)
                        };
                        [
                            Span::raw(" "),
                            Span::styled(name, style),
                            Span::styled(count, style),
                            Span::raw(" ".repeat(pad + 1)),
                        ]
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::HallConfig;
    use crate::domain::department::DeptCode;
    use crate::domain::time::Timestamp;
    use crate::hall::{DeptQueue, QueueEntry};
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;

    fn entry(ticket: u64, label: &str) -> QueueEntry {
        QueueEntry {
            ticket,
            label: label.into(),
            issued: Timestamp(1_800_000_000),
            headcount: 1,
            group: false,
            earlier_visits: 0,
            key_grade: None,
            skipped: 0,
            name_masked: "张*".into(),
            tier: None,
            lead: None,
        }
    }

    fn desk(desk: &str, dept: &str, label: Option<&str>, since: i64) -> DeskView {
        DeskView {
            desk: desk.into(),
            officer: "someone".into(),
            department: DeptCode::new(dept),
            ticket_label: label.map(str::to_string),
            name_masked: Some("李*".into()),
            since: Timestamp(1_800_000_000 + since),
        }
    }

    fn board() -> Board {
        let departments = HallConfig::embedded()
            .departments
            .into_iter()
            .map(|d| {
                let waiting = match d.code.as_str() {
                    "rs" => vec![entry(8, "人社-008"), entry(9, "人社-009")],
                    "zj" => vec![entry(3, "住建-003")],
                    _ => vec![],
                };
                DeptQueue {
                    department: d,
                    waiting,
                }
            })
            .collect();
        Board {
            hall_name: "某区联合接访中心".into(),
            queue: Some(QueueView {
                now: Timestamp(1_800_000_100),
                departments,
                desks: vec![
                    desk("人社-1号窗口", "rs", Some("人社-006"), 10),
                    desk("人社-2号窗口", "rs", Some("人社-007"), 50),
                    desk("住建-1号窗口", "zj", None, 5),
                    desk("公安-1号窗口", "ga", Some("公安-002"), 20),
                ],
            }),
            online: true,
            problem: None,
        }
    }

    fn render(board: &Board, w: u16, h: u16) -> TestBackend {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| view(board, f)).unwrap();
        terminal.backend().clone()
    }

    #[test]
    fn board_at_120x40() {
        insta::assert_snapshot!(render(&board(), 120, 40));
    }

    #[test]
    fn board_at_80x24() {
        insta::assert_snapshot!(render(&board(), 80, 24));
    }

    #[test]
    fn board_offline_and_empty() {
        let mut b = Board::new("某区联合接访中心".into());
        b.online = false;
        insta::assert_snapshot!(render(&b, 80, 24));
    }

    #[test]
    fn latest_call_first_and_idle_desks_hidden() {
        let b = board();
        let labels: Vec<_> = b
            .calls()
            .iter()
            .map(|d| d.ticket_label.clone().unwrap())
            .collect();
        assert_eq!(labels, ["人社-007", "公安-002", "人社-006"]);
        assert_eq!(split_label("人社-007"), ("人社-", "007"));
        assert_eq!(split_label("A12"), ("", "A12"));
    }
}
