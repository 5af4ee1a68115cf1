//! `LocalHall`: the service in-process, over the one sled store.

mod accounts;
mod audit;
mod backup;
mod evaluation;
mod ledger;
mod lower_level;
mod notices;
mod oversight;
mod repeat;
mod stats;
mod steps;

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, RwLock};

use chrono::{Datelike, NaiveDate};
use crossbeam_channel::Receiver;

use super::api::*;
use super::auth;
use super::clock::{Clock, SystemClock};
use super::error::{HallError, HallResult};
use super::events::EventBus;
use super::lookup::{self, Rank};
use super::permissions::{self, Action};
use super::views;
use super::Hall;
use crate::config::HallConfig;
use crate::domain::audit::AuditRecord;
use crate::domain::department::{Department, DeptCode};
use crate::domain::identity::IdNumber;
use crate::domain::lifecycle::{LifecycleError, RefusalGround, Tier, Transition};
use crate::domain::matter::{
    matter_number, Accused, HistoryEntry, HistoryKind, Matter, MatterId, Outcome, Subject,
};
use crate::domain::officer::{valid_username, Officer, OfficerInfo, Role};
use crate::domain::registration::{
    self, text_field, Field, FieldError, MatterChoice, NewMatter, RegistrationInput, Rules,
    MAX_NOTE,
};
use crate::domain::ticket::{ticket_label, DeskState, Ticket, TicketState};
use crate::domain::time::Timestamp;
use crate::domain::visit::Visit;
use crate::domain::visitor::{KeyGradeChange, MatterGlance, OpenMatterRef, Visitor, VisitorId};
use crate::store::crypt;
use crate::store::keys::{self, TreeId};
use crate::store::{Store, Writer};

pub const MAX_LOOKUP_LIMIT: usize = 100;

pub struct LocalHall {
    store: Store,
    config: HallConfig,
    clock: Box<dyn Clock>,
    sessions: RwLock<HashMap<SessionToken, Session>>,
    bus: EventBus,
    demo_accounts: Vec<DemoAccount>,
    /// The queue as last built: every desk asks for it after every change to it, and it
    /// reads every waiting ticket with its visitor and matter.
    queue_cache: Mutex<Option<CachedQueue>>,
}

/// A queue view and what it was built from: the store's commit count and the day (the
/// tiers and which tickets still wait depend on it).
struct CachedQueue {
    generation: u64,
    day: NaiveDate,
    view: QueueView,
}

impl LocalHall {
    pub fn open(data_dir: &Path, config: HallConfig) -> HallResult<LocalHall> {
        let key_file = crypt::key_path(data_dir, config.key_file.as_deref());
        let store = Store::open(&data_dir.join("db"), config.cache_mb, &key_file)?;
        Ok(LocalHall::with_store(store, config, Box::new(SystemClock)))
    }

    pub fn with_store(mut store: Store, config: HallConfig, clock: Box<dyn Clock>) -> LocalHall {
        store.set_tally_rules(config.tally_rules());
        LocalHall {
            store,
            config,
            clock,
            sessions: RwLock::new(HashMap::new()),
            bus: EventBus::default(),
            demo_accounts: Vec::new(),
            queue_cache: Mutex::new(None),
        }
    }

    /// A throw-away hall in a temporary sled database.
    pub fn temporary(config: HallConfig, clock: Box<dyn Clock>) -> HallResult<LocalHall> {
        Ok(LocalHall::with_store(Store::temporary()?, config, clock))
    }

    /// An administrator session for the command line run by the hall's owner: officer
    /// `system` at desk `命令行`. Not an account (nobody can log in as it); what it does is
    /// audited like any other session, starting with this opening.
    pub fn system_session(&self) -> HallResult<SessionToken> {
        let session = Session {
            token: auth::new_token(),
            officer: OfficerInfo {
                username: "system".into(),
                display_name: "命令行".into(),
                role: Role::Admin,
                department: self.config.intake_department().code.clone(),
                disabled: false,
            },
            desk: "命令行".into(),
            must_change_password: false,
        };
        self.store
            .write(|w| self.audit(w, &session, "命令行登录".into(), None, None))?;
        let token = session.token.clone();
        self.sessions
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(token.clone(), session);
        Ok(token)
    }

    pub fn set_demo_accounts(&mut self, accounts: Vec<DemoAccount>) {
        self.demo_accounts = accounts;
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn config(&self) -> &HallConfig {
        &self.config
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub fn last_event_seq(&self) -> u64 {
        self.bus.last_seq()
    }

    fn session(&self, token: &SessionToken) -> HallResult<Session> {
        self.sessions
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(token)
            .cloned()
            .ok_or(HallError::NotLoggedIn)
    }

    /// Today in the hall's time zone: the day legal clocks count in.
    fn today(&self) -> NaiveDate {
        self.now().local_date(self.config.timezone)
    }

    fn brief(&self, m: &Matter) -> MatterBrief {
        MatterBrief::of(m, &self.config.limits, self.today())
    }

    /// Takes one lifecycle step on a matter, or says why it cannot be taken.
    fn apply_step(&self, m: &mut Matter, transition: Transition) -> HallResult<()> {
        m.status = m
            .status
            .apply(transition, self.today(), &self.config.limits)
            .map_err(|e| refused(m, e))?;
        Ok(())
    }

    fn rules(&self) -> Rules<'_> {
        Rules {
            departments: &self.config.departments,
            content_classes: &self.config.content_classes,
            group_threshold: self.config.group_visit_threshold,
            max_representatives: self.config.max_representatives,
            today: self.now().local_date(self.config.timezone),
            visit_levels: self.config.visit_levels.len(),
        }
    }

    fn audit(
        &self,
        w: &mut Writer,
        s: &Session,
        action: String,
        matter: Option<MatterId>,
        visitor: Option<VisitorId>,
    ) -> HallResult<()> {
        self.audit_as(w, &s.officer.username, &s.desk, action, matter, visitor)
    }

    /// Creates an account; used by setup, the admin command and the command line.
    pub fn create_officer(&self, w: &mut Writer, new: &NewOfficer) -> HallResult<Officer> {
        if !valid_username(&new.username) {
            return Err(FieldError::new(
                Field::Username,
                "用户名只能用 2 到 32 个英文字母、数字、下划线、点或连字符",
            )
            .into());
        }
        let display_name = text_field(Field::Username, "姓名", &new.display_name, 20, true)?;
        auth::check_password_rules(&new.username, &new.password)?;
        if self.config.department(&new.department).is_none() {
            return Err(FieldError::new(
                Field::Department,
                format!("没有代码为“{}”的部门", new.department),
            )
            .into());
        }
        if w.get::<Officer>(new.username.as_bytes())?.is_some() {
            return Err(HallError::Conflict(format!(
                "用户名“{}”已经存在",
                new.username
            )));
        }
        let officer = Officer {
            username: new.username.clone(),
            display_name,
            role: new.role,
            department: new.department.clone(),
            password_hash: auth::hash_password(&new.password)?,
            disabled: false,
            created: self.now(),
        };
        w.put(&officer)?;
        Ok(officer)
    }

    /// Adds an account without a session: the command line's `user add` and `init`.
    pub fn add_officer_direct(&self, new: &NewOfficer) -> HallResult<()> {
        self.store
            .write(|w| self.create_officer(w, new).map(|_| ()))
    }

    /// Sets a password or the disabled flag without a session (command line, run by the hall's owner).
    pub fn update_officer_direct(
        &self,
        username: &str,
        password: Option<&str>,
        disabled: Option<bool>,
    ) -> HallResult<()> {
        self.store
            .write(|w| self.update_officer(w, username, password, disabled))?;
        if disabled == Some(true) || password.is_some() {
            self.end_sessions_of(username);
        }
        Ok(())
    }

    fn update_officer(
        &self,
        w: &mut Writer,
        username: &str,
        password: Option<&str>,
        disabled: Option<bool>,
    ) -> HallResult<()> {
        let mut officer: Officer = w
            .get(username.as_bytes())?
            .ok_or_else(|| HallError::NotFound(format!("用户“{username}”")))?;
        if let Some(p) = password {
            auth::check_password_rules(username, p)?;
            officer.password_hash = auth::hash_password(p)?;
        }
        if let Some(d) = disabled {
            officer.disabled = d;
        }
        w.put(&officer)?;
        Ok(())
    }

    /// Logs an account out everywhere, so a change to it takes effect at once.
    fn end_sessions_of(&self, username: &str) {
        self.sessions
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|_, s| s.officer.username != username);
    }

