//! Deadlines (F12): open matters whose legal deadline is past or near (超期 / 临期预警), most
//! overdue first — the officer's department, or the whole hall for leaders and
//! administrators (Tab switches); Ctrl-D switches to the matters under 督办, earliest due
//! first, until cleared. Enter opens the matter. The counts also make the banner a
//! desk shows after login.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::matter_page::MatterPage;
use super::records::{hall_today, matter_brief_line, oversight_spans, tier_style};
use crate::domain::lifecycle::Tier;
use crate::domain::matter::MatterId;
use crate::domain::officer::Role;
use crate::hall::{role_may, Action, MatterBrief, Query};
use crate::tui::component::{hint, is_ctrl, Component, Consumed, Ctx, KeyHint};
use crate::tui::jobs::Slot;
use crate::tui::widgets::scroll::draw_pinned_list;
use crate::tui::widgets::text::fit;

/// How many matters of a due list are late and how many nearly due.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DueCounts {
    pub overdue: usize,
    /// Of `overdue`, those past the 严重超期 threshold.
    pub seriously: usize,
    pub warning: usize,
}

impl DueCounts {
    pub fn of(list: &[MatterBrief]) -> DueCounts {
        let mut c = DueCounts::default();
        for tier in list.iter().filter_map(|m| m.deadline.as_ref()?.tier) {
            match tier {
                Tier::Warning => c.warning += 1,
                Tier::Overdue => c.overdue += 1,
                Tier::SeriouslyOverdue => {
                    c.overdue += 1;
                    c.seriously += 1;
                }
            }
        }
        c
    }

    pub fn is_empty(&self) -> bool {
        self.overdue == 0 && self.warning == 0
    }

