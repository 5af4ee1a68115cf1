//! The F1 overlay: every key of the current screen, then the global keys.

use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::tui::component::{Ctx, KeyHint};
use crate::tui::widgets::open_popup;
use crate::tui::widgets::text::{self, fit};

/// Draws the help over `area`; returns where the caret goes (after the closing
/// hint: the field underneath is hidden).
pub fn draw_help(
    f: &mut Frame,
    area: Rect,
    screen: &str,
    local: &[KeyHint],
    global: &[KeyHint],
    ctx: &Ctx,
) -> Position {
    let t = &ctx.theme;
    let rows = (local.len() + global.len() + 5) as u16;
    let popup = open_popup(f, area, 52, rows);
    let title = format!(" 帮助：{screen} ");
    let block = t.block(&title);
    let inner = block.inner(popup);
    f.render_widget(block, popup);
    let line = |h: &KeyHint| {
        if h.enabled {
            Line::from(vec![
                Span::styled(format!("  {}", fit(h.key, 12)), t.strong()),
                Span::raw(h.label),
            ])
        } else {
            Line::styled(
                format!("  {}{}（现在不可用）", fit(h.key, 12), h.label),
                t.dim(),
            )
        }
    };
    let mut lines = vec![Line::styled("本屏按键", t.title())];
    lines.extend(local.iter().map(line));
    lines.push(Line::styled("全局按键", t.title()));
    lines.extend(global.iter().map(line));
    const CLOSE: &str = "按 Esc 或 F1 关闭帮助";
    lines.push(Line::styled(CLOSE, t.dim()));
    let close_row = (lines.len() as u16 - 1).min(inner.height.saturating_sub(1));
    f.render_widget(Paragraph::new(lines), inner);
    Position::new(
        inner.x + (text::width(CLOSE) as u16).min(inner.width.saturating_sub(1)),
        inner.y + close_row,
    )
}
