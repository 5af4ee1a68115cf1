//! A deterministic hall with Chinese data, and a way to drive the desk's state
//! without a terminal: requests run synchronously and their answers are fed
//! back, exactly as the worker thread would.

#![allow(dead_code)]

use std::sync::Arc;

use chrono::NaiveDate;
use crossbeam_channel::Receiver;
use lianfang::config::HallConfig;
use lianfang::domain::department::DeptCode;
use lianfang::domain::identity::check_char;
use lianfang::domain::matter::{Category, Outcome};
use lianfang::domain::officer::Role;
use lianfang::domain::registration::{MatterChoice, NewMatter, RegistrationInput};
use lianfang::domain::time::Timestamp;
use lianfang::domain::visit::Channel;
use lianfang::domain::visitor::KeyGrade;
use lianfang::hall::clock::{Clock, ManualClock};
use lianfang::hall::{
    Command, DemoAccount, Event, Hall, HallExt, LocalHall, NewOfficer, Registered, SessionToken,
};
use lianfang::tui::app::App;
use lianfang::tui::event::AppEvent;
use lianfang::tui::jobs::{execute, Reply};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;

pub const PASSWORD: &str = "zhuomian-2026";

/// 2026-11-27 09:00 in Beijing.
pub fn morning() -> Timestamp {
    Timestamp(
        NaiveDate::from_ymd_opt(2026, 11, 27)
            .and_then(|d| d.and_hms_opt(1, 0, 0))
            .expect("valid date")
            .and_utc()
            .timestamp(),
    )
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).expect("valid date")
}

/// A valid 18-character number from its first 17 digits.
pub fn id18(first17: &str) -> String {
    format!("{first17}{}", check_char(first17).expect("17 digits"))
}

pub struct TestHall {
    pub hall: Arc<LocalHall>,
    pub clock: Arc<ManualClock>,
}

impl TestHall {
    /// An empty hall: the desk offers first-run setup.
    pub fn empty() -> TestHall {
        let clock = Arc::new(ManualClock::new(morning()));
        let hall = LocalHall::temporary(HallConfig::embedded(), Box::new(Arc::clone(&clock)))
            .expect("temporary hall");
        TestHall {
            hall: Arc::new(hall),
            clock,
        }
    }

    /// A staffed hall opened with `--demo`: its accounts are listed at login.
    pub fn demo() -> TestHall {
        let clock = Arc::new(ManualClock::new(morning()));
        let mut hall = LocalHall::temporary(HallConfig::embedded(), Box::new(Arc::clone(&clock)))
            .expect("temporary hall");
        hall.set_demo_accounts(vec![
            DemoAccount {
                username: "admin".into(),
                password: "demo-admin".into(),
                description: "管理员（信访局）".into(),
            },
            DemoAccount {
                username: "rs1".into(),
                password: "demo-rs1".into(),
                description: "人社窗口".into(),
            },
        ]);
        hall.setup(officer("admin", "王主任", Role::Admin, "xfj"))
            .expect("setup");
        TestHall {
            hall: Arc::new(hall),
            clock,
        }
    }

    /// A hall with an administrator (信访局) and window officers of 人社 and 住建.
    pub fn staffed() -> TestHall {
        let h = TestHall::empty();
        h.hall
            .setup(officer("admin", "王主任", Role::Admin, "xfj"))
            .expect("setup");
        for (user, name, dept) in [("rs1", "李娜", "rs"), ("zj1", "赵强", "zj")] {
            h.hall
                .add_officer_direct(&officer(user, name, Role::Window, dept))
                .expect("officer");
        }
        h
    }

    pub fn login(&self, user: &str, desk: &str) -> SessionToken {
        self.hall.login(user, PASSWORD, desk).expect("login").token
    }

    pub fn register(&self, token: &SessionToken, input: RegistrationInput) -> Registered {
        self.hall.register(token, input).expect("register")
    }

    pub fn minutes(&self, m: i64) {
        self.clock.advance_minutes(m);
    }
}

pub fn officer(user: &str, name: &str, role: Role, dept: &str) -> NewOfficer {
    NewOfficer {
        username: user.into(),
        display_name: name.into(),
        role,
        department: DeptCode::new(dept),
        password: PASSWORD.into(),
    }
}

pub fn visit(name: &str, id: &str, phone: &str, dept: &str, summary: &str) -> RegistrationInput {
    RegistrationInput {
        visitor: None,
        id_number: id.into(),
        no_document: id.is_empty(),
        name: name.into(),
        phone: phone.into(),
        address: "".into(),
        channel: Channel::Walkin,
        headcount: 1,
        representatives: vec![],
        matter: MatterChoice::New(NewMatter {
            category: Category::Claim,
            content_class: "劳动社保".into(),
            place: "东城区".into(),
            summary: summary.into(),
            demands: "".into(),
            accused: String::new(),
            accused_department: None,
        }),
        department: DeptCode::new(dept),
        facts: Default::default(),
    }
}

