//! An opened matter, as the lookup (F3) and the deadlines screen (F12) show it: the
//! detail (PgDn/PgUp) and what an officer does with it — the action panel (Ctrl-A),
//! the evaluation form (F8) and the notice preview (F9). One component, so that a
//! matter opened from either screen offers the same.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::Frame;

use super::actions::MatterActions;
use super::evaluation::{self, EvaluationForm};
use super::notice::NoticePanel;
use super::records::draw_matter_detail;
use crate::domain::matter::MatterId;
use crate::hall::{MatterDetail, NoticeText, Query};
use crate::tui::component::{hint, Component, Consumed, Ctx, KeyHint};
use crate::tui::jobs::Slot;
use crate::tui::widgets::scroll::page_scroll;

pub struct MatterPage {
    /// The slot the matter is read through: each screen has its own.
    slot: Slot,
    matter: Option<MatterDetail>,
    /// PgDn/PgUp offset of the detail.
    scroll: u16,
    notices: NoticePanel,
    evaluation: Option<EvaluationForm>,
    actions: MatterActions,
}

impl MatterPage {
    pub fn new(slot: Slot) -> MatterPage {
        MatterPage {
            slot,
            matter: None,
            scroll: 0,
            notices: NoticePanel::default(),
            evaluation: None,
            actions: MatterActions::default(),
        }
    }

    /// Asks for matter `id`; the last one stays on screen until it arrives only
    /// if it is the same matter.
    pub fn open(&mut self, id: MatterId, ctx: &mut Ctx) {
        if self.id() != Some(id) {
            self.matter = None;
        }
        self.evaluation = None;
        self.scroll = 0;
        self.actions.close();
        ctx.query(self.slot, Query::Matter(id));
    }

    /// The officer leaves the page: its read is no longer wanted.
    pub fn leave(&mut self, ctx: &mut Ctx) {
        ctx.outbox.cancel(self.slot);
        self.actions.close();
    }

    pub fn id(&self) -> Option<MatterId> {
        self.matter.as_ref().map(|d| d.matter.id)
    }

    pub fn arrived(&mut self, m: MatterDetail) -> bool {
        if self.matter.as_ref() == Some(&m) {
            return false;
        }
        self.matter = Some(m);
        true
    }

    /// Reads the matter again, after a change in the hall.
    pub fn reload(&self, ctx: &mut Ctx) {
        if let Some(id) = self.id() {
            ctx.query(self.slot, Query::Matter(id));
        }
    }

    pub fn evaluation(&self) -> Option<&EvaluationForm> {
        self.evaluation.as_ref()
    }

    /// The hall recorded the evaluation: the form closes and the matter is read again.
    pub fn evaluated(&mut self, ctx: &mut Ctx) {
        if self.evaluation.take().is_some() {
            ctx.info_notice("评价已记录");
            self.reload(ctx);
        }
    }

    /// The hall refused the evaluation: the reason shows in the form.
    pub fn evaluation_refused(&mut self, message: String) {
        if let Some(form) = &mut self.evaluation {
            form.refused(message);
        }
    }

    /// The hall recorded an action taken from the panel.
    pub fn action_done(&mut self, ctx: &mut Ctx) {
        self.actions.done(ctx);
        self.reload(ctx);
    }

    pub fn action_refused(&mut self, message: String) {
        self.actions.refused(message);
    }

    pub fn notice_arrived(&mut self, notice: NoticeText) -> bool {
        self.notices.arrived(notice)
    }

    pub fn notice_refused(&mut self, message: String) -> bool {
        self.notices.refused(message)
    }

    /// Keys of the page; Esc is the screen's (back to where the matter was opened)
    /// unless a form or the panel takes it first.
    pub fn event(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Consumed {
        if self.notices.is_open() {
            return self.notices.event(key, ctx);
        }
        if let Some(form) = &mut self.evaluation {
            match (form.event(key, ctx), key.code) {
                (Consumed::Yes, _) => return Consumed::Yes,
                (Consumed::No, KeyCode::Esc) => {
                    ctx.outbox.cancel(Slot::Evaluate);
                    self.evaluation = None;
                    return Consumed::Yes;
                }
                (Consumed::No, _) => {}
            }
        }
        if self.actions.event(key, ctx, self.matter.as_ref()) == Consumed::Yes {
            return Consumed::Yes;
        }
        let Some(d) = &self.matter else {
            return Consumed::No;
        };
        match key.code {
            KeyCode::F(8) => self.evaluation = Some(EvaluationForm::new(&d.matter)),
            KeyCode::F(9) => self.notices.open(&d.matter, ctx),
            KeyCode::PageDown | KeyCode::PageUp => {
                page_scroll(&mut self.scroll, key.code == KeyCode::PageDown)
            }
            _ => return Consumed::No,
        }
        Consumed::Yes
    }

    /// The page's keys, ending with `back` (the screen's Esc) while nothing is open on it.
    pub fn commands(&self, back: KeyHint) -> Vec<KeyHint> {
        if self.notices.is_open() {
            return self.notices.commands();
        }
        if let Some(form) = &self.evaluation {
            return form.commands();
        }
        let mut keys = self.actions.commands(self.matter.as_ref());
        if !self.actions.is_open() {
            let opened = self.matter.is_some();
            keys.extend([
                hint("F8", "满意度评价").when(opened),
                hint("F9", "告知书").when(opened),
                back,
                hint("PgDn", "翻页"),
            ]);
        }
        keys
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        if self.notices.is_open() {
            return self.notices.draw(f, area, ctx);
        }
        let detail = match &self.evaluation {
            None => area,
            Some(form) => {
                let [detail, form_area] =
                    Layout::vertical([Constraint::Fill(1), Constraint::Length(evaluation::HEIGHT)])
                        .areas(area);
                form.draw(f, form_area, ctx);
                detail
            }
        };
        draw_matter_detail(f, detail, self.matter.as_ref(), self.scroll, ctx);
        self.actions.draw(f, area, ctx, self.matter.as_ref());
    }
}