    pub fn list_officers(&self) -> HallResult<Vec<OfficerInfo>> {
        self.store
            .all::<Officer>()
            .map(|o| Ok(OfficerInfo::from(&o?)))
            .collect()
    }

    // ---- commands ------------------------------------------------------

    fn register(
        &self,
        s: &Session,
        input: RegistrationInput,
    ) -> HallResult<(CommandReply, Vec<EventKind>)> {
        permissions::require(&s.officer, Action::Register)?;
        let valid = registration::validate(&input, &self.rules())?;
        let now = self.now();
        let dept = self
            .config
            .department(&valid.department)
            .cloned()
            .ok_or_else(|| HallError::NotFound("部门".into()))?;

        let registered = self.store.write(|w| -> HallResult<Registered> {
            // Register each person once: a known identity number means a known visitor.
            let holder = match &valid.id_number {
                Some(n) => self.holder_of(n)?,
                None => None,
            };
            let known = valid.visitor.or(holder);
            let mut visitor = match known {
                Some(id) => {
                    let mut v: Visitor = w
                        .get_id(id)?
                        .ok_or_else(|| HallError::NotFound("该来访人".into()))?;
                    if v.anonymous {
                        return Err(FieldError::new(
                            Field::Name,
                            "匿名登记的来访人无法核实身份，不能再选为来访人；请按新来访人登记",
                        )
                        .into());
                    }
                    if let (Some(stored), Some(given)) = (&v.id_number, &valid.id_number) {
                        // A legacy 15-digit number and its 18-digit form are one person.
                        if stored.to_18() != given.to_18() {
                            return Err(FieldError::new(
                                Field::IdNumber,
                                "输入的身份证号码与所选来访人登记的号码不一致，请核对或取消选择",
                            )
                            .into());
                        }
                    }
                    if valid.visitor.is_none() && v.name != valid.name {
                        // Found by the number alone: a different name means a mistyped
                        // number far more often than a renamed person, who can be picked.
                        return Err(FieldError::new(
                            Field::IdNumber,
                            format!(
                                "该身份证号码已登记为来访人“{}”，与输入的姓名“{}”不一致。请核对号码；如来访人已改名，请在查重列表中选择该来访人后登记",
                                v.name, valid.name
                            ),
                        )
                        .into());
                    }
                    if let Some(other) = holder.filter(|h| *h != v.id) {
                        // A picked visitor without a number must not take someone else's.
                        let name = w
                            .get_id::<Visitor>(other)?
                            .map(|o| o.name.as_str().to_string())
                            .unwrap_or_default();
                        return Err(FieldError::new(
                            Field::IdNumber,
                            format!("该身份证号码已登记给来访人“{name}”，请核对号码，或在查重列表中选择该来访人"),
                        )
                        .into());
                    }
                    if v.id_number.is_none() {
                        v.id_number = valid.id_number.clone();
                    }
                    if valid.phone.is_some() {
                        v.phone = valid.phone.clone();
                    }
                    if !valid.address.is_empty() {
                        v.address = valid.address.clone();
                    }
                    v
                }
                None => valid.new_visitor(w.next("seq.visitor")?, now),
            };

            let visit_id = w.next("seq.visit")?;
            // A visit on a 终结 matter: recorded on a matter of its own, marked 不再受理.
            let mut warning = None;
            let mut came_before = false;
            let (mut matter, attached) = match &valid.matter {
                MatterChoice::Attach(id) => {
                    let m: Matter = w
                        .get_id(*id)?
                        .ok_or_else(|| HallError::NotFound("要追加来访的事项".into()))?;
                    permissions::require_visible(&s.officer, &self.config, &m)?;
                    if m.status.is_final() {
                        let (fresh, text) =
                            self.not_accepted_again(w, s, &m, &valid.department, now)?;
                        warning = Some(text);
                        came_before = m.visitors.contains(&visitor.id);
                        (fresh, false)
                    } else if !m.is_open() {
                        return Err(HallError::Conflict(format!(
                            "事项 {} 已{}，不能再追加来访；请登记为新事项",
                            m.number,
                            m.status.label()
                        )));
                    } else {
                        (m, true)
                    }
                }
                MatterChoice::New(new) => {
                    let mut m = self.new_matter(w, s, new, &valid.department, now)?;
                    if let Some(lower) = &valid.facts.lower_level {
                        warning = self.pending_at_lower_level(&mut m, lower, s, now)?;
                    }
                    (m, false)
                }
            };
            permissions::may_hold(&self.config, &dept.code, &matter)?;
            let today = now.day_number(self.config.timezone);
            if known.is_some() {
                self.refuse_second_ticket(w, &visitor, &dept, today)?;
            }
            // Read before this ticket is staged: the tickets it waits behind.
            let waiting_ahead = self.queue_head(w, &dept.code, today)?.waiting_today;
            // 重复访: this visitor came before on this matter (or on the 终结 matter this
            // visit repeats). A co-petitioner who joins an open matter is attached to it but
            // is not a repeat visitor.
            let joined = matter.visitors.contains(&visitor.id);
            let repeat = came_before || joined;
            if !joined {
                matter.visitors.push(visitor.id);
            }
            matter.visits.push(visit_id);
            if attached {
                matter.history.push(HistoryEntry {
                    at: now,
                    officer: s.officer.username.clone(),
                    kind: HistoryKind::RepeatVisit { visit: visit_id },
                });
            }

            let label = self.next_ticket_label(w, &dept, now)?;
            let ticket_id = w.next("seq.ticket")?;
            let ticket = Ticket {
                id: ticket_id,
                department: dept.code.clone(),
                label,
                order: w.next("seq.queue")?,
                visitor: visitor.id,
                visit: visit_id,
                matter: matter.id,
                headcount: valid.headcount,
                issued: now,
                called: None,
                finished: None,
                skipped: 0,
                state: TicketState::Waiting,
            };
            let visit = Visit {
                id: visit_id,
                visitor: visitor.id,
                matter: matter.id,
                at: now,
                channel: valid.channel,
                headcount: valid.headcount,
                representatives: valid.representatives.clone(),
                department: dept.code.clone(),
                desk: s.desk.clone(),
                officer: s.officer.username.clone(),
                ticket: Some(ticket.id),
                repeat,
                level: valid.facts.level,
                anonymous: valid.facts.anonymous,
            };

            visitor
                .summary
                .record_visit(now, &dept.code, matter.confidential());
            // The matter's other visitors are refreshed below; this one is put once.
            note_matter(&mut visitor, &matter);
            w.put(&visitor)?;
            w.put(&matter)?;
            refresh_open_matter(w, &matter)?;
            w.put(&visit)?;
            w.put(&ticket)?;
            let action = format!(
                "登记来访 {} {}事项 {}",
                ticket.label,
                match (attached, &warning) {
                    (true, _) => "追加到",
                    (false, None) => "新建",
                    (false, Some(_)) => "新建不再受理",
                },
                matter.number
            );
            self.audit(w, s, action, Some(matter.id), Some(visitor.id))?;
            Ok(Registered {
                visitor: visitor.id,
                visit: visit_id,
                matter: matter.id,
                matter_number: matter.number.clone(),
                ticket: ticket.id,
                ticket_label: ticket.label.clone(),
                department: dept.code.clone(),
                repeat: attached,
                waiting_ahead,
                pending_at_lower_level: matter.status.refusal.as_ref().is_some_and(|r| {
                    r.ground == RefusalGround::PendingElsewhere
                }),
                warning,
            })
        })?;
        let events = vec![
            EventKind::QueueChanged {
                department: registered.department.clone(),
            },
            EventKind::VisitorChanged {
                visitor: registered.visitor,
            },
            EventKind::MatterChanged {
                matter: registered.matter,
            },
        ];
        Ok((CommandReply::Registered(registered), events))
    }

