//! A window's work through `LocalHall`: call next, recall, skip, finish with
//! every outcome, route, notes, key grades, accounts, and the events all of
//! it publishes.

mod support;

use lianfang::domain::lifecycle::{RefusalGround, State};
use lianfang::domain::matter::{HistoryKind, LegalChannel, Outcome};
use lianfang::domain::officer::Role;
use lianfang::domain::registration::Field;
use lianfang::domain::ticket::TicketState;
use lianfang::domain::visitor::KeyGrade;
use lianfang::hall::{Command, CommandReply, EventKind, Hall, HallError, HallExt, NewOfficer};
use support::*;

fn route(to: &str, assigned: bool, reason: &str, matter: u64) -> Command {
    Command::Route {
        matter,
        to: dept(to),
        assigned,
        reason: reason.to_string(),
    }
}

#[test]
fn call_next_serves_the_department_in_arrival_order() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    let first = t
        .hall
        .register(&reg, walk_in("甲一", &nth_id(1), "", "rs"))
        .unwrap();
    t.hall
        .register(&reg, walk_in("乙二", &nth_id(2), "", "ga"))
        .unwrap();
    t.clock.advance_minutes(1);
    let second = t
        .hall
        .register(&reg, walk_in("丙三", &nth_id(3), "", "rs"))
        .unwrap();

    t.clock.advance_minutes(10);
    let s = t.hall.call_next(&rs).unwrap();
    assert_eq!(s.label, "人社-001");
    assert_eq!(s.ticket, first.ticket);
    assert_eq!(s.visitor, first.visitor);
    assert_eq!(s.called, t.hall.now());
    assert_eq!(t.hall.my_desk(&rs).unwrap(), Some(s.clone()));

    // One reception at a time.
    let busy = conflict(t.hall.call_next(&rs));
    assert!(busy.contains("人社-001"), "{busy}");

    t.hall.finish(&rs, Outcome::Accepted, "").unwrap();
    assert_eq!(t.hall.my_desk(&rs).unwrap(), None);
    assert_eq!(t.hall.call_next(&rs).unwrap().ticket, second.ticket);
    t.hall.finish(&rs, Outcome::Accepted, "").unwrap();
    let empty = conflict(t.hall.call_next(&rs));
    assert!(empty.contains("没有等候"), "{empty}");
    t.assert_consistent();
}

#[test]
fn recall_announces_the_same_ticket_again() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    assert!(conflict(t.hall.command(&rs, Command::Recall)).contains("叫号"));
    t.hall
        .register(&reg, walk_in("甲一", &nth_id(1), "", "rs"))
        .unwrap();
    let called = t.hall.call_next(&rs).unwrap();
    t.clock.advance_minutes(2);
    let rx = t.hall.subscribe();
    let again = t.hall.command(&rs, Command::Recall).unwrap();
    assert_eq!(again, CommandReply::Serving(called.clone()));
    let events: Vec<EventKind> = rx.try_iter().map(|e| e.kind).collect();
    assert_eq!(
        events,
        vec![EventKind::TicketCalled {
            label: called.label,
            department: dept("rs"),
            desk: "desk-rs1".into(),
        }]
    );
}

#[test]
fn a_skipped_ticket_goes_to_the_end_of_the_queue_marked() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    let absent = t
        .hall
        .register(&reg, walk_in("甲一", &nth_id(1), "", "rs"))
        .unwrap();
    let present = t
        .hall
        .register(&reg, walk_in("乙二", &nth_id(2), "", "rs"))
        .unwrap();
    assert_eq!(t.hall.call_next(&rs).unwrap().ticket, absent.ticket);
    t.hall.command(&rs, Command::Skip).unwrap();
    assert_eq!(t.hall.my_desk(&rs).unwrap(), None);

    let queue = t.hall.queue(&rs).unwrap();
    let waiting = &queue
        .departments
        .iter()
        .find(|d| d.department.code == dept("rs"))
        .unwrap()
        .waiting;
    let labels: Vec<(&str, u8)> = waiting
        .iter()
        .map(|e| (e.label.as_str(), e.skipped))
        .collect();
    assert_eq!(labels, vec![("人社-002", 0), ("人社-001", 1)]);

    assert_eq!(t.hall.call_next(&rs).unwrap().ticket, present.ticket);
    t.hall.finish(&rs, Outcome::Accepted, "").unwrap();
    // The absent visitor is back and is called again, still marked.
    let s = t.hall.call_next(&rs).unwrap();
    assert_eq!(s.ticket, absent.ticket);
    let ticket = t
        .hall
        .store()
        .get_id::<lianfang::domain::ticket::Ticket>(absent.ticket)
        .unwrap()
        .unwrap();
    assert_eq!(ticket.skipped, 1);
    assert!(matches!(ticket.state, TicketState::Called { .. }));
    t.assert_consistent();
}

