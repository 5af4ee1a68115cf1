//! The matter lifecycle through `LocalHall`: extensions, replies, 复查 / 复核, returns by a
//! receiving department, refused steps, deadlines moving with the clock, the overdue list
//! and who may do what.

mod support;

use chrono::NaiveDate;
use lianfang::domain::lifecycle::{RefusalGround, State, Tier, Transition, TransitionKind};
use lianfang::domain::matter::{Category, HistoryKind, Outcome};
use lianfang::domain::officer::Role;
use lianfang::domain::registration::Field;
use lianfang::hall::{EventKind, Hall, HallExt, Registered};
use lianfang::store::keys::{self, TreeId};
use support::*;

fn advance_days(t: &TestHall, days: i64) {
    t.clock.advance_minutes(days * 24 * 60);
}

fn extend(days: u32, reason: &str, approver: &str, told_on: NaiveDate) -> Transition {
    Transition::Extend {
        days,
        reason: reason.to_string(),
        approver: approver.to_string(),
        told_on,
    }
}

impl Desks {
    fn state(&self, r: &Registered) -> State {
        self.t.matter(r.matter).status.state
    }

    fn audit_count(&self, r: &Registered) -> usize {
        self.t.hall.matter_audit(&self.reg, r.matter).unwrap().len()
    }
}

#[test]
fn an_extension_needs_its_reason_approver_and_told_date_and_only_one_is_granted() {
    let d = Desks::new();
    let t = &d.t;
    let r = d.accepted(1);
    let today = date(2026, 11, 27);
    advance_days(t, 40);
    let on_day_40 = date(2027, 1, 6);
    let before = t.snapshot();

    // Only a leader of the holding department approves an extension.
    let message = denied(t.hall.step(
        &d.rs,
        r.matter,
        extend(30, "需现场核查", "王局长", today),
        "",
    ));
    assert!(message.contains("事项责任部门的领导"), "{message}");
    let ga_leader = t.officer("gald", Role::Leader, "ga");
    let before_ga = t.snapshot();
    denied(t.hall.step(
        &ga_leader,
        r.matter,
        extend(30, "需现场核查", "王局长", today),
        "",
    ));
    assert_eq!(t.snapshot(), before_ga);

    let (field, message) =
        invalid(
            t.hall
                .step(&d.rs_leader, r.matter, extend(30, " ", "王局长", today), ""),
        );
    assert_eq!(field, Field::Note);
    assert!(message.contains("延期的理由"), "{message}");
    let (_, message) = invalid(t.hall.step(
        &d.rs_leader,
        r.matter,
        extend(30, "需现场核查", "", today),
        "",
    ));
    assert!(message.contains("批准延期的负责人"), "{message}");
    let message = conflict(t.hall.step(
        &d.rs_leader,
        r.matter,
        extend(31, "需现场核查", "王局长", today),
        "",
    ));
    assert!(message.contains("延期最多 30 日"), "{message}");
    let tomorrow = on_day_40.succ_opt().unwrap();
    let message = conflict(t.hall.step(
        &d.rs_leader,
        r.matter,
        extend(30, "需现场核查", "王局长", tomorrow),
        "",
    ));
    assert!(message.contains("晚于今天"), "{message}");
    assert_eq!(d.state(&r), State::InProgress);

    // Granted: 60 + 30 days from acceptance on 11-27 → 2027-02-25.
    let audits = d.audit_count(&r);
    t.hall
        .step(
            &d.rs_leader,
            r.matter,
            extend(30, "需现场核查", "王局长", on_day_40),
            "电话告知",
        )
        .unwrap();
    let m = t.matter(r.matter);
    assert_eq!(m.status.state, State::Extended);
    let e = m.status.extension.as_ref().unwrap();
    assert_eq!(
        (e.days, e.approver.as_str(), e.told_on),
        (30, "王局长", on_day_40)
    );
    assert!(matches!(
        &m.history.last().unwrap().kind,
        HistoryKind::Step { step: Transition::Extend { .. }, note } if note == "电话告知"
    ));
    let audit = t.hall.matter_audit(&d.reg, r.matter).unwrap();
    assert_eq!(audit.len(), audits + 1);
    assert!(
        audit.last().unwrap().action.contains("延期 30 日"),
        "{:?}",
        audit.last()
    );
    let next = t
        .hall
        .matter(&d.rs, r.matter)
        .unwrap()
        .brief
        .deadline
        .unwrap();
    assert_eq!(next.deadline.due, date(2027, 2, 25));
    assert_eq!(next.deadline.days, 90);
    assert_eq!(next.days_left, 50);
    assert_ne!(t.snapshot(), before);

    // A second extension is refused, naming the first.
    let before = t.snapshot();
    let message = conflict(t.hall.step(
        &d.rs_leader,
        r.matter,
        extend(10, "仍需核查", "王局长", on_day_40),
        "",
    ));
    assert!(message.contains("延期办理只能一次"), "{message}");
    assert!(
        message.contains(&format!("{on_day_40} 延期 30 日")),
        "{message}"
    );
    assert_eq!(t.snapshot(), before);
    t.assert_consistent();
}