    /// A matter as registered by intake, numbered in this year's sequence.
    fn new_matter(
        &self,
        w: &mut Writer,
        s: &Session,
        new: &NewMatter,
        department: &DeptCode,
        now: Timestamp,
    ) -> HallResult<Matter> {
        let tz = self.config.timezone;
        let year = now.local(tz).year();
        let seq = w.next(&format!("seq.matter.{year}"))?;
        let id = w.next("seq.matter")?;
        let subject = Subject {
            category: new.category,
            content_class: new.content_class.clone(),
            place: new.place.clone(),
            summary: new.summary.clone(),
            demands: new.demands.clone(),
            accused: new.category.confidential().then(|| Accused {
                party: new.accused.clone(),
                department: new.accused_department.clone(),
            }),
        };
        let number = matter_number(year, seq);
        let officer = s.officer.username.clone();
        let department = department.clone();
        Ok(Matter::registered(
            id, number, subject, department, now, tz, officer,
        ))
    }

    /// A new request on a 终结 matter (Art 36): registered as a matter of its own — it counts
    /// as a 批次 — and at once 不再受理, citing the earlier matter, which stays closed.
    /// Returns the matter and the warning the desk shows.
    fn not_accepted_again(
        &self,
        w: &mut Writer,
        s: &Session,
        closed: &Matter,
        department: &DeptCode,
        now: Timestamp,
    ) -> HallResult<(Matter, String)> {
        let ended = closed
            .status
            .recheck_answered
            .unwrap_or(closed.status.since);
        let reason = format!(
            "同一事项 {} 已于 {ended} 复核答复终结，同一事实和理由不再受理",
            closed.number
        );
        let same = NewMatter {
            category: closed.category,
            content_class: closed.content_class.clone(),
            place: closed.place.clone(),
            summary: closed.summary.clone(),
            demands: closed.demands.clone(),
            accused: closed
                .accused
                .as_ref()
                .map(|a| a.party.clone())
                .unwrap_or_default(),
            accused_department: closed.accused_department().cloned(),
        };
        let mut m = self.new_matter(w, s, &same, department, now)?;
        self.refuse_at_registration(&mut m, RefusalGround::AlreadyFinal, reason, s, now)?;
        let warning = format!(
            "事项 {} 已于 {ended} 终结：复核意见为最终处理意见，同一事实和理由不再受理（《信访工作条例》第三十六条）。本次来访已登记为事项 {}，记为不再受理；原事项不重新办理",
            closed.number, m.number
        );
        Ok((m, warning))
    }

    /// Records a matter just registered as refused on `ground`, in its state and history.
    fn refuse_at_registration(
        &self,
        m: &mut Matter,
        ground: RefusalGround,
        reason: String,
        s: &Session,
        now: Timestamp,
    ) -> HallResult<()> {
        let step = Transition::Refuse { ground, reason };
        self.apply_step(m, step.clone())?;
        m.history.push(HistoryEntry {
            at: now,
            officer: s.officer.username.clone(),
            kind: HistoryKind::Step {
                step,
                note: String::new(),
            },
        });
        Ok(())
    }

    /// Today's waiting tickets of a department, in queue order; an earlier day's
    /// are left out until [`Self::call_head`] marks them lapsed.
    fn waiting_tickets(&self, dept: &DeptCode) -> HallResult<Vec<Ticket>> {
        let today = self.now().day_number(self.config.timezone);
        let mut waiting = Vec::new();
        for (_, v) in self.store.scan(
            TreeId::IxQueue,
            &keys::queue_prefix(dept.as_str()),
            usize::MAX,
        )? {
            let Some(t) = keys::trailing_id(&v).map(|id| self.store.get_id::<Ticket>(id)) else {
                continue;
            };
            match t? {
                Some(t) if !t.outlived(today, self.config.timezone) => waiting.push(t),
                _ => {}
            }
        }
        Ok(waiting)
    }

    /// The ticket to call next in this officer's department. Earlier days' tickets
    /// at the head are marked lapsed on the way, so calling starts with today's.
    fn call_head(&self, w: &mut Writer, s: &Session, now: Timestamp) -> HallResult<Option<Ticket>> {
        let today = now.day_number(self.config.timezone);
        let head = self.queue_head(w, &s.officer.department, today)?;
        let mut lapsed = Vec::new();
        for mut t in head.outlived {
            t.state = TicketState::Lapsed;
            w.put(&t)?;
            lapsed.push(t.label);
        }
        if !lapsed.is_empty() {
            let what = format!("前一日未叫的号作废：{}", lapsed.join("、"));
            self.audit(w, s, what, None, None)?;
        }
        Ok(head.first)
    }