/// A busy morning: waiting tickets in three departments with every flag, one desk serving.
pub struct Morning {
    pub t: TestHall,
    pub admin: SessionToken,
    pub zhang: Registered,
}

pub const ZHANG_ID: &str = "11010519491231002X";

pub fn busy_morning() -> Morning {
    let t = TestHall::staffed();
    let admin = t.login("admin", "信访-1号窗口");
    // 张秀英 came last week about unpaid wages; she is back today (重复访).
    t.clock.set(Timestamp(morning().0 - 7 * 86_400));
    let zhang = t.register(
        &admin,
        visit(
            "张秀英",
            ZHANG_ID,
            "13812345678",
            "rs",
            "某建筑公司拖欠工资三个月，共计两万四千元",
        ),
    );
    // 人社 received her then and accepted the matter; it is still open.
    let rs = t.login("rs1", "人社-1号窗口");
    t.hall.call_next(&rs).expect("call");
    t.hall.finish(&rs, Outcome::Accepted, "").expect("accept");
    // 周明 was answered on the spot last week; he comes back today about it again.
    t.register(
        &admin,
        visit(
            "周明",
            &id18("11010819660606001"),
            "",
            "rs",
            "退休金核定基数有误",
        ),
    );
    t.hall.call_next(&rs).expect("call");
    t.hall
        .finish(&rs, Outcome::AnsweredOnSpot, "已解释核定办法")
        .expect("answer");
    t.clock.set(morning());
    let mut again = visit("张秀英", ZHANG_ID, "13812345678", "rs", "");
    again.matter = MatterChoice::Attach(zhang.matter);
    t.register(&admin, again);
    t.minutes(5);
    let mut group = visit(
        "欧阳建国",
        &id18("32010219650315003"),
        "025-84561234",
        "zj",
        "小区加装电梯工程停工，要求恢复施工",
    );
    group.headcount = 6;
    group.representatives = vec!["欧阳建国".into(), "李桂兰".into()];
    if let MatterChoice::New(m) = &mut group.matter {
        m.content_class = "城乡建设".into();
        m.category = Category::Suggestion;
    }
    let grouped = t.register(&admin, group);
    t.hall
        .command(
            &admin,
            Command::SetKeyGrade {
                visitor: grouped.visitor,
                grade: Some(KeyGrade::B),
                reason: "多次集体访".into(),
            },
        )
        .expect("grade");
    t.minutes(7);
    t.register(
        &admin,
        visit(
            "买买提·艾力",
            &id18("65010219800101001"),
            "",
            "rs",
            "社保转移接续办不下来",
        ),
    );
    t.minutes(3);
    t.register(
        &admin,
        visit(
            "陈静",
            &id18("44030419920808004"),
            "13900001111",
            "xfj",
            "反映村委会账目不公开",
        ),
    );
    for (name, first17, phone, dept, class, summary) in [
        (
            "王建军",
            "13010219750606001",
            "13611112222",
            "rs",
            "劳动社保",
            "对工伤认定结论有异议",
        ),
        (
            "孙志刚",
            "51010719881212003",
            "",
            "ga",
            "政法",
            "户口迁移手续办理受阻",
        ),
        (
            "刘芳",
            "37010219900909002",
            "0531-86001234",
            "rs",
            "劳动社保",
            "失业保险金未按时发放",
        ),
        (
            "黄丽",
            "45010219700101004",
            "13500001234",
            "zr",
            "自然资源",
            "宅基地确权与邻居有争议",
        ),
        (
            "周明",
            "11010819660606001",
            "",
            "rs",
            "劳动社保",
            "退休金核定基数有误",
        ),
    ] {
        t.minutes(2);
        let mut v = visit(name, &id18(first17), phone, dept, summary);
        if let MatterChoice::New(m) = &mut v.matter {
            m.content_class = class.into();
        }
        t.register(&admin, v);
    }
    // 人社 calls the first ticket; 住建 skips its visitor once.
    t.hall.call_next(&rs).expect("call");
    let zj = t.login("zj1", "住建-1号窗口");
    t.hall.call_next(&zj).expect("call");
    t.hall.command(&zj, Command::Skip).expect("skip");
    t.minutes(12);
    Morning { t, admin, zhang }
}

/// The desk's state with a synchronous stand-in for the worker thread.
pub struct Desk {
    pub app: App,
    pub hall: Arc<LocalHall>,
    events: Receiver<Event>,
    /// Frames drawn so far (redraw requests).
    pub redraws: usize,
}