#[test]
fn a_refused_step_names_the_state_and_what_is_allowed_and_changes_nothing() {
    let d = Desks::new();
    let t = &d.t;
    let r = d.register(1, "rs");
    let before = t.snapshot();
    let message = conflict(t.hall.step(&d.rs, r.matter, Transition::Reply, ""));
    assert_eq!(
        message,
        format!(
            "事项 {}：事项当前状态为“登记”，不能办结答复。当前可以：转送交办、本单位受理审查、当场化解、不予受理。",
            r.matter_number
        )
    );
    assert_eq!(t.snapshot(), before);

    // Taken up and accepted by written notice, outside a reception.
    t.hall
        .step(&d.rs, r.matter, Transition::TakeUp, "")
        .unwrap();
    t.hall
        .step(&d.rs, r.matter, Transition::Accept, "书面告知受理")
        .unwrap();
    assert_eq!(d.state(&r), State::InProgress);
    let message = conflict(t.hall.step(&d.rs, r.matter, Transition::Accept, ""));
    assert!(
        message.contains("“办理中”，不能受理。当前可以：延期、办结答复。"),
        "{message}"
    );
}

#[test]
fn the_deadline_moves_with_the_clock_across_day_15_and_16() {
    let d = Desks::new();
    let t = &d.t;
    // Registered at intake on 11-27: routed by 12-12 at the latest (Art 22).
    let r = d.register(1, "xfj");
    let next = || {
        t.hall
            .matter(&d.reg, r.matter)
            .unwrap()
            .brief
            .deadline
            .unwrap()
    };
    assert_eq!(next().deadline.due, date(2026, 12, 12));
    assert_eq!((next().days_left, next().tier), (15, None));

    advance_days(t, 12);
    assert_eq!((next().days_left, next().tier), (3, Some(Tier::Warning)));
    advance_days(t, 3);
    assert_eq!((next().days_left, next().tier), (0, Some(Tier::Warning)));
    assert!(
        next().line().contains("今天（2026-12-12）到期"),
        "{}",
        next().line()
    );
    advance_days(t, 1);
    assert_eq!((next().days_left, next().tier), (-1, Some(Tier::Overdue)));
    assert!(
        next().line().contains("超期 1 天〔超期〕"),
        "{}",
        next().line()
    );
    advance_days(t, 31);
    assert_eq!(next().tier, Some(Tier::SeriouslyOverdue));
    // The list view carries the same deadline.
    let profile = t.hall.profile(&d.reg, r.visitor, false).unwrap();
    assert_eq!(profile.matters[0].deadline.as_ref(), Some(&next()));
}