    /// A department's queue read from its head as far as today's first ticket; only
    /// those are read, since a busy day's queue is long and every registration and
    /// every call reads it (its length is the store's count). The queue follows issue
    /// order across days, so an earlier day's tickets stand before today's until the
    /// first call of the day lapses them.
    fn queue_head(&self, w: &Writer, dept: &DeptCode, today: u32) -> HallResult<QueueHead> {
        let prefix = keys::queue_prefix(dept.as_str());
        let tz = self.config.timezone;
        let mut outlived = Vec::new();
        let mut first = None;
        self.store.scan_while(TreeId::IxQueue, &prefix, |_, v| {
            match keys::trailing_id(v).map_or(Ok(None), |id| w.get_id::<Ticket>(id))? {
                Some(t) if t.outlived(today, tz) => outlived.push(t),
                Some(t) => first = Some(t),
                None => {}
            }
            Ok(first.is_none())
        })?;
        let waiting = w.count(TreeId::IxQueue, &prefix)?;
        Ok(QueueHead {
            waiting_today: waiting.saturating_sub(outlived.len()),
            outlived,
            first,
        })
    }

    /// A visitor waits in a department's queue once: a second ticket would call them
    /// twice. Read from the visitor's own visits, newest first, not from the queue:
    /// visits are numbered as they are registered, so the first ticket of an earlier day
    /// ends today's (visits without a ticket, imported or older, are passed over).
    fn refuse_second_ticket(
        &self,
        w: &Writer,
        visitor: &Visitor,
        dept: &Department,
        today: u32,
    ) -> HallResult<()> {
        let tz = self.config.timezone;
        // Last seen on an earlier day: no ticket of today, and nothing to read (three
        // random pages of a large hall saved on most repeat visits).
        if visitor
            .summary
            .last_visit
            .is_some_and(|t| t.day_number(tz) < today)
        {
            return Ok(());
        }
        let visits = self.store.list(TreeId::IxVisitorVisits, visitor.id)?;
        for visit in visits.into_iter().rev() {
            let Some(ticket) = w.get_id::<Visit>(visit)?.and_then(|v| v.ticket) else {
                continue;
            };
            let Some(t) = w.get_id::<Ticket>(ticket)? else {
                continue;
            };
            if t.issued.day_number(tz) < today {
                break;
            }
            if t.state == TicketState::Waiting && t.department == dept.code {
                return Err(HallError::Conflict(format!(
                    "{}已持有{}的 {} 号（{} 取号），正在等候，不再发第二个号；请告知来访人按原号等候叫号",
                    visitor.name.as_str(),
                    dept.name,
                    t.label,
                    t.issued.format(tz)
                )));
            }
        }
        Ok(())
    }

    /// Today's next ticket label of a department. Numbers restart every day, but a
    /// ticket from an earlier day may still sit at a desk: its label is skipped, so
    /// that calling `公安-001` never brings two visitors to the desk. (An earlier
    /// day's waiting tickets are never called: they lapse.)
    fn next_ticket_label(
        &self,
        w: &mut Writer,
        dept: &Department,
        now: Timestamp,
    ) -> HallResult<String> {
        let tz = self.config.timezone;
        let today = now.day_number(tz);
        let mut earlier = Vec::new();
        for desk in self.store.all::<DeskState>() {
            let Some(id) = desk?.ticket else {
                continue;
            };
            if let Some(t) = w.get_id::<Ticket>(id)? {
                if t.department == dept.code && t.issued.day_number(tz) != today {
                    earlier.push(t.label);
                }
            }
        }
        loop {
            let seq = w.next(&format!("seq.ticket.{}.{today}", dept.code))?;
            let label = ticket_label(&dept.ticket_prefix, seq);
            if !earlier.contains(&label) {
                return Ok(label);
            }
        }
    }

    /// The visitor registered with this identity number, in either its legacy
    /// 15-digit or its 18-digit form (the index holds the 18-digit form of both).
    fn holder_of(&self, n: &IdNumber) -> HallResult<Option<VisitorId>> {
        let key = self
            .store
            .term_prefix(TreeId::IxIdNumber, n.to_18().as_str());
        Ok(self
            .store
            .scan_ids(TreeId::IxIdNumber, &key, 1)?
            .first()
            .copied())
    }

    /// The ticket this desk is serving, whoever called it.
    fn desk_ticket(&self, w: &Writer, s: &Session) -> HallResult<Option<(DeskState, Ticket)>> {
        let desk: Option<DeskState> = w.get(s.desk.as_bytes())?;
        let Some((desk, id)) = desk.and_then(|d| d.ticket.map(|id| (d, id))) else {
            return Ok(None);
        };
        let t: Ticket = w
            .get_id(id)?
            .ok_or_else(|| HallError::NotFound("本窗口正在接待的号".into()))?;
        Ok(Some((desk, t)))
    }

    /// The ticket this desk is serving, for the officer to act on: desk names are
    /// typed at login, so an officer of another department may sit at a desk
    /// where a reception is still open, and must not finish or skip it.
    fn current_ticket(&self, w: &Writer, s: &Session) -> HallResult<(DeskState, Ticket)> {
        let Some((desk, t)) = self.desk_ticket(w, s)? else {
            return Err(HallError::Conflict(
                "本窗口当前没有正在接待的来访人，请先按 F5 叫号".into(),
            ));
        };
        if t.department != s.officer.department {
            return Err(HallError::Denied(format!(
                "本窗口正在接待的 {} 是{}的号，只能由{}的窗口处理",
                t.label,
                self.config.dept_short(&t.department),
                self.config.dept_short(&t.department)
            )));
        }
        Ok((desk, t))
    }

    fn serving(t: &Ticket) -> Serving {
        Serving {
            ticket: t.id,
            label: t.label.clone(),
            visitor: t.visitor,
            matter: t.matter,
            headcount: t.headcount,
            called: t.called.unwrap_or(t.issued),
        }
    }

    fn call_next(&self, s: &Session) -> HallResult<(CommandReply, Vec<EventKind>)> {
        permissions::require(&s.officer, Action::ServeQueue)?;
        let now = self.now();
        let dept = s.officer.department.clone();
        let serving = self.store.write(|w| -> HallResult<Serving> {
            if let Some((_, t)) = self.desk_ticket(w, s)? {
                return Err(HallError::Conflict(format!(
                    "本窗口正在接待 {}，请先记录办理结果（F6）或过号（F8）",
                    t.label
                )));
            }
            // The write lock is held, so the head of the queue cannot be taken by another desk.
            let Some(mut t) = self.call_head(w, s, now)? else {
                return Err(HallError::Conflict("本部门当前没有等候的来访人".into()));
            };
            t.state = TicketState::Called {
                desk: s.desk.clone(),
                officer: s.officer.username.clone(),
            };
            t.called = Some(now);
            w.put(&t)?;
            w.put(&DeskState {
                desk: s.desk.clone(),
                officer: s.officer.username.clone(),
                department: dept.clone(),
                ticket: Some(t.id),
                since: now,
            })?;
            self.audit(
                w,
                s,
                format!("叫号 {}", t.label),
                Some(t.matter),
                Some(t.visitor),
            )?;
            Ok(Self::serving(&t))
        })?;
        let events = vec![
            EventKind::TicketCalled {
                label: serving.label.clone(),
                department: dept.clone(),
                desk: s.desk.clone(),
            },
            EventKind::QueueChanged { department: dept },
        ];
        Ok((CommandReply::Serving(serving), events))
    }

