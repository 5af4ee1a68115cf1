//! The action panel of an opened matter (Ctrl-A): lists only what this officer may do to the
//! matter now — as the service says in `MatterDetail::actions` — and opens a small form for
//! the chosen one (see `catalog`). The service's refusal shows in the form; on success the
//! screen reads the matter again.

pub mod catalog;

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use catalog::{spec, ActionSpec, FieldKind, Values};

use super::records::hall_today;
use crate::hall::{DeskAction, MatterDetail};
use crate::tui::component::{hint, is_back_tab, is_ctrl, is_submit, Consumed, Ctx, KeyHint};
use crate::tui::jobs::Slot;
use crate::tui::widgets::field::{Choice, TextBox, TextField};
use crate::tui::widgets::form::label_cell;
use crate::tui::widgets::open_popup;

/// Columns of a field's label.
const LABEL_COLS: u16 = 14;

/// The panel's state on a screen that opens matters.
#[derive(Default)]
pub struct MatterActions {
    open: bool,
    selected: usize,
    form: Option<ActionForm>,
}

enum Widget {
    Line(TextField),
    /// Boxed: a text area is several times the size of the other fields.
    Long(Box<TextBox>),
    Pick(Choice),
}

struct ActionForm {
    action: DeskAction,
    spec: &'static ActionSpec,
    widgets: Vec<Widget>,
    focus: usize,
    error: Option<String>,
}

impl ActionForm {
    fn new(action: DeskAction, ctx: &Ctx) -> ActionForm {
        let spec = spec(action);
        let widgets = spec
            .fields
            .iter()
            .map(|f| match f.kind {
                FieldKind::Long { .. } => Widget::Long(Box::default()),
                FieldKind::Pick(options) => Widget::Pick(Choice::new(options(ctx))),
                FieldKind::Date { today: true } => {
                    let mut field = TextField::default();
                    field.set(&hall_today(ctx).to_string());
                    Widget::Line(field)
                }
                _ => Widget::Line(TextField::default()),
            })
            .collect();
        ActionForm {
            action,
            spec,
            widgets,
            focus: 0,
            error: None,
        }
    }

    fn values(&self) -> Values {
        let mut values = Values {
            texts: Vec::new(),
            picks: Vec::new(),
        };
        for w in &self.widgets {
            let (text, pick) = match w {
                Widget::Line(f) => (f.value().to_string(), 0),
                Widget::Long(b) => (b.value(), 0),
                Widget::Pick(c) => (c.label().to_string(), c.index()),
            };
            values.texts.push(text);
            values.picks.push(pick);
        }
        values
    }

    /// The first required field left empty, named for the officer.
    fn missing(&self) -> Option<(usize, &'static str)> {
        let values = self.values();
        self.spec
            .fields
            .iter()
            .enumerate()
            .find(|(i, f)| f.kind.required() && values.texts[*i].trim().is_empty())
            .map(|(i, f)| (i, f.label))
    }

    fn move_focus(&mut self, forward: bool) {
        let n = self.widgets.len();
        if n > 0 {
            self.focus = if forward {
                (self.focus + 1) % n
            } else {
                (self.focus + n - 1) % n
            };
        }
    }

    fn in_long_text(&self) -> bool {
        matches!(self.widgets.get(self.focus), Some(Widget::Long(_)))
    }

    fn edit(&mut self, key: KeyEvent) -> Option<bool> {
        match self.widgets.get_mut(self.focus)? {
            Widget::Line(f) => f.handle(key),
            Widget::Long(b) => b.handle(key),
            Widget::Pick(c) => c.handle(key),
        }
    }
}

impl MatterActions {
    pub fn is_open(&self) -> bool {
        self.open
    }

    pub fn close(&mut self) {
        *self = MatterActions::default();
    }

    /// Keys while a matter is shown: Ctrl-A opens the panel; inside it, everything.
    pub fn event(
        &mut self,
        key: KeyEvent,
        ctx: &mut Ctx,
        matter: Option<&MatterDetail>,
    ) -> Consumed {
        let Some(m) = matter else {
            return Consumed::No;
        };
        if !self.open {
            if !is_ctrl(&key, 'a') {
                return Consumed::No;
            }
            if m.actions.is_empty() {
                ctx.info_notice("您对该事项目前没有可以办理的操作");
            } else {
                self.open = true;
                self.selected = 0;
            }
            return Consumed::Yes;
        }
        if self.form.is_some() {
            self.form_event(key, ctx, m);
            return Consumed::Yes;
        }
        // The matter may have been read again with fewer actions meanwhile.
        self.selected = self.selected.min(m.actions.len().saturating_sub(1));
        match key.code {
            KeyCode::Esc => self.close(),
            KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down => {
                self.selected = (self.selected + 1).min(m.actions.len().saturating_sub(1))
            }
            KeyCode::Enter => {
                if let Some(a) = m.actions.get(self.selected) {
                    self.form = Some(ActionForm::new(*a, ctx));
                }
            }
            // Keys of the screen below (F-keys) go on; others are swallowed by the panel.
            KeyCode::F(_) => return Consumed::No,
            _ => {}
        }
        Consumed::Yes
    }

