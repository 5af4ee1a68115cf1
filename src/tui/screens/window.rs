//! A department's window (F4): its own queue, call next (F5), recall (F9),
//! skip (F8), the called visitor's history in every department and the matter
//! in front of the officer, and recording the outcome (F6).

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::board::{flags_line, ticket_line};
use super::records::{card_lines, matter_brief_line, matter_lines, visit_line};
use crate::domain::department::DeptCode;
use crate::domain::matter::{LegalChannel, Outcome};
use crate::hall::{Command, MatterDetail, Query, Serving, VisitorProfile};
use crate::tui::component::{hint, is_back_tab, is_submit, Component, Consumed, Ctx, KeyHint};
use crate::tui::jobs::Slot;
use crate::tui::widgets::field::{Choice, TextBox};
use crate::tui::widgets::form::label_cell;
use crate::tui::widgets::scroll::{clamp_scroll, page_scroll};
use crate::tui::widgets::text::width;

const OUTCOMES: [&str; 6] = [
    "当场答复",
    "受理",
    "转送",
    "交办",
    "不予受理",
    "导入法定途径",
];

/// The outcome form under the matter: kind, where to (转送/交办) or which legal
/// channel, and the note the outcome needs.
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
    fn new(ctx: &Ctx, current: Option<&DeptCode>) -> OutcomeForm {
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

    fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
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
        let style = |focused: bool| {
            if focused {
                t.focused_input()
            } else {
                t.input()
            }
        };
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

#[derive(Default)]
pub struct WindowScreen {
    serving: Option<Serving>,
    profile: Option<VisitorProfile>,
    matter: Option<MatterDetail>,
    outcome: Option<OutcomeForm>,
    /// PgDn/PgUp offset of the visitor's history.
    history_scroll: u16,
}

impl WindowScreen {
    pub fn serving(&self) -> Option<&Serving> {
        self.serving.as_ref()
    }

    pub fn outcome_open(&self) -> bool {
        self.outcome.is_some()
    }

    /// Asks which ticket this desk serves (on opening the window).
    pub fn refresh(&self, ctx: &mut Ctx) {
        ctx.query(Slot::Desk, Query::MyDesk);
    }

    pub fn set_serving(&mut self, serving: Option<Serving>, ctx: &mut Ctx) -> bool {
        if serving == self.serving {
            return false;
        }
        let same_ticket =
            serving.as_ref().map(|s| s.ticket) == self.serving.as_ref().map(|s| s.ticket);
        if !same_ticket {
            self.history_scroll = 0;
            self.profile = None;
            self.matter = None;
            self.outcome = None;
        }
        self.serving = serving;
        self.load_records(ctx);
        true
    }

    pub fn load_records(&self, ctx: &mut Ctx) {
        match &self.serving {
            Some(s) => {
                ctx.query(
                    Slot::DeskProfile,
                    Query::Visitor {
                        id: s.visitor,
                        full_id: false,
                    },
                );
                ctx.query(Slot::DeskMatter, Query::Matter(s.matter));
            }
            None => {
                ctx.outbox.cancel(Slot::DeskProfile);
                ctx.outbox.cancel(Slot::DeskMatter);
            }
        }
    }

    pub fn shows_matter(&self, id: u64) -> bool {
        self.serving.as_ref().is_some_and(|s| s.matter == id)
    }

    pub fn profile_arrived(&mut self, p: VisitorProfile) -> bool {
        if self.serving.as_ref().map(|s| s.visitor) != Some(p.card.id)
            || self.profile.as_ref() == Some(&p)
        {
            return false;
        }
        self.profile = Some(p);
        true
    }

    pub fn matter_arrived(&mut self, m: MatterDetail) -> bool {
        if self.serving.as_ref().map(|s| s.matter) != Some(m.matter.id)
            || self.matter.as_ref() == Some(&m)
        {
            return false;
        }
        self.matter = Some(m);
        true
    }

    /// The hall accepted the outcome: the desk is free again.
    pub fn finished(&mut self, ctx: &mut Ctx) {
        let label = self
            .serving
            .as_ref()
            .map(|s| s.label.clone())
            .unwrap_or_default();
        self.set_serving(None, ctx);
        ctx.info_notice(format!("{label} 已记录办理结果。按 F5 叫下一位"));
    }

    /// The hall refused the outcome: the reason stays in the form.
    pub fn refused(&mut self, message: String) {
        if let Some(form) = &mut self.outcome {
            form.error = Some(message);
        }
    }

    /// The called visitor did not come: the ticket went back to the end of the queue.
    pub fn skipped(&mut self, ctx: &mut Ctx) {
        let label = self
            .serving
            .as_ref()
            .map(|s| s.label.clone())
            .unwrap_or_default();
        self.set_serving(None, ctx);
        ctx.info_notice(format!("{label} 已过号，回到队尾"));
    }

    fn submit(&mut self, ctx: &mut Ctx) {
        let Some(form) = &mut self.outcome else {
            return;
        };
        if ctx.outbox.is_waiting(Slot::Finish) {
            return;
        }
        let Some(outcome) = form.outcome() else {
            form.error = Some("没有可转往的部门".into());
            return;
        };
        let note = form.note.value();
        if outcome.needs_note() && note.trim().is_empty() {
            form.error = Some(format!("“{}”需要填写办理意见", outcome.label()));
            form.focus = 2;
            return;
        }
        form.error = None;
        ctx.command(Slot::Finish, Command::Finish { outcome, note });
    }
}

impl Component for WindowScreen {
    fn event(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Consumed {
        if let Some(form) = &mut self.outcome {
            if is_submit(&key) {
                self.submit(ctx);
                return Consumed::Yes;
            }
            match key.code {
                KeyCode::Esc => self.outcome = None,
                _ if is_back_tab(&key) => form.move_focus(false),
                KeyCode::Tab => form.move_focus(true),
                KeyCode::Enter if form.focus < 2 => form.move_focus(true),
                KeyCode::Up | KeyCode::Down if form.focus < 2 => {
                    form.move_focus(key.code == KeyCode::Down)
                }
                _ => {
                    return match form.handle(key) {
                        Some(_) => {
                            if form.focus == 0 && !form.has_second_row() {
                                form.error = None;
                            }
                            Consumed::Yes
                        }
                        None => Consumed::No,
                    }
                }
            }
            return Consumed::Yes;
        }
        let busy = ctx.outbox.is_waiting(Slot::DeskCommand);
        match key.code {
            // One call at a time: the answer to the first decides what the second means.
            KeyCode::F(5) | KeyCode::F(8) | KeyCode::F(9) if busy => {}
            KeyCode::F(5) => ctx.command(Slot::DeskCommand, Command::CallNext),
            KeyCode::F(9) if self.serving.is_some() => {
                ctx.command(Slot::DeskCommand, Command::Recall)
            }
            KeyCode::F(8) if self.serving.is_some() => {
                ctx.command(Slot::DeskCommand, Command::Skip)
            }
            KeyCode::F(6) if self.serving.is_some() => {
                let current = self.matter.as_ref().map(|m| m.matter.department.clone());
                self.outcome = Some(OutcomeForm::new(ctx, current.as_ref()));
            }
            KeyCode::PageDown | KeyCode::PageUp if self.profile.is_some() => {
                page_scroll(&mut self.history_scroll, key.code == KeyCode::PageDown)
            }
            KeyCode::F(9) | KeyCode::F(8) | KeyCode::F(6) => {
                ctx.error("本窗口现在没有接待中的来访人，请先按 F5 叫号")
            }
            _ => return Consumed::No,
        }
        Consumed::Yes
    }

    fn commands(&self) -> Vec<KeyHint> {
        if self.outcome.is_some() {
            return vec![
                hint("F6", "确认办结"),
                hint("Tab", "下一项"),
                hint("←→", "选择"),
                hint("Esc", "取消"),
                hint("Ctrl-S", "确认").quiet(),
            ];
        }
        let serving = self.serving.is_some();
        vec![
            hint("F5", "叫下一位").when(!serving),
            hint("F6", "记录结果").when(serving),
            hint("F9", "重呼").when(serving),
            hint("F8", "过号").when(serving),
            hint("PgDn", "记录翻页").when(self.profile.is_some()),
        ]
    }

    fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let Some(session) = &ctx.session else {
            return;
        };
        let dept = &session.officer.department;
        let own = ctx
            .queue
            .as_ref()
            .and_then(|q| q.departments.iter().find(|d| &d.department.code == dept));
        let queue_cols = if area.width >= 110 { 40 } else { 28 };
        let [left, right] =
            Layout::horizontal([Constraint::Length(queue_cols), Constraint::Fill(1)]).areas(area);

        // Left: this department's queue.
        let waiting = own.map_or(0, |d| d.waiting.len());
        let title = format!(" {} 等候 {} ", ctx.dept_short(dept), waiting);
        let block = t.block(&title);
        let inner = block.inner(left);
        f.render_widget(block, left);
        let mut lines = Vec::new();
        if let (Some(q), Some(d)) = (&ctx.queue, own) {
            let label_cols = d.waiting.iter().map(|e| width(&e.label)).max().unwrap_or(0);
            // A narrow column puts the flags under the ticket.
            let beside = queue_cols >= 40;
            for e in &d.waiting {
                lines.push(ticket_line(e, q, label_cols, beside, t));
                lines.extend(flags_line(e, t).filter(|_| !beside));
            }
        }
        if lines.is_empty() {
            lines.push(Line::styled("没有等候的来访人", t.dim()));
        }
        f.render_widget(Paragraph::new(lines), inner);

        // Right: whom we serve, the matter, the history; the outcome form below.
        let form_rows = if self.outcome.is_some() {
            if right.height >= 30 {
                10
            } else {
                7
            }
        } else {
            0
        };
        let [now_area, matter_area, history_area, form_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(3),
            Constraint::Fill(2),
            Constraint::Length(form_rows),
        ])
        .areas(right);
        let now_line = match &self.serving {
            Some(s) => Line::from(vec![
                Span::styled(format!(" {} ", session.desk), t.label()),
                Span::styled("正在接待 ", t.label()),
                Span::styled(s.label.clone(), t.strong()),
                Span::raw(format!(" {}人 {} 叫号", s.headcount, ctx.clock(s.called))),
            ]),
            None => Line::from(vec![
                Span::styled(format!(" {} ", session.desk), t.label()),
                Span::styled("空闲，按 F5 叫下一位", t.dim()),
            ]),
        };
        f.render_widget(Paragraph::new(now_line), now_area);

        let block = t.block(" 当前事项 ");
        let inner = block.inner(matter_area);
        f.render_widget(block, matter_area);
        let body = match (&self.serving, &self.matter) {
            (None, _) => vec![Line::styled("叫号后在这里显示来访人反映的事项。", t.dim())],
            (Some(_), None) => vec![Line::styled("正在读取事项…", t.dim())],
            (Some(_), Some(m)) => matter_lines(m, ctx),
        };
        f.render_widget(Paragraph::new(body).wrap(Wrap { trim: false }), inner);

        let block = t.block(" 来访人在各部门的记录 ");
        let inner = block.inner(history_area);
        f.render_widget(block, history_area);
        let body = match (&self.serving, &self.profile) {
            (None, _) => Vec::new(),
            (Some(_), None) => vec![Line::styled("正在读取来访记录…", t.dim())],
            (Some(_), Some(p)) => {
                let mut lines = card_lines(&p.card, ctx);
                lines.push(Line::styled(
                    format!("来访 {} 次：", p.visits.len()),
                    t.title(),
                ));
                lines.extend(p.visits.iter().map(|v| visit_line(v, ctx)));
                lines.push(Line::styled(
                    format!("事项 {} 件：", p.matters.len()),
                    t.title(),
                ));
                lines.extend(p.matters.iter().map(|m| matter_brief_line(m, ctx)));
                lines
            }
        };
        let scroll = clamp_scroll(self.history_scroll, body.len());
        f.render_widget(Paragraph::new(body).scroll((scroll, 0)), inner);
        if let Some(form) = &self.outcome {
            form.draw(f, form_area, ctx);
        }
    }
}