    fn recall(&self, s: &Session) -> HallResult<(CommandReply, Vec<EventKind>)> {
        permissions::require(&s.officer, Action::ServeQueue)?;
        let serving = self.store.write(|w| -> HallResult<Serving> {
            let (_, t) = self.current_ticket(w, s)?;
            self.audit(
                w,
                s,
                format!("重呼 {}", t.label),
                Some(t.matter),
                Some(t.visitor),
            )?;
            Ok(Self::serving(&t))
        })?;
        let events = vec![EventKind::TicketCalled {
            label: serving.label.clone(),
            department: s.officer.department.clone(),
            desk: s.desk.clone(),
        }];
        Ok((CommandReply::Serving(serving), events))
    }

    fn skip(&self, s: &Session) -> HallResult<(CommandReply, Vec<EventKind>)> {
        permissions::require(&s.officer, Action::ServeQueue)?;
        let now = self.now();
        self.store.write(|w| -> HallResult<()> {
            let (mut desk, mut t) = self.current_ticket(w, s)?;
            t.state = TicketState::Waiting;
            t.called = None;
            t.skipped = t.skipped.saturating_add(1);
            t.order = w.next("seq.queue")?;
            w.put(&t)?;
            desk.ticket = None;
            desk.since = now;
            w.put(&desk)?;
            self.audit(
                w,
                s,
                format!("过号 {}（回到队尾）", t.label),
                Some(t.matter),
                Some(t.visitor),
            )
        })?;
        let events = vec![EventKind::QueueChanged {
            department: s.officer.department.clone(),
        }];
        Ok((CommandReply::Done, events))
    }

    fn check_target(&self, to: &DeptCode, m: &Matter) -> HallResult<()> {
        if self.config.department(to).is_none() {
            return Err(
                FieldError::new(Field::Department, format!("没有代码为“{to}”的部门")).into(),
            );
        }
        if *to == m.department {
            return Err(FieldError::new(
                Field::Department,
                "不能转给事项当前所在的部门，请选择其他部门",
            )
            .into());
        }
        permissions::may_hold(&self.config, to, m)
    }

    fn finish(
        &self,
        s: &Session,
        outcome: Outcome,
        note: String,
    ) -> HallResult<(CommandReply, Vec<EventKind>)> {
        permissions::require(&s.officer, Action::ServeQueue)?;
        let note = text_field(
            Field::Note,
            "办理意见",
            &note,
            MAX_NOTE,
            outcome.needs_note(),
        )?;
        let now = self.now();
        let (department, matter_id, visitors) = self.store.write(|w| {
            let (mut desk, mut t) = self.current_ticket(w, s)?;
            let mut m: Matter = w
                .get_id(t.matter)?
                .ok_or_else(|| HallError::NotFound("事项".into()))?;
            if let Outcome::Forwarded { to } | Outcome::Assigned { to } = &outcome {
                self.check_target(to, &m)?;
            }
            let decided = !m.awaits_decision();
            m.record_outcome(&outcome, &note, self.today(), &self.config.limits)
                .map_err(|e| match refused(&m, e) {
                    // A later ticket on a decided matter: the visitor came to ask how it stands.
                    HallError::Conflict(text) if decided => HallError::Conflict(format!(
                        "{text}如本次只是向来访人说明办理情况，请选“当场答复”结束接待"
                    )),
                    other => other,
                })?;
            save_changed_matter(
                w,
                &mut m,
                s,
                now,
                HistoryKind::Outcome {
                    outcome: outcome.clone(),
                    note: note.clone(),
                },
            )?;
            t.state = TicketState::Done {
                outcome: outcome.clone(),
                officer: s.officer.username.clone(),
            };
            t.finished = Some(now);
            w.put(&t)?;
            desk.ticket = None;
            desk.since = now;
            w.put(&desk)?;
            self.audit(
                w,
                s,
                format!("接待完毕 {} {} 事项 {}", t.label, outcome.label(), m.number),
                Some(m.id),
                Some(t.visitor),
            )?;
            // The desk served this ticket's queue, whatever the matter's department.
            Ok::<_, HallError>((t.department.clone(), m.id, m.visitors.clone()))
        })?;
        let mut events = vec![
            EventKind::QueueChanged { department },
            EventKind::MatterChanged { matter: matter_id },
        ];
        events.extend(visitors_changed(visitors));
        Ok((CommandReply::Done, events))
    }

    fn route(
        &self,
        s: &Session,
        matter: MatterId,
        to: DeptCode,
        assigned: bool,
        reason: String,
    ) -> HallResult<(CommandReply, Vec<EventKind>)> {
        let reason = text_field(Field::Note, "转送理由", &reason, MAX_NOTE, true)?;
        let now = self.now();
        let visitors = self.store.write(|w| {
            let mut m: Matter = w
                .get_id(matter)?
                .ok_or_else(|| HallError::NotFound("事项".into()))?;
            permissions::require_visible(&s.officer, &self.config, &m)?;
            permissions::may_route(&s.officer, &self.config, &m.department)?;
            self.apply_step(
                &mut m,
                Transition::Route {
                    to: to.clone(),
                    assigned,
                },
            )?;
            self.check_target(&to, &m)?;
            let from = std::mem::replace(&mut m.department, to.clone());
            save_changed_matter(
                w,
                &mut m,
                s,
                now,
                HistoryKind::Routed {
                    from: from.clone(),
                    to: to.clone(),
                    assigned,
                    reason: reason.clone(),
                },
            )?;
            let verb = if assigned { "交办" } else { "转送" };
            self.audit(
                w,
                s,
                format!("{verb}事项 {} {from} → {to}", m.number),
                Some(m.id),
                None,
            )?;
            Ok::<_, HallError>(m.visitors)
        })?;
        let mut events = vec![EventKind::MatterChanged { matter }];
        events.extend(visitors_changed(visitors));
        Ok((CommandReply::Done, events))
    }

    fn add_note(
        &self,
        s: &Session,
        matter: MatterId,
        text: String,
    ) -> HallResult<(CommandReply, Vec<EventKind>)> {
        permissions::require(&s.officer, Action::AddNote)?;
        let text = text_field(Field::Note, "备注", &text, MAX_NOTE, true)?;
        let now = self.now();
        self.store.write(|w| {
            let mut m: Matter = w
                .get_id(matter)?
                .ok_or_else(|| HallError::NotFound("事项".into()))?;
            permissions::require_visible(&s.officer, &self.config, &m)?;
            m.history.push(HistoryEntry {
                at: now,
                officer: s.officer.username.clone(),
                kind: HistoryKind::Note { text: text.clone() },
            });
            w.put(&m)?;
            self.audit(
                w,
                s,
                format!("添加备注 事项 {}", m.number),
                Some(m.id),
                None,
            )
        })?;
        Ok((
            CommandReply::Done,
            vec![EventKind::MatterChanged { matter }],
        ))
    }

