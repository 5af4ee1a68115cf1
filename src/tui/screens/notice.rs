//! The notice preview of an opened matter (告知书): ←/→ picks the kind, the text scrolls,
//! F6 writes it to a text file for printing and tells the officer where.
//!
//! Self-contained: a screen that shows a matter owns one, hands it keys while it is open,
//! draws it instead of the matter, and passes it the `Slot::Notice` answers.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::domain::matter::{Matter, MatterId};
use crate::hall::{NoticeText, Query};
use crate::notice::{check_applies, save, NoticeKind};
use crate::tui::component::{hint, is_submit, Component, Consumed, Ctx, KeyHint};
use crate::tui::jobs::Slot;
use crate::tui::widgets::scroll::{clamp_scroll, page_scroll};

/// What the preview shows for the chosen kind.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Preview {
    Loading,
    Text(NoticeText),
    /// The hall's reason the kind does not apply (or may not be printed).
    Refused(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Open {
    matter: MatterId,
    number: String,
    kind: NoticeKind,
    preview: Preview,
    scroll: u16,
}

#[derive(Default)]
pub struct NoticePanel {
    open: Option<Open>,
}

/// Kinds by the step they tell about, latest first: the preview opens on the first the
/// matter has reached.
const LATEST_FIRST: [NoticeKind; 5] = [
    NoticeKind::Reply,
    NoticeKind::Extend,
    NoticeKind::Accept,
    NoticeKind::Refuse,
    NoticeKind::Route,
];

impl NoticePanel {
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// Opens the preview of `matter` on the latest notice its state calls for.
    pub fn open(&mut self, matter: &Matter, ctx: &mut Ctx) {
        let kind = LATEST_FIRST
            .into_iter()
            .find(|k| check_applies(*k, matter).is_ok())
            .unwrap_or(NoticeKind::Accept);
        self.open = Some(Open {
            matter: matter.id,
            number: matter.number.clone(),
            kind,
            preview: Preview::Loading,
            scroll: 0,
        });
        self.ask(ctx);
    }

    pub fn close(&mut self, ctx: &mut Ctx) {
        ctx.outbox.cancel(Slot::Notice);
        self.open = None;
    }

    fn ask(&self, ctx: &mut Ctx) {
        if let Some(o) = &self.open {
            let query = Query::Notice {
                matter: o.matter,
                kind: o.kind,
            };
            ctx.query(Slot::Notice, query);
        }
    }

    /// The hall's answer for `Slot::Notice`; true when the screen changed.
    pub fn arrived(&mut self, notice: NoticeText) -> bool {
        self.show(Preview::Text(notice))
    }

    /// The hall refused the notice: the reason is shown in the preview.
    pub fn refused(&mut self, message: String) -> bool {
        self.show(Preview::Refused(message))
    }

    fn show(&mut self, preview: Preview) -> bool {
        match &mut self.open {
            Some(o) if o.preview != preview => {
                o.preview = preview;
                true
            }
            _ => false,
        }
    }

    fn choose(&mut self, right: bool, ctx: &mut Ctx) {
        let Some(o) = &mut self.open else {
            return;
        };
        let all = NoticeKind::ALL;
        let at = all.iter().position(|k| *k == o.kind).unwrap_or(0);
        let next = if right {
            (at + 1) % all.len()
        } else {
            (at + all.len() - 1) % all.len()
        };
        o.kind = all[next];
        o.preview = Preview::Loading;
        o.scroll = 0;
        self.ask(ctx);
    }

    fn text(&self) -> Option<&NoticeText> {
        match self.open.as_ref().map(|o| &o.preview) {
            Some(Preview::Text(n)) => Some(n),
            _ => None,
        }
    }

    fn write(&self, ctx: &mut Ctx) {
        let Some(notice) = self.text() else {
            return;
        };
        match save(&ctx.notice_dir, notice) {
            Ok(path) => ctx.info_notice(format!(
                "{}已保存为 {}，可打印",
                notice.kind.label(),
                path.display()
            )),
            Err(e) => ctx.error(e.to_string()),
        }
    }
}

impl Component for NoticePanel {
    fn event(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Consumed {
        let Some(o) = &mut self.open else {
            return Consumed::No;
        };
        match key.code {
            KeyCode::Left | KeyCode::Right => self.choose(key.code == KeyCode::Right, ctx),
            KeyCode::Down => o.scroll = o.scroll.saturating_add(1),
            KeyCode::Up => o.scroll = o.scroll.saturating_sub(1),
            KeyCode::PageDown | KeyCode::PageUp => {
                page_scroll(&mut o.scroll, key.code == KeyCode::PageDown)
            }
            KeyCode::Esc => self.close(ctx),
            _ if is_submit(&key) => self.write(ctx),
            _ => return Consumed::No,
        }
        Consumed::Yes
    }

    fn commands(&self) -> Vec<KeyHint> {
        vec![
            hint("F6", "保存为文件").when(self.text().is_some()),
            hint("←→", "换一种告知书"),
            hint("PgDn", "翻页"),
            hint("↑↓", "滚动").quiet(),
            hint("Esc", "返回事项"),
        ]
    }

    fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let Some(o) = &self.open else {
            return;
        };
        let t = &ctx.theme;
        let title = format!(" 告知书 · 事项 {} ", o.number);
        let block = t.block(&title);
        let inner = block.inner(area);
        f.render_widget(block, area);
        let [kinds_row, rule_row, body] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(inner);
        // Brackets as well as colour: the choice must show on a monochrome console.
        let kinds: Vec<Span> = NoticeKind::ALL
            .into_iter()
            .map(|k| {
                if k == o.kind {
                    Span::styled(format!("〔{}〕", k.label()), t.selected())
                } else {
                    Span::styled(format!(" {} ", k.label()), t.dim())
                }
            })
            .collect();
        f.render_widget(Paragraph::new(Line::from(kinds)), kinds_row);
        f.render_widget(
            Paragraph::new(t.rule().repeat(usize::from(rule_row.width))).style(t.dim()),
            rule_row,
        );
        let (lines, style) = match &o.preview {
            Preview::Loading => (vec![Line::raw("正在生成告知书…")], t.dim()),
            Preview::Refused(why) => (vec![Line::raw(why.clone())], t.error()),
            Preview::Text(n) => (
                n.text.lines().map(|l| Line::raw(l.to_string())).collect(),
                t.text(),
            ),
        };
        let scroll = clamp_scroll(o.scroll, lines.len());
        f.render_widget(
            Paragraph::new(lines)
                .style(style)
                .wrap(Wrap { trim: false })
                .scroll((scroll, 0)),
            body,
        );
    }
}
