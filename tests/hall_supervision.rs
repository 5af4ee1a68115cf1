//! 督办, 领导批示, 领导包案 and 回访 through `LocalHall`: who may do what, the audit trail and
//! events, the supervised list until cleared, the markers on every list, the actions a desk
//! is offered, and accusations kept from those who may not see them.

mod support;

use lianfang::domain::lifecycle::{Tier, TransitionKind};
use lianfang::domain::matter::{Category, HistoryKind, MatterId};
use lianfang::domain::officer::Role;
use lianfang::domain::oversight::{FollowUp, FollowUpWay, Oversight, OversightKind};
use lianfang::domain::registration::{Field, MatterChoice};
use lianfang::hall::{DeskAction, EventKind, Hall, HallExt, SessionToken};
use support::*;

/// Friday 2026-11-27: intake, 人社's window and leader, a leader of 公安, an administrator.
struct Hall5 {
    t: TestHall,
    reg: SessionToken,
    rs: SessionToken,
    rs_leader: SessionToken,
    ga_leader: SessionToken,
    admin: SessionToken,
}

fn hall() -> Hall5 {
    let t = TestHall::new();
    Hall5 {
        reg: t.officer("reg", Role::Registrar, "xfj"),
        rs: t.officer("rs1", Role::Window, "rs"),
        rs_leader: t.officer("rsld", Role::Leader, "rs"),
        ga_leader: t.officer("gald", Role::Leader, "ga"),
        admin: t.officer("boss", Role::Admin, "xfj"),
        t,
    }
}

impl Hall5 {
    fn register(&self, n: u32, department: &str) -> MatterId {
        self.t
            .hall
            .register(&self.reg, walk_in("甲一", &nth_id(n), "", department))
            .unwrap()
            .matter
    }
}

fn supervise(due: chrono::NaiveDate, note: &str) -> Oversight {
    Oversight::Supervise {
        due,
        note: note.into(),
    }
}

fn follow_up(on: chrono::NaiveDate) -> Oversight {
    Oversight::FollowUp(FollowUp {
        way: FollowUpWay::Phone,
        on,
        result: "信访人表示工资已补发".into(),
    })
}

#[test]
fn supervision_is_set_by_leaders_and_intake_listed_until_cleared_and_audited() {
    let h = hall();
    let t = &h.t;
    let m = h.register(1, "rs");
    let rx = t.hall.subscribe();
    let mut seq = t.hall.last_event_seq();

    // The holding department's own window cannot supervise itself.
    let before = t.snapshot();
    let message = denied(
        t.hall
            .oversee(&h.rs, m, supervise(date(2026, 12, 4), "限期办结")),
    );
    assert!(message.contains("督办"), "{message}");
    assert_eq!(t.snapshot(), before);
    // A date already past is refused in Chinese, naming the matter.
    let message = conflict(
        t.hall
            .oversee(&h.reg, m, supervise(date(2026, 11, 26), "限期")),
    );
    assert!(message.contains("早于今天"), "{message}");
    let (field, _) = invalid(t.hall.oversee(&h.reg, m, supervise(date(2026, 12, 4), " ")));
    assert_eq!(field, Field::Note);
    assert_eq!(t.snapshot(), before);

    t.hall
        .oversee(&h.reg, m, supervise(date(2026, 12, 4), "限期办结并报告"))
        .unwrap();
    let events = drain(&rx, &mut seq);
    assert!(events
        .iter()
        .any(|e| e.kind == EventKind::MatterChanged { matter: m }));
    let stored = t.matter(m);
    let s = stored.supervision.clone().expect("supervised");
    assert_eq!((s.due, s.by.as_str()), (date(2026, 12, 4), "reg"));
    let audit = t.hall.matter_audit(&h.admin, m).unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.officer == "reg" && a.action.contains("督办")),
        "{audit:?}"
    );

    // Listed for its department and hall-wide, with the marker, until cleared.
    let own = t.hall.supervised_matters(&h.rs, false).unwrap();
    assert_eq!(own.iter().map(|b| b.id).collect::<Vec<_>>(), vec![m]);
    assert!(t.hall.supervised_matters(&h.rs, true).is_err());
    let hall_wide = t.hall.supervised_matters(&h.ga_leader, true).unwrap();
    assert_eq!(hall_wide.len(), 1);
    assert!(t
        .hall
        .supervised_matters(&h.ga_leader, false)
        .unwrap()
        .is_empty());
    // Past its date, the supervision reads as overdue.
    t.clock.advance_minutes(8 * 24 * 60);
    let late = t.hall.supervised_matters(&h.rs, false).unwrap();
    let s = late[0].supervision.as_ref().unwrap();
    assert!(s.overdue(date(2026, 12, 5)));

    denied(t.hall.oversee(
        &h.rs,
        m,
        Oversight::ClearSupervision {
            note: "已办".into(),
        },
    ));
    t.hall
        .oversee(
            &h.ga_leader,
            m,
            Oversight::ClearSupervision {
                note: "已按期报告".into(),
            },
        )
        .unwrap();
    assert!(t.hall.supervised_matters(&h.rs, false).unwrap().is_empty());
    assert!(t.matter(m).supervision.is_none());
    let history: Vec<_> = t.matter(m).history.into_iter().map(|e| e.kind).collect();
    assert!(
        history.contains(&HistoryKind::Oversight(Oversight::ClearSupervision {
            note: "已按期报告".into()
        }))
    );
    conflict(t.hall.oversee(
        &h.ga_leader,
        m,
        Oversight::ClearSupervision {
            note: "再解除".into(),
        },
    ));
    t.assert_consistent();
}