#[test]
fn every_outcome_sets_the_status_and_needs_its_note() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    let cases = [
        (
            Outcome::AnsweredOnSpot,
            State::ResolvedOnSpot,
            "当场化解",
            "rs",
        ),
        (Outcome::Accepted, State::InProgress, "办理中", "rs"),
        (
            Outcome::Forwarded { to: dept("zj") },
            State::Routed,
            "已转送",
            "zj",
        ),
        (
            Outcome::Assigned { to: dept("zr") },
            State::Routed,
            "已交办",
            "zr",
        ),
        (Outcome::NotAccepted, State::Refused, "不予受理", "rs"),
        (
            Outcome::LegalChannel(LegalChannel::Arbitration),
            State::Refused,
            "不予受理",
            "rs",
        ),
    ];
    for (n, (outcome, state, label, owner)) in cases.into_iter().enumerate() {
        let r = t
            .hall
            .register(&reg, walk_in("甲一", &nth_id(n as u32 + 1), "", "rs"))
            .unwrap();
        t.hall.call_next(&rs).unwrap();
        if outcome.needs_note() {
            let before = t.snapshot();
            let (field, message) = invalid(t.hall.finish(&rs, outcome.clone(), "   "));
            assert_eq!(field, Field::Note);
            assert!(message.contains("办理意见"), "{message}");
            assert_eq!(t.snapshot(), before, "{outcome:?} refused without a note");
        }
        t.hall
            .finish(&rs, outcome.clone(), "已向来访人说明")
            .unwrap();
        let m = t.matter(r.matter);
        assert_eq!(m.status.state, state, "{outcome:?}");
        assert_eq!(m.status.label(), label, "{outcome:?}");
        assert_eq!(m.status.since, date(2026, 11, 27), "{outcome:?}");
        assert_eq!(m.department, dept(owner), "{outcome:?}");
        assert_eq!(m.is_open(), !outcome.closes(), "{outcome:?}");
        assert_eq!(m.status.accepted.is_some(), state == State::InProgress);
        if let Outcome::LegalChannel(channel) = outcome {
            let refusal = m.status.refusal.as_ref().unwrap();
            assert_eq!(refusal.ground, RefusalGround::LegalChannel(channel));
            assert_eq!(refusal.reason, "已向来访人说明");
        }
        assert!(matches!(
            &m.history.last().unwrap().kind,
            HistoryKind::Outcome { outcome: o, note } if *o == outcome && note == "已向来访人说明"
        ));
        let v = t.visitor(r.visitor);
        assert_eq!(
            v.summary.open_matters.len(),
            usize::from(m.is_open()),
            "{outcome:?}: the visitor's open matters follow the matter"
        );
        let ticket = t
            .hall
            .store()
            .get_id::<lianfang::domain::ticket::Ticket>(r.ticket)
            .unwrap()
            .unwrap();
        assert_eq!(
            ticket.state,
            TicketState::Done {
                outcome,
                officer: "rs1".into()
            }
        );
        assert_eq!(ticket.finished, Some(t.hall.now()));
        t.assert_consistent();
    }
}

#[test]
fn finishing_with_a_bad_routing_target_changes_nothing() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    t.hall
        .register(&reg, walk_in("甲一", &nth_id(1), "", "rs"))
        .unwrap();
    t.hall.call_next(&rs).unwrap();
    let before = t.snapshot();
    for to in ["rs", "nope"] {
        let (field, _) = invalid(
            t.hall
                .finish(&rs, Outcome::Forwarded { to: dept(to) }, "转走"),
        );
        assert_eq!(field, Field::Department);
        assert_eq!(t.snapshot(), before);
    }
    assert!(t.hall.my_desk(&rs).unwrap().is_some(), "still serving");
}

