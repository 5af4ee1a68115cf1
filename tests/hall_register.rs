//! Registering visits through `LocalHall`: new and known visitors, repeat
//! visits, group visits, visitors without documents, ticket labels.

mod support;

use lianfang::domain::lifecycle::State;
use lianfang::domain::matter::{HistoryKind, Outcome};
use lianfang::domain::officer::Role;
use lianfang::domain::registration::{Field, MatterChoice};
use lianfang::domain::ticket::TicketState;
use lianfang::domain::visit::Channel;
use lianfang::hall::clock::Clock;
use lianfang::hall::HallExt;
use support::*;

#[test]
fn a_new_visitor_gets_a_visitor_a_matter_a_visit_and_a_ticket() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let r = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "13812345678", "rs"))
        .unwrap();
    assert_eq!(r.ticket_label, "人社-001");
    assert_eq!(r.department, dept("rs"));
    assert!(!r.repeat);
    assert_eq!(r.waiting_ahead, 0);
    assert_eq!(r.matter_number, "2026-000001");

    let v = t.visitor(r.visitor);
    assert_eq!(v.name.as_str(), "张三");
    assert_eq!(v.id_number.as_ref().unwrap().as_str(), nth_id(1));
    assert_eq!(v.summary.visit_count, 1);
    assert_eq!(v.summary.last_visit, Some(opening_time()));
    assert_eq!(v.summary.open_matters.len(), 1);
    assert_eq!(v.summary.departments, vec![dept("rs")]);

    let m = t.matter(r.matter);
    assert_eq!(m.status.state, State::Registered);
    assert_eq!(m.department, dept("rs"));
    assert_eq!(m.visitors, vec![r.visitor]);
    assert_eq!(m.visits, vec![r.visit]);
    assert!(matches!(m.history[0].kind, HistoryKind::Registered { .. }));

    let s = t.snapshot();
    assert_eq!(
        (
            s.visitors.len(),
            s.visits.len(),
            s.matters.len(),
            s.tickets.len()
        ),
        (1, 1, 1, 1)
    );
    assert_eq!(s.tickets[0].state, TicketState::Waiting);
    assert_eq!(s.visits[0].desk, "desk-reg");
    assert_eq!(s.visits[0].officer, "reg");
    t.assert_consistent();
}

#[test]
fn a_known_identity_number_registers_no_second_visitor() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let first = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "13812345678", "rs"))
        .unwrap();
    t.clock.advance_minutes(30);
    // Typed again, lower-case x and full-width digits would normalise the same way;
    // a new phone number replaces the old one.
    let mut again = walk_in("张三", &nth_id(1), "13900001111", "zj");
    again.matter = claim("房屋漏水");
    let second = t.hall.register(&reg, again).unwrap();
    assert_eq!(second.visitor, first.visitor);
    assert_ne!(second.matter, first.matter);
    assert_eq!(t.snapshot().visitors.len(), 1);

    let v = t.visitor(first.visitor);
    assert_eq!(v.summary.visit_count, 2);
    assert_eq!(v.phone.as_ref().unwrap().digits(), "13900001111");
    assert_eq!(v.summary.open_matters.len(), 2);
    assert_eq!(v.summary.departments, vec![dept("rs"), dept("zj")]);
    // The old phone no longer finds the visitor, the new one does.
    assert!(t.hall.lookup(&reg, "13812345678", 10).unwrap().is_empty());
    assert_eq!(t.hall.lookup(&reg, "13900001111", 10).unwrap().len(), 1);
    t.assert_consistent();
}

#[test]
fn a_picked_visitor_is_reused_and_a_differing_identity_number_refused() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let first = t
        .hall
        .register(&reg, walk_in("李四", &nth_id(2), "", "rs"))
        .unwrap();

    let mut picked = walk_in("李四", "", "", "ga");
    picked.visitor = Some(first.visitor);
    picked.no_document = true;
    let r = t.hall.register(&reg, picked).unwrap();
    assert_eq!(r.visitor, first.visitor);
    assert_eq!(t.snapshot().visitors.len(), 1);

    let before = t.snapshot();
    let mut wrong = walk_in("李四", &nth_id(3), "", "ga");
    wrong.visitor = Some(first.visitor);
    let (field, message) = invalid(t.hall.register(&reg, wrong));
    assert_eq!(field, Field::IdNumber);
    assert!(message.contains("身份证号码"), "{message}");
    assert_eq!(t.snapshot(), before);
}

