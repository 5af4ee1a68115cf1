//! Confidentiality of accusations (Art 30) through `LocalHall`: a 检举控告类 matter names
//! whom it accuses, never goes to that party's department, and the accused party is seen
//! only by 纪委监委 and administrators.

mod support;

use lianfang::config::HallConfig;
use lianfang::domain::department::DeptCode;
use lianfang::domain::lifecycle::Transition;
use lianfang::domain::matter::{Accused, Category, Outcome};
use lianfang::domain::officer::Role;
use lianfang::domain::registration::{Field, MatterChoice, RegistrationInput, MAX_ACCUSED};
use lianfang::hall::{role_may, Action, Hall, HallExt, Registered, SessionToken};
use support::*;

/// Distinctive enough that finding it in a view can only mean the view leaks it.
const ACCUSED: &str = "检察院某科长甲乙丙";

/// The embedded config with a second accusations body: the 检察院 also handles accusations
/// (职务犯罪), so a matter may be routed between two bodies that both may see it.
fn two_accusation_bodies() -> HallConfig {
    let mut config = HallConfig::embedded();
    for d in &mut config.departments {
        if d.code.as_str() == "jcy" {
            d.accusations = true;
        }
    }
    config
}

fn accusation(accused: &str, accused_department: Option<&str>, to: &str) -> RegistrationInput {
    let mut input = walk_in("张三", &nth_id(1), "", to);
    input.matter = new_matter(Category::Accusation, "纪检监察", "举报某科长收受礼金");
    if let MatterChoice::New(m) = &mut input.matter {
        m.accused = accused.to_string();
        m.accused_department = accused_department.map(DeptCode::new);
    }
    input
}

struct Case {
    t: TestHall,
    reg: SessionToken,
    r: Registered,
}

/// An accusation against someone at the 检察院, registered to 纪委监委.
fn registered() -> Case {
    let t = TestHall::with_config(two_accusation_bodies());
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let r = t
        .hall
        .register(&reg, accusation(ACCUSED, Some("jcy"), "jw"))
        .unwrap();
    Case { t, reg, r }
}

#[test]
fn the_accused_party_is_recorded_on_the_matter() {
    let a = registered();
    assert_eq!(
        a.t.matter(a.r.matter).accused,
        Some(Accused {
            party: ACCUSED.to_string(),
            department: Some(dept("jcy")),
        })
    );
    // A claim names nobody.
    let claim =
        a.t.hall
            .register(&a.reg, walk_in("李四", &nth_id(2), "", "rs"))
            .unwrap();
    assert_eq!(a.t.matter(claim.matter).accused, None);
    a.t.assert_consistent();
}

#[test]
fn an_accusation_is_never_registered_to_or_routed_to_the_accused_department() {
    let a = registered();
    let t = &a.t;
    // Registered straight to the accused department: refused, nothing written.
    let before = t.snapshot();
    let (field, message) = invalid(
        t.hall
            .register(&a.reg, accusation("另一被反映人", Some("jcy"), "jcy")),
    );
    assert_eq!(field, Field::Department);
    assert!(message.contains("第三十条"), "{message}");
    assert!(message.contains("检察院"), "{message}");
    assert_eq!(t.snapshot(), before);

    // Routed there by a step or by a window's outcome: refused, the matter stays.
    let route = Transition::Route {
        to: dept("jcy"),
        assigned: false,
    };
    let admin = t.officer("root", Role::Admin, "xfj");
    let (field, message) = invalid(t.hall.step(&admin, a.r.matter, route, "转检察院"));
    assert_eq!(field, Field::Department);
    assert!(message.contains("第三十条"), "{message}");
    let jw = t.officer("jw1", Role::Window, "jw");
    t.hall.call_next(&jw).unwrap();
    let before = t.snapshot();
    let forwarded = Outcome::Forwarded { to: dept("jcy") };
    let (field, _) = invalid(t.hall.finish(&jw, forwarded, "转检察院"));
    assert_eq!(field, Field::Department);
    assert_eq!(t.snapshot(), before);
    assert_eq!(t.matter(a.r.matter).department, dept("jw"));

    // Nor to a department that is no accusations body, as before.
    let (field, _) = invalid(
        t.hall
            .finish(&jw, Outcome::Forwarded { to: dept("rs") }, "转"),
    );
    assert_eq!(field, Field::Department);
    t.assert_consistent();
}

#[test]
fn an_accusation_against_the_only_accusations_body_is_refused_with_the_way_out() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let (field, message) = invalid(
        t.hall
            .register(&reg, accusation("纪委某干部", Some("jw"), "jw")),
    );
    assert_eq!(field, Field::Department);
    assert!(message.contains("上级纪检监察机关"), "{message}");
    // Against a unit of another department, 纪委监委 takes it.
    t.hall
        .register(&reg, accusation("人社某科长", Some("rs"), "jw"))
        .unwrap();
}