    fn set_key_grade(
        &self,
        s: &Session,
        visitor: VisitorId,
        grade: Option<crate::domain::visitor::KeyGrade>,
        reason: String,
    ) -> HallResult<(CommandReply, Vec<EventKind>)> {
        permissions::require(&s.officer, Action::SetKeyGrade)?;
        let reason = text_field(Field::Note, "理由", &reason, MAX_NOTE, true)?;
        let now = self.now();
        self.store.write(|w| {
            let mut v: Visitor = w
                .get_id(visitor)?
                .ok_or_else(|| HallError::NotFound("来访人".into()))?;
            v.key_grade = grade;
            w.put(&v)?;
            let seq = w.next("seq.key_grade")?;
            w.put(&KeyGradeChange {
                seq,
                visitor,
                grade,
                reason: reason.clone(),
                at: now,
                officer: s.officer.username.clone(),
            })?;
            let label = grade.map_or("取消", |g| g.label());
            self.audit(
                w,
                s,
                format!("重点人员等级 {label}：{reason}"),
                None,
                Some(v.id),
            )
        })?;
        Ok((
            CommandReply::Done,
            vec![EventKind::VisitorChanged { visitor }],
        ))
    }

    // ---- queries -------------------------------------------------------

    /// Whether the officer may see 检举控告类 matters, and so count them.
    fn sees_confidential(&self, officer: &OfficerInfo) -> bool {
        permissions::can_see(
            officer,
            &self.config,
            crate::domain::matter::Category::Accusation,
        )
    }

    fn lookup(&self, s: &Session, text: &str, limit: usize) -> HallResult<Vec<LookupHit>> {
        let limit = limit.clamp(1, MAX_LOOKUP_LIMIT);
        let mut best: HashMap<VisitorId, Rank> = HashMap::new();
        let keep = |best: &mut HashMap<VisitorId, Rank>, id: VisitorId, rank: Rank| {
            best.entry(id)
                .and_modify(|r| *r = (*r).min(rank))
                .or_insert(rank);
        };
        for scan in lookup::plan(text) {
            // Scans come best kind first: once `limit` visitors matched better, a
            // worse kind cannot place anyone.
            if best.len() >= limit && best.values().all(|r| r.kind < scan.kind) {
                break;
            }
            if scan.kind != MatchKind::MatterNumber {
                for (rank, id) in lookup::rank_scan(&self.store, &scan, limit)? {
                    keep(&mut best, id, rank);
                }
                continue;
            }
            // Matter numbers are typed whole from a notice; a short prefix of
            // one shows the visitors of its first matters only.
            for id in self
                .store
                .scan_ids(scan.tree, scan.term.as_bytes(), MAX_LOOKUP_LIMIT)?
            {
                let Some(m) = self.store.get_id::<Matter>(id)? else {
                    continue;
                };
                if !permissions::can_see_matter(&s.officer, &self.config, &m) {
                    continue;
                }
                for vid in m.visitors {
                    if let Some(v) = self.store.get_id::<Visitor>(vid)? {
                        keep(
                            &mut best,
                            vid,
                            Rank {
                                kind: scan.kind,
                                partial: false,
                                alternate: false,
                                recency: Reverse(v.summary.last_visit),
                            },
                        );
                    }
                }
            }
        }
        // Ranked from the index alone; only the winners are read.
        let mut ranked: Vec<(Rank, VisitorId)> = best.into_iter().map(|(id, r)| (r, id)).collect();
        ranked.sort_unstable();
        ranked.truncate(limit);
        let sees_confidential = self.sees_confidential(&s.officer);
        let mut hits = Vec::with_capacity(ranked.len());
        for (rank, id) in ranked {
            if let Some(v) = self.store.get_id::<Visitor>(id)? {
                let mut hit = views::hit(&v, rank.kind, sees_confidential);
                (hit.tier, hit.lead) = self.open_matter_marks(s, &v)?;
                hits.push(hit);
            }
        }
        Ok(hits)
    }

    /// The worst deadline tier among a visitor's open matters that the officer may see, and a
    /// leader in charge of one, from what the visitor record keeps of them; a matter is
    /// read only for a reference written before format 9 ([`OpenMatterRef::glance`]).
    fn open_matter_marks(
        &self,
        s: &Session,
        v: &Visitor,
    ) -> HallResult<(Option<Tier>, Option<String>)> {
        let sees_confidential = self.sees_confidential(&s.officer);
        let mut worst = None;
        let mut lead = None;
        for r in &v.summary.open_matters {
            if r.confidential && !sees_confidential {
                continue;
            }
            let glance = match &r.glance {
                Some(g) => Cow::Borrowed(g),
                None => match self.store.get_id::<Matter>(r.matter)? {
                    Some(m) => Cow::Owned(MatterGlance::of(&m)),
                    None => continue,
                },
            };
            let MatterGlance {
                category,
                accused_department,
                status,
                lead: leader,
            } = glance.as_ref();
            if permissions::can_see_subject(
                &s.officer,
                &self.config,
                *category,
                accused_department.as_ref(),
            ) {
                worst = worst.max(self.tier_of(status));
                lead = lead.or_else(|| leader.clone());
            }
        }
        Ok((worst, lead))
    }

    fn visit_views(
        &self,
        s: &Session,
        visits: impl Iterator<Item = Visit>,
    ) -> HallResult<Vec<VisitView>> {
        let mut out = Vec::new();
        for v in visits {
            let Some(m) = self.store.get_id::<Matter>(v.matter)? else {
                continue;
            };
            // A visit about an accusation would reveal it: hide both together.
            if !permissions::can_see_matter(&s.officer, &self.config, &m) {
                continue;
            }
            let label = match v.ticket {
                Some(t) => self.store.get_id::<Ticket>(t)?.map(|t| t.label),
                None => None,
            };
            out.push(views::visit_view(&v, &m, label, &self.config));
        }
        out.sort_by(|a, b| b.at.cmp(&a.at).then(b.id.cmp(&a.id)));
        Ok(out)
    }

    fn profile(&self, s: &Session, id: VisitorId, full: bool) -> HallResult<VisitorProfile> {
        let v: Visitor = self
            .store
            .get_id(id)?
            .ok_or_else(|| HallError::NotFound("该来访人".into()))?;
        if full {
            // Unmasking is audited (个人信息保护法).
            self.store.write(|w| {
                self.audit(
                    w,
                    s,
                    format!("查看完整身份信息 {}", v.masked_id()),
                    None,
                    Some(id),
                )
            })?;
        }
        let mut visits = Vec::new();
        for vid in self.store.list(TreeId::IxVisitorVisits, id)? {
            visits.extend(self.store.get_id::<Visit>(vid)?);
        }
        let mut matters = Vec::new();
        for mid in self.store.list(TreeId::IxVisitorMatters, id)? {
            if let Some(m) = self.store.get_id::<Matter>(mid)? {
                if permissions::can_see_matter(&s.officer, &self.config, &m) {
                    matters.push(self.brief(&m));
                }
            }
        }
        matters.sort_by(|a, b| {
            b.is_open()
                .cmp(&a.is_open())
                .then(b.received.cmp(&a.received))
        });
        // The grade's latest change says who graded the visitor, when and why.
        let mut key_grades = Vec::new();
        for (key, _) in self
            .store
            .scan(TreeId::KeyGrades, &keys::id_key(id), usize::MAX)?
        {
            key_grades.extend(self.store.get::<KeyGradeChange>(&key)?);
        }
        Ok(VisitorProfile {
            card: views::card(&v, full, self.sees_confidential(&s.officer)),
            key_grades,
            visits: self.visit_views(s, visits.into_iter())?,
            matters,
        })
    }

