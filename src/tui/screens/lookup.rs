//! Lookup (F3): one box for identity number, phone, name, pinyin initials or
//! matter number, results per keystroke; Enter opens the visitor's profile
//! (full identity, timeline) and from there any matter.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::matter_page::MatterPage;
use super::records::{card_lines, matter_brief_line, tier_marker, tier_style, visit_line};
use crate::hall::{Action, LookupHit, Query, VisitorProfile};
use crate::tui::component::{hint, Component, Consumed, Ctx, KeyHint};
use crate::tui::jobs::Slot;
use crate::tui::widgets::field::TextField;
use crate::tui::widgets::form::label_cell;
use crate::tui::widgets::scroll::{clamp_scroll, draw_pinned_list, page_scroll};
use crate::tui::widgets::text::fit;

const LIMIT: usize = 50;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Page {
    #[default]
    Search,
    Profile,
    Matter,
}

pub struct LookupScreen {
    text: TextField,
    searched: String,
    hits: Vec<LookupHit>,
    selected: usize,
    page: Page,
    profile: Option<VisitorProfile>,
    /// Index into the profile's matters.
    matter_selected: usize,
    /// PgDn/PgUp offset of the profile's visits.
    scroll: u16,
    /// The matter opened from the profile.
    pub matter: MatterPage,
}

impl Default for LookupScreen {
    fn default() -> Self {
        LookupScreen {
            text: TextField::default(),
            searched: String::new(),
            hits: Vec::new(),
            selected: 0,
            page: Page::default(),
            profile: None,
            matter_selected: 0,
            scroll: 0,
            matter: MatterPage::new(Slot::Matter),
        }
    }
}

impl LookupScreen {
    pub fn page(&self) -> Page {
        self.page
    }

    pub fn hits(&self) -> &[LookupHit] {
        &self.hits
    }

    pub fn searched(&self) -> &str {
        &self.searched
    }

    fn search(&mut self, ctx: &mut Ctx) {
        let text = self.text.value().trim().to_string();
        if text == self.searched {
            return;
        }
        self.searched = text.clone();
        if text.is_empty() {
            self.hits.clear();
            ctx.outbox.cancel(Slot::Lookup);
        } else {
            ctx.query(Slot::Lookup, Query::Lookup { text, limit: LIMIT });
        }
    }

    pub fn hits_arrived(&mut self, hits: Vec<LookupHit>) -> bool {
        if hits == self.hits {
            return false;
        }
        self.hits = hits;
        self.selected = self.selected.min(self.hits.len().saturating_sub(1));
        true
    }

    pub fn profile_arrived(&mut self, p: VisitorProfile) -> bool {
        if self.profile.as_ref() == Some(&p) {
            return false;
        }
        if self.profile.as_ref().map(|old| old.card.id) != Some(p.card.id) {
            self.matter_selected = 0;
        }
        self.profile = Some(p);
        true
    }

    /// Refreshes the results and whatever is open, after the hall reported a
    /// change or when the officer comes back to this screen.
    pub fn reload(&self, ctx: &mut Ctx) {
        if !self.searched.is_empty() {
            ctx.query(
                Slot::Lookup,
                Query::Lookup {
                    text: self.searched.clone(),
                    limit: LIMIT,
                },
            );
        }
        if let Some(p) = &self.profile {
            ctx.query(
                Slot::Profile,
                Query::Visitor {
                    id: p.card.id,
                    full_id: ctx.may(Action::ViewFullIdentity),
                },
            );
        }
        self.matter.reload(ctx);
    }

    fn open_profile(&mut self, ctx: &mut Ctx) {
        let Some(hit) = self.hits.get(self.selected) else {
            return;
        };
        if self.profile.as_ref().map(|p| p.card.id) != Some(hit.visitor) {
            self.profile = None;
        }
        ctx.query(
            Slot::Profile,
            Query::Visitor {
                id: hit.visitor,
                full_id: ctx.may(Action::ViewFullIdentity),
            },
        );
        self.page = Page::Profile;
        self.scroll = 0;
    }

    fn open_matter(&mut self, ctx: &mut Ctx) {
        let Some(m) = self
            .profile
            .as_ref()
            .and_then(|p| p.matters.get(self.matter_selected))
        else {
            return;
        };
        self.matter.open(m.id, ctx);
        self.page = Page::Matter;
    }

    fn step(selected: &mut usize, len: usize, down: bool) {
        if len == 0 {
            return;
        }
        *selected = if down {
            (*selected + 1).min(len - 1)
        } else {
            selected.saturating_sub(1)
        };
    }
}