#[test]
fn only_the_commission_and_administrators_see_the_accused_party() {
    let a = registered();
    let t = &a.t;
    let mut last = t.hall.last_event_seq();
    let events = t.hall.subscribe();
    let jw = t.officer("jw1", Role::Window, "jw");
    let admin = t.officer("root", Role::Admin, "xfj");
    for who in [&jw, &admin] {
        assert_eq!(
            t.hall.matter(who, a.r.matter).unwrap().matter.accused,
            t.matter(a.r.matter).accused
        );
    }
    // The accused department is itself an accusations body, and still may not look.
    let jcy = t.officer("jcy1", Role::Leader, "jcy");
    denied(t.hall.matter(&jcy, a.r.matter));
    denied(t.hall.matter_audit(&jcy, a.r.matter));
    assert!(t.hall.due_matters(&jcy, true).unwrap().is_empty());
    // Its profile of the petitioner shows neither the matter nor the visit about it.
    let seen_by_jcy = t.hall.profile(&jcy, a.r.visitor, false).unwrap();
    assert!(seen_by_jcy.matters.is_empty() && seen_by_jcy.visits.is_empty());
    assert_eq!(
        t.hall
            .profile(&jw, a.r.visitor, false)
            .unwrap()
            .matters
            .len(),
        1
    );
    // Nor find the petitioner by the matter's number, while the commission can.
    assert!(t
        .hall
        .lookup(&jcy, &a.r.matter_number, 5)
        .unwrap()
        .is_empty());
    assert_eq!(t.hall.lookup(&jw, &a.r.matter_number, 5).unwrap().len(), 1);

    // A step by the commission, then everything others can read: no trace of the party.
    t.hall
        .step(&jw, a.r.matter, Transition::TakeUp, "")
        .unwrap();
    for (username, role, department) in [
        ("jcy2", Role::Window, "jcy"),
        ("rs1", Role::Window, "rs"),
        ("lead", Role::Leader, "xfj"),
        ("reg2", Role::Registrar, "xfj"),
    ] {
        let who = t.officer(username, role, department);
        let seen = format!(
            "{:?}{:?}{:?}{:?}",
            t.hall.queue(&who).unwrap(),
            t.hall.lookup(&who, "张三", 5).unwrap(),
            t.hall
                .profile(&who, a.r.visitor, role_may(role, Action::ViewFullIdentity))
                .unwrap(),
            t.hall.due_matters(&who, role == Role::Leader).unwrap(),
        );
        assert!(
            !seen.contains(ACCUSED),
            "{username} sees the accused: {seen}"
        );
        assert!(seen.contains("张三"), "{username}: the views were read");
        denied(t.hall.matter(&who, a.r.matter));
        denied(t.hall.matter_audit(&who, a.r.matter));
    }
    let published = format!("{:?}", drain(&events, &mut last));
    assert!(!published.contains(ACCUSED), "{published}");
    // Nor does the audit trail write it down for anyone.
    let audit = format!("{:?}", t.snapshot().audit);
    assert!(!audit.contains(ACCUSED), "{audit}");
    assert!(audit.contains(&a.r.matter_number));
}

#[test]
fn the_accused_party_is_validated_on_the_field() {
    let t = TestHall::new();
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let before = t.snapshot();
    for (accused, department, expected) in [
        ("  ", None, Field::Accused),
        (&*"某".repeat(MAX_ACCUSED + 1), None, Field::Accused),
        ("某科长", Some("nope"), Field::AccusedDepartment),
    ] {
        let (field, message) =
            invalid(t.hall.register(&reg, accusation(accused, department, "jw")));
        assert_eq!(field, expected, "{accused:?}");
        assert!(message
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
    }
    let (_, message) = invalid(t.hall.register(&reg, accusation(" ", None, "jw")));
    assert!(message.contains("被反映人或单位"), "{message}");

    // A claim that names an accused party is refused rather than silently stripped.
    let mut claim = accusation("某科长", None, "rs");
    if let MatterChoice::New(m) = &mut claim.matter {
        m.category = Category::Claim;
        m.content_class = "劳动社保".into();
    }
    assert_eq!(invalid(t.hall.register(&reg, claim)).0, Field::Accused);
    assert_eq!(t.snapshot(), before);

    // At the limit it is accepted.
    let limit = "某".repeat(MAX_ACCUSED);
    t.hall
        .register(&reg, accusation(&limit, None, "jw"))
        .unwrap();
}

#[test]
fn an_accusation_outside_a_bodys_remit_is_passed_on_not_returned_to_intake_which_may_not_see_it() {
    let t = TestHall::with_config(two_accusation_bodies());
    let reg = t.officer("reg", Role::Registrar, "xfj");
    let r = t
        .hall
        .register(&reg, accusation("某局某科长", None, "jw"))
        .unwrap();
    let jw = t.officer("jw1", Role::Window, "jw");
    let route = Transition::Route {
        to: dept("jcy"),
        assigned: false,
    };
    t.hall
        .step(&jw, r.matter, route, "涉嫌职务犯罪，转检察院")
        .unwrap();
    let jcy = t.officer("jcy1", Role::Window, "jcy");
    let before = t.snapshot();
    let back = Transition::ReturnToSender {
        reason: "不属本院管辖".into(),
    };
    let message = conflict(t.hall.step(&jcy, r.matter, back, ""));
    assert!(message.contains("不能退回"), "{message}");
    assert!(message.contains("转送"), "{message}");
    assert_eq!(t.snapshot(), before);
    assert_eq!(t.matter(r.matter).department, dept("jcy"));
    t.assert_consistent();
}