#[test]
fn the_due_list_is_per_department_for_desks_and_hall_wide_for_leaders() {
    let d = Desks::new();
    let t = &d.t;
    let zj = t.officer("zj1", Role::Window, "zj");
    let admin = t.officer("admin", Role::Admin, "xfj");
    let jw = t.officer("jw1", Role::Window, "jw");
    // Day 0: intake registers one it routes on day 3; four more, of which 人社 accepts one
    // (60 days) and refuses one (closed).
    let routed = d.register(6, "xfj");
    d.register(1, "rs");
    let zj_due = d.register(2, "zj");
    let mut accusation = walk_in("乙二", &nth_id(3), "", "jw");
    accusation.matter = new_matter(Category::Accusation, "纪检监察", "举报某局长收受礼金");
    let jw_due = t.hall.register(&d.reg, accusation).unwrap();
    d.register(4, "rs");
    t.hall.call_next(&d.rs).unwrap();
    t.hall.finish(&d.rs, Outcome::Accepted, "").unwrap();
    t.hall.call_next(&d.rs).unwrap();
    t.hall
        .finish(&d.rs, Outcome::NotAccepted, "不属于信访事项")
        .unwrap();
    advance_days(t, 3);
    let to_zj = Transition::Route {
        to: dept("zj"),
        assigned: false,
    };
    t.hall
        .step(&d.reg, routed.matter, to_zj, "属住建职责")
        .unwrap();
    // Day 5: one more at 人社, due when the others are late.
    advance_days(t, 2);
    let later = d.register(5, "rs");

    let ids = |list: Vec<lianfang::hall::MatterBrief>| -> Vec<u64> {
        list.into_iter().map(|m| m.id).collect()
    };
    // Day 13: the day-0 route limits end in 2 days.
    advance_days(t, 8);
    assert_eq!(
        ids(t.hall.due_matters(&d.rs, false).unwrap()),
        Vec::<u64>::new()
    );
    let zj_list = t.hall.due_matters(&zj, false).unwrap();
    assert_eq!(ids(zj_list.clone()), vec![zj_due.matter]);
    assert_eq!(
        zj_list[0].deadline.as_ref().unwrap().tier,
        Some(Tier::Warning)
    );
    // Day 18: those are 3 days late, `routed` must be answered today (15 days from day 3)
    // and `later` has 2 days left.
    advance_days(t, 5);
    assert_eq!(
        ids(t.hall.due_matters(&d.rs, false).unwrap()),
        vec![later.matter]
    );
    assert_eq!(
        ids(t.hall.due_matters(&zj, false).unwrap()),
        vec![zj_due.matter, routed.matter]
    );
    assert_eq!(
        ids(t.hall.due_matters(&jw, false).unwrap()),
        vec![jw_due.matter]
    );

    let message = denied(t.hall.due_matters(&d.rs, true));
    assert!(message.contains("全大厅"), "{message}");
    // Most overdue first; accusations only for those who may see them.
    assert_eq!(
        ids(t.hall.due_matters(&d.rs_leader, true).unwrap()),
        vec![zj_due.matter, routed.matter, later.matter]
    );
    let all = t.hall.due_matters(&admin, true).unwrap();
    assert_eq!(
        ids(all.clone()),
        vec![zj_due.matter, jw_due.matter, routed.matter, later.matter]
    );
    let days: Vec<(i64, Option<Tier>)> = all
        .iter()
        .map(|m| m.deadline.as_ref().map(|d| (d.days_left, d.tier)).unwrap())
        .collect();
    assert_eq!(
        days,
        vec![
            (-3, Some(Tier::Overdue)),
            (-3, Some(Tier::Overdue)),
            (0, Some(Tier::Warning)),
            (2, Some(Tier::Warning)),
        ]
    );
    // The list reads open matters only, from their index by department: the refused
    // matter has left it, the routed one moved to 住建.
    let open = |code: &str| {
        t.hall
            .store()
            .scan_ids(TreeId::IxOpenMatters, &keys::exact_prefix(code), usize::MAX)
            .unwrap()
    };
    assert_eq!(open("zj"), vec![routed.matter, zj_due.matter]);
    assert_eq!(
        open("rs").len(),
        2,
        "accepted and later, not the refused one"
    );
    assert_eq!(open("xfj"), Vec::<u64>::new());
}

#[test]
fn reply_review_and_recheck_run_to_final_with_an_audit_record_each() {
    let d = Desks::new();
    let t = &d.t;
    let r = d.accepted(1);
    let rx = t.hall.subscribe();
    let audits = d.audit_count(&r);

    // The window replies; 复查 and 复核 are recorded by intake.
    denied(t.hall.step(&d.reg, r.matter, Transition::Reply, ""));
    t.hall
        .step(&d.rs, r.matter, Transition::Reply, "已书面答复")
        .unwrap();
    denied(t.hall.step(&d.rs, r.matter, Transition::RequestReview, ""));
    advance_days(t, 30); // the last day of the 复查 window
    let steps = [
        Transition::RequestReview,
        Transition::StartReview,
        Transition::AnswerReview,
        Transition::RequestRecheck,
        Transition::StartRecheck,
        Transition::AnswerRecheck,
    ];
    for step in steps {
        t.hall.step(&d.reg, r.matter, step, "").unwrap();
    }
    let m = t.matter(r.matter);
    assert_eq!(m.status.state, State::Final);
    assert!(!m.is_open());
    assert!(t.visitor(r.visitor).summary.open_matters.is_empty());
    assert_eq!(d.audit_count(&r), audits + 7);
    let events: Vec<EventKind> = rx.try_iter().map(|e| e.kind).collect();
    assert_eq!(
        events
            .iter()
            .filter(|e| **e == EventKind::MatterChanged { matter: r.matter })
            .count(),
        7
    );
    assert!(events.contains(&EventKind::VisitorChanged { visitor: r.visitor }));
    let message = conflict(t.hall.step(&d.reg, r.matter, Transition::RequestReview, ""));
    assert!(
        message.contains("“终结”") && message.contains("已没有后续步骤"),
        "{message}"
    );
}

