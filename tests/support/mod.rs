//! Shared helpers of the hall and store integration tests: a hall on a temporary
//! database with a clock the test moves, officers of every role, valid identity
//! numbers, registration forms, and a snapshot of everything stored.
//!
//! Each test binary uses only part of this module.
#![allow(dead_code)]

use std::sync::Arc;

use chrono::NaiveDate;

use lianfang::config::HallConfig;
use lianfang::domain::audit::AuditRecord;
use lianfang::domain::department::DeptCode;
use lianfang::domain::identity::check_char;
use lianfang::domain::matter::{Category, Matter, MatterId, Outcome};
use lianfang::domain::officer::{Officer, Role};
use lianfang::domain::registration::{MatterChoice, NewMatter, RegistrationInput};
use lianfang::domain::ticket::{DeskState, Ticket};
use lianfang::domain::time::Timestamp;
use lianfang::domain::visit::{Channel, Visit};
use lianfang::domain::visitor::Visitor;
use lianfang::hall::clock::ManualClock;
use lianfang::hall::{
    Event, Hall, HallError, HallExt, LocalHall, NewOfficer, Registered, SessionToken,
};
use lianfang::store::check::check;
use lianfang::store::Store;

pub const PASSWORD: &str = "desk-pass-2026";

/// 2026-11-27 09:00 in Beijing: a Friday morning at the hall.
pub fn opening_time() -> Timestamp {
    local_time(2026, 11, 27, 9, 0)
}

/// A local (+08:00) wall-clock time.
pub fn local_time(y: i32, m: u32, d: u32, h: u32, min: u32) -> Timestamp {
    let naive = NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|date| date.and_hms_opt(h, min, 0))
        .expect("a valid test date");
    Timestamp(naive.and_utc().timestamp() - 8 * 3600)
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid test date")
}

pub fn dept(code: &str) -> DeptCode {
    DeptCode::new(code)
}

/// A valid 18-character identity number: Beijing 东城区, the given birth date
/// (`YYYYMMDD`) and sequence code, with its ISO 7064 check character.
pub fn id18(birth: &str, seq: u32) -> String {
    let first17 = format!("110101{birth}{seq:03}");
    let check = check_char(&first17).expect("17 digits");
    format!("{first17}{check}")
}

/// The `n`th distinct valid identity number.
pub fn nth_id(n: u32) -> String {
    id18("19700101", n)
}

pub fn claim(summary: &str) -> MatterChoice {
    new_matter(Category::Claim, "劳动社保", summary)
}

pub fn new_matter(category: Category, class: &str, summary: &str) -> MatterChoice {
    MatterChoice::New(NewMatter {
        category,
        content_class: class.to_string(),
        place: "东城区".to_string(),
        summary: summary.to_string(),
        demands: "依法处理".to_string(),
        // Every accusation names whom it accuses; tests of that field set their own.
        accused: if category.confidential() {
            "某局长".to_string()
        } else {
            String::new()
        },
        accused_department: None,
    })
}

/// A walk-in by one person with an identity document, opening a new 申诉求决类 matter.
pub fn walk_in(name: &str, id_number: &str, phone: &str, department: &str) -> RegistrationInput {
    RegistrationInput {
        visitor: None,
        id_number: id_number.to_string(),
        no_document: false,
        name: name.to_string(),
        phone: phone.to_string(),
        address: "北京市东城区某街道 1 号".to_string(),
        channel: Channel::Walkin,
        headcount: 1,
        representatives: Vec::new(),
        matter: claim("拖欠工资三个月"),
        department: dept(department),
        facts: Default::default(),
    }
}

/// A hall on a temporary database whose clock only moves when the test says so.
pub struct TestHall {
    pub hall: LocalHall,
    pub clock: Arc<ManualClock>,
}

impl TestHall {
    pub fn new() -> TestHall {
        TestHall::with_config(HallConfig::embedded())
    }

    pub fn with_config(config: HallConfig) -> TestHall {
        let clock = Arc::new(ManualClock::new(opening_time()));
        let hall = LocalHall::temporary(config, Box::new(Arc::clone(&clock)))
            .expect("a temporary hall opens");
        TestHall { hall, clock }
    }

    /// Creates an account and logs it in at a desk named after it.
    pub fn officer(&self, username: &str, role: Role, department: &str) -> SessionToken {
        add_officer(&self.hall, username, role, department);
        self.login(username, &format!("desk-{username}"))
    }

    pub fn login(&self, username: &str, desk: &str) -> SessionToken {
        self.hall
            .login(username, PASSWORD, desk)
            .unwrap_or_else(|e| panic!("{username} logs in: {e}"))
            .token
    }

    /// `check` must find every index in step with the records.
    pub fn assert_consistent(&self) {
        assert_consistent(self.hall.store());
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot::of(self.hall.store())
    }