#[test]
fn finishing_a_ticket_refreshes_the_queue_it_was_called_from() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let ga = t.officer("ga1", Role::Window, "ga");
    let first = t
        .hall
        .register(&reg, walk_in("甲一", &nth_id(1), "", "rs"))
        .unwrap();
    // The matter belongs to 人社, but this visit is queued at 公安.
    let mut repeat = walk_in("甲一", &nth_id(1), "", "ga");
    repeat.matter = lianfang::domain::registration::MatterChoice::Attach(first.matter);
    let r = t.hall.register(&reg, repeat).unwrap();
    assert_eq!(r.ticket_label, "公安-001");
    t.hall.call_next(&ga).unwrap();
    let rx = t.hall.subscribe();
    t.hall.finish(&ga, Outcome::Accepted, "").unwrap();
    let events: Vec<EventKind> = rx.try_iter().map(|e| e.kind).collect();
    assert_eq!(
        events,
        vec![
            EventKind::QueueChanged {
                department: dept("ga")
            },
            EventKind::MatterChanged {
                matter: first.matter
            },
            EventKind::VisitorChanged {
                visitor: first.visitor
            },
        ]
    );
}

#[test]
fn later_tickets_on_a_decided_matter_do_not_decide_it_again() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    let first = t
        .hall
        .register(&reg, walk_in("甲一", &nth_id(1), "", "rs"))
        .unwrap();
    // Registered once more on the same matter while the first ticket is at the window
    // (a second waiting ticket would be refused).
    t.hall.call_next(&rs).unwrap();
    let mut again = walk_in("甲一", &nth_id(1), "", "rs");
    again.matter = lianfang::domain::registration::MatterChoice::Attach(first.matter);
    t.hall.register(&reg, again).unwrap();
    t.hall
        .finish(&rs, Outcome::AnsweredOnSpot, "已解释")
        .unwrap();
    let resolved = t.matter(first.matter).status;
    assert_eq!(resolved.state, State::ResolvedOnSpot);

    // The second reception cannot refuse or accept a resolved matter: the message names
    // the state and how to end the reception.
    t.hall.call_next(&rs).unwrap();
    t.clock.advance_minutes(60 * 24);
    let before = t.snapshot();
    for outcome in [Outcome::NotAccepted, Outcome::Accepted] {
        let message = conflict(t.hall.finish(&rs, outcome, "同一事项已答复"));
        assert!(message.contains(&first.matter_number), "{message}");
        assert!(message.contains("“当场化解”"), "{message}");
        assert!(message.contains("已没有后续步骤"), "{message}");
        assert!(message.contains("请选“当场答复”"), "{message}");
        assert_eq!(t.snapshot(), before);
    }
    // Answered at the window: recorded in the history, the lifecycle untouched.
    t.hall
        .finish(&rs, Outcome::AnsweredOnSpot, "再次说明处理结果")
        .unwrap();
    let m = t.matter(first.matter);
    assert_eq!(m.status, resolved);
    assert!(matches!(
        &m.history.last().unwrap().kind,
        HistoryKind::Outcome { note, .. } if note == "再次说明处理结果"
    ));
    assert!(t.visitor(first.visitor).summary.open_matters.is_empty());
    t.assert_consistent();
}

#[test]
fn closing_a_matter_tells_every_visitor_of_it() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    let first = t
        .hall
        .register(&reg, walk_in("甲一", &nth_id(1), "", "rs"))
        .unwrap();
    t.hall.call_next(&rs).unwrap();
    // A co-petitioner joins the matter while 甲一 is being received.
    let mut other = walk_in("乙二", &nth_id(2), "", "rs");
    other.matter = lianfang::domain::registration::MatterChoice::Attach(first.matter);
    let second = t.hall.register(&reg, other).unwrap();
    let rx = t.hall.subscribe();
    t.hall
        .finish(&rs, Outcome::AnsweredOnSpot, "已答复")
        .unwrap();
    // Both lost an open matter, so both lookup summaries changed.
    assert_eq!(t.visitor(second.visitor).summary.open_matters.len(), 0);
    let events: Vec<EventKind> = rx.try_iter().map(|e| e.kind).collect();
    assert_eq!(
        events,
        vec![
            EventKind::QueueChanged {
                department: dept("rs")
            },
            EventKind::MatterChanged {
                matter: first.matter
            },
            EventKind::VisitorChanged {
                visitor: first.visitor
            },
            EventKind::VisitorChanged {
                visitor: second.visitor
            },
        ]
    );
}

