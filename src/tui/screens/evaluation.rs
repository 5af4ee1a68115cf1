//! The evaluation form of an opened matter: the visitor's satisfaction with its latest written
//! answer, sending an unsatisfied answer to 第三方评价, and the third party's public vote and
//! opinion. It offers the one step the matter is ready for; the hall checks it again.
//!
//! Self-contained: a screen that shows a matter opens it with [`EvaluationForm::new`], forwards
//! keys while it is open (Esc is left to the screen, which closes it) and draws it under the
//! matter. It posts `Command::Evaluate` on [`Slot::Evaluate`] itself.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::evaluation::{Answer, EvaluationStep, Satisfaction, ThirdParty};
use crate::domain::matter::{Matter, MatterId};
use crate::domain::text::to_halfwidth;
use crate::hall::Command;
use crate::tui::component::{hint, is_back_tab, is_submit, Component, Consumed, Ctx, KeyHint};
use crate::tui::jobs::Slot;
use crate::tui::widgets::field::{Choice, TextField};
use crate::tui::widgets::form::label_cell;

/// Rows the form needs, borders included.
pub const HEIGHT: u16 = 7;

/// The step the matter is ready for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Satisfaction with this answer.
    Record(Answer),
    /// The last evaluation is 不满意 and not yet sent.
    Send,
    /// Sent to the third party; its result is awaited.
    ThirdParty,
    /// Nothing to record: why.
    Closed(String),
}

impl Mode {
    pub fn of(m: &Matter) -> Mode {
        let last = m.evaluations.last();
        match Answer::latest(&m.status) {
            None => {
                return Mode::Closed(format!(
                    "事项“{}”，还没有书面答复：办结答复（或复查、复核答复）后才能评价",
                    m.status.label()
                ))
            }
            Some(a) if !m.evaluations.iter().any(|e| e.answer == a) => return Mode::Record(a),
            Some(_) => {}
        }
        match last.map(|e| (e.satisfaction, &e.third_party)) {
            Some((Satisfaction::Unsatisfied, None)) => Mode::Send,
            Some((_, Some(ThirdParty { result: None, .. }))) => Mode::ThirdParty,
            _ => Mode::Closed(format!(
                "{}，没有待记录的评价",
                m.evaluation_label().unwrap_or_default()
            )),
        }
    }
}

pub struct EvaluationForm {
    matter: MatterId,
    number: String,
    mode: Mode,
    satisfaction: Choice,
    /// The remark (评价说明), the reason for sending, or the third party's opinion.
    text: TextField,
    satisfied: TextField,
    unsatisfied: TextField,
    focus: usize,
    error: Option<String>,
}

impl EvaluationForm {
    pub fn new(m: &Matter) -> EvaluationForm {
        EvaluationForm {
            matter: m.id,
            number: m.number.clone(),
            mode: Mode::of(m),
            satisfaction: Choice::new(Satisfaction::ALL.iter().map(|s| s.label().into()).collect()),
            text: TextField::default(),
            satisfied: TextField::default(),
            unsatisfied: TextField::default(),
            focus: 0,
            error: None,
        }
    }

    pub fn matter(&self) -> MatterId {
        self.matter
    }

    pub fn mode(&self) -> &Mode {
        &self.mode
    }

    /// The hall refused the step: its words show in the form.
    pub fn refused(&mut self, message: String) {
        self.error = Some(message);
    }