#[test]
fn instructions_are_for_leaders_and_kept_in_the_history() {
    let h = hall();
    let t = &h.t;
    let m = h.register(1, "rs");
    let instruct = || Oversight::Instruct {
        text: "请人社局十日内拿出解决方案".into(),
    };
    let message = denied(t.hall.oversee(&h.rs, m, instruct()));
    assert!(message.contains("领导"), "{message}");
    denied(t.hall.oversee(&h.reg, m, instruct()));
    t.hall.oversee(&h.ga_leader, m, instruct()).unwrap();
    t.hall.oversee(&h.admin, m, instruct()).unwrap();
    let stored = t.matter(m);
    let who: Vec<&str> = stored.instructions().map(|(o, _)| o).collect();
    assert_eq!(who, vec!["gald", "boss"]);
    assert_eq!(
        t.hall
            .matter_audit(&h.admin, m)
            .unwrap()
            .iter()
            .filter(|a| a.action.contains("领导批示"))
            .count(),
        2
    );
}

#[test]
fn a_leader_takes_charge_shown_on_every_list_and_only_they_or_an_admin_release_it() {
    let h = hall();
    let t = &h.t;
    let m = h.register(1, "rs");
    denied(t.hall.oversee(&h.rs, m, Oversight::TakeCharge));
    denied(t.hall.oversee(&h.admin, m, Oversight::TakeCharge));
    t.hall
        .oversee(&h.ga_leader, m, Oversight::TakeCharge)
        .unwrap();
    // A second leader is told who holds it.
    let message = conflict(t.hall.oversee(&h.rs_leader, m, Oversight::TakeCharge));
    assert!(message.contains("测试gald"), "{message}");

    let lead = Some("测试gald".to_string());
    assert_eq!(t.hall.matter(&h.rs, m).unwrap().brief.lead, lead);
    let profile = t
        .hall
        .profile(&h.rs, t.matter(m).visitors[0], false)
        .unwrap();
    assert_eq!(profile.matters[0].lead, lead);
    let queue = t.hall.queue(&h.rs).unwrap();
    let rs_queue = queue
        .departments
        .iter()
        .find(|d| d.department.code == dept("rs"))
        .unwrap();
    assert_eq!(rs_queue.waiting[0].lead, lead);
    assert_eq!(t.hall.lookup(&h.rs, "甲一", 5).unwrap()[0].lead, lead);

    denied(t.hall.oversee(&h.rs_leader, m, Oversight::ReleaseCharge));
    t.hall
        .oversee(&h.ga_leader, m, Oversight::ReleaseCharge)
        .unwrap();
    assert!(t.matter(m).lead.is_none());
    t.hall
        .oversee(&h.rs_leader, m, Oversight::TakeCharge)
        .unwrap();
    t.hall
        .oversee(&h.admin, m, Oversight::ReleaseCharge)
        .unwrap();
    assert!(t.matter(m).lead.is_none());
}

#[test]
fn follow_ups_are_recorded_by_the_holder_and_intake_with_way_date_and_result() {
    let h = hall();
    let t = &h.t;
    let m = h.register(1, "rs");
    let ga_window = t.officer("ga1", Role::Window, "ga");
    denied(t.hall.oversee(&ga_window, m, follow_up(date(2026, 11, 27))));
    let message = conflict(t.hall.oversee(&h.rs, m, follow_up(date(2026, 11, 28))));
    assert!(message.contains("晚于今天"), "{message}");
    t.hall
        .oversee(&h.rs, m, follow_up(date(2026, 11, 26)))
        .unwrap();
    t.hall
        .oversee(&h.reg, m, follow_up(date(2026, 11, 27)))
        .unwrap();
    let stored = t.matter(m);
    let ups: Vec<_> = stored
        .follow_ups()
        .map(|(o, f)| (o.to_string(), f.on))
        .collect();
    assert_eq!(
        ups,
        vec![
            ("rs1".to_string(), date(2026, 11, 26)),
            ("reg".to_string(), date(2026, 11, 27))
        ]
    );
}