#[test]
fn finishing_without_a_called_ticket_is_a_plain_conflict() {
    let t = TestHall::new();
    let rs = t.officer("rs1", Role::Window, "rs");
    let message = conflict(t.hall.finish(&rs, Outcome::Accepted, ""));
    assert!(message.contains("没有正在接待"), "{message}");
    assert!(conflict(t.hall.command(&rs, Command::Skip)).contains("没有正在接待"));
}

#[test]
fn routing_keeps_the_history_and_moves_the_deadline() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let r = t
        .hall
        .register(&reg, walk_in("甲一", &nth_id(1), "", "xfj"))
        .unwrap();
    // Intake must route within 15 days of registration.
    let d = t.hall.matter(&reg, r.matter).unwrap();
    assert_eq!(d.deadlines.len(), 1);
    let next = d.brief.deadline.unwrap();
    assert!(next.deadline.label().contains("第二十二条"));
    assert_eq!(next.days_left, 15);

    // Routing to where it already is or to nowhere is refused, and changes nothing.
    let before = t.snapshot();
    let (field, _) = invalid(t.hall.command(&reg, route("xfj", false, "再转", r.matter)));
    assert_eq!(field, Field::Department);
    let (field, _) = invalid(t.hall.command(&reg, route("xx", false, "再转", r.matter)));
    assert_eq!(field, Field::Department);
    assert!(matches!(
        t.hall.command(&reg, route("ga", false, "再转", 999)),
        Err(HallError::NotFound(_))
    ));
    assert_eq!(t.snapshot(), before);

    t.clock.set(local_time(2026, 11, 30, 10, 0));
    let (field, _) = invalid(t.hall.command(&reg, route("rs", false, "  ", r.matter)));
    assert_eq!(field, Field::Note);
    t.hall
        .command(&reg, route("rs", true, "属人社部门职责", r.matter))
        .unwrap();

    let d = t.hall.matter(&reg, r.matter).unwrap();
    assert_eq!(d.matter.department, dept("rs"));
    assert_eq!(d.brief.status, "已交办");
    assert!(matches!(
        &d.matter.history.last().unwrap().kind,
        HistoryKind::Routed { from, to, assigned: true, reason }
            if *from == dept("xfj") && *to == dept("rs") && reason == "属人社部门职责"
    ));
    // The receiving department decides within 15 days of the routing (11-30 → 12-15) and
    // may object within 5 working days (Monday 11-30 → Monday 12-07), which shows first.
    let dues: Vec<_> = d
        .deadlines
        .iter()
        .map(|s| (s.deadline.label(), s.deadline.due, s.days_left))
        .collect();
    assert_eq!(
        dues,
        vec![
            ("退回异议期（条例第二十三条）", date(2026, 12, 7), 7),
            ("书面告知受理期限（条例第二十三条）", date(2026, 12, 15), 15),
        ]
    );
    assert_eq!(d.brief.deadline.as_ref(), d.deadlines.first());
    let v = t.visitor(r.visitor);
    assert_eq!(v.summary.open_matters[0].department, dept("rs"));
    assert_eq!(v.summary.departments, vec![dept("xfj"), dept("rs")]);

    // The receiving department cannot pass it on: it accepts, refuses or returns it.
    let rs_leader = t.officer("rsld", Role::Leader, "rs");
    let before = t.snapshot();
    let message = conflict(t.hall.command(
        &rs_leader,
        route("zj", true, "涉及住房，交住建办理", r.matter),
    ));
    assert!(
        message.contains("“已交办”，不能转送交办。当前可以：受理、当场化解、不予受理、退回。"),
        "{message}"
    );
    assert_eq!(t.snapshot(), before);
    t.assert_consistent();
}

#[test]
fn an_accepted_matter_has_sixty_days_from_acceptance() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    let r = t
        .hall
        .register(&reg, walk_in("甲一", &nth_id(1), "", "rs"))
        .unwrap();
    let next = |t: &TestHall| {
        t.hall
            .matter(&rs, r.matter)
            .unwrap()
            .brief
            .deadline
            .unwrap()
    };
    assert!(next(&t).deadline.label().contains("第二十二条"));
    // Called on the day, accepted two days later while still at the window.
    t.hall.call_next(&rs).unwrap();
    t.clock.advance_minutes(60 * 24 * 2);
    t.hall.finish(&rs, Outcome::Accepted, "").unwrap();
    assert_eq!(t.matter(r.matter).status.accepted, Some(date(2026, 11, 29)));
    t.clock.advance_minutes(60 * 24 * 10);
    assert!(next(&t).deadline.label().contains("第三十四条"));
    assert_eq!(next(&t).days_left, 50);
    // Overdue deadlines count below zero.
    t.clock.advance_minutes(60 * 24 * 55);
    assert_eq!(next(&t).days_left, -5);
}