#[test]
fn a_review_request_on_day_31_is_refused_and_the_matter_reads_lapsed() {
    let d = Desks::new();
    let t = &d.t;
    let r = d.accepted(1);
    t.hall.step(&d.rs, r.matter, Transition::Reply, "").unwrap();
    advance_days(t, 31);
    let before = t.snapshot();
    let message = conflict(t.hall.step(&d.reg, r.matter, Transition::RequestReview, ""));
    assert!(message.contains("2026-12-27 届满"), "{message}");
    assert!(message.contains("超期未申请复查"), "{message}");
    assert_eq!(t.snapshot(), before);
    let brief = t.hall.matter(&d.reg, r.matter).unwrap().brief;
    assert_eq!(
        (brief.state, brief.status.as_str()),
        (State::ReviewLapsed, "超期未申请复查")
    );
    assert_eq!(brief.deadline, None);
    // Recording the lapse makes it so.
    t.hall
        .step(&d.reg, r.matter, Transition::Lapse, "")
        .unwrap();
    assert_eq!(d.state(&r), State::ReviewLapsed);
}

#[test]
fn a_receiving_department_returns_a_matter_within_its_objection_window_only() {
    let d = Desks::new();
    let t = &d.t;
    let route = |r: &Registered| {
        t.hall
            .step(
                &d.reg,
                r.matter,
                Transition::Route {
                    to: dept("rs"),
                    assigned: false,
                },
                "属人社职责",
            )
            .unwrap()
    };
    let ret = |reason: &str| Transition::ReturnToSender {
        reason: reason.to_string(),
    };
    // Routed on Friday 11-27: five working days end on Friday 12-04.
    let first = d.register(1, "xfj");
    let second = d.register(2, "xfj");
    route(&first);
    route(&second);
    assert_eq!(t.matter(first.matter).status.state, State::Routed);

    let ga = t.officer("ga1", Role::Window, "ga");
    denied(t.hall.step(&ga, first.matter, ret("不归公安"), ""));
    let (_, message) = invalid(t.hall.step(&d.rs, first.matter, ret(" "), ""));
    assert!(message.contains("退回的理由"), "{message}");

    t.clock.set(local_time(2026, 12, 4, 16, 0));
    t.hall
        .step(&d.rs, first.matter, ret("属住房保障，非人社职责"), "")
        .unwrap();
    let m = t.matter(first.matter);
    assert_eq!(m.status.state, State::Returned);
    assert_eq!(m.department, dept("xfj"), "back at intake");
    assert_eq!(m.status.returned.as_ref().unwrap().on, date(2026, 12, 4));
    assert_eq!(
        t.visitor(first.visitor).summary.open_matters[0].department,
        dept("xfj")
    );
    // Intake routes it again, with a fresh 15 days from the return.
    let next = t
        .hall
        .matter(&d.reg, first.matter)
        .unwrap()
        .brief
        .deadline
        .unwrap();
    assert_eq!(next.deadline.due, date(2026, 12, 19));
    t.hall
        .step(
            &d.reg,
            first.matter,
            Transition::Route {
                to: dept("zj"),
                assigned: true,
            },
            "交住建办理",
        )
        .unwrap();
    assert_eq!(
        t.hall.matter(&d.reg, first.matter).unwrap().brief.status,
        "已交办"
    );

    // Monday 12-07 is too late for the second one.
    t.clock.set(local_time(2026, 12, 7, 9, 0));
    let before = t.snapshot();
    let message = conflict(t.hall.step(&d.rs, second.matter, ret("非人社职责"), ""));
    assert!(
        message.contains("退回异议期（条例第二十三条）已于 2026-12-04 届满"),
        "{message}"
    );
    assert_eq!(t.snapshot(), before);
    t.assert_consistent();
}

