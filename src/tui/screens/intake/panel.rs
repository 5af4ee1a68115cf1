//! The repeat-visitor panel beside the intake form: searches as the officer
//! types the identity number, phone or name, shows the highlighted visitor's
//! earlier visits and open matters in every department, and picks the open
//! matter this visit is attached to.

use crate::domain::lifecycle::State;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::matter::MatterId;
use crate::domain::visitor::VisitorId;
use crate::hall::{LookupHit, MatterBrief, Query, VisitorProfile};
use crate::tui::component::Ctx;
use crate::tui::jobs::Slot;
use crate::tui::widgets::text::{cut, fit};

const HITS: usize = 5;

#[derive(Default)]
pub struct RepeatPanel {
    searched: String,
    hits: Vec<LookupHit>,
    selected: usize,
    profile: Option<VisitorProfile>,
    /// What repeat candidates were last asked for: visitor, content class, place.
    asked: Option<(VisitorId, String, String)>,
    /// Matters this visit may repeat (同人+同事), as the hall proposed them.
    candidates: Vec<MatterBrief>,
}

impl RepeatPanel {
    /// Searches for `text` unless it is what is shown already.
    pub fn search(&mut self, text: &str, ctx: &mut Ctx) {
        let text = text.trim();
        if text == self.searched {
            return;
        }
        self.searched = text.to_string();
        if text.is_empty() {
            self.hits.clear();
            self.profile = None;
            ctx.outbox.cancel(Slot::PanelLookup);
            ctx.outbox.cancel(Slot::PanelProfile);
            return;
        }
        ctx.query(
            Slot::PanelLookup,
            Query::Lookup {
                text: text.to_string(),
                limit: HITS,
            },
        );
    }

    pub fn clear(&mut self, ctx: &mut Ctx) {
        self.search("", ctx);
    }

    /// Returns true when what the panel shows changed.
    pub fn hits_arrived(&mut self, hits: Vec<LookupHit>, ctx: &mut Ctx) -> bool {
        if hits == self.hits {
            return false;
        }
        let keep = self.hit().map(|h| h.visitor);
        self.selected = keep
            .and_then(|v| hits.iter().position(|h| h.visitor == v))
            .unwrap_or(0);
        self.hits = hits;
        self.load_profile(ctx);
        true
    }

    pub fn profile_arrived(&mut self, profile: VisitorProfile) -> bool {
        if self.hit().map(|h| h.visitor) != Some(profile.card.id) {
            return false;
        }
        self.profile = Some(profile);
        true
    }

    fn load_profile(&mut self, ctx: &mut Ctx) {
        let wanted = self.hit().map(|h| h.visitor);
        if self.profile.as_ref().map(|p| p.card.id) != wanted {
            self.profile = None;
        }
        match wanted {
            Some(id) => ctx.query(Slot::PanelProfile, Query::Visitor { id, full_id: false }),
            None => ctx.outbox.cancel(Slot::PanelProfile),
        }
    }

    /// Asks the hall which matters of the highlighted visitor, or of someone who shared a
    /// matter with them, have this content class and place; unless already asked.
    pub fn ask_candidates(&mut self, class: &str, place: &str, ctx: &mut Ctx) {
        let place = place.trim();
        let wanted = self
            .hit()
            .filter(|_| !place.is_empty())
            .map(|h| (h.visitor, class.to_string(), place.to_string()));
        if wanted == self.asked {
            return;
        }
        self.candidates.clear();
        self.asked = wanted.clone();
        match wanted {
            Some((visitor, content_class, place)) => ctx.query(
                Slot::PanelCandidates,
                Query::RepeatCandidates {
                    visitor,
                    content_class,
                    place,
                },
            ),
            None => ctx.outbox.cancel(Slot::PanelCandidates),
        }
    }

    /// Returns how many candidates arrived when they changed.
    pub fn candidates_arrived(&mut self, list: Vec<MatterBrief>) -> Option<usize> {
        if list == self.candidates {
            return None;
        }
        self.candidates = list;
        Some(self.candidates.len())
    }

    fn is_candidate(&self, id: MatterId) -> bool {
        self.candidates.iter().any(|c| c.id == id)
    }

    pub fn hit(&self) -> Option<&LookupHit> {
        self.hits.get(self.selected)
    }

    pub fn has_hits(&self) -> bool {
        !self.hits.is_empty()
    }

