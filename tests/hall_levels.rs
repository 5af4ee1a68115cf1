//! What intake records about a visit through `LocalHall`: the level already reached (越级访),
//! anonymous letters and calls, and a lower level's acceptance within its time limit (Art 19).

mod support;

use lianfang::config::HallConfig;
use lianfang::domain::lifecycle::{RefusalGround, State, Transition};
use lianfang::domain::matter::Outcome;
use lianfang::domain::officer::Role;
use lianfang::domain::registration::{Field, MatterChoice, RegistrationInput};
use lianfang::domain::visit::{Channel, Visit};
use lianfang::domain::visit_facts::LowerLevel;
use lianfang::hall::{Hall, HallExt, SessionToken};
use support::*;

fn desks() -> (TestHall, SessionToken, SessionToken) {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    (t, reg, rs)
}

fn anonymous_letter() -> RegistrationInput {
    let mut input = walk_in("", "", "", "rs");
    input.address.clear();
    input.channel = Channel::Letter;
    input.facts.anonymous = true;
    input
}

fn visit(t: &TestHall, id: u64) -> Visit {
    t.hall.store().get_id::<Visit>(id).unwrap().unwrap()
}

#[test]
fn each_visit_keeps_its_level_and_skip_level_reads_from_it_and_the_procedure() {
    let (t, reg, rs) = desks();
    let mut input = walk_in("甲一", &nth_id(1), "", "rs");
    input.facts.level = 2; // 到省, before any reply: 越级访
    let r = t.hall.register(&reg, input).unwrap();
    assert_eq!(visit(&t, r.visit).level, 2);
    let detail = t.hall.matter(&rs, r.matter).unwrap();
    assert_eq!(detail.visits[0].level, "到省");
    assert!(detail.visits[0].skip_level);

    // After the written reply, one level up is the 复查 route, not a skip.
    t.hall.call_next(&rs).unwrap();
    t.hall.finish(&rs, Outcome::Accepted, "").unwrap();
    t.hall.step(&rs, r.matter, Transition::Reply, "").unwrap();
    t.clock.advance_minutes(60);
    let mut again = walk_in("甲一", &nth_id(1), "", "rs");
    again.matter = MatterChoice::Attach(r.matter);
    again.facts.level = 1;
    let second = t.hall.register(&reg, again).unwrap();
    let detail = t.hall.matter(&rs, r.matter).unwrap();
    let view = detail.visits.iter().find(|v| v.id == second.visit).unwrap();
    assert_eq!((view.level.as_str(), view.skip_level), ("到市", false));

    let mut bad = walk_in("乙二", &nth_id(2), "", "rs");
    bad.facts.level = 4;
    let (field, message) = invalid(t.hall.register(&reg, bad));
    assert_eq!(field, Field::Level);
    assert!(message.contains("来访层级"), "{message}");
}