#[test]
fn steps_follow_roles_and_confidentiality() {
    let d = Desks::new();
    let t = &d.t;
    let display = t.officer("screen", Role::Display, "xfj");
    let zj = t.officer("zj1", Role::Window, "zj");
    let r = d.accepted(1);
    let before = t.snapshot();
    assert!(matches!(
        t.hall.step(&display, r.matter, Transition::Reply, ""),
        Err(lianfang::hall::HallError::Denied(_))
    ));
    // Another department's window may not reply for 人社.
    let message = denied(t.hall.step(&zj, r.matter, Transition::Reply, ""));
    assert!(
        message.contains("事项责任部门的窗口人员或领导"),
        "{message}"
    );
    // Nor record 复查: that is intake's or a leader's.
    let message = denied(t.hall.step(&zj, r.matter, Transition::RequestReview, ""));
    assert!(message.contains("信访局工作人员或领导"), "{message}");
    assert_eq!(t.snapshot(), before);

    // An accusation is stepped only by those who may see it.
    let mut accusation = walk_in("乙二", &nth_id(2), "", "jw");
    accusation.matter = new_matter(Category::Accusation, "纪检监察", "举报某局长收受礼金");
    let a = t.hall.register(&d.reg, accusation).unwrap();
    let refuse = Transition::Refuse {
        ground: RefusalGround::Other,
        reason: "不属于本级管辖".into(),
    };
    let message = denied(t.hall.step(&d.rs_leader, a.matter, refuse.clone(), ""));
    assert!(message.contains("检举控告类"), "{message}");
    let jw = t.officer("jw1", Role::Window, "jw");
    t.hall.step(&jw, a.matter, refuse, "").unwrap();
    assert_eq!(t.matter(a.matter).status.state, State::Refused);
    assert!(State::Refused.allowed().is_empty());
    assert!(!State::InProgress.allowed().contains(&TransitionKind::Route));
}

#[test]
fn in_working_day_mode_deadlines_skip_the_holidays_and_count_the_worked_weekends() {
    let mut config = lianfang::config::HallConfig::embedded();
    config.limits.rules.day_kind = lianfang::domain::calendar::DayKind::Working;
    let t = TestHall::with_config(config);
    let reg = t.officer("reg", Role::Registrar, "xfj");
    // Thursday 2026-09-24, before 中秋 (09-25..27) and 国庆 (10-01..07); Saturday 10-10 is
    // worked. The fifteenth working day after it is Thursday 10-22.
    t.clock.set(local_time(2026, 9, 24, 10, 0));
    let r = t
        .hall
        .register(&reg, walk_in("甲一", &nth_id(1), "", "xfj"))
        .unwrap();
    let next = || {
        t.hall
            .matter(&reg, r.matter)
            .unwrap()
            .brief
            .deadline
            .unwrap()
    };
    assert_eq!(next().deadline.due, date(2026, 10, 22));
    assert!(
        next().line().contains("至 2026-10-22，还剩 28 天"),
        "{}",
        next().line()
    );
    assert_eq!(
        next().deadline.describe(),
        "转送交办期限（条例第二十二条）：2026-09-24 起 15个工作日，至 2026-10-22"
    );
}

#[test]
fn the_due_list_shows_a_notice_due_while_the_objection_window_is_still_open() {
    let d = Desks::new();
    let t = &d.t;
    // Routed on 09-30, before 国庆: the objection window runs to 10-13 (five working days,
    // Saturday 10-10 worked), the written notice is due on 10-15.
    t.clock.set(local_time(2026, 9, 30, 10, 0));
    let r = d.register(1, "xfj");
    let to_rs = Transition::Route {
        to: dept("rs"),
        assigned: false,
    };
    t.hall.step(&d.reg, r.matter, to_rs, "属人社职责").unwrap();
    t.clock.set(local_time(2026, 10, 12, 9, 0));
    let next = t
        .hall
        .matter(&d.rs, r.matter)
        .unwrap()
        .brief
        .deadline
        .unwrap();
    assert_eq!(next.deadline.due, date(2026, 10, 13));
    assert_eq!(
        next.tier, None,
        "the objection window is the department's right"
    );
    let due = t.hall.due_matters(&d.rs, false).unwrap();
    assert_eq!(due.len(), 1);
    let notice = due[0].deadline.as_ref().unwrap();
    assert!(notice.deadline.label().contains("书面告知"));
    assert_eq!(notice.deadline.due, date(2026, 10, 15));
    assert_eq!((notice.days_left, notice.tier), (3, Some(Tier::Warning)));
}
