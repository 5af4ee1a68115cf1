//! Repeat and closed matters through `LocalHall`: one waiting ticket per visitor and
//! department, visits on a 终结 matter (不再受理), and repeat candidates (同人+同事).

mod support;

use lianfang::domain::lifecycle::{RefusalGround, State, Transition};
use lianfang::domain::matter::{Category, Outcome};
use lianfang::domain::officer::Role;
use lianfang::domain::registration::MatterChoice;
use lianfang::hall::{HallExt, Registered, SessionToken};
use support::*;

#[test]
fn a_visitor_waiting_at_a_department_is_not_given_a_second_ticket() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    let first = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    assert_eq!(first.ticket_label, "人社-001");

    // Known by the number, or picked from the lookup: refused either way, nothing written.
    let before = t.snapshot();
    let mut picked = walk_in("张三", "", "", "rs");
    picked.no_document = true;
    picked.visitor = Some(first.visitor);
    for input in [walk_in("张三", &nth_id(1), "", "rs"), picked] {
        let message = conflict(t.hall.register(&reg, input));
        assert!(message.contains("人社-001"), "{message}");
        assert!(message.contains("张三"), "{message}");
        assert!(message.contains("人力资源和社会保障局"), "{message}");
        assert_eq!(t.snapshot(), before);
    }

    // Another department's queue is another matter.
    let zj = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "zj"))
        .unwrap();
    assert_eq!(zj.ticket_label, "住建-001");
    // Someone else is not held up by 张三's ticket.
    t.hall
        .register(&reg, walk_in("李四", &nth_id(2), "", "rs"))
        .unwrap();

    // Once called to the window the ticket no longer waits: a new one may be issued.
    t.hall.call_next(&rs).unwrap();
    let mut again = walk_in("张三", &nth_id(1), "", "rs");
    again.matter = MatterChoice::Attach(first.matter);
    let second = t.hall.register(&reg, again).unwrap();
    assert_eq!(second.ticket_label, "人社-003");
    t.assert_consistent();
}

/// 张三's matter at 人社, accepted, replied and taken through 复查 and 复核 to 终结.
fn final_matter(t: &TestHall, reg: &SessionToken, rs: &SessionToken) -> Registered {
    let r = t
        .hall
        .register(reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    t.hall.call_next(rs).unwrap();
    t.hall.finish(rs, Outcome::Accepted, "").unwrap();
    t.hall.step(rs, r.matter, Transition::Reply, "").unwrap();
    for step in [
        Transition::RequestReview,
        Transition::StartReview,
        Transition::AnswerReview,
        Transition::RequestRecheck,
        Transition::StartRecheck,
        Transition::AnswerRecheck,
    ] {
        t.hall.step(reg, r.matter, step, "").unwrap();
    }
    assert_eq!(t.matter(r.matter).status.state, State::Final);
    r
}

#[test]
fn a_visit_on_a_final_matter_is_recorded_as_not_accepted_again_and_the_matter_stays_closed() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    let first = final_matter(&t, &reg, &rs);
    let closed = t.matter(first.matter);
    t.clock.advance_minutes(60 * 24 * 3);

    let mut again = walk_in("张三", &nth_id(1), "", "rs");
    again.matter = MatterChoice::Attach(first.matter);
    let r = t.hall.register(&reg, again).unwrap();

    // A matter of its own, 不再受理 at once, citing the rule and the earlier matter.
    assert_ne!(r.matter, first.matter);
    assert!(!r.repeat);
    let warning = r.warning.clone().expect("warning");
    assert!(warning.contains(&first.matter_number), "{warning}");
    assert!(warning.contains("第三十六条"), "{warning}");
    assert!(warning.contains("不再受理"), "{warning}");
    let m = t.matter(r.matter);
    assert_eq!(m.status.state, State::NotAcceptedAgain);
    assert_eq!(
        m.status.refusal.as_ref().map(|f| f.ground),
        Some(RefusalGround::AlreadyFinal)
    );
    assert!(m
        .status
        .refusal
        .as_ref()
        .unwrap()
        .reason
        .contains(&first.matter_number));
    assert_eq!(
        (m.content_class.as_str(), m.place.as_str()),
        (closed.content_class.as_str(), closed.place.as_str())
    );
    assert_eq!(m.visitors, vec![first.visitor]);

    // It counts as a 批次 and a 重复访 of the visitor, with a ticket to be told at the window.
    let profile = t.hall.profile(&reg, first.visitor, false).unwrap();
    assert_eq!(profile.card.visit_count, 2);
    let visit = profile
        .visits
        .iter()
        .find(|v| v.matter == r.matter)
        .expect("visit");
    assert!(visit.repeat);
    assert_eq!(r.ticket_label, "人社-001"); // three days later: a new day's numbers
                                            // The closed matter is untouched and the new one is not open either.
    assert_eq!(t.matter(first.matter), closed);
    assert!(t.visitor(first.visitor).summary.open_matters.is_empty());

    // The window receives the visitor and explains: the lifecycle stays 不再受理.
    t.hall.call_next(&rs).unwrap();
    conflict(t.hall.finish(&rs, Outcome::Accepted, ""));
    t.hall
        .finish(&rs, Outcome::AnsweredOnSpot, "已告知不再受理")
        .unwrap();
    assert_eq!(t.matter(r.matter).status.state, State::NotAcceptedAgain);
    t.assert_consistent();
}

