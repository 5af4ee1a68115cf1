//! The permissions matrix of the README, tried against the service: every command and
//! query, by every role, from the department holding the matter, another department
//! and the intake department (信访局). The table is read from README.md, so the
//! documented matrix and the service cannot drift apart.

mod support;

use std::cell::Cell;
use std::collections::BTreeSet;

use lianfang::domain::evaluation::{EvaluationStep, Satisfaction};
use lianfang::domain::lifecycle::Transition;
use lianfang::domain::matter::{MatterId, Outcome};
use lianfang::domain::officer::Role;
use lianfang::domain::oversight::{FollowUp, FollowUpWay, Oversight};
use lianfang::domain::stats::period::{Period, PeriodKind};
use lianfang::domain::visitor::{KeyGrade, VisitorId};
use lianfang::hall::{
    AuditFilter, Command, Hall, HallError, HallExt, LedgerImport, LedgerKind, LedgerRequest,
    NewOfficer, Query, SessionToken,
};
use lianfang::notice::NoticeKind;
use support::*;

/// Where the officer sits, seen from a matter held by 人社 (`rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Seat {
    Own,
    Other,
    Intake,
}

const SEATS: [(Seat, &str); 3] = [
    (Seat::Own, "rs"),
    (Seat::Other, "ga"),
    (Seat::Intake, "xfj"),
];

/// One cell of the table: who of the role may do it.
fn allows(cell: &str, seat: Seat) -> bool {
    match cell {
        "✓" => true,
        "✗" => false,
        "本部门" => seat == Seat::Own,
        "信访局" => seat == Seat::Intake,
        "本部门或信访局" => seat != Seat::Other,
        other => panic!("README 权限矩阵里有无法识别的格子“{other}”"),
    }
}

struct Row {
    key: String,
    cells: Vec<(Role, String)>,
}

/// The table between the markers in README.md: first column `Key` in backticks, then
/// one column per role, named by its label.
fn readme_matrix() -> Vec<Row> {
    let readme = include_str!("../README.md");
    let start = readme
        .find("<!-- 权限矩阵开始 -->")
        .expect("README has the matrix start marker");
    let end = readme
        .find("<!-- 权限矩阵结束 -->")
        .expect("README has the matrix end marker");
    let mut lines = readme[start..end]
        .lines()
        .filter(|l| l.trim_start().starts_with('|'));
    let cells = |line: &str| -> Vec<String> {
        line.trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_string())
            .collect()
    };
    let header = cells(lines.next().expect("a header row"));
    let roles: Vec<Role> = header[1..]
        .iter()
        .map(|h| Role::from_label(h).unwrap_or_else(|| panic!("unknown role column {h}")))
        .collect();
    assert_eq!(roles.len(), Role::ALL.len(), "one column per role");
    lines
        .skip(1) // the |---| line
        .map(|line| {
            let c = cells(line);
            let key = c[0]
                .split('`')
                .nth(1)
                .unwrap_or_else(|| panic!("first cell names the variant in backticks: {line}"))
                .to_string();
            let cells = roles.iter().copied().zip(c[1..].iter().cloned()).collect();
            Row { key, cells }
        })
        .collect()
}

/// Every variant's name; the exhaustive matches make a new variant fail to compile here.
fn command_name(c: &Command) -> &'static str {
    match c {
        Command::Register(_) => "Register",
        Command::CallNext => "CallNext",
        Command::Recall => "Recall",
        Command::Skip => "Skip",
        Command::Finish { .. } => "Finish",
        Command::Route { .. } => "Route",
        Command::AddNote { .. } => "AddNote",
        Command::Step { .. } => "Step",
        Command::SetKeyGrade { .. } => "SetKeyGrade",
        Command::AddOfficer(_) => "AddOfficer",
        Command::SetPassword { .. } => "SetPassword",
        Command::SetDisabled { .. } => "SetDisabled",
        Command::UnlockAccount { .. } => "UnlockAccount",
        Command::ConfirmPassword { .. } => "ConfirmPassword",
        Command::Evaluate { .. } => "Evaluate",
        Command::Oversee { .. } => "Oversee",
        Command::ImportVisit(_) => "ImportVisit",
    }
}

fn query_name(q: &Query) -> &'static str {
    match q {
        Query::Lookup { .. } => "Lookup",
        Query::Visitor { .. } => "Visitor",
        Query::Matter(_) => "Matter",
        Query::Queue => "Queue",
        Query::MyDesk => "MyDesk",
        Query::MatterAudit(_) => "MatterAudit",
        Query::Officers => "Officers",
        Query::DueMatters { .. } => "DueMatters",
        Query::RepeatCandidates { .. } => "RepeatCandidates",
        Query::Audit(_) => "Audit",
        Query::Notice { .. } => "Notice",
        Query::SupervisedMatters { .. } => "SupervisedMatters",
        Query::Stats { .. } => "Stats",
        Query::DailyReport { .. } => "DailyReport",
        Query::Ledger(_) => "Ledger",
    }
}