#[test]
fn the_levels_come_from_the_config() {
    let text = include_str!("../config/lianfang.toml").replace(
        r#"visit_levels = ["本级", "到市", "到省", "进京"]"#,
        r#"visit_levels = ["本级", "到区", "到市", "到省", "进京"]"#,
    );
    let config = HallConfig::parse(&text, "test.toml").unwrap();
    assert_eq!(config.visit_levels.len(), 5);
    let t = TestHall::with_config(config);
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let mut input = walk_in("甲一", &nth_id(1), "", "rs");
    input.facts.level = 4;
    let r = t.hall.register(&reg, input).unwrap();
    let detail = t.hall.matter(&reg, r.matter).unwrap();
    assert_eq!(detail.visits[0].level, "进京");
    assert_eq!(t.hall.info().unwrap().visit_levels[1], "到区");

    let one = include_str!("../config/lianfang.toml").replace(
        r#"visit_levels = ["本级", "到市", "到省", "进京"]"#,
        r#"visit_levels = ["本级"]"#,
    );
    let err = HallConfig::parse(&one, "test.toml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("来访层级"), "{err}");
}

#[test]
fn an_anonymous_letter_registers_without_personal_data_and_is_never_found_or_picked() {
    let (t, reg, rs) = desks();
    let r = t.hall.register(&reg, anonymous_letter()).unwrap();
    let v = t.visitor(r.visitor);
    assert!(v.anonymous);
    assert_eq!(v.name.as_str(), "匿名");
    assert!(v.id_number.is_none() && v.phone.is_none());
    assert!(visit(&t, r.visit).anonymous);
    // No lookup key: 匿名 and its pinyin find nobody; the matter number finds the letter.
    assert!(t.hall.lookup(&rs, "匿名", 20).unwrap().is_empty());
    assert!(t.hall.lookup(&rs, "nm", 20).unwrap().is_empty());
    let number = t.matter(r.matter).number;
    let hits = t.hall.lookup(&rs, &number, 20).unwrap();
    assert_eq!(hits[0].name, "匿名");
    let detail = t.hall.matter(&rs, r.matter).unwrap();
    assert!(detail.visits[0].anonymous);
    assert!(
        t.hall
            .profile(&rs, r.visitor, false)
            .unwrap()
            .card
            .anonymous
    );
    // Never offered as a repeat, never picked as a known visitor.
    assert!(t
        .hall
        .repeat_candidates(&reg, r.visitor, "劳动社保", "东城区")
        .unwrap()
        .is_empty());
    let mut picked = walk_in("匿名", "", "", "rs");
    picked.no_document = true;
    picked.visitor = Some(r.visitor);
    let (field, message) = invalid(t.hall.register(&reg, picked));
    assert_eq!(field, Field::Name);
    assert!(message.contains("匿名"), "{message}");
    // A second anonymous call is another visitor.
    let mut call = anonymous_letter();
    call.channel = Channel::Phone;
    let second = t.hall.register(&reg, call).unwrap();
    assert_ne!(second.visitor, r.visitor);
    t.assert_consistent();
}

#[test]
fn a_walk_in_or_a_named_letter_cannot_be_anonymous() {
    let (t, reg, _) = desks();
    let before = t.snapshot();
    let mut walk = anonymous_letter();
    walk.channel = Channel::Walkin;
    let (field, message) = invalid(t.hall.register(&reg, walk));
    assert_eq!(field, Field::Anonymous);
    assert!(
        message.contains("走访") && message.contains("姓名"),
        "{message}"
    );
    let mut named = anonymous_letter();
    named.name = "张三".into();
    let (field, message) = invalid(t.hall.register(&reg, named));
    assert_eq!(field, Field::Anonymous);
    assert!(message.contains("清空"), "{message}");
    assert_eq!(t.snapshot(), before);
}

fn pending_at_district(until: chrono::NaiveDate) -> RegistrationInput {
    let mut input = walk_in("甲一", &nth_id(1), "", "rs");
    input.facts.lower_level = Some(LowerLevel {
        body: "东城区人社局".into(),
        until,
    });
    input
}

#[test]
fn a_matter_pending_at_a_lower_level_is_refused_through_the_last_day_of_its_limit() {
    let (t, reg, rs) = desks();
    // Today is 2026-11-27, the last day of the district's limit: still refused.
    let r = t
        .hall
        .register(&reg, pending_at_district(date(2026, 11, 27)))
        .unwrap();
    let m = t.matter(r.matter);
    assert_eq!(m.status.state, State::Refused);
    let refusal = m.status.refusal.as_ref().unwrap();
    assert_eq!(refusal.ground, RefusalGround::PendingElsewhere);
    assert!(
        refusal.reason.contains("东城区人社局"),
        "{}",
        refusal.reason
    );
    assert!(r.pending_at_lower_level);
    let warning = r.warning.unwrap();
    assert!(
        warning.contains("第十九条")
            && warning.contains("2026-11-27")
            && warning.contains("不予受理"),
        "{warning}"
    );
    assert_eq!(m.lower_level.as_ref().unwrap().body, "东城区人社局");
    let audit = t.hall.matter_audit(&rs, r.matter).unwrap();
    assert!(!audit.is_empty());

    // The day after, the limit has passed: registered normally, the lower level kept.
    let mut later = pending_at_district(date(2026, 11, 26));
    later.id_number = nth_id(2);
    later.name = "乙二".into();
    let r = t.hall.register(&reg, later).unwrap();
    let m = t.matter(r.matter);
    assert_eq!(m.status.state, State::Registered);
    assert!(r.warning.is_none() && !r.pending_at_lower_level);
    assert!(m.lower_level.is_some());

    // Only a new matter carries it.
    let mut attach = pending_at_district(date(2026, 12, 31));
    attach.matter = MatterChoice::Attach(r.matter);
    attach.id_number = nth_id(2);
    attach.name = "乙二".into();
    let (field, _) = invalid(t.hall.register(&reg, attach));
    assert_eq!(field, Field::LowerLevel);
    t.assert_consistent();
}