    fn matter_detail(&self, s: &Session, id: MatterId) -> HallResult<MatterDetail> {
        let m: Matter = self
            .store
            .get_id(id)?
            .ok_or_else(|| HallError::NotFound("该事项".into()))?;
        permissions::require_visible(&s.officer, &self.config, &m)?;
        let mut visitor_names = Vec::new();
        for vid in &m.visitors {
            if let Some(v) = self.store.get_id::<Visitor>(*vid)? {
                visitor_names.push((v.id, v.name.as_str().to_string()));
            }
        }
        let mut visits = Vec::new();
        for vid in &m.visits {
            visits.extend(self.store.get_id::<Visit>(*vid)?);
        }
        let limits = &self.config.limits;
        let today = self.today();
        let mut deadlines: Vec<_> = m
            .status
            .deadlines(limits)
            .into_iter()
            .map(|d| limits.status(d, today))
            .collect();
        deadlines.sort_by_key(|d| d.deadline.due);
        Ok(MatterDetail {
            actions: self.desk_actions(&s.officer, &m),
            brief: self.brief(&m),
            deadlines,
            visits: self.visit_views(s, visits.into_iter())?,
            visitor_names,
            matter: m,
        })
    }

    /// The queue, built again only when a command has committed or the day has changed
    /// since it was last built.
    fn queue(&self) -> HallResult<QueueView> {
        let generation = self.store.generation();
        let day = self.today();
        let mut cache = self.queue_cache.lock().unwrap_or_else(|p| p.into_inner());
        let view = match cache.as_ref() {
            Some(c) if c.generation == generation && c.day == day => c.view.clone(),
            _ => {
                let view = self.build_queue()?;
                *cache = Some(CachedQueue {
                    generation,
                    day,
                    view: view.clone(),
                });
                view
            }
        };
        Ok(QueueView {
            now: self.now(),
            ..view
        })
    }

    fn build_queue(&self) -> HallResult<QueueView> {
        let mut departments = Vec::new();
        for d in &self.config.departments {
            let mut waiting = Vec::new();
            for t in self.waiting_tickets(&d.code)? {
                let visitor = self.store.get_id::<Visitor>(t.visitor)?;
                let matter = self.store.get_id::<Matter>(t.matter)?;
                let confidential = matter.as_ref().is_some_and(|m| m.confidential());
                let mut entry =
                    views::queue_entry(&t, visitor.as_ref(), confidential, &self.config);
                // The queue is public: an accusation's tier and leader stay off it.
                if let Some(m) = matter.filter(|m| !m.confidential()) {
                    entry.tier = self.tier_of(&m.status);
                    entry.lead = m.lead.map(|l| l.name);
                }
                waiting.push(entry);
            }
            departments.push(DeptQueue {
                department: d.clone(),
                waiting,
            });
        }
        let mut desks = Vec::new();
        for desk in self.store.all::<DeskState>() {
            let desk = desk?;
            let ticket = desk
                .ticket
                .map(|id| self.store.get_id::<Ticket>(id))
                .transpose()?
                .flatten();
            let name = match &ticket {
                Some(t) => self
                    .store
                    .get_id::<Visitor>(t.visitor)?
                    .map(|v| v.masked_name()),
                None => None,
            };
            desks.push(DeskView {
                desk: desk.desk,
                officer: desk.officer,
                department: desk.department,
                ticket_label: ticket.map(|t| t.label),
                name_masked: name,
                since: desk.since,
            });
        }
        Ok(QueueView {
            now: self.now(),
            departments,
            desks,
        })
    }

    fn my_desk(&self, s: &Session) -> HallResult<Option<Serving>> {
        let desk: Option<DeskState> = self.store.get(s.desk.as_bytes())?;
        match desk.and_then(|d| d.ticket) {
            Some(id) => Ok(self.store.get_id::<Ticket>(id)?.map(|t| Self::serving(&t))),
            None => Ok(None),
        }
    }

    fn matter_audit(&self, s: &Session, id: MatterId) -> HallResult<Vec<AuditRecord>> {
        let m: Matter = self
            .store
            .get_id(id)?
            .ok_or_else(|| HallError::NotFound("该事项".into()))?;
        permissions::require_visible(&s.officer, &self.config, &m)?;
        self.audit_trail(&AuditFilter {
            matter: Some(id),
            ..AuditFilter::default()
        })
    }
}

/// What [`LocalHall::queue_head`] read of a department's queue.
struct QueueHead {
    /// Earlier days' tickets still waiting, in queue order.
    outlived: Vec<Ticket>,
    /// Today's first ticket.
    first: Option<Ticket>,
    /// How many of today's tickets wait.
    waiting_today: usize,
}

/// A refused lifecycle step in the words of the desk, naming the matter.
fn refused(m: &Matter, e: LifecycleError) -> HallError {
    match e {
        LifecycleError::Missing { .. } => FieldError::new(Field::Note, e.to_string()).into(),
        _ => HallError::Conflict(format!("事项 {}：{e}", m.number)),
    }
}

/// The visitors of a matter whose summaries `refresh_open_matter` may have changed.
fn visitors_changed(visitors: Vec<VisitorId>) -> impl Iterator<Item = EventKind> {
    visitors
        .into_iter()
        .map(|visitor| EventKind::VisitorChanged { visitor })
}

impl LocalHall {
    /// One change to a matter outside a reception, in one transaction: reads it, refuses it
    /// to whoever may not see it, lets `change` check and apply the change (returning its
    /// history entry and the words of its audit record), then saves it with its history and
    /// audit record. Events: the matter, and its visitors when their lists of open matters
    /// change with it (it opens, closes or moves to another department).
    fn change_matter(
        &self,
        s: &Session,
        matter: MatterId,
        change: impl Fn(&mut Matter) -> HallResult<(HistoryKind, String)>,
    ) -> HallResult<(CommandReply, Vec<EventKind>)> {
        let now = self.now();
        let visitors = self.store.write(|w| {
            let mut m: Matter = w
                .get_id(matter)?
                .ok_or_else(|| HallError::NotFound("事项".into()))?;
            permissions::require_visible(&s.officer, &self.config, &m)?;
            let listed = |m: &Matter| (m.is_open(), m.department.clone());
            let before = listed(&m);
            let (kind, what) = change(&mut m)?;
            let moved = listed(&m) != before;
            save_changed_matter(w, &mut m, s, now, kind)?;
            self.audit(w, s, format!("事项 {} {what}", m.number), Some(m.id), None)?;
            Ok::<_, HallError>(if moved { m.visitors } else { Vec::new() })
        })?;
        let mut events = vec![EventKind::MatterChanged { matter }];
        events.extend(visitors_changed(visitors));
        Ok((CommandReply::Done, events))
    }
}

