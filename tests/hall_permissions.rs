//! Who may do what, checked in the service: departments, roles, confidential
//! 检举控告类 matters, accounts.

mod support;

use lianfang::domain::matter::{Category, Outcome};
use lianfang::domain::officer::Role;
use lianfang::domain::registration::MatterChoice;
use lianfang::domain::visitor::KeyGrade;
use lianfang::hall::{Command, Hall, HallError, HallExt, NewOfficer, Query, SessionToken};
use support::*;

#[test]
fn windows_call_only_their_own_department() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    let ga = t.officer("ga1", Role::Window, "ga");
    let r = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    let before = t.snapshot();
    assert!(conflict(t.hall.call_next(&ga)).contains("没有等候"));
    assert_eq!(t.snapshot(), before);
    assert_eq!(t.hall.call_next(&rs).unwrap().ticket, r.ticket);
}

#[test]
fn an_officer_of_another_department_cannot_finish_a_ticket_left_at_a_shared_desk() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    add_officer(&t.hall, "rs1", Role::Window, "rs");
    add_officer(&t.hall, "ga1", Role::Window, "ga");
    let rs = t.login("rs1", "3号窗口");
    let r = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    t.hall.call_next(&rs).unwrap();
    // The next shift at 3号窗口 belongs to 公安.
    let ga = t.login("ga1", "3号窗口");
    let before = t.snapshot();
    denied(t.hall.finish(&ga, Outcome::NotAccepted, "不归我们管"));
    denied(t.hall.command(&ga, Command::Skip));
    denied(t.hall.command(&ga, Command::Recall));
    assert_eq!(t.snapshot(), before);
    // Nor may they call their own next visitor over it, which would orphan it.
    t.hall
        .register(&reg, walk_in("李四", &nth_id(2), "", "ga"))
        .unwrap();
    let before = t.snapshot();
    assert!(conflict(t.hall.call_next(&ga)).contains("人社-001"));
    assert_eq!(t.snapshot(), before);
    assert_eq!(
        t.matter(r.matter).status.state,
        lianfang::domain::lifecycle::State::Registered
    );
    // 人社 finishes its own reception.
    t.hall.finish(&rs, Outcome::Accepted, "").unwrap();
}

#[test]
fn registrars_register_but_cannot_call() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "rs");
    t.hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    let before = t.snapshot();
    let message = denied(t.hall.call_next(&reg));
    assert!(
        message.contains("登记员") && message.contains("叫号"),
        "{message}"
    );
    denied(t.hall.command(&reg, Command::Recall));
    denied(t.hall.command(&reg, Command::Skip));
    denied(t.hall.finish(&reg, Outcome::Accepted, ""));
    assert_eq!(t.snapshot(), before);
}

#[test]
fn display_accounts_see_only_the_queue() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let screen = t.officer("screen", Role::Display, "xfj");
    let r = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    assert_eq!(t.hall.queue(&screen).unwrap().departments.len(), 12);
    let before = t.snapshot();
    for query in [
        Query::Lookup {
            text: "张三".into(),
            limit: 5,
        },
        Query::Visitor {
            id: r.visitor,
            full_id: true,
        },
        Query::Matter(r.matter),
        Query::MatterAudit(r.matter),
        Query::MyDesk,
        Query::Officers,
    ] {
        denied(t.hall.query(&screen, query));
    }
    denied(
        t.hall
            .register(&screen, walk_in("李四", &nth_id(2), "", "rs")),
    );
    denied(t.hall.call_next(&screen));
    denied(t.hall.command(
        &screen,
        Command::AddNote {
            matter: r.matter,
            text: "看看".into(),
        },
    ));
    denied(t.hall.command(
        &screen,
        Command::Route {
            matter: r.matter,
            to: dept("ga"),
            assigned: false,
            reason: "转".into(),
        },
    ));
    assert_eq!(t.snapshot(), before);
}