    fn form_event(&mut self, key: KeyEvent, ctx: &mut Ctx, m: &MatterDetail) {
        let Some(form) = &mut self.form else {
            return;
        };
        if is_submit(&key) {
            if ctx.outbox.is_waiting(Slot::MatterAction) {
                return;
            }
            if let Some((i, label)) = form.missing() {
                form.focus = i;
                form.error = Some(format!("请填写{label}"));
                return;
            }
            match (form.spec.build)(form.action, m.matter.id, &form.values(), ctx) {
                Ok(command) => {
                    form.error = None;
                    ctx.command(Slot::MatterAction, command);
                }
                Err(e) => form.error = Some(e),
            }
            return;
        }
        match key.code {
            KeyCode::Esc => {
                ctx.outbox.cancel(Slot::MatterAction);
                self.form = None;
            }
            _ if is_back_tab(&key) => form.move_focus(false),
            KeyCode::Tab => form.move_focus(true),
            KeyCode::Enter | KeyCode::Down if !form.in_long_text() => form.move_focus(true),
            KeyCode::Up if !form.in_long_text() => form.move_focus(false),
            _ => {
                if form.edit(key) == Some(true) {
                    form.error = None;
                }
            }
        }
    }

    /// The hall recorded the action: back to the matter, which the screen reads again.
    pub fn done(&mut self, ctx: &mut Ctx) {
        if let Some(form) = &self.form {
            ctx.info_notice(format!("已办理：{}", form.action.label()));
        }
        self.close();
    }

    /// The hall refused: the reason shows in the form, which keeps what was typed.
    pub fn refused(&mut self, message: String) {
        if let Some(form) = &mut self.form {
            form.error = Some(message);
        }
    }

    pub fn commands(&self, matter: Option<&MatterDetail>) -> Vec<KeyHint> {
        if self.form.is_some() {
            return vec![
                hint("F6", "提交"),
                hint("Tab", "下一项"),
                hint("Esc", "返回操作列表"),
            ];
        }
        if self.open {
            return vec![
                hint("Enter", "办理"),
                hint("↑↓", "选择"),
                hint("Esc", "关闭"),
            ];
        }
        let any = matter.is_some_and(|m| !m.actions.is_empty());
        vec![hint("Ctrl-A", "办理").when(any)]
    }

    /// The panel or the form over the lower part of `area`.
    pub fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx, matter: Option<&MatterDetail>) {
        let Some(m) = matter.filter(|_| self.open) else {
            return;
        };
        match &self.form {
            Some(form) => draw_form(f, area, ctx, form, m),
            None => self.draw_list(f, area, ctx, m),
        }
    }

    fn draw_list(&self, f: &mut Frame, area: Rect, ctx: &Ctx, m: &MatterDetail) {
        let t = &ctx.theme;
        let height = m.actions.len() as u16 + 2;
        let popup = open_popup(f, area, 40, height);
        let title = format!(" 办理 {} ", m.matter.number);
        let block = t.block(&title);
        let inner = block.inner(popup);
        f.render_widget(block, popup);
        let lines: Vec<Line> = m
            .actions
            .iter()
            .enumerate()
            .map(|(i, a)| {
                if i == self.selected {
                    Line::raw(format!(">{}", a.label())).style(t.selected())
                } else {
                    Line::raw(format!(" {}", a.label()))
                }
            })
            .collect();
        let top = self
            .selected
            .saturating_sub(usize::from(inner.height).saturating_sub(1));
        f.render_widget(Paragraph::new(lines).scroll((top as u16, 0)), inner);
    }
}

fn draw_form(f: &mut Frame, area: Rect, ctx: &Ctx, form: &ActionForm, m: &MatterDetail) {
    let t = &ctx.theme;
    let long = form
        .widgets
        .iter()
        .filter(|w| matches!(w, Widget::Long(_)))
        .count() as u16;
    // One row a field, three for a long text, two for the message (a refusal wraps).
    let rows = form.widgets.len() as u16 + 2 * long + 2;
    let popup = open_popup(f, area, 72, rows + 2);
    let title = format!(" {} · 事项 {} ", form.action.label(), m.matter.number);
    let block = t.block(&title);
    let inner = block.inner(popup);
    f.render_widget(block, popup);
    let bottom = inner.y + inner.height;
    let mut y = inner.y;
    for (i, (w, spec)) in form.widgets.iter().zip(form.spec.fields).enumerate() {
        if y >= bottom.saturating_sub(2) {
            break;
        }
        let focused = i == form.focus;
        let label = if spec.kind.required() && !matches!(spec.kind, FieldKind::Pick(_)) {
            format!("{}*", spec.label)
        } else {
            spec.label.to_string()
        };
        let height = match w {
            Widget::Long(_) => 3.min(bottom.saturating_sub(y + 2)).max(1),
            _ => 1,
        };
        let row = Rect { y, height, ..inner };
        let rest = label_cell(f, row, &label, LABEL_COLS, focused, t);
        let style = t.input_for(focused);
        match w {
            Widget::Line(field) => field.render(f, rest, style, focused),
            Widget::Long(text) => text.render(f, rest, style, focused),
            Widget::Pick(choice) => choice.render(f, rest, style, focused),
        }
        y += height;
    }
    let last = Rect {
        y: bottom.saturating_sub(2).max(inner.y),
        height: 2.min(inner.height),
        ..inner
    };
    let message = match &form.error {
        Some(e) => Span::styled(e.clone(), t.error()),
        None if form.widgets.is_empty() => {
            Span::styled(format!("按 F6 确认{}", form.action.label()), t.dim())
        }
        None => Span::styled("F6 提交  Esc 返回", t.dim()),
    };
    f.render_widget(
        Paragraph::new(message).wrap(ratatui::widgets::Wrap { trim: false }),
        last,
    );
}
