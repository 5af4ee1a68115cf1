//! The outcome form under the matter: which outcome, where to (转送/交办) or
//! which legal channel, and the note the outcome needs.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::department::DeptCode;
use crate::domain::matter::{LegalChannel, Outcome};
use crate::tui::component::{is_back_tab, is_submit, Ctx};
use crate::tui::widgets::field::{Choice, TextBox};
use crate::tui::widgets::form::label_cell;

/// What a key did to the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormAction {
    Submit,
    Cancel,
    Handled,
    Ignored,
}

const OUTCOMES: [&str; 6] = [
    "当场答复",
    "受理",
    "转送",
    "交办",
    "不予受理",
    "导入法定途径",
];

pub struct OutcomeForm {
    kind: Choice,
    target: Choice,
    targets: Vec<DeptCode>,
    channel: Choice,
    note: TextBox,
    /// 0 kind, 1 target or channel, 2 note.
    focus: usize,
    pub error: Option<String>,
}

impl OutcomeForm {
    pub fn new(ctx: &Ctx, current: Option<&DeptCode>) -> OutcomeForm {
        let targets: Vec<_> = ctx
            .info
            .departments
            .iter()
            .filter(|d| Some(&d.code) != current)
            .collect();
        OutcomeForm {
            kind: Choice::new(OUTCOMES.iter().map(|s| s.to_string()).collect()),
            target: Choice::new(targets.iter().map(|d| d.name.clone()).collect()),
            targets: targets.iter().map(|d| d.code.clone()).collect(),
            channel: Choice::new(LegalChannel::ALL.iter().map(|c| c.label().into()).collect()),
            note: TextBox::default(),
            focus: 0,
            error: None,
        }
    }

    fn has_second_row(&self) -> bool {
        matches!(self.kind.index(), 2 | 3 | 5)
    }

    fn outcome(&self) -> Option<Outcome> {
        let to = || self.targets.get(self.target.index()).cloned();
        Some(match self.kind.index() {
            0 => Outcome::AnsweredOnSpot,
            1 => Outcome::Accepted,
            2 => Outcome::Forwarded { to: to()? },
            3 => Outcome::Assigned { to: to()? },
            4 => Outcome::NotAccepted,
            _ => Outcome::LegalChannel(LegalChannel::ALL[self.channel.index()]),
        })
    }

    fn move_focus(&mut self, forward: bool) {
        let rows: &[usize] = if self.has_second_row() {
            &[0, 1, 2]
        } else {
            &[0, 2]
        };
        let pos = rows.iter().position(|r| *r == self.focus).unwrap_or(0);
        let n = rows.len();
        self.focus = rows[if forward {
            (pos + 1) % n
        } else {
            (pos + n - 1) % n
        }];
    }

    fn handle(&mut self, key: KeyEvent) -> Option<bool> {
        match self.focus {
            0 => self.kind.handle(key),
            1 if self.kind.index() == 5 => self.channel.handle(key),
            1 => self.target.handle(key),
            _ => self.note.handle(key),
        }
    }

    pub fn event(&mut self, key: KeyEvent) -> FormAction {
        if is_submit(&key) {
            return FormAction::Submit;
        }
        match key.code {
            KeyCode::Esc => return FormAction::Cancel,
            _ if is_back_tab(&key) => self.move_focus(false),
            KeyCode::Tab => self.move_focus(true),
            KeyCode::Enter if self.focus < 2 => self.move_focus(true),
            KeyCode::Up | KeyCode::Down if self.focus < 2 => {
                self.move_focus(key.code == KeyCode::Down)
            }
            _ => match self.handle(key) {
                Some(_) => self.error = None,
                None => return FormAction::Ignored,
            },
        }
        FormAction::Handled
    }

    /// The outcome and note to send; otherwise the reason shows in the form.
    pub fn checked(&mut self) -> Option<(Outcome, String)> {
        let Some(outcome) = self.outcome() else {
            self.error = Some("没有可转往的部门".into());
            return None;
        };
        let note = self.note.value();
        if outcome.needs_note() && note.trim().is_empty() {
            self.error = Some(format!("“{}”需要填写办理意见", outcome.label()));
            self.focus = 2;
            return None;
        }
        self.error = None;
        Some((outcome, note))
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let block = t.block(" 记录办理结果 ");
        let inner = block.inner(area);
        f.render_widget(block, area);
        let mut y = inner.y;
        let row = |y: u16| Rect {
            y,
            height: 1,
            ..inner
        };
        let style = |focused: bool| t.input_for(focused);
        let rest = label_cell(f, row(y), "办理结果", 10, self.focus == 0, t);
        self.kind.render(
            f,
            Rect {
                width: 18.min(rest.width),
                ..rest
            },
            style(self.focus == 0),
            self.focus == 0,
        );
        y += 1;
        if self.has_second_row() {
            let (label, choice) = if self.kind.index() == 5 {
                ("法定途径", &self.channel)
            } else {
                ("转往部门", &self.target)
            };
            let rest = label_cell(f, row(y), label, 10, self.focus == 1, t);
            choice.render(
                f,
                Rect {
                    width: 28.min(rest.width),
                    ..rest
                },
                style(self.focus == 1),
                self.focus == 1,
            );
            y += 1;
        }
        let needs = self.outcome().is_some_and(|o| o.needs_note());
        let label = if needs {
            "办理意见*"
        } else {
            "办理意见"
        };
        let error_rows = u16::from(self.error.is_some());
        let note_rows = (inner.y + inner.height)
            .saturating_sub(y + error_rows)
            .max(1);
        let rest = label_cell(f, row(y), label, 10, self.focus == 2, t);
        self.note.render(
            f,
            Rect {
                height: note_rows,
                ..rest
            },
            style(self.focus == 2),
            self.focus == 2,
        );
        if let Some(e) = &self.error {
            f.render_widget(
                Paragraph::new(Span::styled(e.clone(), t.error())),
                row(inner.y + inner.height - 1),
            );
        }
    }
}