const ALL_VARIANTS: [&str; 32] = [
    "Register",
    "CallNext",
    "Recall",
    "Skip",
    "Finish",
    "Route",
    "AddNote",
    "Step",
    "SetKeyGrade",
    "AddOfficer",
    "SetPassword",
    "SetDisabled",
    "UnlockAccount",
    "ConfirmPassword",
    "Evaluate",
    "Oversee",
    "ImportVisit",
    "Lookup",
    "Visitor",
    "Matter",
    "Queue",
    "MyDesk",
    "MatterAudit",
    "Officers",
    "DueMatters",
    "RepeatCandidates",
    "Audit",
    "Notice",
    "SupervisedMatters",
    "Stats",
    "DailyReport",
    "Ledger",
];

enum Request {
    Command(Command),
    Query(Query),
}

impl Request {
    fn name(&self) -> &'static str {
        match self {
            Request::Command(c) => command_name(c),
            Request::Query(q) => query_name(q),
        }
    }
}

/// A hall with one account per role and seat, and an administrator who registers a
/// fresh visitor and matter (held by 人社) for every attempt that needs one.
struct World {
    t: TestHall,
    admin: SessionToken,
    next_id: Cell<u32>,
}

impl World {
    fn new() -> World {
        let t = TestHall::new();
        let admin = t.officer("root", Role::Admin, "xfj");
        add_officer(&t.hall, "target", Role::Window, "zj");
        World {
            t,
            admin,
            next_id: Cell::new(1),
        }
    }

    fn fresh(&self) -> u32 {
        let n = self.next_id.get();
        self.next_id.set(n + 1);
        n
    }

    fn matter(&self) -> (VisitorId, MatterId) {
        let n = self.fresh();
        let r = self
            .t
            .hall
            .register(&self.admin, walk_in("张三", &nth_id(n), "", "rs"))
            .expect("the administrator registers a matter for 人社");
        (r.visitor, r.matter)
    }

    fn request(&self, key: &str, me: &str) -> Request {
        use Request::{Command as C, Query as Q};
        let step = |step: Transition| {
            let (_, matter) = self.matter();
            C(Command::Step {
                matter,
                step,
                note: String::new(),
            })
        };
        match key {
            "Register" => C(Command::Register(Box::new(walk_in(
                "李四",
                &nth_id(self.fresh()),
                "",
                "rs",
            )))),
            "CallNext" => C(Command::CallNext),
            "Recall" => C(Command::Recall),
            "Skip" => C(Command::Skip),
            "Finish" => C(Command::Finish {
                outcome: Outcome::Accepted,
                note: String::new(),
            }),
            "Route" => C(Command::Route {
                matter: self.matter().1,
                to: dept("zj"),
                assigned: false,
                reason: "属于住建职责".into(),
            }),
            "AddNote" => C(Command::AddNote {
                matter: self.matter().1,
                text: "电话联系过".into(),
            }),
            "Step(Accept)" => step(Transition::Accept),
            "Step(Extend)" => step(Transition::Extend {
                days: 30,
                reason: "案情复杂".into(),
                approver: "王局长".into(),
                told_on: date(2026, 11, 27),
            }),
            "Step(RequestReview)" => step(Transition::RequestReview),
            "SetKeyGrade" => C(Command::SetKeyGrade {
                visitor: self.matter().0,
                grade: Some(KeyGrade::C),
                reason: "多次来访".into(),
            }),
            "AddOfficer" => C(Command::AddOfficer(NewOfficer {
                username: format!("new{}", self.fresh()),
                display_name: "新同事".into(),
                role: Role::Window,
                department: dept("rs"),
                password: "chushi-2026".into(),
            })),
            "SetPassword(other)" => C(Command::SetPassword {
                username: "target".into(),
                password: "chongzhi-2026".into(),
            }),
            // Refused by the rules, so the account keeps its password: the attempt only
            // shows whether the permission check let it through.
            "SetPassword(own)" => C(Command::SetPassword {
                username: me.into(),
                password: "short".into(),
            }),
            "SetDisabled" => C(Command::SetDisabled {
                username: "target".into(),
                disabled: false,
            }),
            "UnlockAccount" => C(Command::UnlockAccount {
                username: "target".into(),
            }),
            "ConfirmPassword" => C(Command::ConfirmPassword {
                password: PASSWORD.into(),
            }),
            "Evaluate" => C(Command::Evaluate {
                matter: self.matter().1,
                step: EvaluationStep::Record {
                    satisfaction: Satisfaction::Satisfied,
                    note: String::new(),
                },
            }),
            "Oversee(Supervise)" => C(Command::Oversee {
                matter: self.matter().1,
                action: Oversight::Supervise {
                    due: date(2027, 1, 31),
                    note: "月底前办结并报告".into(),
                },
            }),
            "Oversee(Instruct)" => C(Command::Oversee {
                matter: self.matter().1,
                action: Oversight::Instruct {
                    text: "请十日内拿出解决方案".into(),
                },
            }),
            "Oversee(TakeCharge)" => C(Command::Oversee {
                matter: self.matter().1,
                action: Oversight::TakeCharge,
            }),
            "Oversee(FollowUp)" => C(Command::Oversee {
                matter: self.matter().1,
                action: Oversight::FollowUp(FollowUp {
                    way: FollowUpWay::Phone,
                    on: date(2026, 1, 1),
                    result: "信访人称已收到补发工资".into(),
                }),
            }),
            "SupervisedMatters" => Q(Query::SupervisedMatters { hall_wide: false }),
            "SupervisedMatters(hall_wide)" => Q(Query::SupervisedMatters { hall_wide: true }),
            "Stats" => Q(Query::Stats {
                period: Period::containing(PeriodKind::Month, date(2026, 11, 27)),
            }),
            "DailyReport" => Q(Query::DailyReport {
                date: date(2026, 11, 27),
            }),
            "ImportVisit" => C(Command::ImportVisit(Box::new(LedgerImport {
                row: 2,
                row_key: format!("matrix-{}", self.fresh()),
                at: opening_time(),
                visitor_no: String::new(),
                matter_number: String::new(),
                input: walk_in("王五", &nth_id(self.fresh()), "", "rs"),
            }))),
            "Ledger" | "Ledger(full_id)" => Q(Query::Ledger(LedgerRequest {
                kind: LedgerKind::Visits,
                from: date(2026, 11, 1),
                to: date(2026, 11, 30),
                full_id: key == "Ledger(full_id)",
                after: None,
            })),
            "Lookup" => Q(Query::Lookup {
                text: "张三".into(),
                limit: 5,
            }),
            "Visitor" => Q(Query::Visitor {
                id: self.matter().0,
                full_id: false,
            }),
            "Visitor(full_id)" => Q(Query::Visitor {
                id: self.matter().0,
                full_id: true,
            }),
            "Matter" => Q(Query::Matter(self.matter().1)),
            "Queue" => Q(Query::Queue),
            "MyDesk" => Q(Query::MyDesk),
            "MatterAudit" => Q(Query::MatterAudit(self.matter().1)),
            "Officers" => Q(Query::Officers),
            "DueMatters" => Q(Query::DueMatters { hall_wide: false }),
            "DueMatters(hall_wide)" => Q(Query::DueMatters { hall_wide: true }),
            "RepeatCandidates" => Q(Query::RepeatCandidates {
                visitor: self.matter().0,
                content_class: "劳动社保".into(),
                place: "东城区".into(),
            }),
            "Audit" => Q(Query::Audit(AuditFilter::default())),
            "Notice" => Q(Query::Notice {
                matter: self.matter().1,
                kind: NoticeKind::Accept,
            }),
            other => panic!("README 权限矩阵的“{other}”在测试里没有对应的请求"),
        }
    }

