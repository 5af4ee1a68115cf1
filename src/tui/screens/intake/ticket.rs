//! The issued ticket, drawn large over the form so it can be read out.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::display::big;
use crate::hall::Registered;
use crate::tui::component::Ctx;
use crate::tui::widgets::open_popup;
use crate::tui::widgets::text;

/// The issued ticket, large, over the form: the officer reads it out.
pub fn draw_ticket(f: &mut Frame, area: Rect, r: &Registered, ctx: &Ctx) {
    let t = &ctx.theme;
    // A visit on a 终结 matter: the warning is read out with the ticket.
    let extra = if r.warning.is_some() { 3 } else { 0 };
    let popup = open_popup(f, area, 56, 13 + extra);
    let block = t.block(" 已取号 ");
    let inner = block.inner(popup);
    f.render_widget(block, popup);
    let (prefix, number) = r
        .ticket_label
        .rsplit_once('-')
        .unwrap_or(("", r.ticket_label.as_str()));
    let mut lines = vec![Line::from(vec![
        Span::styled("请到 ", t.label()),
        Span::styled(ctx.dept_short(&r.department), t.strong()),
        Span::styled(" 等候叫号，号码：", t.label()),
        Span::styled(r.ticket_label.clone(), t.strong()),
    ])];
    lines.push(Line::raw(""));
    // The wall display's block digits; the Chinese prefix beside them in plain text.
    let room = usize::from(inner.width).saturating_sub(text::width(prefix) + 1);
    match big::big_digits(number).filter(|_| big::width(number) <= room) {
        Some(rows) => {
            for (i, row) in rows.into_iter().enumerate() {
                let head = if i == big::HEIGHT / 2 {
                    format!("{prefix} ")
                } else {
                    " ".repeat(text::width(prefix) + 1)
                };
                // Full blocks are ambiguous-width; an ASCII terminal gets '#'.
                let row = if t.ascii {
                    row.replace('█', "#")
                } else {
                    row
                };
                lines.push(Line::styled(format!("{head}{row}"), t.strong()));
            }
        }
        None => lines.push(Line::styled(r.ticket_label.clone(), t.strong())),
    }
    lines.push(Line::raw(""));
    let kind = match (&r.warning, r.repeat) {
        (Some(_), _) if r.pending_at_lower_level => "下级已受理，本级不予受理，登记为事项",
        (Some(_), _) => "不再受理，登记为事项",
        (None, true) => "重复访，追加到事项",
        (None, false) => "新立事项",
    };
    lines.push(Line::from(format!(
        "{kind} {}  前面还有 {} 号",
        r.matter_number, r.waiting_ahead
    )));
    if let Some(w) = &r.warning {
        lines.push(Line::styled(format!("！{w}"), t.warn()));
    }
    lines.push(Line::styled("按 Enter 登记下一位", t.dim()));
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