#[test]
fn windows_route_only_matters_of_their_own_department() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let ga = t.officer("ga1", Role::Window, "ga");
    let r = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    let before = t.snapshot();
    denied(t.hall.command(
        &ga,
        Command::Route {
            matter: r.matter,
            to: dept("ga"),
            assigned: false,
            reason: "我来办".into(),
        },
    ));
    assert_eq!(t.snapshot(), before);
}

#[test]
fn setup_creates_the_first_administrator_only_once() {
    let t = TestHall::new();
    assert!(t.hall.info().unwrap().needs_setup);
    let admin = |username: &str, role| NewOfficer {
        username: username.into(),
        display_name: "管理员".into(),
        role,
        department: dept("xfj"),
        password: PASSWORD.into(),
    };
    denied(t.hall.setup(admin("boss", Role::Window)));
    assert!(t.hall.info().unwrap().needs_setup);
    t.hall.setup(admin("boss", Role::Admin)).unwrap();
    assert!(!t.hall.info().unwrap().needs_setup);
    let before = t.snapshot();
    assert!(conflict(t.hall.setup(admin("second", Role::Admin))).contains("已经设置"));
    assert_eq!(t.snapshot(), before);
    let boss = t.login("boss", "管理台");
    assert_eq!(t.hall.officers(&boss).unwrap().len(), 1);
}

#[test]
fn only_administrators_manage_accounts() {
    let t = TestHall::new();
    let leader = t.officer("lead", Role::Leader, "rs");
    let rs = t.officer("rs1", Role::Window, "rs");
    let before = t.snapshot();
    let new = NewOfficer {
        username: "sneaky".into(),
        display_name: "某人".into(),
        role: Role::Admin,
        department: dept("rs"),
        password: PASSWORD.into(),
    };
    let message = denied(t.hall.command(&leader, Command::AddOfficer(new)));
    assert!(message.contains("管理账号"), "{message}");
    denied(t.hall.command(
        &leader,
        Command::SetDisabled {
            username: "rs1".into(),
            disabled: true,
        },
    ));
    denied(t.hall.command(
        &rs,
        Command::SetPassword {
            username: "lead".into(),
            password: "new-password".into(),
        },
    ));
    denied(t.hall.officers(&leader));
    assert_eq!(t.snapshot(), before);
}