/// Writes a matter whose state or department may have changed, with the history
/// entry saying what happened, and brings its visitors' open-matter lists up to date.
fn save_changed_matter(
    w: &mut Writer,
    m: &mut Matter,
    s: &Session,
    at: Timestamp,
    kind: HistoryKind,
) -> HallResult<()> {
    m.history.push(HistoryEntry {
        at,
        officer: s.officer.username.clone(),
        kind,
    });
    w.put(m)?;
    refresh_open_matter(w, m)
}

/// Keeps every visitor's list of open matters in step with the matter.
fn refresh_open_matter(w: &mut Writer, m: &Matter) -> HallResult<()> {
    for vid in &m.visitors {
        let Some(mut v) = w.get_id::<Visitor>(*vid)? else {
            continue;
        };
        let stored = v.clone();
        note_matter(&mut v, m);
        if v != stored {
            w.put(&v)?;
        }
    }
    Ok(())
}

/// `v`'s record of matter `m` as it now stands: among the open matters, with its glance,
/// while it is open, and its department among the visitor's.
fn note_matter(v: &mut Visitor, m: &Matter) {
    let open = &mut v.summary.open_matters;
    open.retain(|r| r.matter != m.id);
    if m.is_open() {
        open.push(OpenMatterRef::of(m));
    }
    v.summary.involve(&m.department, m.confidential());
}

impl Hall for LocalHall {
    fn info(&self) -> HallResult<HallInfo> {
        Ok(HallInfo {
            name: self.config.name.clone(),
            departments: self.config.departments.clone(),
            content_classes: self.config.content_classes.clone(),
            group_visit_threshold: self.config.group_visit_threshold,
            max_representatives: self.config.max_representatives,
            utc_offset_seconds: self.config.timezone.local_minus_utc(),
            needs_setup: self.store.is_empty_of::<Officer>(),
            demo_accounts: self.demo_accounts.clone(),
            calendar_warning: self.config.limits.calendar_warning(self.today()),
            visit_levels: self.config.visit_levels.clone(),
        })
    }

    fn setup(&self, admin: NewOfficer) -> HallResult<()> {
        if admin.role != Role::Admin {
            return Err(HallError::Denied("首次设置只能创建管理员账号".into()));
        }
        self.store.write(|w| {
            // Checked under the write lock, so two first-run screens cannot both succeed.
            if !w.store().is_empty_of::<Officer>() {
                return Err(HallError::Conflict(
                    "本大厅已经设置过管理员，请直接登录".into(),
                ));
            }
            self.create_officer(w, &admin).map(|_| ())
        })
    }

    fn login(&self, username: &str, password: &str, desk: &str) -> HallResult<Session> {
        self.sign_in(username, password, desk)
    }

    fn logout(&self, token: &SessionToken) -> HallResult<()> {
        self.sessions
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .remove(token);
        Ok(())
    }

    fn command(&self, token: &SessionToken, command: Command) -> HallResult<CommandReply> {
        let s = self.session(token)?;
        let own_password = matches!(&command, Command::SetPassword { username, .. } if *username == s.officer.username);
        if s.must_change_password && !own_password {
            return Err(HallError::MustChangePassword);
        }
        let (reply, events) = match command {
            Command::Register(input) => self.register(&s, *input),
            Command::CallNext => self.call_next(&s),
            Command::Recall => self.recall(&s),
            Command::Skip => self.skip(&s),
            Command::Finish { outcome, note } => self.finish(&s, outcome, note),
            Command::Route {
                matter,
                to,
                assigned,
                reason,
            } => self.route(&s, matter, to, assigned, reason),
            Command::AddNote { matter, text } => self.add_note(&s, matter, text),
            Command::Step { matter, step, note } => self.step_matter(&s, matter, step, note),
            Command::Evaluate { matter, step } => self.evaluate(&s, matter, step),
            Command::Oversee { matter, action } => self.oversee(&s, matter, action),
            Command::SetKeyGrade {
                visitor,
                grade,
                reason,
            } => self.set_key_grade(&s, visitor, grade, reason),
            c @ (Command::AddOfficer(_)
            | Command::SetPassword { .. }
            | Command::SetDisabled { .. }
            | Command::UnlockAccount { .. }) => self.officer_command(&s, c),
            Command::ConfirmPassword { password } => self.confirm_password(&s, &password),
            Command::ImportVisit(row) => self.import_visit(&s, *row),
        }?;
        self.bus.publish(events);
        Ok(reply)
    }

    fn query(&self, token: &SessionToken, query: Query) -> HallResult<QueryReply> {
        let s = self.session(token)?;
        if s.must_change_password {
            return Err(HallError::MustChangePassword);
        }
        let needed = if query == Query::Queue {
            Action::ViewQueue
        } else {
            Action::ViewRecords
        };
        permissions::require(&s.officer, needed)?;
        Ok(match query {
            Query::Lookup { text, limit } => QueryReply::Lookup(self.lookup(&s, &text, limit)?),
            Query::Visitor { id, full_id } => {
                if full_id {
                    permissions::require(&s.officer, Action::ViewFullIdentity)?;
                }
                QueryReply::Visitor(Box::new(self.profile(&s, id, full_id)?))
            }
            Query::Matter(id) => QueryReply::Matter(Box::new(self.matter_detail(&s, id)?)),
            Query::Queue => QueryReply::Queue(self.queue()?),
            Query::MyDesk => QueryReply::Desk(self.my_desk(&s)?),
            Query::MatterAudit(id) => QueryReply::Audit(self.matter_audit(&s, id)?),
            Query::DueMatters { hall_wide } => {
                QueryReply::Matters(self.due_matters(&s, hall_wide)?)
            }
            Query::SupervisedMatters { hall_wide } => {
                QueryReply::Matters(self.supervised_matters(&s, hall_wide)?)
            }
            Query::RepeatCandidates {
                visitor,
                content_class,
                place,
            } => {
                QueryReply::Matters(self.repeat_candidates(&s, visitor, &content_class, &place)?)
            }
            Query::Notice { matter, kind } => QueryReply::Notice(self.notice(&s, matter, kind)?),
            Query::Stats { period } => QueryReply::Stats(Box::new(self.stats(&s, period)?)),
            Query::DailyReport { date } => {
                QueryReply::Daily(Box::new(self.daily_report(&s, date)?))
            }
            Query::Officers => {
                permissions::require(&s.officer, Action::ManageOfficers)?;
                QueryReply::Officers(self.list_officers()?)
            }
            Query::Audit(filter) => {
                permissions::require(&s.officer, Action::ViewAudit)?;
                QueryReply::Audit(self.audit_trail(&filter)?)
            }
            Query::Ledger(request) => QueryReply::Ledger(self.ledger_page(&s, request)?),
        })
    }

    fn subscribe(&self) -> Receiver<crate::hall::api::Event> {
        self.bus.subscribe()
    }
}