#[test]
fn a_matter_forwarded_at_the_window_gets_its_notice_deadline_from_that_day() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    let r = t
        .hall
        .register(&reg, walk_in("甲一", &nth_id(1), "", "rs"))
        .unwrap();
    // Received on 11-27, forwarded at the window on 12-04.
    t.hall.call_next(&rs).unwrap();
    t.clock.set(local_time(2026, 12, 4, 10, 0));
    t.hall
        .finish(&rs, Outcome::Forwarded { to: dept("zj") }, "属住建职责")
        .unwrap();
    let d = t.hall.matter(&rs, r.matter).unwrap();
    assert_eq!(d.deadlines.len(), 2);
    let notice = &d.deadlines[1];
    assert!(notice.deadline.label().contains("书面告知"));
    assert_eq!(notice.deadline.due, date(2026, 12, 19));
    assert_eq!(notice.days_left, 15);
}

#[test]
fn notes_are_added_to_the_history() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let r = t
        .hall
        .register(&reg, walk_in("甲一", &nth_id(1), "", "rs"))
        .unwrap();
    t.hall
        .command(
            &reg,
            Command::AddNote {
                matter: r.matter,
                text: "  来访人情绪激动，已安抚  ".into(),
            },
        )
        .unwrap();
    let m = t.matter(r.matter);
    assert!(matches!(
        &m.history.last().unwrap().kind,
        HistoryKind::Note { text } if text == "来访人情绪激动，已安抚"
    ));
    let before = t.snapshot();
    let (field, _) = invalid(t.hall.command(
        &reg,
        Command::AddNote {
            matter: r.matter,
            text: "备".repeat(2001),
        },
    ));
    assert_eq!(field, Field::Note);
    assert_eq!(t.snapshot(), before);
}

#[test]
fn key_grades_are_set_and_cleared_by_leaders() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let leader = t.officer("lead", Role::Leader, "xfj");
    let r = t
        .hall
        .register(&reg, walk_in("甲一", &nth_id(1), "", "rs"))
        .unwrap();
    let set = |grade, reason: &str| Command::SetKeyGrade {
        visitor: r.visitor,
        grade,
        reason: reason.to_string(),
    };
    denied(t.hall.command(&reg, set(Some(KeyGrade::A), "多次越级")));
    let (field, _) = invalid(t.hall.command(&leader, set(Some(KeyGrade::A), "")));
    assert_eq!(field, Field::Note);
    t.hall
        .command(&leader, set(Some(KeyGrade::B), "多次越级"))
        .unwrap();
    assert_eq!(t.visitor(r.visitor).key_grade, Some(KeyGrade::B));
    let hit = &t.hall.lookup(&reg, "甲一", 5).unwrap()[0];
    assert_eq!(hit.key_grade, Some(KeyGrade::B));
    t.hall.command(&leader, set(None, "已化解")).unwrap();
    assert_eq!(t.visitor(r.visitor).key_grade, None);
    t.assert_consistent();
}

fn new_officer(username: &str, role: Role, department: &str, password: &str) -> NewOfficer {
    NewOfficer {
        username: username.into(),
        display_name: "新同事".into(),
        role,
        department: dept(department),
        password: password.into(),
    }
}