impl Desk {
    pub fn new(hall: Arc<LocalHall>) -> Desk {
        Desk::named(hall, "")
    }

    /// A desk started with `--desk NAME`.
    pub fn named(hall: Arc<LocalHall>, desk: &str) -> Desk {
        Desk::with_options(hall, desk, false)
    }

    pub fn with_options(hall: Arc<LocalHall>, desk: &str, ascii_borders: bool) -> Desk {
        let info = hall.info().expect("info");
        let events = hall.subscribe();
        Desk {
            app: App::new(info, ascii_borders, desk.to_string(), today()),
            hall,
            events,
            redraws: 0,
        }
    }

    pub fn logged_in(hall: Arc<LocalHall>, user: &str) -> Desk {
        Desk::logged_in_at(hall, user, "")
    }

    pub fn logged_in_at(hall: Arc<LocalHall>, user: &str, desk: &str) -> Desk {
        let mut d = Desk::named(hall, desk);
        d.type_text(user);
        d.key(KeyCode::Enter);
        d.type_text(PASSWORD);
        d.key(KeyCode::Enter);
        d
    }

    pub fn update(&mut self, e: AppEvent) -> bool {
        let changed = self.app.update(e);
        if changed {
            self.redraws += 1;
        }
        changed
    }

    /// Runs every posted request and feeds answers and hall events back until quiet.
    pub fn settle(&mut self) {
        loop {
            let requests = self.app.take_requests();
            let events: Vec<Event> = self.events.try_iter().collect();
            if requests.is_empty() && events.is_empty() {
                return;
            }
            for e in events {
                self.update(AppEvent::Hall(e));
            }
            for r in requests {
                let result = execute(self.hall.as_ref(), r.job);
                self.update(AppEvent::Reply(Reply {
                    slot: r.slot,
                    generation: r.generation,
                    result,
                }));
            }
        }
    }

    pub fn press(&mut self, key: KeyEvent) -> bool {
        let changed = self.update(AppEvent::Key(key));
        self.settle();
        changed
    }

    pub fn key(&mut self, code: KeyCode) -> bool {
        self.press(KeyEvent::new(code, KeyModifiers::NONE))
    }

    pub fn ctrl(&mut self, c: char) -> bool {
        self.press(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
    }

    /// Types text as an IME commits it: one character event each.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    pub fn tab(&mut self, n: usize) {
        for _ in 0..n {
            self.key(KeyCode::Tab);
        }
    }

    pub fn render(&self, width: u16, height: u16) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
        terminal.draw(|f| self.app.draw(f)).expect("draw");
        terminal
    }

    pub fn screen_text(&self, width: u16, height: u16) -> String {
        text_of(&self.render(width, height))
    }
}

/// The screen as plain lines, as a person sees it: the cell after a wide
/// character is part of that character, not a space of its own.
pub fn text_of(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut skip = 0;
        let mut line = String::new();
        for x in 0..buffer.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
            line.push_str(symbol);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Two weeks after the busy morning (2026-12-11), with older matters left unrouted: the due
/// list holds 严重超期, 超期 and 临期预警 matters of several departments.
pub fn deadlines_due() -> Morning {
    let m = busy_morning();
    let now = m.t.clock.now();
    let day = 86_400;
    // Registered on 10-01 at 住建 and on 11-01 at 人社, never routed (15 days each).
    for (days_back, name, first17, dept, summary) in [
        (
            57,
            "郑国华",
            "11010219700505001",
            "zj",
            "物业公司擅自提高收费标准",
        ),
        (
            26,
            "吴晓燕",
            "11010219850707002",
            "rs",
            "劳动合同到期后未支付经济补偿",
        ),
    ] {
        m.t.clock.set(Timestamp(now.0 - days_back * day));
        m.t.register(&m.admin, visit(name, &id18(first17), "", dept, summary));
    }
    m.t.clock.set(Timestamp(now.0 + 14 * day));
    m
}

/// A 民政 window officer, logged in at `民政-1号窗口`.
pub fn mz_window(m: &Morning) -> SessionToken {
    m.t.hall
        .add_officer_direct(&officer("mz1", "钱芳", Role::Window, "mz"))
        .expect("officer");
    m.t.login("mz1", "民政-1号窗口")
}

/// Registers a visit and has `window` call and accept it at once, so the visitor is not
/// left waiting (a waiting visitor is not given a second ticket).
pub fn register_received(
    m: &Morning,
    window: &SessionToken,
    input: RegistrationInput,
) -> Registered {
    let r = m.t.register(&m.admin, input);
    m.t.hall.call_next(window).expect("call");
    m.t.hall
        .finish(window, Outcome::Accepted, "")
        .expect("accept");
    r
}
