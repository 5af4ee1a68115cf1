//! The intake form (F2): registers a visit and issues the ticket. The identity
//! number is checked as it is typed with the domain's own validators, and the
//! repeat-visitor panel beside the form searches as the officer types.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::lifecycle::State;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

mod id_check;
pub mod panel;
mod ticket;

pub use id_check::{id_status, IdStatus};

use self::panel::RepeatPanel;
use self::ticket::draw_ticket;
use crate::domain::department::DeptCode;
use crate::domain::identity::normalize_query;
use crate::domain::matter::{Category, MatterId};
use crate::domain::registration::{
    self, validate_name, validate_phone, Field, FieldError, MatterChoice, NewMatter,
    RegistrationInput,
};
use crate::domain::visit::Channel;
use crate::domain::visit_facts::{LowerLevel, VisitFacts};
use crate::domain::visitor::VisitorId;
use crate::hall::{Command, HallInfo, MatterBrief, Registered};
use crate::tui::component::{hint, is_back_tab, is_submit, Component, Consumed, Ctx, KeyHint};
use crate::tui::jobs::Slot;
use crate::tui::widgets::field::{Choice, TextBox, TextField};
use crate::tui::widgets::form::{label_cell, with_note};
use crate::tui::widgets::text::width as text_width;

/// The form's fields in focus order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FormField {
    IdNumber,
    NoDocument,
    Name,
    Phone,
    Address,
    Channel,
    Anonymous,
    Headcount,
    Level,
    Representatives,
    Category,
    ContentClass,
    Place,
    Summary,
    Demands,
    Accused,
    AccusedDepartment,
    LowerBody,
    LowerUntil,
    Department,
}

use FormField as F;

const ORDER: [F; 20] = [
    F::IdNumber,
    F::NoDocument,
    F::Name,
    F::Phone,
    F::Address,
    F::Channel,
    F::Anonymous,
    F::Headcount,
    F::Level,
    F::Representatives,
    F::Category,
    F::ContentClass,
    F::Place,
    F::Summary,
    F::Demands,
    F::Accused,
    F::AccusedDepartment,
    F::LowerBody,
    F::LowerUntil,
    F::Department,
];

/// The first choice of the accused unit's department: not known.
const UNKNOWN_DEPARTMENT: &str = "不详";