#[test]
fn accounts_are_managed_by_administrators() {
    let t = TestHall::new();
    let admin = t.officer("admin", Role::Admin, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");

    t.hall
        .command(
            &admin,
            Command::AddOfficer(new_officer("ga1", Role::Window, "ga", PASSWORD)),
        )
        .unwrap();
    let list = t.hall.officers(&admin).unwrap();
    assert!(list
        .iter()
        .any(|o| o.username == "ga1" && o.role == Role::Window));
    t.login("ga1", "公安-1");

    // Duplicates, bad names, short passwords and unknown departments are refused.
    let before = t.snapshot();
    let dup = conflict(t.hall.command(
        &admin,
        Command::AddOfficer(new_officer("ga1", Role::Window, "ga", PASSWORD)),
    ));
    assert!(dup.contains("ga1"), "{dup}");
    let (field, _) = invalid(t.hall.command(
        &admin,
        Command::AddOfficer(new_officer("张三", Role::Window, "ga", PASSWORD)),
    ));
    assert_eq!(field, Field::Username);
    let (field, _) = invalid(t.hall.command(
        &admin,
        Command::AddOfficer(new_officer("ga2", Role::Window, "ga", "short")),
    ));
    assert_eq!(field, Field::Password);
    let (field, _) = invalid(t.hall.command(
        &admin,
        Command::AddOfficer(new_officer("ga3", Role::Window, "nope", PASSWORD)),
    ));
    assert_eq!(field, Field::Department);
    assert_eq!(t.snapshot(), before);

    // The admin resets a password: the old one no longer works.
    t.hall
        .command(
            &admin,
            Command::SetPassword {
                username: "ga1".into(),
                password: "new-password-1".into(),
            },
        )
        .unwrap();
    assert_eq!(
        t.hall.login("ga1", PASSWORD, "d").unwrap_err(),
        HallError::BadCredentials
    );
    t.hall.login("ga1", "new-password-1", "d").unwrap();

    // Anyone changes their own password, nobody else's.
    t.hall
        .command(
            &rs,
            Command::SetPassword {
                username: "rs1".into(),
                password: "my-own-secret-1".into(),
            },
        )
        .unwrap();
    t.hall.login("rs1", "my-own-secret-1", "d").unwrap();
    denied(t.hall.command(
        &rs,
        Command::SetPassword {
            username: "ga1".into(),
            password: "hijacked-pass-1".into(),
        },
    ));

    // Disabling and enabling again.
    let disable = |disabled| Command::SetDisabled {
        username: "ga1".into(),
        disabled,
    };
    t.hall.command(&admin, disable(true)).unwrap();
    assert!(matches!(
        t.hall.login("ga1", "new-password-1", "d"),
        Err(HallError::Denied(m)) if m.contains("停用")
    ));
    t.hall.command(&admin, disable(false)).unwrap();
    t.hall.login("ga1", "new-password-1", "d").unwrap();
    assert!(matches!(
        t.hall.command(
            &admin,
            Command::SetDisabled {
                username: "ghost".into(),
                disabled: true
            }
        ),
        Err(HallError::NotFound(_))
    ));
    t.assert_consistent();
}

#[test]
fn wrong_passwords_and_unknown_users_are_bad_credentials() {
    let t = TestHall::new();
    t.officer("rs1", Role::Window, "rs");
    assert_eq!(
        t.hall.login("rs1", "wrong-password", "d").unwrap_err(),
        HallError::BadCredentials
    );
    assert_eq!(
        t.hall.login("nobody", PASSWORD, "d").unwrap_err(),
        HallError::BadCredentials
    );
    assert_eq!(
        HallError::BadCredentials.to_string(),
        "用户名或密码不正确，请重新输入"
    );
}

#[test]
fn logging_out_ends_the_session() {
    let t = TestHall::new();
    let rs = t.officer("rs1", Role::Window, "rs");
    t.hall.queue(&rs).unwrap();
    t.hall.logout(&rs).unwrap();
    assert_eq!(t.hall.queue(&rs).unwrap_err(), HallError::NotLoggedIn);
    assert_eq!(
        t.hall.command(&rs, Command::CallNext).unwrap_err(),
        HallError::NotLoggedIn
    );
}

#[test]
fn every_change_publishes_numbered_events() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    let admin = t.officer("admin", Role::Admin, "xfj");
    let rx = t.hall.subscribe();
    let mut seq = t.hall.last_event_seq();

    let r = t
        .hall
        .register(&reg, walk_in("甲一", &nth_id(1), "", "rs"))
        .unwrap();
    let kinds = |events: Vec<lianfang::hall::Event>| -> Vec<EventKind> {
        events.into_iter().map(|e| e.kind).collect()
    };
    assert_eq!(
        kinds(drain(&rx, &mut seq)),
        vec![
            EventKind::QueueChanged {
                department: dept("rs")
            },
            EventKind::VisitorChanged { visitor: r.visitor },
            EventKind::MatterChanged { matter: r.matter },
        ]
    );
    t.hall.call_next(&rs).unwrap();
    assert_eq!(
        kinds(drain(&rx, &mut seq)),
        vec![
            EventKind::TicketCalled {
                label: "人社-001".into(),
                department: dept("rs"),
                desk: "desk-rs1".into(),
            },
            EventKind::QueueChanged {
                department: dept("rs")
            },
        ]
    );
    t.hall.command(&rs, Command::Skip).unwrap();
    assert_eq!(
        kinds(drain(&rx, &mut seq)),
        vec![EventKind::QueueChanged {
            department: dept("rs")
        }]
    );
    // Routed while its visitor waits for the window again (the window may still accept it).
    t.hall
        .command(&rs, route("zj", false, "转住建", r.matter))
        .unwrap();
    // The visitor's open matter moved department: lookup panels must refresh too.
    assert_eq!(
        kinds(drain(&rx, &mut seq)),
        vec![
            EventKind::MatterChanged { matter: r.matter },
            EventKind::VisitorChanged { visitor: r.visitor },
        ]
    );
    t.hall.call_next(&rs).unwrap();
    drain(&rx, &mut seq);
    t.hall.finish(&rs, Outcome::Accepted, "").unwrap();
    let events = kinds(drain(&rx, &mut seq));
    assert!(events.contains(&EventKind::QueueChanged {
        department: dept("rs")
    }));
    assert!(events.contains(&EventKind::MatterChanged { matter: r.matter }));
    assert!(events.contains(&EventKind::VisitorChanged { visitor: r.visitor }));
    t.hall
        .command(
            &rs,
            Command::AddNote {
                matter: r.matter,
                text: "已电话告知".into(),
            },
        )
        .unwrap();
    assert_eq!(
        kinds(drain(&rx, &mut seq)),
        vec![EventKind::MatterChanged { matter: r.matter }]
    );
    t.hall
        .command(
            &admin,
            Command::SetKeyGrade {
                visitor: r.visitor,
                grade: Some(KeyGrade::C),
                reason: "关注".into(),
            },
        )
        .unwrap();
    assert!(kinds(drain(&rx, &mut seq)).contains(&EventKind::VisitorChanged { visitor: r.visitor }));
    t.hall
        .command(
            &admin,
            Command::AddOfficer(new_officer("ga1", Role::Window, "ga", PASSWORD)),
        )
        .unwrap();
    assert_eq!(
        kinds(drain(&rx, &mut seq)),
        vec![EventKind::OfficersChanged]
    );

    // A refused command publishes nothing.
    let _ = t.hall.call_next(&reg);
    let _ = t.hall.register(&reg, walk_in("", &nth_id(2), "", "rs"));
    assert!(drain(&rx, &mut seq).is_empty());
    assert_eq!(seq, t.hall.last_event_seq());
}