#[test]
fn a_repeat_visit_attaches_to_the_open_matter_without_a_duplicate() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let first = t
        .hall
        .register(&reg, walk_in("王五", &nth_id(4), "", "rs"))
        .unwrap();
    // 人社 has received him (a visitor still waiting is not given a second ticket).
    let rs = t.officer("rs1", Role::Window, "rs");
    t.hall.call_next(&rs).unwrap();
    t.clock.advance_minutes(60 * 24 * 3);
    let mut repeat = walk_in("王五", &nth_id(4), "", "rs");
    repeat.matter = MatterChoice::Attach(first.matter);
    let r = t.hall.register(&reg, repeat).unwrap();
    assert!(r.repeat);
    assert_eq!(r.matter, first.matter);
    assert_eq!(r.matter_number, first.matter_number);
    assert_eq!(t.snapshot().matters.len(), 1);

    let m = t.matter(first.matter);
    assert_eq!(m.visits, vec![first.visit, r.visit]);
    assert_eq!(m.visitors, vec![first.visitor]);
    assert!(matches!(
        m.history.last().unwrap().kind,
        HistoryKind::RepeatVisit { visit } if visit == r.visit
    ));
    let v = t.visitor(first.visitor);
    assert_eq!(v.summary.visit_count, 2);
    assert_eq!(v.summary.open_matters.len(), 1, "still one open matter");
    t.assert_consistent();
}

#[test]
fn attaching_to_a_closed_matter_is_refused_and_writes_nothing() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    let first = t
        .hall
        .register(&reg, walk_in("赵六", &nth_id(5), "", "rs"))
        .unwrap();
    t.hall.call_next(&rs).unwrap();
    t.hall
        .finish(&rs, Outcome::AnsweredOnSpot, "已当场解释政策")
        .unwrap();

    let before = t.snapshot();
    let mut repeat = walk_in("赵六", &nth_id(5), "", "rs");
    repeat.matter = MatterChoice::Attach(first.matter);
    let message = conflict(t.hall.register(&reg, repeat));
    assert!(message.contains(&first.matter_number), "{message}");
    assert!(message.contains("新事项"), "{message}");
    assert_eq!(t.snapshot(), before);
    t.assert_consistent();
}

#[test]
fn a_group_visit_keeps_headcount_and_representatives() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let mut group = walk_in("孙七", &nth_id(6), "13812345678", "zj");
    group.headcount = 12;
    group.representatives = vec!["孙七".into(), "周八".into(), "  ".into()];
    let r = t.hall.register(&reg, group).unwrap();

    let profile = t.hall.profile(&reg, r.visitor, false).unwrap();
    let visit = &profile.visits[0];
    assert_eq!(visit.headcount, 12);
    assert!(visit.group);
    assert_eq!(visit.representatives, vec!["孙七", "周八"]);

    let queue = t.hall.queue(&reg).unwrap();
    let zj = queue
        .departments
        .iter()
        .find(|d| d.department.code == dept("zj"))
        .unwrap();
    assert!(zj.waiting[0].group);
    assert_eq!(zj.waiting[0].headcount, 12);

    // Four people are not a group visit and need no representative.
    let mut small = walk_in("吴九", &nth_id(7), "", "zj");
    small.headcount = 4;
    let r = t.hall.register(&reg, small).unwrap();
    assert!(!t.hall.profile(&reg, r.visitor, false).unwrap().visits[0].group);
    t.assert_consistent();
}

#[test]
fn a_visitor_without_a_document_is_registered_and_flagged() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let mut input = walk_in("郑十", "", "010-62345678", "mz");
    input.no_document = true;
    input.channel = Channel::Phone;
    let r = t.hall.register(&reg, input).unwrap();
    let p = t.hall.profile(&reg, r.visitor, true).unwrap();
    assert!(p.card.no_document);
    assert_eq!(p.card.id_number, "（无证件）");
    assert_eq!(p.card.birth_date, None);
    assert_eq!(p.visits[0].channel, Channel::Phone);
    // Two visitors without documents are two visitors, never merged.
    let mut other = walk_in("郑十", "", "", "mz");
    other.no_document = true;
    let r2 = t.hall.register(&reg, other).unwrap();
    assert_ne!(r2.visitor, r.visitor);
    t.assert_consistent();
}

#[test]
fn ticket_labels_count_per_department_per_day() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let label = |name: &str, n: u32, d: &str| {
        t.hall
            .register(&reg, walk_in(name, &nth_id(n), "", d))
            .unwrap()
            .ticket_label
    };
    assert_eq!(label("甲一", 10, "rs"), "人社-001");
    assert_eq!(label("乙二", 11, "rs"), "人社-002");
    assert_eq!(label("丙三", 12, "ga"), "公安-001");
    let third = t
        .hall
        .register(&reg, walk_in("丁四", &nth_id(13), "", "rs"))
        .unwrap();
    assert_eq!(third.ticket_label, "人社-003");
    assert_eq!(third.waiting_ahead, 2);

    // Just before local midnight the day is still the same …
    t.clock.set(local_time(2026, 11, 27, 23, 59));
    assert_eq!(label("戊五", 14, "rs"), "人社-004");
    // … and the next morning every department starts again at 001: yesterday's
    // tickets that still wait (人社-001…004, 公安-001) lapsed with the day.
    t.clock.set(local_time(2026, 11, 28, 8, 30));
    assert_eq!(label("己六", 15, "rs"), "人社-001");
    assert_eq!(label("庚七", 16, "ga"), "公安-001");
    assert_eq!(label("辛八", 17, "zj"), "住建-001");
    t.assert_consistent();
}