impl FormField {
    fn label(self) -> &'static str {
        match self {
            F::IdNumber => "身份证号",
            F::NoDocument => "无证件",
            F::Name => "姓名",
            F::Phone => "联系电话",
            F::Address => "住址",
            F::Channel => "信访形式",
            F::Anonymous => "匿名",
            F::Level => "层级",
            F::LowerBody => "下级受理",
            F::LowerUntil => "期限至",
            F::Headcount => "来访人数",
            F::Representatives => "代表姓名",
            F::Category => "事项性质",
            F::ContentClass => "内容分类",
            F::Place => "问题属地",
            F::Summary => "反映问题",
            F::Demands => "诉求",
            F::Accused => "被反映人",
            F::AccusedDepartment => "所属部门",
            F::Department => "去向部门",
        }
    }

    /// Fields that describe the matter: taken from the open matter when attached.
    fn of_matter(self) -> bool {
        matches!(
            self,
            F::Category
                | F::ContentClass
                | F::Place
                | F::Summary
                | F::Demands
                | F::Accused
                | F::AccusedDepartment
                | F::LowerBody
                | F::LowerUntil
        )
    }

    /// A short field drawn beside this one, on its row, so the form fits 80×24.
    fn partner(self) -> Option<F> {
        match self {
            F::Channel => Some(F::Anonymous),
            F::Headcount => Some(F::Level),
            F::LowerBody => Some(F::LowerUntil),
            _ => None,
        }
    }

    /// Drawn on its partner's row.
    fn beside(self) -> bool {
        matches!(self, F::Anonymous | F::Level | F::LowerUntil)
    }

    /// Fields about the person: not asked of an anonymous letter or call.
    fn personal(self) -> bool {
        matches!(
            self,
            F::IdNumber | F::NoDocument | F::Name | F::Phone | F::Address
        )
    }

    /// Fields asked only of a 检举控告类 matter.
    fn of_accusation(self) -> bool {
        matches!(self, F::Accused | F::AccusedDepartment)
    }

    fn of_domain(field: Field) -> Option<F> {
        Some(match field {
            Field::IdNumber => F::IdNumber,
            Field::Name => F::Name,
            Field::Phone => F::Phone,
            Field::Address => F::Address,
            Field::Headcount => F::Headcount,
            Field::Representatives => F::Representatives,
            Field::ContentClass => F::ContentClass,
            Field::Place => F::Place,
            Field::Summary => F::Summary,
            Field::Demands => F::Demands,
            Field::Department => F::Department,
            Field::Accused => F::Accused,
            Field::AccusedDepartment => F::AccusedDepartment,
            Field::Level => F::Level,
            Field::Anonymous => F::Anonymous,
            Field::LowerLevel => F::LowerBody,
            Field::LowerLevelUntil => F::LowerUntil,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Note {
    Error,
    Ok,
    Hint,
}

/// The open matter this visit is attached to (a repeat visit: no duplicate matter).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attached {
    pub visitor: VisitorId,
    pub matter: MatterId,
    pub number: String,
    /// The matter is 终结: the visit will be recorded as 不再受理 (Art 36).
    pub closed_for_good: bool,
}

pub struct IntakeScreen {
    id_number: TextField,
    no_document: bool,
    name: TextField,
    phone: TextField,
    address: TextField,
    channel: Choice,
    headcount: TextField,
    representatives: TextField,
    category: Choice,
    content_class: Choice,
    place: TextField,
    summary: TextBox,
    demands: TextField,
    accused: TextField,
    /// [`UNKNOWN_DEPARTMENT`], then the hall's departments in config order.
    accused_department: Choice,
    department: Choice,
    anonymous: bool,
    /// The hall's visit levels, its own first.
    level: Choice,
    lower_body: TextField,
    lower_until: TextField,
    focus: F,
    errors: HashMap<F, String>,
    id_status: IdStatus,
    pub panel: RepeatPanel,
    attached: Option<Attached>,
    /// The ticket just issued, shown large until the next key.
    issued: Option<Registered>,
    group_threshold: u16,
}

impl IntakeScreen {
    pub fn new(info: &HallInfo) -> IntakeScreen {
        let mut headcount = TextField::default();
        headcount.set("1");
        IntakeScreen {
            id_number: TextField::default(),
            no_document: false,
            name: TextField::default(),
            phone: TextField::default(),
            address: TextField::default(),
            channel: Choice::new(Channel::ALL.iter().map(|c| c.label().into()).collect()),
            headcount,
            representatives: TextField::default(),
            category: Choice::new(Category::ALL.iter().map(|c| c.label().into()).collect()),
            content_class: Choice::new(info.content_classes.clone()),
            place: TextField::default(),
            summary: TextBox::default(),
            demands: TextField::default(),
            accused: TextField::default(),
            accused_department: Choice::new(
                std::iter::once(UNKNOWN_DEPARTMENT.to_string())
                    .chain(info.departments.iter().map(|d| d.name.clone()))
                    .collect(),
            ),
            department: Choice::new(info.departments.iter().map(|d| d.name.clone()).collect()),
            anonymous: false,
            level: Choice::new(info.visit_levels.clone()),
            lower_body: TextField::default(),
            lower_until: TextField::default(),
            focus: F::IdNumber,
            errors: HashMap::new(),
            id_status: IdStatus::Empty,
            panel: RepeatPanel::default(),
            attached: None,
            issued: None,
            group_threshold: info.group_visit_threshold,
        }
    }

    pub fn focus(&self) -> F {
        self.focus
    }

    pub fn error(&self, field: F) -> Option<&str> {
        self.errors.get(&field).map(String::as_str)
    }

    pub fn id_state(&self) -> &IdStatus {
        &self.id_status
    }

    pub fn attached(&self) -> Option<&Attached> {
        self.attached.as_ref()
    }

    pub fn issued(&self) -> Option<&Registered> {
        self.issued.as_ref()
    }

    /// The error of the focused field, else the first one in form order.
    fn shown_error(&self) -> Option<(F, &str)> {
        let first = ORDER.iter().find(|f| self.errors.contains_key(f));
        let field = if self.errors.contains_key(&self.focus) {
            self.focus
        } else {
            *first?
        };
        self.errors.get(&field).map(|m| (field, m.as_str()))
    }

    fn skipped(&self, f: F) -> bool {
        self.attached.is_some() && f.of_matter()
            || f.of_accusation() && !self.accusation()
            || f == F::Anonymous && !self.may_be_anonymous()
            || f.personal() && self.is_anonymous()
            || f == F::LowerUntil && self.lower_body.value().trim().is_empty()
    }

    fn channel(&self) -> Channel {
        Channel::ALL[self.channel.index()]
    }

    /// Letters and calls may be anonymous; a person at the desk is registered by name.
    fn may_be_anonymous(&self) -> bool {
        matches!(self.channel(), Channel::Letter | Channel::Phone)
    }

    fn is_anonymous(&self) -> bool {
        self.anonymous && self.may_be_anonymous()
    }

    /// The lower level's acceptance, when its body is filled in (a new matter only).
    fn lower_level(&self) -> Result<Option<LowerLevel>, FieldError> {
        let body = self.lower_body.value().trim();
        if body.is_empty() || self.attached.is_some() {
            return Ok(None);
        }
        let until = parse_date(self.lower_until.value()).ok_or_else(|| {
            FieldError::new(
                Field::LowerLevelUntil,
                "请填写下级办理期限的最后一天，写成 2026-12-31 这样的日期",
            )
        })?;
        Ok(Some(LowerLevel {
            body: body.to_string(),
            until,
        }))
    }

    fn category(&self) -> Category {
        Category::ALL[self.category.index()]
    }

    /// A 检举控告类 matter: the form asks whom it accuses.
    fn accusation(&self) -> bool {
        self.category().confidential()
    }

    fn move_focus(&mut self, forward: bool) {
        self.check_leaving();
        let pos = ORDER.iter().position(|f| *f == self.focus).unwrap_or(0);
        let n = ORDER.len();
        let mut next = pos;
        for _ in 0..n {
            next = if forward {
                (next + 1) % n
            } else {
                (next + n - 1) % n
            };
            if !self.skipped(ORDER[next]) {
                break;
            }
        }
        self.focus = ORDER[next];
    }

    /// Checks the field being left, so a mistake shows before the form is saved.
    fn check_leaving(&mut self) {
        let result = match self.focus {
            F::Name if !self.name.value().trim().is_empty() => {
                validate_name(self.name.value()).map(|_| ())
            }
            F::Phone => validate_phone(self.phone.value()).map(|_| ()),
            F::Headcount => self.headcount_value().map(|_| ()),
            _ => Ok(()),
        };
        if let Err(e) = result {
            self.errors.insert(self.focus, e.message);
        }
    }

    fn headcount_value(&self) -> Result<u16, FieldError> {
        let text = self.headcount.value().trim();
        let text = crate::domain::text::to_halfwidth(text);
        if text.is_empty() {
            return Ok(1);
        }
        text.parse::<u16>()
            .map_err(|_| FieldError::new(Field::Headcount, "来访人数请填写数字"))
    }

    fn refresh_id_status(&mut self, ctx: &Ctx) {
        self.id_status = id_status(self.id_number.value(), self.no_document, ctx.today);
        match &self.id_status {
            IdStatus::Error(m) => {
                self.errors.insert(F::IdNumber, m.clone());
            }
            _ => {
                self.errors.remove(&F::IdNumber);
            }
        }
    }

    /// What the repeat panel searches: the field being typed, if it says enough.
    /// Asks for repeat candidates of the highlighted visitor with the form's class and place.
    pub fn ask_candidates(&mut self, ctx: &mut Ctx) {
        let class = self.content_class.label().to_string();
        self.panel.ask_candidates(&class, self.place.value(), ctx);
    }

    /// The hall's repeat candidates: the officer is told, and F9 offers them first.
    pub fn candidates_arrived(&mut self, list: Vec<MatterBrief>, ctx: &mut Ctx) -> bool {
        match self.panel.candidates_arrived(list) {
            Some(0) => true,
            Some(n) => {
                ctx.info_notice(format!(
                    "发现 {n} 件可能重复的事项（同人同事、同类同地），按 F9 关联；不是同一事项就直接保存，登记为新事项"
                ));
                true
            }
            None => false,
        }
    }

    fn panel_search(&mut self, ctx: &mut Ctx) {
        let text = match self.focus {
            F::IdNumber => normalize_query(self.id_number.value()),
            F::Phone => self.phone.value().trim().to_string(),
            F::Name => self.name.value().trim().to_string(),
            _ => return,
        };
        let enough = match self.focus {
            F::Name => !text.is_empty(),
            _ => text.chars().count() >= 4,
        };
        if enough {
            self.panel.search(&text, ctx);
        } else if text.is_empty() || self.focus == F::IdNumber || self.focus == F::Phone {
            self.panel.clear(ctx);
        }
    }

    /// F9: attach to the next open matter of the highlighted visitor; after the last, detach.
    fn cycle_attach(&mut self, ctx: &mut Ctx) {
        let Some(hit) = self.panel.hit() else {
            ctx.error("右侧没有找到来访人，无法关联事项");
            return;
        };
        let visitor = hit.visitor;
        let name = hit.name.clone();
        let open: Vec<(MatterId, String, DeptCode, bool)> = self
            .panel
            .open_matters()
            .iter()
            .map(|m| {
                let closed = m.state == State::Final;
                (m.id, m.number.clone(), m.department.clone(), closed)
            })
            .collect();
        if open.is_empty() {
            ctx.error("所选来访人没有在办事项，本次按新事项登记");
            return;
        }
        let current = self
            .attached
            .as_ref()
            .filter(|a| a.visitor == visitor)
            .and_then(|a| open.iter().position(|(id, ..)| *id == a.matter));
        let next = match current {
            None => Some(0),
            Some(i) if i + 1 < open.len() => Some(i + 1),
            Some(_) => None,
        };
        match next {
            Some(i) => {
                let (matter, number, department, closed_for_good) = open[i].clone();
                self.attached = Some(Attached {
                    visitor,
                    matter,
                    number: number.clone(),
                    closed_for_good,
                });
                if self.name.value().trim().is_empty() {
                    self.name.set(&name);
                }
                if let Some(d) = ctx
                    .info
                    .departments
                    .iter()
                    .position(|d| d.code == department)
                {
                    self.department.select(d);
                }
                if self.focus.of_matter() {
                    self.focus = F::Department;
                }
                if closed_for_good {
                    ctx.error(format!(
                        "事项 {number} 已终结（条例第三十六条），本次来访将登记为不再受理"
                    ));
                } else {
                    ctx.info_notice(format!("本次来访将追加到事项 {number}，不另立新事项"));
                }
            }
            None => {
                self.attached = None;
                ctx.info_notice("已取消关联，本次按新事项登记");
            }
        }
    }

    pub fn input(&self, ctx: &Ctx) -> Result<RegistrationInput, FieldError> {
        let headcount = self.headcount_value()?;
        let matter = match &self.attached {
            Some(a) => MatterChoice::Attach(a.matter),
            None => {
                // Typed for an accusation, then the category changed: not sent.
                let accusation = self.accusation();
                let accused_department = self
                    .accused_department
                    .index()
                    .checked_sub(1)
                    .and_then(|i| ctx.info.departments.get(i))
                    .filter(|_| accusation)
                    .map(|d| d.code.clone());
                MatterChoice::New(NewMatter {
                    category: self.category(),
                    content_class: self.content_class.label().to_string(),
                    place: self.place.value().to_string(),
                    summary: self.summary.value(),
                    demands: self.demands.value().to_string(),
                    accused: if accusation {
                        self.accused.value().to_string()
                    } else {
                        String::new()
                    },
                    accused_department,
                })
            }
        };
        let department = ctx
            .info
            .departments
            .get(self.department.index())
            .map(|d| d.code.clone())
            .ok_or_else(|| FieldError::new(Field::Department, "请选择去向部门"))?;
        // Typed before 匿名 was ticked: hidden, and not sent.
        let anonymous = self.is_anonymous();
        let personal = |field: &TextField| {
            if anonymous {
                String::new()
            } else {
                field.value().to_string()
            }
        };
        let facts = VisitFacts {
            level: u8::try_from(self.level.index()).unwrap_or(0),
            anonymous,
            lower_level: self.lower_level()?,
        };
        Ok(RegistrationInput {
            visitor: self.attached.as_ref().map(|a| a.visitor),
            id_number: personal(&self.id_number),
            no_document: self.no_document && !anonymous,
            name: personal(&self.name),
            phone: personal(&self.phone),
            address: personal(&self.address),
            channel: self.channel(),
            headcount,
            representatives: self
                .representatives
                .value()
                .split(|c: char| c == '、' || c == ',' || c == '，' || c.is_whitespace())
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            matter,
            department,
            facts,
        })
    }

    /// Shows a field error beside its field and moves there.
    pub fn field_error(&mut self, e: FieldError, ctx: &mut Ctx) {
        if let Some(f) = F::of_domain(e.field) {
            self.focus = f;
            self.errors.insert(f, e.message.clone());
        }
        ctx.error(e.message);
    }

    fn save(&mut self, ctx: &mut Ctx) {
        if ctx.outbox.is_waiting(Slot::Register) {
            return;
        }
        self.check_leaving();
        let checked = self.input(ctx).and_then(|input| {
            registration::validate(&input, &ctx.info.rules(ctx.today)).map(|_| input)
        });
        match checked {
            Ok(input) => {
                self.errors.clear();
                ctx.command(Slot::Register, Command::Register(Box::new(input)));
                ctx.info_notice("正在登记…");
            }
            Err(e) => self.field_error(e, ctx),
        }
    }

    pub fn registered(&mut self, r: Registered, ctx: &mut Ctx) {
        let how = match (&r.warning, r.repeat) {
            (Some(_), _) if r.pending_at_lower_level => "下级已受理，本级不予受理，登记为事项",
            (Some(_), _) => "原事项已终结，不再受理，登记为事项",
            (None, true) => "重复访，已追加到事项",
            (None, false) => "新立事项",
        };
        ctx.info_notice(format!(
            "已登记：{} 号，{how} {}，前面还有 {} 号",
            r.ticket_label, r.matter_number, r.waiting_ahead
        ));
        self.issued = Some(r);
    }

    /// A blank form for the next visitor (after a ticket was issued).
    fn reset(&mut self, ctx: &mut Ctx) {
        let department = self.department.index();
        *self = IntakeScreen::new(&ctx.info);
        self.department.select(department);
        ctx.outbox.cancel(Slot::PanelLookup);
        ctx.outbox.cancel(Slot::PanelProfile);
        ctx.outbox.cancel(Slot::PanelCandidates);
    }

    fn edit(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Option<bool> {
        let changed = match self.focus {
            F::IdNumber => self.id_number.handle(key),
            F::NoDocument => match key.code {
                KeyCode::Char(' ') => {
                    self.no_document = !self.no_document;
                    Some(true)
                }
                _ => None,
            },
            F::Name => self.name.handle(key),
            F::Phone => self.phone.handle(key),
            F::Address => self.address.handle(key),
            F::Channel => self.channel.handle(key),
            F::Anonymous => match key.code {
                KeyCode::Char(' ') => {
                    self.anonymous = !self.anonymous;
                    Some(true)
                }
                _ => None,
            },
            F::Level => self.level.handle(key),
            F::LowerBody => self.lower_body.handle(key),
            F::LowerUntil => self.lower_until.handle(key),
            F::Headcount => self.headcount.handle(key),
            F::Representatives => self.representatives.handle(key),
            F::Category => self.category.handle(key),
            F::ContentClass => self.content_class.handle(key),
            F::Place => self.place.handle(key),
            F::Summary => self.summary.handle(key),
            F::Demands => self.demands.handle(key),
            F::Accused => self.accused.handle(key),
            F::AccusedDepartment => self.accused_department.handle(key),
            F::Department => self.department.handle(key),
        }?;
        if changed {
            self.errors.remove(&self.focus);
            if self.focus == F::Anonymous {
                // The personal fields are hidden now or back empty-handed: no stale errors.
                self.errors.retain(|f, _| !f.personal());
                if self.is_anonymous() {
                    // Nobody is recognised in an anonymous letter.
                    self.panel.clear(ctx);
                    self.attached = None;
                }
            }
            if matches!(self.focus, F::IdNumber | F::NoDocument) {
                self.refresh_id_status(ctx);
            }
            self.panel_search(ctx);
            self.ask_candidates(ctx);
        }
        Some(changed)
    }
}

impl Component for IntakeScreen {
    fn event(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Consumed {
        if self.issued.is_some() {
            // Any key after the ticket: a blank form; F-keys and Esc still do their job.
            self.reset(ctx);
            return match key.code {
                KeyCode::F(_) | KeyCode::Esc => Consumed::No,
                _ => Consumed::Yes,
            };
        }
        if is_submit(&key) {
            self.save(ctx);
            return Consumed::Yes;
        }
        match key.code {
            KeyCode::F(9) => {
                self.cycle_attach(ctx);
                return Consumed::Yes;
            }
            KeyCode::PageDown | KeyCode::PageUp => {
                self.panel
                    .move_selection(key.code == KeyCode::PageDown, ctx);
                self.ask_candidates(ctx);
                return Consumed::Yes;
            }
            _ if is_back_tab(&key) => {
                self.move_focus(false);
                return Consumed::Yes;
            }
            KeyCode::Tab => {
                self.move_focus(true);
                return Consumed::Yes;
            }
            // In the summary ↑/↓ move between its lines.
            KeyCode::Down if self.focus != F::Summary => {
                self.move_focus(true);
                return Consumed::Yes;
            }
            KeyCode::Up if self.focus != F::Summary => {
                self.move_focus(false);
                return Consumed::Yes;
            }
            KeyCode::Enter if self.focus != F::Summary => {
                self.move_focus(true);
                return Consumed::Yes;
            }
            _ => {}
        }
        match self.edit(key, ctx) {
            Some(_) => Consumed::Yes,
            None => Consumed::No,
        }
    }

    fn commands(&self) -> Vec<KeyHint> {
        if self.issued.is_some() {
            return vec![hint("Enter", "登记下一位")];
        }
        let choice = matches!(
            self.focus,
            F::Channel
                | F::Level
                | F::Category
                | F::ContentClass
                | F::AccusedDepartment
                | F::Department
        );
        let hits = self.panel.has_hits();
        vec![
            hint("F6", "保存登记"),
            hint("Tab", "下一项"),
            hint("←→", "选择").when(choice),
            hint("空格", "勾选").when(matches!(self.focus, F::NoDocument | F::Anonymous)),
            hint("Enter", "换行").when(self.focus == F::Summary),
            hint("F9", "关联在办事项").when(hits),
            hint("PgDn", "下一位").when(hits),
            hint("Ctrl-S", "保存").quiet(),
            hint("Shift-Tab", "上一项").quiet(),
            hint("Ctrl-U", "清空本栏").quiet(),
        ]
    }

    fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let panel_cols = if area.width >= 110 { 44 } else { 30 };
        let [form_area, panel_area] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(panel_cols)]).areas(area);
        self.draw_form(f, form_area, ctx);
        self.panel
            .draw(f, panel_area, ctx, self.attached.as_ref().map(|a| a.matter));
        if let Some(r) = &self.issued {
            draw_ticket(f, area, r, ctx);
        }
    }
}

impl IntakeScreen {
    fn draw_form(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let block = t.block(" 来访登记 ");
        let inner = block.inner(area);
        f.render_widget(block, area);
        // The summary grows with the terminal; every other field is one row.
        // The last two rows repeat the error in full: beside a field it may be cut.
        const ERROR_ROWS: u16 = 2;
        let shown = ORDER
            .iter()
            .filter(|f| !self.skipped(**f) && !f.beside())
            .count() as u16;
        let fixed = shown.saturating_sub(1);
        let summary_rows = inner.height.saturating_sub(fixed + ERROR_ROWS).clamp(1, 8);
        let mut y = inner.y;
        let bottom = (inner.y + inner.height).saturating_sub(ERROR_ROWS);
        if let Some((field, message)) = self.shown_error() {
            // Messages that already name the field are not prefixed twice.
            let text = if message.starts_with(field.label()) {
                format!("！{message}")
            } else {
                format!("！{}：{message}", field.label())
            };
            let line = Line::styled(text, t.error());
            f.render_widget(
                Paragraph::new(line).wrap(Wrap { trim: false }),
                Rect {
                    y: bottom,
                    height: ERROR_ROWS.min(inner.height),
                    ..inner
                },
            );
        }
        for field in ORDER {
            let rows = if field == F::Summary { summary_rows } else { 1 };
            if field == F::Category {
                // The matter part of the form starts here.
                if let Some(a) = &self.attached {
                    if y < bottom {
                        let line = Line::from(vec![
                            Span::styled(" 关联事项 ", t.label()),
                            Span::styled(a.number.clone(), t.ok()),
                            Span::styled(
                                if a.closed_for_good {
                                    "（已终结·不再受理，F9 切换）"
                                } else {
                                    "（重复访，F9 切换/取消）"
                                },
                                t.dim(),
                            ),
                        ]);
                        f.render_widget(
                            Paragraph::new(line),
                            Rect {
                                y,
                                height: 1,
                                ..inner
                            },
                        );
                    }
                    y += 1;
                }
            }
            if self.skipped(field) || field.beside() {
                continue;
            }
            if y + rows > bottom {
                break;
            }
            let row = Rect {
                y,
                height: rows,
                ..inner
            };
            self.draw_field(f, field, row, ctx);
            y += rows;
        }
    }

    /// What shows beside a field: its error, or a hint.
    fn note(&self, field: F) -> (String, Note) {
        if let Some(e) = self.errors.get(&field) {
            return (e.clone(), Note::Error);
        }
        let note = match field {
            F::IdNumber => match &self.id_status {
                IdStatus::Empty => "18位，末位可为X".to_string(),
                IdStatus::Partial(n) => format!("已输入{n}位，还差{}位", 18 - n),
                IdStatus::Valid(info) => return (info.clone(), Note::Ok),
                IdStatus::Error(e) => return (e.clone(), Note::Error),
            },
            F::Headcount => match self.headcount_value() {
                Ok(n) if n >= self.group_threshold => {
                    return ("集体访：请登记推选的代表".to_string(), Note::Ok)
                }
                _ => format!("{}人及以上为集体访", self.group_threshold),
            },
            F::Representatives => "集体访填代表，用、分隔".to_string(),
            F::Accused => "保密，仅纪委监委可见".to_string(),
            F::AccusedDepartment => "不转交该部门".to_string(),
            F::Anonymous => "不登记姓名证件".to_string(),
            F::Level => "已到过的最高层级".to_string(),
            F::LowerBody => "下级已受理时填写".to_string(),
            F::LowerUntil => "期限内本级不予受理".to_string(),
            _ => String::new(),
        };
        (note, Note::Hint)
    }

    /// The columns a field's input would like.
    fn want(&self, field: F, rest: u16) -> u16 {
        match field {
            F::IdNumber => 19,
            F::Name => 12,
            F::Phone => 14,
            F::Headcount => 4,
            F::NoDocument | F::Anonymous => 3,
            F::Channel => self.channel.cols(),
            F::Level => self.level.cols(),
            F::Category => self.category.cols(),
            F::ContentClass => self.content_class.cols(),
            F::AccusedDepartment => self.accused_department.cols(),
            F::Department => self.department.cols(),
            F::LowerBody => 16,
            F::LowerUntil => 11,
            _ => rest,
        }
    }

    /// A row: the field, its partner beside it when shown, and the note of the one focused
    /// (or in error), as room allows.
    fn draw_field(&self, f: &mut Frame, field: F, row: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let line = Rect { height: 1, ..row };
        let rest = label_cell(f, line, field.label(), 10, self.focus == field, t);
        let partner = field.partner().filter(|p| !self.skipped(*p));
        let noted = partner
            .filter(|p| self.focus == *p || self.errors.contains_key(p))
            .unwrap_or(field);
        let (note, kind) = self.note(noted);
        let last_area = match partner {
            None => {
                let want = self.want(field, rest.width);
                let min = if want < rest.width { want } else { 12 };
                let (input, note_area) = with_note(rest, want, &note, min);
                self.draw_input(f, field, input, row.height, ctx);
                note_area
            }
            Some(p) => {
                let cols = self.want(field, rest.width).min(rest.width);
                self.draw_input(
                    f,
                    field,
                    Rect {
                        width: cols,
                        ..rest
                    },
                    1,
                    ctx,
                );
                let after = Rect {
                    x: rest.x + cols + 1,
                    width: rest.width.saturating_sub(cols + 1),
                    ..rest
                };
                let label_cols = text_width(p.label()) as u16 + 2;
                let prest = label_cell(f, after, p.label(), label_cols, self.focus == p, t);
                let want = self.want(p, prest.width);
                let (input, note_area) = with_note(prest, want, &note, want.min(prest.width));
                self.draw_input(f, p, input, 1, ctx);
                note_area
            }
        };
        let note_style = match kind {
            Note::Error => t.error(),
            Note::Ok => t.ok(),
            Note::Hint => t.dim(),
        };
        f.render_widget(
            Paragraph::new(Span::styled(note, note_style)),
            Rect {
                height: 1,
                ..last_area
            },
        );
    }

    fn draw_input(&self, f: &mut Frame, field: F, input: Rect, rows: u16, ctx: &Ctx) {
        let t = &ctx.theme;
        let focused = self.focus == field;
        let style = t.input_for(focused);
        match field {
            F::IdNumber => self.id_number.render(f, input, style, focused),
            F::NoDocument => draw_checkbox(f, input, self.no_document, style, focused),
            F::Anonymous => draw_checkbox(f, input, self.anonymous, style, focused),
            F::Level => self.level.render(f, input, style, focused),
            F::LowerBody => self.lower_body.render(f, input, style, focused),
            F::LowerUntil => self.lower_until.render(f, input, style, focused),
            F::Name => self.name.render(f, input, style, focused),
            F::Phone => self.phone.render(f, input, style, focused),
            F::Address => self.address.render(f, input, style, focused),
            F::Channel => self.channel.render(f, input, style, focused),
            F::Headcount => self.headcount.render(f, input, style, focused),
            F::Representatives => self.representatives.render(f, input, style, focused),
            F::Category => self.category.render(f, input, style, focused),
            F::ContentClass => self.content_class.render(f, input, style, focused),
            F::Place => self.place.render(f, input, style, focused),
            F::Summary => {
                let area = Rect {
                    height: rows,
                    ..input
                };
                self.summary.render(f, area, style, focused)
            }
            F::Demands => self.demands.render(f, input, style, focused),
            F::Accused => self.accused.render(f, input, style, focused),
            F::AccusedDepartment => self.accused_department.render(f, input, style, focused),
            F::Department => self.department.render(f, input, style, focused),
        }
    }
}

/// `[x]` or `[ ]`, with the cursor inside when focused.
fn draw_checkbox(
    f: &mut Frame,
    area: Rect,
    checked: bool,
    style: ratatui::style::Style,
    focused: bool,
) {
    let mark = if checked { "[x]" } else { "[ ]" };
    f.render_widget(Paragraph::new(mark).style(style), area);
    if focused {
        f.set_cursor_position((area.x + 1, area.y));
    }
}

/// A date as an officer types it: `2026-12-31`, `2026/12/31`, `20261231`, full-width digits too.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = crate::domain::text::to_halfwidth(text.trim());
    let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
    let separated = text
        .chars()
        .filter(|c| !c.is_ascii_digit())
        .all(|c| c == '-' || c == '/');
    if digits.len() != 8 || !separated {
        return None;
    }
    NaiveDate::parse_from_str(&digits, "%Y%m%d").ok()
}