impl Component for LookupScreen {
    fn event(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Consumed {
        if self.page == Page::Matter && self.matter.event(key, ctx) == Consumed::Yes {
            return Consumed::Yes;
        }
        match (self.page, key.code) {
            (Page::Search, KeyCode::Enter) => self.open_profile(ctx),
            (Page::Search, KeyCode::Up | KeyCode::Down) => Self::step(
                &mut self.selected,
                self.hits.len(),
                key.code == KeyCode::Down,
            ),
            (Page::Search, _) => match self.text.handle(key) {
                Some(true) => self.search(ctx),
                Some(false) => {}
                None => return Consumed::No,
            },
            (Page::Profile, KeyCode::Enter) => self.open_matter(ctx),
            (Page::Profile, KeyCode::Up | KeyCode::Down) => {
                let n = self.profile.as_ref().map_or(0, |p| p.matters.len());
                Self::step(&mut self.matter_selected, n, key.code == KeyCode::Down)
            }
            (Page::Profile, KeyCode::PageDown | KeyCode::PageUp) => {
                page_scroll(&mut self.scroll, key.code == KeyCode::PageDown)
            }
            (Page::Profile, KeyCode::Esc) => {
                ctx.outbox.cancel(Slot::Profile);
                self.page = Page::Search;
            }
            (Page::Matter, KeyCode::Esc) => {
                self.matter.leave(ctx);
                self.page = Page::Profile;
            }
            _ => return Consumed::No,
        }
        Consumed::Yes
    }

    fn commands(&self) -> Vec<KeyHint> {
        match self.page {
            Page::Search => vec![
                hint("Enter", "打开档案").when(!self.hits.is_empty()),
                hint("↑↓", "选择").when(self.hits.len() > 1),
            ],
            Page::Profile => vec![
                hint("Enter", "打开事项"),
                hint("↑↓", "选择事项"),
                hint("Esc", "返回结果"),
                hint("PgDn", "来访记录翻页"),
            ],
            Page::Matter => self.matter.commands(hint("Esc", "返回档案")),
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        match self.page {
            Page::Search => self.draw_search(f, area, ctx),
            Page::Profile => self.draw_profile(f, area, ctx),
            Page::Matter => self.matter.draw(f, area, ctx),
        }
    }
}

impl LookupScreen {
    fn draw_search(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let block = t.block(" 查询 ");
        let inner = block.inner(area);
        f.render_widget(block, area);
        let [input_row, help_row, _, list] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(inner);
        let rest = label_cell(f, input_row, "查找", 6, true, t);
        self.text.render(f, rest, t.focused_input(), true);
        f.render_widget(
            Paragraph::new("身份证号（可输前几位）、电话（可输尾号）、姓名、拼音首字母或事项编号")
                .style(t.dim()),
            help_row,
        );
        let wide = inner.width >= 100;
        let mut lines = Vec::new();
        if !self.searched.is_empty() && self.hits.is_empty() {
            lines.push(Line::styled(
                format!("没有找到与“{}”相符的来访人", self.searched),
                t.dim(),
            ));
        }
        for (i, h) in self.hits.iter().enumerate() {
            let last = h
                .last_visit
                .map(|at| at.format_date(ctx.tz()))
                .unwrap_or_default();
            let text = format!(
                "{} {} {} 来访{:>2}次 在办{}",
                fit(&h.name, 8),
                fit(&h.id_masked, 18),
                fit(&h.phone_masked, 11),
                h.visit_count,
                h.open_matters,
            );
            let mut spans = vec![Span::raw(if i == self.selected { ">" } else { " " })];
            if let Some(g) = h.key_grade {
                spans.push(Span::styled(format!("{g:?}"), t.grade(g)));
            } else {
                spans.push(Span::raw(" "));
            }
            spans.push(Span::raw(text));
            // A late matter's tier outranks the last visit's date where both do not fit.
            if let Some(tier) = h.tier {
                spans.push(Span::styled(
                    format!(" {}", tier_marker(tier)),
                    tier_style(Some(tier), ctx),
                ));
            }
            // 包案 shows on every screen: narrow ones drop the last visit's date for it.
            if wide || (h.tier.is_none() && h.lead.is_none()) {
                spans.push(Span::raw(format!(" 最近{last}")));
            }
            if !wide && h.lead.is_some() {
                spans.push(Span::styled(" 〔包案〕", t.strong()));
            }
            if wide {
                if let Some(name) = &h.lead {
                    spans.push(Span::styled(format!(" 〔包案 {name}〕"), t.strong()));
                }
                let depts: Vec<String> = h.departments.iter().map(|d| ctx.dept_short(d)).collect();
                spans.push(Span::raw(format!(
                    "  {} 〔{}〕",
                    depts.join("、"),
                    h.matched.label()
                )));
            }
            let line = Line::from(spans);
            lines.push(if i == self.selected {
                line.style(t.selected())
            } else {
                line
            });
        }
        let top = self
            .selected
            .saturating_sub(usize::from(list.height).saturating_sub(1));
        f.render_widget(Paragraph::new(lines).scroll((top as u16, 0)), list);
    }

    fn draw_profile(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let block = t.block(" 来访人档案 ");
        let inner = block.inner(area);
        f.render_widget(block, area);
        let Some(p) = &self.profile else {
            f.render_widget(Paragraph::new("正在读取档案…").style(t.dim()), inner);
            return;
        };
        let card = card_lines(p, ctx);
        let [card_area, matters_area, visits_area] = Layout::vertical([
            Constraint::Length(card.len() as u16 + 1),
            Constraint::Fill(1),
            Constraint::Fill(1),
        ])
        .areas(inner);
        f.render_widget(Paragraph::new(card), card_area);
        let title = Line::styled(
            format!("事项 {} 件（Enter 打开）", p.matters.len()),
            t.title(),
        );
        // The title stays; the list scrolls to keep the selected matter in view.
        let rows = p
            .matters
            .iter()
            .map(|m| matter_brief_line(m, ctx))
            .collect();
        draw_pinned_list(
            f,
            matters_area,
            title,
            rows,
            Some(self.matter_selected),
            t.selected(),
        );
        let mut lines = vec![Line::styled(
            format!("来访 {} 次（PgDn 翻页）", p.visits.len()),
            t.title(),
        )];
        lines.extend(p.visits.iter().map(|v| visit_line(v, ctx)));
        let scroll = clamp_scroll(self.scroll, lines.len());
        f.render_widget(Paragraph::new(lines).scroll((scroll, 0)), visits_area);
    }
}
