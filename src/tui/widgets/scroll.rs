//! Paging through text longer than its box with PgDn / PgUp, and lists that
//! keep their selection in view.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Lines moved by one PgDn / PgUp.
pub const PAGE: u16 = 10;

/// Moves a scroll offset one page; the view clamps it to what there is.
pub fn page_scroll(scroll: &mut u16, down: bool) {
    *scroll = if down {
        scroll.saturating_add(PAGE)
    } else {
        scroll.saturating_sub(PAGE)
    };
}

/// The offset clamped so that the last line stays on screen.
pub fn clamp_scroll(scroll: u16, lines: usize) -> u16 {
    scroll.min(u16::try_from(lines.saturating_sub(1)).unwrap_or(u16::MAX))
}

/// A head line that stays, then rows that scroll to keep the selected one in
/// view; the selected row is marked `>` and drawn in `selected_style`. Without
/// a selection the rows are drawn as they are.
pub fn draw_pinned_list(
    f: &mut Frame,
    area: Rect,
    head: Line<'static>,
    rows: Vec<Line<'static>>,
    selected: Option<usize>,
    selected_style: Style,
) {
    let rows: Vec<Line> = match selected {
        None => rows,
        Some(sel) => rows
            .into_iter()
            .enumerate()
            .map(|(i, mut line)| {
                line.spans
                    .insert(0, Span::raw(if i == sel { ">" } else { " " }));
                if i == sel {
                    line.style(selected_style)
                } else {
                    line
                }
            })
            .collect(),
    };
    let room = usize::from(area.height.saturating_sub(1)).max(1);
    let top = selected.map_or(0, |sel| (sel + 1).saturating_sub(room));
    f.render_widget(Paragraph::new(head), area);
    f.render_widget(
        Paragraph::new(rows).scroll((u16::try_from(top).unwrap_or(0), 0)),
        Rect {
            y: area.y + 1,
            height: area.height.saturating_sub(1),
            ..area
        },
    );
}