#[test]
fn a_visit_on_a_matter_closed_otherwise_is_still_refused() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    let first = t
        .hall
        .register(&reg, walk_in("张三", &nth_id(1), "", "rs"))
        .unwrap();
    t.hall.call_next(&rs).unwrap();
    t.hall
        .finish(&rs, Outcome::AnsweredOnSpot, "当场解释")
        .unwrap();
    let before = t.snapshot();
    let mut again = walk_in("张三", &nth_id(1), "", "rs");
    again.matter = MatterChoice::Attach(first.matter);
    let message = conflict(t.hall.register(&reg, again));
    assert!(message.contains("当场化解"), "{message}");
    assert_eq!(t.snapshot(), before);
}

#[test]
fn repeat_candidates_are_the_same_persons_or_a_co_petitioners_with_the_same_class_and_place() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let admin = t.officer("admin", Role::Admin, "xfj");
    let ga = t.officer("ga1", Role::Window, "ga");
    let register = |name: &str, n: u32, department: &str, matter: MatterChoice| {
        let mut input = walk_in(name, &nth_id(n), "", department);
        input.matter = matter;
        t.hall.register(&reg, input).unwrap()
    };
    let wages = || new_matter(Category::Claim, "劳动社保", "拖欠工资");
    // 张三: the wage matter, one about housing, one answered on the spot, an accusation.
    let a = register("张三", 1, "rs", wages());
    let housing = register(
        "张三",
        1,
        "zj",
        new_matter(Category::Claim, "城乡建设", "拆迁补偿"),
    );
    let answered = register("张三", 1, "ga", wages());
    t.hall.call_next(&ga).unwrap();
    t.hall
        .finish(&ga, Outcome::AnsweredOnSpot, "已解释")
        .unwrap();
    let accusation = register(
        "张三",
        1,
        "jw",
        new_matter(Category::Accusation, "劳动社保", "举报包工头"),
    );
    // 王五 joined 张三's wage matter, and has one of his own at the same place, one elsewhere.
    register("王五", 3, "rs", MatterChoice::Attach(a.matter));
    let w = register("王五", 3, "ga", wages());
    let mut elsewhere = walk_in("王五", &nth_id(3), "", "zj");
    if let MatterChoice::New(m) = &mut elsewhere.matter {
        m.content_class = "劳动社保".into();
        m.place = "朝阳区".into();
    }
    let chaoyang = t.hall.register(&reg, elsewhere).unwrap();
    // A stranger with the same kind of matter is no candidate.
    register("赵六", 4, "rs", wages());

    let place = a_matter_place(&t, a.matter);
    let numbers = |token| -> Vec<u64> {
        t.hall
            .repeat_candidates(token, a.visitor, "劳动社保", &place)
            .unwrap()
            .into_iter()
            .map(|b| b.id)
            .collect()
    };
    // Newest first: 王五's own, then the shared one; the accusation only for those who may see it.
    assert_eq!(numbers(&reg), vec![w.matter, a.matter]);
    assert_eq!(numbers(&admin), vec![w.matter, accusation.matter, a.matter]);
    assert!(!numbers(&reg).contains(&housing.matter));
    assert!(!numbers(&reg).contains(&answered.matter));
    // Another place: the matters there; a place or class nobody went with: nothing.
    let there = t
        .hall
        .repeat_candidates(&reg, a.visitor, "劳动社保", "朝阳区")
        .unwrap();
    assert_eq!(there.len(), 1);
    assert_eq!(there[0].id, chaoyang.matter);
    for (class, place) in [("劳动社保", "丰台区"), ("教育", place.as_str())] {
        assert!(t
            .hall
            .repeat_candidates(&reg, a.visitor, class, place)
            .unwrap()
            .is_empty());
    }

    // The officer confirms 王五's matter: 张三 is attached to it as a co-petitioner.
    let confirmed = register("张三", 1, "ga", MatterChoice::Attach(w.matter));
    assert_eq!(confirmed.matter, w.matter);
    assert!(t.matter(w.matter).visitors.contains(&a.visitor));
    // Or rejects them all: a new matter.
    let rejected = register("张三", 1, "sf", wages());
    assert!(![a.matter, w.matter].contains(&rejected.matter));
    t.assert_consistent();
}

#[test]
fn a_final_matter_is_a_repeat_candidate_and_confirming_it_records_not_accepted_again() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    let first = final_matter(&t, &reg, &rs);
    let place = a_matter_place(&t, first.matter);
    let class = t.matter(first.matter).content_class;
    let candidates = t
        .hall
        .repeat_candidates(&reg, first.visitor, &class, &place)
        .unwrap();
    assert_eq!(candidates.len(), 1);
    assert_eq!(candidates[0].state, State::Final);
    let mut again = walk_in("张三", &nth_id(1), "", "rs");
    again.matter = MatterChoice::Attach(candidates[0].id);
    let r = t.hall.register(&reg, again).unwrap();
    assert_eq!(t.matter(r.matter).status.state, State::NotAcceptedAgain);
    assert!(r.warning.is_some());
}

fn a_matter_place(t: &TestHall, id: u64) -> String {
    t.matter(id).place
}
