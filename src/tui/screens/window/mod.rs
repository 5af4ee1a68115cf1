//! A department's window (F4): its own queue, call next (F5), recall (F9),
//! skip (F8), the called visitor's history in every department and the matter
//! in front of the officer, and recording the outcome (F6); Ctrl-A acts on that
//! matter as from the lookup.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

mod outcome;

use self::outcome::{FormAction, OutcomeForm};
use super::actions::MatterActions;
use super::board::{flags_line, ticket_line};
use super::records::{card_lines, matter_brief_line, matter_lines, visit_line};
use crate::hall::{Command, MatterDetail, Query, Serving, VisitorProfile};
use crate::tui::component::{hint, Component, Consumed, Ctx, KeyHint};
use crate::tui::jobs::Slot;
use crate::tui::widgets::scroll::{clamp_scroll, page_scroll};
use crate::tui::widgets::text::width;

#[derive(Default)]
pub struct WindowScreen {
    serving: Option<Serving>,
    profile: Option<VisitorProfile>,
    matter: Option<MatterDetail>,
    outcome: Option<OutcomeForm>,
    /// PgDn/PgUp offset of the visitor's history.
    history_scroll: u16,
    /// Ctrl-A on the matter being served.
    actions: MatterActions,
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
            self.actions.close();
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

    /// The hall recorded an action taken from the panel: the records are read again.
    pub fn action_done(&mut self, ctx: &mut Ctx) {
        self.actions.done(ctx);
        self.load_records(ctx);
    }

    pub fn action_refused(&mut self, message: String) {
        self.actions.refused(message);
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
}

impl Component for WindowScreen {
    fn event(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Consumed {
        if let Some(form) = &mut self.outcome {
            match form.event(key) {
                FormAction::Submit if !ctx.outbox.is_waiting(Slot::Finish) => {
                    if let Some((outcome, note)) = form.checked() {
                        ctx.command(Slot::Finish, Command::Finish { outcome, note });
                    }
                }
                FormAction::Submit | FormAction::Handled => {}
                FormAction::Cancel => self.outcome = None,
                FormAction::Ignored => return Consumed::No,
            }
            return Consumed::Yes;
        }
        if self.serving.is_some()
            && self.actions.event(key, ctx, self.matter.as_ref()) == Consumed::Yes
        {
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
                self.actions.close();
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
        let matter = self.matter.as_ref().filter(|_| serving);
        if self.actions.is_open() {
            return self.actions.commands(matter);
        }
        let mut keys = vec![
            hint("F5", "叫下一位").when(!serving),
            hint("F6", "记录结果").when(serving),
            hint("F9", "重呼").when(serving),
            hint("F8", "过号").when(serving),
        ];
        keys.extend(self.actions.commands(matter));
        keys.push(hint("PgDn", "记录翻页").when(self.profile.is_some()));
        keys
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
                let mut lines = card_lines(p, ctx);
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
        let matter = self.matter.as_ref().filter(|_| self.serving.is_some());
        self.actions.draw(f, right, ctx, matter);
    }
}