#[test]
fn a_disabled_account_loses_its_open_session() {
    let t = TestHall::new();
    let admin = t.officer("admin", Role::Admin, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    t.hall.queue(&rs).unwrap();
    t.hall
        .command(
            &admin,
            Command::SetDisabled {
                username: "rs1".into(),
                disabled: true,
            },
        )
        .unwrap();
    assert_eq!(t.hall.queue(&rs).unwrap_err(), HallError::NotLoggedIn);
    assert_eq!(
        t.hall
            .register(&rs, walk_in("张三", &nth_id(1), "", "rs"))
            .unwrap_err(),
        HallError::NotLoggedIn
    );
    // The administrator's own session is untouched.
    t.hall.officers(&admin).unwrap();
}

#[test]
fn a_password_reset_by_the_administrator_ends_the_accounts_sessions() {
    let t = TestHall::new();
    let admin = t.officer("admin", Role::Admin, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    let ga = t.officer("ga1", Role::Window, "ga");
    t.hall
        .command(
            &admin,
            Command::SetPassword {
                username: "rs1".into(),
                password: "reset-by-admin-1".into(),
            },
        )
        .unwrap();
    assert_eq!(t.hall.queue(&rs).unwrap_err(), HallError::NotLoggedIn);
    // Changing one's own password keeps one's own session.
    t.hall
        .command(
            &ga,
            Command::SetPassword {
                username: "ga1".into(),
                password: "my-new-secret-1".into(),
            },
        )
        .unwrap();
    t.hall.queue(&ga).unwrap();
}

#[test]
fn an_administrator_cannot_disable_their_own_account() {
    let t = TestHall::new();
    let admin = t.officer("admin", Role::Admin, "xfj");
    let before = t.snapshot();
    let message = conflict(t.hall.command(
        &admin,
        Command::SetDisabled {
            username: "admin".into(),
            disabled: true,
        },
    ));
    assert!(message.contains("自己"), "{message}");
    assert_eq!(t.snapshot(), before);
    t.hall.officers(&admin).unwrap();
}

/// An accusation against an official, registered at intake for 纪委监委, and an
/// ordinary claim of the same visitor at 人社.
struct Accusation {
    t: TestHall,
    reg: SessionToken,
    visitor: u64,
    secret: u64,
    secret_number: String,
    open: u64,
}

fn accusation() -> Accusation {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let open = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    t.clock.advance_minutes(60 * 24);
    let mut input = walk_in("张三", &nth_id(1), "", "jw");
    input.matter = new_matter(Category::Accusation, "纪检监察", "举报某局长受贿");
    let secret = t.hall.register(&reg, input).unwrap();
    Accusation {
        visitor: open.visitor,
        secret: secret.matter,
        secret_number: secret.matter_number,
        open: open.matter,
        t,
        reg,
    }
}

#[test]
fn accusations_are_hidden_from_other_departments() {
    let a = accusation();
    let t = &a.t;
    for (username, role, department) in [("rs1", Role::Window, "rs"), ("lead", Role::Leader, "xfj")]
    {
        let who = t.officer(username, role, department);
        let before = t.snapshot();
        // Lookup: the accusation counts nowhere, and its number finds nobody.
        let hit = &t.hall.lookup(&who, "张三", 5).unwrap()[0];
        assert_eq!(hit.open_matters, 1, "{username}");
        assert_eq!(hit.visit_count, 1, "{username}");
        assert_eq!(hit.last_visit, Some(opening_time()), "{username}");
        assert_eq!(hit.departments, vec![dept("rs")], "{username}");
        assert!(t.hall.lookup(&who, &a.secret_number, 5).unwrap().is_empty());
        // Profile: neither the matter nor its visit.
        let p = t.hall.profile(&who, a.visitor, false).unwrap();
        assert_eq!(p.matters.len(), 1, "{username}");
        assert_eq!(p.matters[0].id, a.open);
        assert_eq!(p.visits.len(), 1, "{username}");
        assert_eq!(p.card.visit_count, 1, "{username}");
        assert_eq!(p.card.last_visit, Some(opening_time()), "{username}");
        // Detail and audit trail: refused with the reason.
        let message = denied(t.hall.matter(&who, a.secret));
        assert!(message.contains("检举控告"), "{message}");
        denied(t.hall.matter_audit(&who, a.secret));
        // Nor may they write to it.
        denied(t.hall.command(
            &who,
            Command::AddNote {
                matter: a.secret,
                text: "看看".into(),
            },
        ));
        denied(t.hall.command(
            &who,
            Command::Route {
                matter: a.secret,
                to: dept("ga"),
                assigned: false,
                reason: "转".into(),
            },
        ));
        let mut repeat = walk_in("张三", &nth_id(1), "", "jw");
        repeat.matter = MatterChoice::Attach(a.secret);
        denied(t.hall.register(&who, repeat));
        assert_eq!(t.snapshot(), before, "{username}");
    }
    // The registrar who took it down cannot read it back either.
    denied(t.hall.matter(&a.reg, a.secret));
}

#[test]
fn the_shared_queue_does_not_count_accusation_visits_as_earlier_visits() {
    let a = accusation();
    let t = &a.t;
    let screen = t.officer("screen", Role::Display, "xfj");
    // 张三 came to 人社 yesterday, to 纪委监委 today, and is sent on to 人社 again.
    t.hall
        .register(&a.reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    let q = t.hall.queue(&screen).unwrap();
    let entry = |code: &str| {
        q.departments
            .iter()
            .find(|d| d.department.code == dept(code))
            .unwrap()
            .waiting[0]
            .clone()
    };
    assert_eq!(
        entry("rs").earlier_visits,
        1,
        "yesterday's 人社 visit only: the accusation visit is not shown"
    );
    assert_eq!(
        entry("jw").earlier_visits,
        2,
        "the 人社 visits are no secret"
    );
}

#[test]
fn accusations_go_only_to_a_department_allowed_to_read_them() {
    let a = accusation();
    let t = &a.t;
    let jw = t.officer("jw1", Role::Window, "jw");
    let admin = t.officer("admin", Role::Admin, "xfj");
    let before = t.snapshot();
    // Registered for 人社, a new accusation would sit in a queue whose windows
    // call and close it without being allowed to read it.
    let mut input = walk_in("李四", &nth_id(2), "", "rs");
    input.matter = new_matter(Category::Accusation, "纪检监察", "举报某科长");
    let (field, message) = invalid(t.hall.register(&a.reg, input));
    assert_eq!(field, lianfang::domain::registration::Field::Department);
    assert!(message.contains("纪委监委"), "{message}");
    // Nor a repeat visit on one, queued elsewhere.
    let mut repeat = walk_in("张三", &nth_id(1), "", "ga");
    repeat.matter = MatterChoice::Attach(a.secret);
    let (field, _) = invalid(t.hall.register(&jw, repeat));
    assert_eq!(field, lianfang::domain::registration::Field::Department);
    // Nor routed there, by an administrator or by the discipline desk's outcome.
    let (field, _) = invalid(t.hall.command(
        &admin,
        Command::Route {
            matter: a.secret,
            to: dept("ga"),
            assigned: true,
            reason: "涉嫌犯罪".into(),
        },
    ));
    assert_eq!(field, lianfang::domain::registration::Field::Department);
    assert_eq!(t.snapshot(), before);
    t.hall.call_next(&jw).unwrap();
    let before = t.snapshot();
    let (field, _) = invalid(
        t.hall
            .finish(&jw, Outcome::Forwarded { to: dept("ga") }, "转公安"),
    );
    assert_eq!(field, lianfang::domain::registration::Field::Department);
    assert_eq!(t.snapshot(), before);
    // Ordinary matters still go anywhere.
    t.hall
        .command(
            &admin,
            Command::Route {
                matter: a.open,
                to: dept("jw"),
                assigned: false,
                reason: "涉及公职人员".into(),
            },
        )
        .unwrap();
    t.assert_consistent();
}

#[test]
fn accusations_are_seen_by_the_discipline_desk_and_administrators() {
    let a = accusation();
    let t = &a.t;
    let jw = t.officer("jw1", Role::Window, "jw");
    let admin = t.officer("admin", Role::Admin, "xfj");
    for who in [&jw, &admin] {
        let hit = &t.hall.lookup(who, "张三", 5).unwrap()[0];
        assert_eq!(hit.open_matters, 2);
        assert_eq!(hit.visit_count, 2);
        assert_eq!(hit.departments, vec![dept("rs"), dept("jw")]);
        assert_eq!(t.hall.lookup(who, &a.secret_number, 5).unwrap().len(), 1);
        let p = t.hall.profile(who, a.visitor, false).unwrap();
        assert_eq!((p.matters.len(), p.visits.len()), (2, 2));
        assert_eq!(p.card.visit_count, 2);
        assert_eq!(
            t.hall.matter(who, a.secret).unwrap().matter.number,
            a.secret_number
        );
        assert_eq!(t.hall.matter_audit(who, a.secret).unwrap().len(), 1);
    }
    // 纪委监委 calls and handles it.
    let s = t.hall.call_next(&jw).unwrap();
    assert_eq!(s.matter, a.secret);
    t.hall.finish(&jw, Outcome::Accepted, "").unwrap();
    t.hall
        .command(
            &admin,
            Command::SetKeyGrade {
                visitor: a.visitor,
                grade: Some(KeyGrade::D),
                reason: "关注".into(),
            },
        )
        .unwrap();
    t.assert_consistent();
}