#[test]
fn matter_numbers_count_per_year() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let a = t
        .hall
        .register(&reg, walk_in("甲一", &nth_id(20), "", "rs"))
        .unwrap();
    let b = t
        .hall
        .register(&reg, walk_in("乙二", &nth_id(21), "", "rs"))
        .unwrap();
    t.clock.set(local_time(2027, 1, 1, 0, 5));
    let c = t
        .hall
        .register(&reg, walk_in("丙三", &nth_id(22), "", "rs"))
        .unwrap();
    assert_eq!(
        [a.matter_number, b.matter_number, c.matter_number],
        ["2026-000001", "2026-000002", "2027-000001"]
    );
}

#[test]
fn a_known_number_with_another_name_is_refused_unless_the_visitor_is_picked() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let first = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    // The number typed is 张三's, the name is not: most likely a typo in the number,
    // which must not put 李四's visit on 张三's record.
    let before = t.snapshot();
    let (field, message) = invalid(t.hall.register(&reg, walk_in("李四", &nth_id(1), "", "rs")));
    assert_eq!(field, Field::IdNumber);
    assert!(
        message.contains("张三") && message.contains("李四"),
        "{message}"
    );
    assert_eq!(t.snapshot(), before);
    // Spacing typed through an IME is not a different name. (Each visit goes to another
    // department: 张三 already waits at 人社.)
    let r = t
        .hall
        .register(&reg, walk_in("张 三", &nth_id(1), "", "zj"))
        .unwrap();
    assert_eq!(r.visitor, first.visitor);
    // Picked from the repeat-visitor list, the officer has confirmed the person.
    let mut picked = walk_in("张叁", &nth_id(1), "", "ga");
    picked.visitor = Some(first.visitor);
    assert_eq!(
        t.hall.register(&reg, picked).unwrap().visitor,
        first.visitor
    );
    t.assert_consistent();
}

#[test]
fn a_new_day_lapses_yesterdays_waiting_tickets_and_skips_labels_still_at_a_desk() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let ga = t.officer("ga1", Role::Window, "ga");
    let register = |n: u32| {
        t.hall
            .register(&reg, walk_in("甲一", &nth_id(n), "", "ga"))
            .unwrap()
    };
    assert_eq!(register(1).ticket_label, "公安-001");
    let yesterdays = register(2);
    assert_eq!(yesterdays.ticket_label, "公安-002");
    // 公安-001 is called and still at the desk at closing time; 公安-002 still waits.
    t.hall.call_next(&ga).unwrap();
    let waiting = |dept: &str| -> Vec<String> {
        let queue = t.hall.queue(&ga).unwrap();
        let d = queue.departments.iter();
        let d = d.into_iter().find(|d| d.department.code.as_str() == dept);
        d.unwrap().waiting.iter().map(|e| e.label.clone()).collect()
    };
    assert_eq!(waiting("ga"), ["公安-002"]);
    // Asked again with nothing written, the board is as of now.
    t.clock.advance_minutes(5);
    assert_eq!(t.hall.queue(&ga).unwrap().now, Clock::now(&*t.clock));

    t.clock.set(local_time(2026, 11, 28, 8, 30));
    // The board no longer shows yesterday's waiting ticket, though nothing was written
    // overnight …
    assert!(waiting("ga").is_empty(), "{:?}", waiting("ga"));
    // … its label is free again, the one at the desk is not …
    let today = register(3);
    assert_eq!(today.ticket_label, "公安-002");
    // … nor counted ahead of today's, though no call has lapsed it yet.
    assert_eq!(today.waiting_ahead, 0);
    let fourth = register(4);
    assert_eq!(fourth.ticket_label, "公安-003");
    assert_eq!(fourth.waiting_ahead, 1);
    // … and its visitor may take a ticket today: yesterday's no longer holds a place.
    assert_eq!(register(2).ticket_label, "公安-004");
    assert_eq!(waiting("ga"), ["公安-002", "公安-003", "公安-004"]);
    // Other departments are not affected.
    let rs = t
        .hall
        .register(&reg, walk_in("乙二", &nth_id(5), "", "rs"))
        .unwrap();
    assert_eq!(rs.ticket_label, "人社-001");

    // Calling starts with today's first, marking yesterday's lapsed on the way.
    t.hall.finish(&ga, Outcome::Accepted, "").unwrap();
    let called = t.hall.call_next(&ga).unwrap();
    assert_eq!(called.ticket, today.ticket);
    let audit = t.snapshot().audit;
    let actions: Vec<&str> = audit.iter().map(|r| r.action.as_str()).collect();
    assert!(
        actions.contains(&"前一日未叫的号作废：公安-002"),
        "{actions:?}"
    );
    t.hall.finish(&ga, Outcome::Accepted, "").unwrap();
    t.clock.set(local_time(2026, 11, 29, 8, 30));
    assert_eq!(register(6).ticket_label, "公安-001");
    t.assert_consistent();
}
