//! The values every front end exchanges with the hall: commands, queries,
//! replies and events. Plain serde types, so the same values travel in-process
//! and over the network.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::audit::AuditRecord;
use crate::domain::department::{Department, DeptCode};
use crate::domain::evaluation::EvaluationStep;
pub use crate::domain::ledger::LedgerKind;
use crate::domain::ledger::LedgerLines;
use crate::domain::lifecycle::{
    DeadlineStatus, State, Tier, TimeLimits, Transition, TransitionKind,
};
use crate::domain::matter::{Category, Matter, MatterId, Outcome};
use crate::domain::officer::{OfficerInfo, Role};
use crate::domain::oversight::{Oversight, OversightKind, Supervision};
use crate::domain::registration::RegistrationInput;
use crate::domain::registration::Rules;
use crate::domain::stats::daily::DailyReport;
use crate::domain::stats::period::Period;
use crate::domain::stats::report::StatsReport;
use crate::domain::ticket::TicketId;
use crate::domain::time::Timestamp;
use crate::domain::visit::{Channel, VisitId};
use crate::domain::visitor::{KeyGrade, KeyGradeChange, VisitorId};
use crate::notice::NoticeKind;

/// What a desk may know before anyone logs in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HallInfo {
    pub name: String,
    pub departments: Vec<Department>,
    pub content_classes: Vec<String>,
    pub group_visit_threshold: u16,
    pub max_representatives: usize,
    /// Seconds east of UTC, for showing times the way the hall counts them.
    pub utc_offset_seconds: i32,
    /// No account exists yet: the desk offers the first-run setup.
    pub needs_setup: bool,
    /// Accounts of a `--demo` hall, shown on its login screen.
    pub demo_accounts: Vec<DemoAccount>,
    /// The holiday file misses a year a working-day deadline may reach: said at login.
    pub calendar_warning: Option<String>,
    /// The visit levels intake offers, the hall's own first (`本级 / 到市 / 到省 / 进京`).
    pub visit_levels: Vec<String>,
}