#[test]
fn every_command_writes_an_audit_record() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    let r = t
        .hall
        .register(&reg, walk_in("甲一", &nth_id(1), "", "rs"))
        .unwrap();
    t.clock.advance_minutes(5);
    t.hall.call_next(&rs).unwrap();
    t.hall.command(&rs, Command::Recall).unwrap();
    t.hall.command(&rs, Command::Skip).unwrap();
    t.hall
        .command(&rs, route("zj", false, "转住建", r.matter))
        .unwrap();
    t.hall.call_next(&rs).unwrap();
    t.hall.finish(&rs, Outcome::Accepted, "").unwrap();
    t.hall
        .command(
            &rs,
            Command::AddNote {
                matter: r.matter,
                text: "补充材料".into(),
            },
        )
        .unwrap();

    let trail = t.hall.matter_audit(&rs, r.matter).unwrap();
    let actions: Vec<(&str, &str)> = trail
        .iter()
        .map(|a| (a.officer.as_str(), a.action.as_str()))
        .collect();
    let expected_prefixes = [
        ("reg", "登记来访 人社-001"),
        ("rs1", "叫号 人社-001"),
        ("rs1", "重呼 人社-001"),
        ("rs1", "过号 人社-001"),
        ("rs1", "转送事项"),
        ("rs1", "叫号 人社-001"),
        ("rs1", "接待完毕 人社-001 受理"),
        ("rs1", "添加备注"),
    ];
    assert_eq!(actions.len(), expected_prefixes.len(), "{actions:?}");
    for ((officer, action), (want_officer, want)) in actions.iter().zip(expected_prefixes) {
        assert_eq!(*officer, want_officer);
        assert!(
            action.starts_with(want),
            "{action} should start with {want}"
        );
    }
    assert_eq!(trail[0].at, opening_time());
    assert_eq!(trail[1].desk, "desk-rs1");
    assert!(trail.windows(2).all(|w| w[0].seq < w[1].seq));
}