    pub fn matter(&self, id: MatterId) -> Matter {
        self.hall
            .store()
            .get_id::<Matter>(id)
            .expect("store readable")
            .expect("matter exists")
    }

    pub fn visitor(&self, id: u64) -> Visitor {
        self.hall
            .store()
            .get_id::<Visitor>(id)
            .expect("store readable")
            .expect("visitor exists")
    }
}

pub fn add_officer(hall: &LocalHall, username: &str, role: Role, department: &str) {
    hall.add_officer_direct(&NewOfficer {
        username: username.to_string(),
        display_name: format!("测试{username}"),
        role,
        department: dept(department),
        password: PASSWORD.to_string(),
    })
    .unwrap_or_else(|e| panic!("officer {username} is created: {e}"));
}

pub fn assert_consistent(store: &Store) {
    let report = check(store).expect("check runs");
    assert!(
        report.is_ok(),
        "check found problems: {:#?}",
        report.problems
    );
}

/// Everything the store holds, to prove that a refused command wrote nothing.
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    pub visitors: Vec<Visitor>,
    pub visits: Vec<Visit>,
    pub matters: Vec<Matter>,
    pub tickets: Vec<Ticket>,
    pub desks: Vec<DeskState>,
    pub officers: Vec<Officer>,
    pub audit: Vec<AuditRecord>,
    /// Counters that a half-applied command would have advanced.
    pub counters: Vec<(String, u64)>,
}

impl Snapshot {
    pub fn of(store: &Store) -> Snapshot {
        fn all<T: lianfang::store::keys::Stored>(store: &Store) -> Vec<T> {
            store
                .all::<T>()
                .collect::<Result<_, _>>()
                .expect("every record decodes")
        }
        let counters = [
            "seq.visitor",
            "seq.visit",
            "seq.matter",
            "seq.ticket",
            "seq.queue",
        ]
        .iter()
        .map(|name| {
            let value = store.counter(name).expect("counter readable");
            (name.to_string(), value)
        })
        .collect();
        Snapshot {
            visitors: all(store),
            visits: all(store),
            matters: all(store),
            tickets: all(store),
            desks: all(store),
            officers: all(store),
            audit: all(store),
            counters,
        }
    }
}

/// Events received so far, after checking their sequence numbers follow each other.
pub fn drain(rx: &crossbeam_channel::Receiver<Event>, last_seq: &mut u64) -> Vec<Event> {
    let events: Vec<Event> = rx.try_iter().collect();
    for e in &events {
        assert_eq!(e.seq, *last_seq + 1, "event sequence numbers have no gaps");
        *last_seq = e.seq;
    }
    events
}

/// The field and message of a refused form.
pub fn invalid(
    result: Result<impl std::fmt::Debug, HallError>,
) -> (lianfang::domain::registration::Field, String) {
    match result {
        Err(HallError::Invalid(e)) => (e.field, e.message),
        other => panic!("expected a field error, got {other:?}"),
    }
}

pub fn denied(result: Result<impl std::fmt::Debug, HallError>) -> String {
    match result {
        Err(HallError::Denied(m)) => m,
        other => panic!("expected permission denied, got {other:?}"),
    }
}

pub fn conflict(result: Result<impl std::fmt::Debug, HallError>) -> String {
    match result {
        Err(HallError::Conflict(m)) => m,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

/// A hall with an intake registrar and 人社's window and leader: the cast of the lifecycle,
/// notice and evaluation tests, which add their own steps in their own `impl Desks`.
pub struct Desks {
    pub t: TestHall,
    pub reg: SessionToken,
    pub rs: SessionToken,
    pub rs_leader: SessionToken,
}

impl Desks {
    pub fn new() -> Desks {
        let t = TestHall::new();
        let reg = t.officer("reg", Role::Registrar, "xfj");
        let rs = t.officer("rs1", Role::Window, "rs");
        let rs_leader = t.officer("rsld", Role::Leader, "rs");
        Desks {
            t,
            reg,
            rs,
            rs_leader,
        }
    }

    /// A claim of the `n`th visitor (甲一) registered at `department`.
    pub fn register(&self, n: u32, department: &str) -> Registered {
        self.t
            .hall
            .register(&self.reg, walk_in("甲一", &nth_id(n), "", department))
            .unwrap()
    }

    /// Registered at 人社 and closed at its window with `outcome` today.
    pub fn served(&self, n: u32, outcome: Outcome, note: &str) -> Registered {
        let r = self.register(n, "rs");
        self.t.hall.call_next(&self.rs).unwrap();
        self.t.hall.finish(&self.rs, outcome, note).unwrap();
        r
    }

    /// Registered at 人社 and accepted at its window today.
    pub fn accepted(&self, n: u32) -> Registered {
        self.served(n, Outcome::Accepted, "")
    }
}