#[test]
fn an_accusation_stays_invisible_to_those_who_may_not_see_it() {
    let h = hall();
    let t = &h.t;
    let jw = t.officer("jw1", Role::Window, "jw");
    let mut input = walk_in("乙二", &nth_id(2), "", "jw");
    input.matter = new_matter(Category::Accusation, "纪检监察", "举报某科长收受礼金");
    if let MatterChoice::New(nm) = &mut input.matter {
        nm.accused = "某科长".into();
    }
    let m = t.hall.register(&h.reg, input).unwrap().matter;
    // A leader outside 纪委监委 can neither supervise, instruct nor take charge of it.
    let before = t.snapshot();
    for action in [
        supervise(date(2026, 12, 4), "限期"),
        Oversight::Instruct { text: "查".into() },
        Oversight::TakeCharge,
    ] {
        let message = denied(t.hall.oversee(&h.ga_leader, m, action));
        assert!(message.contains("检举控告"), "{message}");
    }
    assert_eq!(t.snapshot(), before);
    t.hall
        .oversee(&h.admin, m, supervise(date(2026, 12, 4), "限期"))
        .unwrap();
    // Supervised, yet not on the lists of those who may not see it.
    assert!(t
        .hall
        .supervised_matters(&h.ga_leader, true)
        .unwrap()
        .is_empty());
    assert_eq!(t.hall.supervised_matters(&h.admin, true).unwrap().len(), 1);
    assert_eq!(t.hall.supervised_matters(&jw, false).unwrap().len(), 1);
    // Its leader in charge stays off the public queue, whoever looks.
    let jw_leader = t.officer("jwld", Role::Leader, "jw");
    t.hall
        .oversee(&jw_leader, m, Oversight::TakeCharge)
        .unwrap();
    let queue = t.hall.queue(&jw).unwrap();
    let waiting = &queue
        .departments
        .iter()
        .find(|d| d.department.code == dept("jw"))
        .unwrap()
        .waiting;
    assert_eq!((waiting[0].lead.clone(), waiting[0].tier), (None, None));
    // Past its route limit, its tier shows beside the visitor only to those who may see it.
    t.clock.advance_minutes(16 * 24 * 60);
    let tier = |s: &SessionToken| t.hall.lookup(s, "乙二", 5).unwrap().remove(0).tier;
    assert_eq!(tier(&jw), Some(Tier::Overdue));
    assert_eq!(tier(&h.ga_leader), None);
}

#[test]
fn a_desk_is_offered_only_what_the_officer_may_do_now() {
    let h = hall();
    let t = &h.t;
    let m = h.register(1, "rs");
    let actions = |s: &SessionToken| t.hall.matter(s, m).unwrap().actions;
    use DeskAction::{Oversee, Step};
    use OversightKind as O;
    use TransitionKind as T;
    // 人社's window, holding a registered matter: its steps and a follow-up, no oversight.
    assert_eq!(
        actions(&h.rs),
        vec![
            Step(T::Route),
            Step(T::TakeUp),
            Step(T::ResolveOnSpot),
            Step(T::Refuse),
            Oversee(O::FollowUp)
        ]
    );
    // A leader elsewhere: oversight, none of the holder's steps.
    assert_eq!(
        actions(&h.ga_leader),
        vec![
            Oversee(O::Supervise),
            Oversee(O::Instruct),
            Oversee(O::TakeCharge)
        ]
    );
    t.hall
        .oversee(&h.ga_leader, m, Oversight::TakeCharge)
        .unwrap();
    t.hall
        .oversee(&h.reg, m, supervise(date(2026, 12, 4), "限期"))
        .unwrap();
    let leader = actions(&h.ga_leader);
    assert!(leader.contains(&Oversee(O::ReleaseCharge)));
    assert!(leader.contains(&Oversee(O::ClearSupervision)));
    assert!(!leader.contains(&Oversee(O::TakeCharge)));
    assert!(!actions(&h.rs_leader).contains(&Oversee(O::ReleaseCharge)));
}

#[test]
fn the_deadline_tier_shows_in_the_queue_and_the_lookup() {
    let h = hall();
    let t = &h.t;
    let m = h.register(1, "rs");
    let tiers = |s: &SessionToken| {
        let q = t.hall.queue(s).unwrap();
        let rs = q
            .departments
            .into_iter()
            .find(|d| d.department.code == dept("rs"))
            .unwrap();
        let hit = t.hall.lookup(s, "甲一", 5).unwrap().remove(0);
        (rs.waiting[0].tier, hit.tier)
    };
    assert_eq!(tiers(&h.rs), (None, None));
    // 甲一 comes back on the matter: today's ticket carries its tier (the first
    // one lapsed with its day).
    let come_back = || {
        let mut again = walk_in("甲一", &nth_id(1), "", "rs");
        again.matter = MatterChoice::Attach(m);
        t.hall.register(&h.reg, again).unwrap();
    };
    // The route limit of 15 days ends on 12-12: warned from 12-09, overdue from 12-13.
    t.clock.advance_minutes(12 * 24 * 60);
    come_back();
    assert_eq!(tiers(&h.rs), (Some(Tier::Warning), Some(Tier::Warning)));
    t.clock.advance_minutes(4 * 24 * 60);
    come_back();
    assert_eq!(tiers(&h.rs), (Some(Tier::Overdue), Some(Tier::Overdue)));
    assert_eq!(
        t.matter(m).status.state,
        lianfang::domain::lifecycle::State::Registered
    );
}