    /// Labels of the rows, in focus order.
    fn rows(&self) -> &'static [&'static str] {
        match self.mode {
            Mode::Record(_) => &["满意度", "评价说明"],
            Mode::Send => &["送评理由*"],
            Mode::ThirdParty => &["满意票数*", "不满意票数*", "评价意见*"],
            Mode::Closed(_) => &[],
        }
    }

    fn votes(field: &TextField, label: &str) -> Result<u32, String> {
        let text = to_halfwidth(field.value().trim());
        text.parse::<u32>()
            .map_err(|_| format!("{label}请填写 0 或正整数"))
    }

    /// The step to send, or the reason it cannot be sent yet.
    pub fn step(&self) -> Result<EvaluationStep, String> {
        let text = self.text.value().to_string();
        match &self.mode {
            Mode::Record(_) => Ok(EvaluationStep::Record {
                satisfaction: Satisfaction::ALL[self.satisfaction.index()],
                note: text,
            }),
            Mode::Send if text.trim().is_empty() => Err("请填写送第三方评价的理由".into()),
            Mode::Send => Ok(EvaluationStep::SendToThirdParty { reason: text }),
            Mode::ThirdParty => {
                let satisfied = Self::votes(&self.satisfied, "满意票数")?;
                let unsatisfied = Self::votes(&self.unsatisfied, "不满意票数")?;
                if text.trim().is_empty() {
                    return Err("请填写第三方评价意见".into());
                }
                Ok(EvaluationStep::RecordThirdParty {
                    satisfied,
                    unsatisfied,
                    opinion: text,
                })
            }
            Mode::Closed(why) => Err(why.clone()),
        }
    }

    fn submit(&mut self, ctx: &mut Ctx) {
        if ctx.outbox.is_waiting(Slot::Evaluate) {
            return;
        }
        match self.step() {
            Ok(step) => {
                self.error = None;
                ctx.command(
                    Slot::Evaluate,
                    Command::Evaluate {
                        matter: self.matter,
                        step,
                    },
                );
                ctx.info_notice("正在记录评价…");
            }
            Err(e) => self.error = Some(e),
        }
    }

    fn handle(&mut self, key: KeyEvent) -> Option<bool> {
        match (&self.mode, self.focus) {
            (Mode::Record(_), 0) => self.satisfaction.handle(key),
            (Mode::ThirdParty, 0) => self.satisfied.handle(key),
            (Mode::ThirdParty, 1) => self.unsatisfied.handle(key),
            (Mode::Closed(_), _) => None,
            _ => self.text.handle(key),
        }
    }

    fn move_focus(&mut self, forward: bool) {
        let n = self.rows().len().max(1);
        self.focus = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
    }
}

impl Component for EvaluationForm {
    fn event(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Consumed {
        if is_submit(&key) {
            self.submit(ctx);
            return Consumed::Yes;
        }
        match key.code {
            KeyCode::Esc => return Consumed::No,
            _ if is_back_tab(&key) => self.move_focus(false),
            KeyCode::Tab | KeyCode::Down | KeyCode::Enter => self.move_focus(true),
            KeyCode::Up => self.move_focus(false),
            _ => match self.handle(key) {
                Some(_) => self.error = None,
                None => return Consumed::No,
            },
        }
        Consumed::Yes
    }

    fn commands(&self) -> Vec<KeyHint> {
        let open = !matches!(self.mode, Mode::Closed(_));
        let choice = matches!(self.mode, Mode::Record(_)) && self.focus == 0;
        vec![
            hint("F6", "保存评价").when(open),
            hint("Tab", "下一项").when(self.rows().len() > 1),
            hint("←→", "选择").when(choice),
            hint("Esc", "关闭评价"),
            hint("Ctrl-S", "保存").quiet(),
        ]
    }

    fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let title = match &self.mode {
            Mode::Record(a) => format!(" 满意度评价 · {} · {} ", self.number, a.label()),
            Mode::Send => format!(" 送第三方评价 · {} ", self.number),
            Mode::ThirdParty => format!(" 第三方评价结果 · {} ", self.number),
            Mode::Closed(_) => format!(" 满意度评价 · {} ", self.number),
        };
        let block = t.block(&title);
        let inner = block.inner(area);
        f.render_widget(block, area);
        let row = |i: u16| Rect {
            y: inner.y + i,
            height: 1,
            ..inner
        };
        if let Mode::Closed(why) = &self.mode {
            f.render_widget(Paragraph::new(why.clone()).style(t.dim()), row(0));
            return;
        }
        for (i, label) in self.rows().iter().enumerate() {
            if i as u16 >= inner.height {
                break;
            }
            let focused = self.focus == i;
            let rest = label_cell(f, row(i as u16), label, 12, focused, t);
            let style = t.input_for(focused);
            let narrow = |w: u16| Rect {
                width: w.min(rest.width),
                ..rest
            };
            match (&self.mode, i) {
                (Mode::Record(_), 0) => {
                    self.satisfaction
                        .render(f, narrow(self.satisfaction.cols()), style, focused)
                }
                (Mode::ThirdParty, 0) => self.satisfied.render(f, narrow(8), style, focused),
                (Mode::ThirdParty, 1) => self.unsatisfied.render(f, narrow(8), style, focused),
                _ => self.text.render(f, rest, style, focused),
            }
        }
        let last = row(inner.height.saturating_sub(1));
        let line = match &self.error {
            Some(e) => Line::from(Span::styled(e.clone(), t.error())),
            None if self.mode == Mode::ThirdParty => Line::styled(
                "公开投票：满意票过半为满意，平票为不满意；结果作为本事项的最终评价",
                t.dim(),
            ),
            None => Line::default(),
        };
        f.render_widget(Paragraph::new(line), last);
    }
}