impl HallInfo {
    /// The rules a registration is checked against on `today`: the same at the desk, in
    /// a ledger import and in the service.
    pub fn rules(&self, today: NaiveDate) -> Rules<'_> {
        Rules {
            departments: &self.departments,
            content_classes: &self.content_classes,
            group_threshold: self.group_visit_threshold,
            max_representatives: self.max_representatives,
            today,
            visit_levels: self.visit_levels.len(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoAccount {
    pub username: String,
    pub password: String,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SessionToken(pub String);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub token: SessionToken,
    pub officer: OfficerInfo,
    pub desk: String,
    /// An administrator set this password: until the officer changes it
    /// (`Command::SetPassword` on their own account), everything else is refused.
    pub must_change_password: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewOfficer {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub department: DeptCode,
    pub password: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Command {
    /// Register a visit: new or known visitor, new matter or a repeat on an open one; issues a ticket.
    Register(Box<RegistrationInput>),
    /// Call the next waiting ticket of the officer's department to this desk.
    CallNext,
    /// Announce this desk's current ticket again.
    Recall,
    /// 过号: the called visitor is absent; the ticket goes back to the end of the queue, marked.
    Skip,
    /// Record the outcome of this desk's current reception.
    Finish {
        outcome: Outcome,
        note: String,
    },
    /// Route a matter to another department (转送, or 交办 when `assigned`).
    Route {
        matter: MatterId,
        to: DeptCode,
        assigned: bool,
        reason: String,
    },
    AddNote {
        matter: MatterId,
        text: String,
    },
    /// Any step of the matter's lifecycle outside a window's reception: acceptance by written
    /// notice, extension, reply, 复查 / 复核, return by the receiving department … `note` is an
    /// optional remark kept in the history. A `Transition::Route` is the `Route` command, with
    /// `note` as its required reason.
    Step {
        matter: MatterId,
        step: Transition,
        note: String,
    },
    SetKeyGrade {
        visitor: VisitorId,
        grade: Option<KeyGrade>,
        reason: String,
    },
    AddOfficer(NewOfficer),
    SetPassword {
        username: String,
        password: String,
    },
    SetDisabled {
        username: String,
        disabled: bool,
    },
    /// Lifts a lockout after wrong passwords before its 15 minutes are up (administrators).
    UnlockAccount {
        username: String,
    },
    /// The desk's lock screen: the session's officer types the password again. A wrong one
    /// counts toward the lockout; the lockout ends the session.
    ConfirmPassword {
        password: String,
    },
    /// 满意度评价 of the latest written answer, or a 第三方评价 step: by the handling
    /// department's window officers or leaders (and administrators).
    Evaluate {
        matter: MatterId,
        step: EvaluationStep,
    },
    /// 督办, 领导批示, 领导包案, 回访 on a matter (see `domain::oversight`).
    Oversee {
        matter: MatterId,
        action: Oversight,
    },
    /// One row of a hall's existing ledger (`lianfang import`): validated as the desk
    /// validates a registration, recorded at the row's time without a ticket, and
    /// skipped when the same row was imported before.
    ImportVisit(Box<LedgerImport>),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CommandReply {
    Registered(Registered),
    /// The desk now serves this ticket (call next, recall).
    Serving(Serving),
    Done,
    /// An imported ledger row; `duplicate` when it had been imported before.
    Imported {
        duplicate: bool,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registered {
    pub visitor: VisitorId,
    pub visit: VisitId,
    pub matter: MatterId,
    pub matter_number: String,
    pub ticket: TicketId,
    /// `人社-007`, read out to the visitor.
    pub ticket_label: String,
    pub department: DeptCode,
    /// The visit was attached to an open matter.
    pub repeat: bool,
    /// Tickets waiting before this one.
    pub waiting_ahead: usize,
    /// What the officer must tell the visitor: the visit was on a 终结 matter and is
    /// recorded as 不再受理 (Art 36), or it is pending at a lower level and recorded as
    /// 不予受理 (Art 19).
    pub warning: Option<String>,
    /// The new matter is 不予受理 because a lower level has it within its limit (Art 19).
    pub pending_at_lower_level: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Serving {
    pub ticket: TicketId,
    pub label: String,
    pub visitor: VisitorId,
    pub matter: MatterId,
    pub headcount: u16,
    pub called: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Query {
    /// One text box: identity number or prefix, phone or last 4 digits, name, pinyin initials, matter number.
    Lookup {
        text: String,
        limit: usize,
    },
    /// A visitor's profile. `full_id` unmasks the identity number and phone (audited).
    Visitor {
        id: VisitorId,
        full_id: bool,
    },
    Matter(MatterId),
    Queue,
    /// What this desk is serving now.
    MyDesk,
    MatterAudit(MatterId),
    Officers,
    /// Open matters whose deadline is past or within the warning days (临期预警), most
    /// overdue first: the officer's department, or with `hall_wide` every department
    /// (leaders and administrators).
    DueMatters {
        hall_wide: bool,
    },
    /// 同人+同事: before registering a known visitor's visit as a new matter, the matters it may
    /// repeat — theirs or a co-petitioner's, same content class and place, open or 终结. The
    /// officer confirms one by registering with `MatterChoice::Attach` (a 终结 one is then
    /// recorded as 不再受理), or rejects them all by registering a new matter.
    RepeatCandidates {
        visitor: VisitorId,
        content_class: String,
        place: String,
    },
    /// A page of the visit or matter ledger (export), in date order. The first page
    /// (`after` none) is audited; full identity numbers are for administrators only.
    Ledger(LedgerRequest),
    /// 数据统计 of a period with 环比 and 同比: the hall for leaders and administrators, the
    /// officer's own department for desks.
    Stats {
        period: Period,
    },
    /// The leader's daily report (领导日报) of a day, in the same scope as `Stats`.
    DailyReport {
        date: NaiveDate,
    },
    /// Matters under 督办, earliest due first, until cleared: those the officer's department
    /// holds, or with `hall_wide` every department (leaders and administrators).
    SupervisedMatters {
        hall_wide: bool,
    },
    /// A written notice of a matter filled from the hall's template, for printing; refused
    /// when the matter has not reached the step it tells about. Audited: the text leaves the
    /// service with the visitor's name on it.
    Notice {
        matter: MatterId,
        kind: NoticeKind,
    },
    /// The whole audit trail, oldest first, narrowed by the filter (administrators).
    Audit(AuditFilter),
}

/// Which audit records `Query::Audit` returns; every field narrows, none set means all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub matter: Option<MatterId>,
    pub officer: Option<String>,
    /// From this instant on (inclusive).
    pub from: Option<Timestamp>,
    /// Before this instant (exclusive).
    pub to: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QueryReply {
    Lookup(Vec<LookupHit>),
    Visitor(Box<VisitorProfile>),
    Matter(Box<MatterDetail>),
    Queue(QueueView),
    Desk(Option<Serving>),
    Audit(Vec<AuditRecord>),
    Officers(Vec<OfficerInfo>),
    Matters(Vec<MatterBrief>),
    Ledger(LedgerPage),
    Stats(Box<StatsReport>),
    Daily(Box<DailyReport>),
    Notice(NoticeText),
}

/// A filled notice, ready to show and print.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeText {
    pub kind: NoticeKind,
    pub matter_number: String,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum MatchKind {
    IdNumber,
    Phone,
    MatterNumber,
    Name,
    IdPrefix,
    PhoneSuffix,
    NamePrefix,
    Initials,
    Pinyin,
}

impl MatchKind {
    pub fn label(self) -> &'static str {
        match self {
            MatchKind::IdNumber => "身份证号",
            MatchKind::Phone => "电话",
            MatchKind::MatterNumber => "事项编号",
            MatchKind::Name => "姓名",
            MatchKind::IdPrefix => "身份证号前缀",
            MatchKind::PhoneSuffix => "电话尾号",
            MatchKind::NamePrefix => "姓名开头",
            MatchKind::Initials => "拼音首字母",
            MatchKind::Pinyin => "拼音",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupHit {
    pub visitor: VisitorId,
    pub name: String,
    pub id_masked: String,
    pub phone_masked: String,
    pub visit_count: u32,
    pub last_visit: Option<Timestamp>,
    pub open_matters: u32,
    pub departments: Vec<DeptCode>,
    pub key_grade: Option<KeyGrade>,
    pub matched: MatchKind,
    /// The worst deadline tier among the open matters this officer may see.
    pub tier: Option<Tier>,
    /// 领导包案: a leader in charge of one of those matters.
    pub lead: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatterBrief {
    pub id: MatterId,
    pub number: String,
    /// The state as it reads today: a 复查 window that ran out unused reads as lapsed.
    pub state: State,
    /// The state as the desk shows it (`已交办`, `超期未申请复查` …).
    pub status: String,
    pub category: Category,
    pub content_class: String,
    pub department: DeptCode,
    pub summary: String,
    pub received: Timestamp,
    /// The next legal deadline with its days left and tier; none once the matter is closed.
    pub deadline: Option<DeadlineStatus>,
    /// 督办, until cleared.
    pub supervision: Option<Supervision>,
    /// 领导包案: the name of the leader in charge.
    pub lead: Option<String>,
}

impl MatterBrief {
    pub fn of(m: &Matter, limits: &TimeLimits, today: NaiveDate) -> MatterBrief {
        let state = m.status.status_on(today, limits);
        MatterBrief {
            id: m.id,
            number: m.number.clone(),
            state,
            status: m.status.label_on(today, limits).to_string(),
            category: m.category,
            content_class: m.content_class.clone(),
            department: m.department.clone(),
            summary: m.summary.clone(),
            received: m.received,
            deadline: m.status.deadline_status(limits, today),
            supervision: m.supervision.clone(),
            lead: m.lead.as_ref().map(|l| l.name.clone()),
        }
    }

    pub fn is_open(&self) -> bool {
        !self.state.is_closed()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitView {
    pub id: VisitId,
    pub at: Timestamp,
    pub channel: Channel,
    pub headcount: u16,
    pub group: bool,
    pub department: DeptCode,
    pub desk: String,
    pub officer: String,
    pub matter: MatterId,
    pub matter_number: String,
    pub repeat: bool,
    pub ticket_label: Option<String>,
    pub representatives: Vec<String>,
    /// The highest level the visitor had already gone to (`本级`, `到省` …).
    pub level: String,
    /// 越级访 (see `visit_facts::is_skip_level`).
    pub skip_level: bool,
    /// An anonymous letter or call.
    pub anonymous: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorCard {
    pub id: VisitorId,
    pub name: String,
    /// The full number only when asked with `full_id`; otherwise masked.
    pub id_number: String,
    pub no_document: bool,
    pub birth_date: Option<String>,
    pub sex: Option<String>,
    pub region: Option<String>,
    pub phone: String,
    pub address: String,
    pub key_grade: Option<KeyGrade>,
    pub first_seen: Timestamp,
    pub visit_count: u32,
    pub last_visit: Option<Timestamp>,
    /// Registered from an anonymous letter or call.
    pub anonymous: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorProfile {
    pub card: VisitorCard,
    /// Every change of the key-person grade, oldest first: who, when, why.
    pub key_grades: Vec<KeyGradeChange>,
    /// Newest first.
    pub visits: Vec<VisitView>,
    /// Open matters first, then newest first.
    pub matters: Vec<MatterBrief>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatterDetail {
    pub matter: Matter,
    /// State, label and next deadline as the lists show them.
    pub brief: MatterBrief,
    /// Every clock running in the current state, earliest first (a routed matter runs two).
    pub deadlines: Vec<DeadlineStatus>,
    pub visitor_names: Vec<(VisitorId, String)>,
    pub visits: Vec<VisitView>,
    /// What the asking officer may do to the matter now: the desk's action panel lists these.
    pub actions: Vec<DeskAction>,
}

/// An action a desk may take on an opened matter: a lifecycle step or an oversight action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeskAction {
    Step(TransitionKind),
    Oversee(OversightKind),
}

impl DeskAction {
    pub fn label(self) -> &'static str {
        match self {
            DeskAction::Step(k) => k.label(),
            DeskAction::Oversee(k) => k.label(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueEntry {
    pub ticket: TicketId,
    pub label: String,
    pub issued: Timestamp,
    pub headcount: u16,
    pub group: bool,
    /// Earlier visits of this visitor (重复访 ×N when above zero).
    pub earlier_visits: u32,
    pub key_grade: Option<KeyGrade>,
    pub skipped: u8,
    pub name_masked: String,
    /// The deadline tier of the ticket's matter; none for a 检举控告类 one (the queue is public).
    pub tier: Option<Tier>,
    /// 领导包案: the leader in charge of the ticket's matter; none for a 检举控告类 one.
    pub lead: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeptQueue {
    pub department: Department,
    pub waiting: Vec<QueueEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskView {
    pub desk: String,
    pub officer: String,
    pub department: DeptCode,
    pub ticket_label: Option<String>,
    pub name_masked: Option<String>,
    pub since: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueView {
    pub now: Timestamp,
    pub departments: Vec<DeptQueue>,
    pub desks: Vec<DeskView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Increases by one per event; a gap means events were missed.
    pub seq: u64,
    pub kind: EventKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    QueueChanged {
        department: DeptCode,
    },
    TicketCalled {
        label: String,
        department: DeptCode,
        desk: String,
    },
    MatterChanged {
        matter: MatterId,
    },
    VisitorChanged {
        visitor: VisitorId,
    },
    OfficersChanged,
    /// The link to the server went down or came back (network front end only).
    Connection {
        online: bool,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerRequest {
    pub kind: LedgerKind,
    /// First and last day, inclusive, in the hall's time zone.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub full_id: bool,
    /// Where the previous page ended.
    pub after: Option<Vec<u8>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerPage {
    pub lines: LedgerLines,
    /// Ask again with this as `after` for the next page; none after the last.
    pub next: Option<Vec<u8>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerImport {
    /// The row's number in its file, for the audit record.
    pub row: u64,
    /// [`crate::domain::ledger::VisitLine::row_key`]: the same row imported again is skipped.
    pub row_key: String,
    pub at: Timestamp,
    /// Source visitor and matter numbers: rows sharing them share a visitor or matter.
    pub visitor_no: String,
    pub matter_number: String,
    /// As the desk's intake form would send it; always a new matter, attached to the
    /// row's source matter once that was imported.
    pub input: RegistrationInput,
}