    /// PgDn / PgUp: the next or previous visitor found.
    pub fn move_selection(&mut self, down: bool, ctx: &mut Ctx) -> bool {
        let n = self.hits.len();
        if n < 2 {
            return false;
        }
        self.selected = if down {
            (self.selected + 1) % n
        } else {
            (self.selected + n - 1) % n
        };
        self.load_profile(ctx);
        true
    }

    /// The matters a visit may be attached to, in the order shown: the repeat candidates the
    /// hall proposed (a co-petitioner's among them), then the highlighted visitor's other
    /// open and 终结 ones — a visit on a 终结 matter is recorded as 不再受理.
    pub fn open_matters(&self) -> Vec<&MatterBrief> {
        let own = self
            .profile
            .iter()
            .flat_map(|p| p.matters.iter())
            .filter(|m| m.is_open() || m.state == State::Final)
            .filter(|m| !self.is_candidate(m.id));
        self.candidates.iter().chain(own).collect()
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx, attached: Option<MatterId>) {
        let t = &ctx.theme;
        let block = t.block(" 重复来访核查 ");
        let inner = block.inner(area);
        f.render_widget(block, area);
        let cols = usize::from(inner.width);
        let mut lines: Vec<Line> = Vec::new();
        if self.searched.is_empty() {
            lines.push(Line::styled("输入身份证号、电话或", t.dim()));
            lines.push(Line::styled("姓名，这里即时显示此人", t.dim()));
            lines.push(Line::styled("是否来访过。", t.dim()));
        } else if self.hits.is_empty() {
            lines.push(Line::styled(
                format!("“{}”", cut(&self.searched, cols.saturating_sub(4))),
                t.label(),
            ));
            lines.push(Line::styled("未找到来访记录：首次来访", t.ok()));
        }
        // Narrow panels give each visitor two rows.
        let two_rows = cols < 40;
        for (i, h) in self.hits.iter().enumerate() {
            let marker = if i == self.selected { ">" } else { " " };
            let style = if i == self.selected {
                t.selected()
            } else {
                t.text()
            };
            let grade = h.key_grade.map(|g| format!(" {g:?}")).unwrap_or_default();
            let who = format!("{marker}{} {}{grade}", fit(&h.name, 6), h.id_masked);
            let counts = format!("来访{}次 在办{}", h.visit_count, h.open_matters);
            if two_rows {
                lines.push(Line::styled(fit(&who, cols), style));
                lines.push(Line::styled(fit(&format!("  {counts}"), cols), style));
            } else {
                lines.push(Line::styled(fit(&format!("{who} {counts}"), cols), style));
            }
        }
        if let Some(p) = &self.profile {
            let rule = t.rule().repeat(cols);
            lines.push(Line::styled(rule.clone(), t.dim()));
            let open = self.open_matters();
            let heading = if open.iter().any(|m| m.state == State::Final) {
                "在办和终结事项"
            } else {
                "在办事项"
            };
            lines.push(Line::styled(
                format!("{heading}（{}）", open.len()),
                t.title(),
            ));
            for m in &open {
                let mark = if attached == Some(m.id) { "[*]" } else { "[ ]" };
                let head = format!(
                    "{mark}{} {} {}{}",
                    m.number,
                    ctx.dept_short(&m.department),
                    m.status,
                    if self.is_candidate(m.id) {
                        " 可能重复"
                    } else {
                        ""
                    },
                );
                let style = if attached == Some(m.id) {
                    t.ok()
                } else {
                    t.text()
                };
                lines.push(Line::styled(cut(&head, cols).to_string(), style));
                let summary = format!("   {}", m.summary.replace('\n', " "));
                lines.push(Line::styled(cut(&summary, cols).to_string(), t.label()));
            }
            lines.push(Line::styled(
                format!("历次来访（{}）", p.visits.len()),
                t.title(),
            ));
            let tz = ctx.tz();
            for v in &p.visits {
                let text = format!(
                    " {} {} {}{}",
                    v.at.format_date(tz),
                    ctx.dept_short(&v.department),
                    v.matter_number,
                    if v.repeat { " 重复" } else { "" }
                );
                lines.push(Line::from(Span::raw(cut(&text, cols).to_string())));
            }
        }
        f.render_widget(Paragraph::new(lines), inner);
    }
}