    /// Whether the service let the request past its permission checks: any answer but
    /// `Denied` (a conflict or a form error comes after them).
    fn allowed(&self, token: &SessionToken, request: Request) -> bool {
        let result = match request {
            Request::Command(c) => self.t.hall.command(token, c).map(|_| ()),
            Request::Query(q) => self.t.hall.query(token, q).map(|_| ()),
        };
        match result {
            Err(HallError::Denied(_)) => false,
            Err(e @ (HallError::NotLoggedIn | HallError::MustChangePassword)) => {
                panic!("the attempt lost its session: {e}")
            }
            _ => true,
        }
    }
}

#[test]
fn the_readme_matrix_names_every_command_and_query() {
    let world = World::new();
    let rows = readme_matrix();
    let mut named = BTreeSet::new();
    for row in &rows {
        let request = world.request(&row.key, "root");
        let base = row.key.split('(').next().unwrap_or_default();
        assert_eq!(
            request.name(),
            base,
            "row {} builds its own variant",
            row.key
        );
        named.insert(request.name());
    }
    let all: BTreeSet<&str> = ALL_VARIANTS.into_iter().collect();
    assert_eq!(named, all, "every variant has a row in the README matrix");
}

#[test]
fn the_service_allows_and_refuses_exactly_what_the_readme_matrix_says() {
    let world = World::new();
    let mut sessions = Vec::new();
    for role in Role::ALL {
        for (seat, code) in SEATS {
            let username = format!("{}_{code}", role.cli_name());
            sessions.push((
                role,
                seat,
                username.clone(),
                world.t.officer(&username, role, code),
            ));
        }
    }
    let mut wrong = Vec::new();
    for row in readme_matrix() {
        for (role, cell) in &row.cells {
            for (_, seat, username, token) in sessions.iter().filter(|s| s.0 == *role) {
                let expected = allows(cell, *seat);
                let got = world.allowed(token, world.request(&row.key, username));
                if got != expected {
                    wrong.push(format!(
                        "{} by {} ({seat:?}): README says {cell}, service {}",
                        row.key,
                        role.label(),
                        if got { "allowed it" } else { "refused it" }
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "matrix and service disagree:\n{}",
        wrong.join("\n")
    );
}