    /// `超期 3 件（严重超期 1 件），临期预警 2 件`
    pub fn text(&self) -> String {
        let mut overdue = format!("超期 {} 件", self.overdue);
        if self.seriously > 0 {
            overdue.push_str(&format!("（严重超期 {} 件）", self.seriously));
        }
        format!("{overdue}，临期预警 {} 件", self.warning)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DuePage {
    #[default]
    List,
    Matter,
}

pub struct DueScreen {
    /// The whole hall rather than the officer's department.
    hall_wide: bool,
    /// The officer may see the whole hall's list (leaders and administrators).
    may_switch: bool,
    /// Ctrl-D: the matters under 督办 instead of the due ones.
    supervised: bool,
    /// `None` until the first answer.
    list: Option<Vec<MatterBrief>>,
    selected: usize,
    page: DuePage,
    /// The matter opened from the list.
    pub matter: MatterPage,
}

impl Default for DueScreen {
    fn default() -> Self {
        DueScreen {
            hall_wide: false,
            may_switch: false,
            supervised: false,
            list: None,
            selected: 0,
            page: DuePage::List,
            matter: MatterPage::new(Slot::DueMatter),
        }
    }
}

/// Leaders and administrators oversee the whole hall's deadlines.
fn sees_hall(role: Role) -> bool {
    role_may(role, Action::ViewHallDeadlines)
}

impl DueScreen {
    /// A new session: leaders start with the whole hall, everyone else with their department.
    pub fn for_session(ctx: &mut Ctx) -> DueScreen {
        let hall_wide = ctx
            .session
            .as_ref()
            .is_some_and(|s| sees_hall(s.officer.role));
        let screen = DueScreen {
            hall_wide,
            may_switch: hall_wide,
            ..DueScreen::default()
        };
        // A wall-display account sees the queue only: no banner, and no refusal to show.
        let reads_records = ctx
            .session
            .as_ref()
            .is_some_and(|s| role_may(s.officer.role, Action::ViewRecords));
        if reads_records {
            screen.reload(ctx);
        }
        screen
    }

    pub fn page(&self) -> DuePage {
        self.page
    }

    pub fn hall_wide(&self) -> bool {
        self.hall_wide
    }

    pub fn list(&self) -> &[MatterBrief] {
        self.list.as_deref().unwrap_or_default()
    }

    /// The counts of the list, once it has arrived.
    pub fn counts(&self) -> Option<DueCounts> {
        self.list
            .as_deref()
            .filter(|_| !self.supervised)
            .map(DueCounts::of)
    }

    /// `本部门` or `全大厅`: what the list covers.
    pub fn scope(&self) -> &'static str {
        if self.hall_wide {
            "全大厅"
        } else {
            "本部门"
        }
    }

    /// Asks again for the list and the open matter, after a change in the hall.
    pub fn reload(&self, ctx: &mut Ctx) {
        let hall_wide = self.hall_wide;
        let list = if self.supervised {
            Query::SupervisedMatters { hall_wide }
        } else {
            Query::DueMatters { hall_wide }
        };
        ctx.query(Slot::Due, list);
        if self.page == DuePage::Matter {
            self.matter.reload(ctx);
        }
    }

    /// Whether a change to this matter concerns what the screen shows.
    pub fn shows_matter(&self, id: MatterId) -> bool {
        self.list().iter().any(|m| m.id == id) || self.matter.id() == Some(id)
    }

    pub fn list_arrived(&mut self, list: Vec<MatterBrief>) -> bool {
        if self.list.as_ref() == Some(&list) {
            return false;
        }
        self.selected = self.selected.min(list.len().saturating_sub(1));
        self.list = Some(list);
        true
    }

    fn open_matter(&mut self, ctx: &mut Ctx) {
        let Some(m) = self.list().get(self.selected) else {
            return;
        };
        self.matter.open(m.id, ctx);
        self.page = DuePage::Matter;
    }
}

impl Component for DueScreen {
    fn event(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Consumed {
        if self.page == DuePage::Matter && self.matter.event(key, ctx) == Consumed::Yes {
            return Consumed::Yes;
        }
        match (self.page, key.code) {
            (DuePage::List, KeyCode::Enter) => self.open_matter(ctx),
            (DuePage::List, KeyCode::Up | KeyCode::Down) => {
                let len = self.list().len();
                if len > 0 {
                    self.selected = if key.code == KeyCode::Down {
                        (self.selected + 1).min(len - 1)
                    } else {
                        self.selected.saturating_sub(1)
                    };
                }
            }
            (DuePage::List, KeyCode::Tab) if self.may_switch => {
                self.hall_wide = !self.hall_wide;
                self.list = None;
                self.selected = 0;
                self.reload(ctx);
            }
            (DuePage::List, KeyCode::Char('d')) if is_ctrl(&key, 'd') => {
                self.supervised = !self.supervised;
                self.list = None;
                self.selected = 0;
                self.reload(ctx);
            }
            (DuePage::Matter, KeyCode::Esc) => {
                self.matter.leave(ctx);
                self.page = DuePage::List;
            }
            _ => return Consumed::No,
        }
        Consumed::Yes
    }

    fn commands(&self) -> Vec<KeyHint> {
        match self.page {
            DuePage::List => {
                let n = self.list().len();
                vec![
                    hint("Enter", "打开事项").when(n > 0),
                    hint("↑↓", "选择").when(n > 1),
                    hint(
                        "Tab",
                        if self.hall_wide {
                            "看本部门"
                        } else {
                            "看全大厅"
                        },
                    )
                    .when(self.may_switch),
                    hint(
                        "Ctrl-D",
                        if self.supervised {
                            "看超期临期"
                        } else {
                            "看督办事项"
                        },
                    ),
                ]
            }
            DuePage::Matter => self.matter.commands(hint("Esc", "返回列表")),
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        match self.page {
            DuePage::List => self.draw_list(f, area, ctx),
            DuePage::Matter => self.matter.draw(f, area, ctx),
        }
    }
}

impl DueScreen {
    fn draw_list(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        if self.supervised {
            return self.draw_supervised(f, area, ctx);
        }
        let t = &ctx.theme;
        let title = format!(" 超期和临期事项 · {} ", self.scope());
        let block = t.block(&title);
        let inner = block.inner(area);
        f.render_widget(block, area);
        let Some(list) = &self.list else {
            f.render_widget(Paragraph::new("正在读取…").style(t.dim()), inner);
            return;
        };
        let counts = DueCounts::of(list);
        let head = Line::styled(counts.text(), t.title());
        // The counts line stays; the list scrolls to keep the selection in view.
        if list.is_empty() {
            let empty = Line::styled(format!("{}没有超期或临期的事项。", self.scope()), t.dim());
            draw_pinned_list(f, inner, head, vec![empty], None, t.selected());
            return;
        }
        let wide = inner.width >= 100;
        let rows = list.iter().map(|m| due_line(m, wide, ctx)).collect();
        draw_pinned_list(f, inner, head, rows, Some(self.selected), t.selected());
    }

    /// The matters under 督办, earliest due first, listed until cleared.
    fn draw_supervised(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let title = format!(" 督办事项 · {} ", self.scope());
        let block = t.block(&title);
        let inner = block.inner(area);
        f.render_widget(block, area);
        let Some(list) = &self.list else {
            f.render_widget(Paragraph::new("正在读取…").style(t.dim()), inner);
            return;
        };
        let late = list
            .iter()
            .filter(|m| {
                m.supervision
                    .as_ref()
                    .is_some_and(|s| s.overdue(hall_today(ctx)))
            })
            .count();
        let head = Line::styled(
            format!("督办中 {} 件，其中督办超期 {late} 件", list.len()),
            t.title(),
        );
        if list.is_empty() {
            let empty = Line::styled(format!("{}没有督办中的事项。", self.scope()), t.dim());
            draw_pinned_list(f, inner, head, vec![empty], None, t.selected());
            return;
        }
        let rows = list.iter().map(|m| matter_brief_line(m, ctx)).collect();
        draw_pinned_list(f, inner, head, rows, Some(self.selected), t.selected());
    }
}

/// One due matter: tier, days, number, department, status, and on wide screens which deadline
/// and the summary.
fn due_line(m: &MatterBrief, wide: bool, ctx: &Ctx) -> Line<'static> {
    let t = &ctx.theme;
    let Some(d) = &m.deadline else {
        return Line::raw(m.number.clone());
    };
    let days = match d.days_left {
        0 => "今天到期".to_string(),
        n if n > 0 => format!("还剩{n}天"),
        n => format!("超期{}天", -n),
    };
    let tier = d.tier.map_or("", |tier| tier.label());
    let mut spans = vec![
        Span::styled(
            format!("{} {} ", fit(tier, 8), fit(&days, 9)),
            tier_style(d.tier, ctx),
        ),
        Span::raw(format!("{} ", m.number)),
        Span::styled(fit(&ctx.dept_short(&m.department), 8), t.strong()),
        Span::raw(format!(" {} ", fit(&m.status, 10))),
    ];
    if wide {
        // The clock's name without its article: `办理期限` of `办理期限（条例第三十四条）`.
        let clock = d.deadline.label().split('（').next().unwrap_or_default();
        spans.push(Span::styled(
            format!("{} 至{} ", fit(clock, 14), d.deadline.due),
            t.label(),
        ));
    }
    spans.extend(oversight_spans(m, ctx));
    spans.push(Span::styled(m.summary.replace('\n', " "), t.label()));
    Line::from(spans)
}
