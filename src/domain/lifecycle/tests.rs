use chrono::{Days, NaiveDate};

use super::*;
use crate::domain::calendar::{Calendar, DayKind};
use crate::domain::matter::LegalChannel;

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn plus(date: NaiveDate, days: u64) -> NaiveDate {
    date + Days::new(days)
}

fn limits() -> TimeLimits {
    TimeLimits::new(DeadlineRules::default(), Calendar::embedded())
}

fn working_limits() -> TimeLimits {
    let rules = DeadlineRules {
        day_kind: DayKind::Working,
        ..DeadlineRules::default()
    };
    TimeLimits::new(rules, Calendar::embedded())
}

fn extend(days: u32, told_on: NaiveDate) -> Transition {
    Transition::Extend {
        days,
        reason: "需调取多年社保档案".into(),
        approver: "张局长".into(),
        told_on,
    }
}

fn route() -> Transition {
    Transition::Route {
        to: DeptCode::new("rs"),
        assigned: false,
    }
}

/// Applies the steps on consecutive calls, all on `on`.
fn walk(start: Lifecycle, steps: Vec<Transition>, on: NaiveDate) -> Lifecycle {
    let limits = limits();
    steps.into_iter().fold(start, |lc, step| {
        lc.apply(step.clone(), on, &limits)
            .unwrap_or_else(|e| panic!("{step:?}: {e}"))
    })
}

/// A matter in `state` on `on`, every date of its clocks set to `on`.
fn in_state(state: State, on: NaiveDate) -> Lifecycle {
    Lifecycle {
        state,
        routing: Some(Routing {
            to: DeptCode::new("rs"),
            assigned: false,
            on,
        }),
        accepted: Some(on),
        extension: (state == State::Extended).then(|| Extension {
            days: 10,
            reason: "复杂".into(),
            approver: "张局长".into(),
            told_on: on,
            granted_on: on,
        }),
        replied: Some(on),
        review_requested: Some(on),
        review_answered: Some(on),
        recheck_requested: Some(on),
        recheck_answered: Some(on),
        ..Lifecycle::new(on)
    }
}

fn sample(kind: TransitionKind, on: NaiveDate) -> Transition {
    match kind {
        TransitionKind::TakeUp => Transition::TakeUp,
        TransitionKind::Accept => Transition::Accept,
        TransitionKind::Extend => extend(30, on),
        TransitionKind::Reply => Transition::Reply,
        TransitionKind::RequestReview => Transition::RequestReview,
        TransitionKind::StartReview => Transition::StartReview,
        TransitionKind::AnswerReview => Transition::AnswerReview,
        TransitionKind::RequestRecheck => Transition::RequestRecheck,
        TransitionKind::StartRecheck => Transition::StartRecheck,
        TransitionKind::AnswerRecheck => Transition::AnswerRecheck,
        TransitionKind::ResolveOnSpot => Transition::ResolveOnSpot,
        TransitionKind::Route => route(),
        TransitionKind::ReturnToSender => Transition::ReturnToSender {
            reason: "不属本部门职责".into(),
        },
        TransitionKind::Refuse => Transition::Refuse {
            ground: RefusalGround::Other,
            reason: "诉求不属信访事项".into(),
        },
        TransitionKind::Lapse => Transition::Lapse,
    }
}

/// The machine, written out independently of `State::allowed`.
const LEGAL: &[(State, TransitionKind, State)] = {
    use State as S;
    use TransitionKind as T;
    &[
        (S::Registered, T::Route, S::Routed),
        (S::Registered, T::TakeUp, S::AwaitingAcceptance),
        (S::Registered, T::ResolveOnSpot, S::ResolvedOnSpot),
        (S::Registered, T::Refuse, S::Refused),
        (S::Returned, T::Route, S::Routed),
        (S::Returned, T::TakeUp, S::AwaitingAcceptance),
        (S::Returned, T::ResolveOnSpot, S::ResolvedOnSpot),
        (S::Returned, T::Refuse, S::Refused),
        (S::AwaitingAcceptance, T::Accept, S::InProgress),
        (S::AwaitingAcceptance, T::ResolveOnSpot, S::ResolvedOnSpot),
        (S::AwaitingAcceptance, T::Refuse, S::Refused),
        (S::Routed, T::Accept, S::InProgress),
        (S::Routed, T::ResolveOnSpot, S::ResolvedOnSpot),
        (S::Routed, T::Refuse, S::Refused),
        (S::Routed, T::ReturnToSender, S::Returned),
        (S::InProgress, T::Extend, S::Extended),
        (S::InProgress, T::Reply, S::Replied),
        (S::Extended, T::Reply, S::Replied),
        (S::Replied, T::RequestReview, S::ReviewRequested),
        (S::Replied, T::Lapse, S::ReviewLapsed),
        (S::ReviewRequested, T::StartReview, S::UnderReview),
        (S::UnderReview, T::AnswerReview, S::ReviewAnswered),
        (S::ReviewAnswered, T::RequestRecheck, S::RecheckRequested),
        (S::ReviewAnswered, T::Lapse, S::RecheckLapsed),
        (S::RecheckRequested, T::StartRecheck, S::UnderRecheck),
        (S::UnderRecheck, T::AnswerRecheck, S::Final),
    ]
};

#[test]
fn every_state_and_step_is_either_legal_or_refused_with_what_is_allowed() {
    let limits = limits();
    let on = d("2026-03-02");
    for state in State::ALL {
        let legal_here: Vec<TransitionKind> = LEGAL
            .iter()
            .filter(|(from, _, _)| *from == state)
            .map(|(_, kind, _)| *kind)
            .collect();
        assert_eq!(state.allowed(), legal_here.as_slice(), "{state:?}");
        assert_eq!(state.is_closed(), legal_here.is_empty());

        for kind in TransitionKind::ALL {
            let lc = in_state(state, on);
            let result = lc.apply(sample(kind, on), on, &limits);
            match LEGAL.iter().find(|(f, k, _)| *f == state && *k == kind) {
                // A lapse is legal only once its window has ended.
                Some((_, TransitionKind::Lapse, to)) => {
                    assert!(
                        matches!(result, Err(LifecycleError::WindowOpen { lapsed, .. }) if lapsed == *to),
                        "{state:?} {result:?}"
                    );
                    let later = lc.apply(Transition::Lapse, plus(on, 31), &limits);
                    assert_eq!(later.map(|l| l.state), Ok(*to));
                }
                Some((_, _, to)) => {
                    let next = result.unwrap_or_else(|e| panic!("{state:?} {kind:?}: {e}"));
                    assert_eq!(next.state, *to, "{state:?} {kind:?}");
                    assert_eq!(next.since, on);
                }
                None if state == State::Extended && kind == TransitionKind::Extend => {
                    assert!(matches!(
                        result,
                        Err(LifecycleError::SecondExtension { .. })
                    ));
                }
                None => {
                    let error = result.expect_err(&format!("{state:?} {kind:?} must be refused"));
                    let message = error.to_string();
                    assert!(message.contains(lc.label()), "{message}");
                    assert!(message.contains(kind.label()), "{message}");
                    for allowed in state.allowed() {
                        assert!(message.contains(allowed.label()), "{message}");
                    }
                    assert!(matches!(error, LifecycleError::NotAllowed { .. }));
                }
            }
        }
    }
}

#[test]
fn refusals_read_as_plain_chinese() {
    let limits = limits();
    let on = d("2026-03-02");
    let e = Lifecycle::new(on)
        .apply(Transition::Reply, on, &limits)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "事项当前状态为“登记”，不能办结答复。当前可以：转送交办、本单位受理审查、当场化解、不予受理。"
    );
    let e = in_state(State::Final, on)
        .apply(Transition::RequestReview, on, &limits)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "事项当前状态为“终结”，不能申请复查。该状态下已没有后续步骤。"
    );
}

#[test]
fn the_whole_chain_ends_final_and_maps_to_national_states() {
    let limits = limits();
    let on = d("2026-03-02");
    let mut lc = Lifecycle::new(on);
    let steps = [
        (route(), "受理申请审查中"),
        (Transition::Accept, "受理"),
        (extend(30, on), "受理"),
        (Transition::Reply, "已作出处理意见"),
        (Transition::RequestReview, "复查"),
        (Transition::StartReview, "复查"),
        (Transition::AnswerReview, "提出复查意见"),
        (Transition::RequestRecheck, "复核"),
        (Transition::StartRecheck, "复核"),
        (Transition::AnswerRecheck, "提出复核意见"),
    ];
    for (step, national) in steps {
        lc = lc.apply(step, on, &limits).unwrap();
        assert_eq!(lc.national_state(on, &limits), national, "{:?}", lc.state);
    }
    assert!(lc.is_final());
    assert_eq!(lc.label(), "终结");
    assert_eq!(lc.next_deadline(&limits, on), None);
    assert_eq!(lc.recheck_answered, Some(on));
}

#[test]
fn routing_records_where_and_how() {
    let on = d("2026-03-02");
    let assigned = Transition::Route {
        to: DeptCode::new("zj"),
        assigned: true,
    };
    let lc = walk(Lifecycle::new(on), vec![assigned], on);
    assert_eq!(lc.label(), "已交办");
    assert_eq!(lc.routing.as_ref().map(|r| r.to.as_str()), Some("zj"));
    assert_eq!(
        walk(Lifecycle::new(on), vec![route()], on).label(),
        "已转送"
    );
}

#[test]
fn route_limit_day_15_is_in_time_and_day_16_overdue() {
    let limits = limits();
    let received = d("2026-03-02");
    let lc = Lifecycle::new(received);
    let deadline = lc.next_deadline(&limits, received).unwrap();
    assert_eq!(deadline.kind, DeadlineKind::Route);
    assert_eq!(deadline.due, d("2026-03-17"));
    assert_eq!(
        deadline.describe(),
        "转送交办期限（条例第二十二条）：2026-03-02 起 15日，至 2026-03-17"
    );
    let day = |n| plus(received, n);
    assert_eq!(days_left(deadline.due, day(15)), 0);
    assert_eq!(limits.tier(&deadline, day(11)), None);
    assert_eq!(limits.tier(&deadline, day(12)), Some(Tier::Warning));
    assert_eq!(limits.tier(&deadline, day(15)), Some(Tier::Warning));
    assert_eq!(limits.tier(&deadline, day(16)), Some(Tier::Overdue));
    assert_eq!(limits.tier(&deadline, day(45)), Some(Tier::Overdue));
    assert_eq!(
        limits.tier(&deadline, day(46)),
        Some(Tier::SeriouslyOverdue)
    );
    // Bands: 7/15 < 50 % ≤ 8/15; 15/15 reaches 99 %.
    assert_eq!(limits.band(&deadline, day(7)), None);
    assert_eq!(limits.band(&deadline, day(8)), Some(50));
    assert_eq!(limits.band(&deadline, day(12)), Some(75));
    assert_eq!(limits.band(&deadline, day(13)), Some(85));
    assert_eq!(limits.band(&deadline, day(14)), Some(85));
    assert_eq!(limits.band(&deadline, day(15)), Some(99));
}

#[test]
fn handling_limit_60_days_and_the_one_extension() {
    let limits = limits();
    let accepted = d("2026-03-02");
    let lc = walk(
        Lifecycle::new(accepted),
        vec![Transition::TakeUp, Transition::Accept],
        accepted,
    );
    let day = |n| plus(accepted, n);
    let due = lc.next_deadline(&limits, accepted).unwrap();
    assert_eq!((due.kind, due.due), (DeadlineKind::Handle, day(60)));
    assert_eq!(lc.national_state(day(60), &limits), "受理");
    assert_eq!(lc.national_state(day(61), &limits), "超期未作出处理意见");
    assert_eq!(limits.tier(&due, day(61)), Some(Tier::Overdue));

    // Extended on its last day by the full 30 days: due on day 90.
    let extended = lc.apply(extend(30, day(60)), day(60), &limits).unwrap();
    assert_eq!(extended.label(), "延期办理中");
    let due = extended.next_deadline(&limits, day(60)).unwrap();
    assert_eq!((due.due, due.days), (day(90), 90));
    assert_eq!(extended.national_state(day(90), &limits), "受理");
    assert_eq!(
        extended.national_state(day(91), &limits),
        "超期未作出处理意见"
    );
    let e = extended
        .apply(extend(5, day(70)), day(70), &limits)
        .unwrap_err();
    assert!(matches!(
        e,
        LifecycleError::SecondExtension { days: 30, .. }
    ));
    assert!(e.to_string().contains("只能一次（条例第三十四条）"), "{e}");

    // Too late, too long, incomplete.
    let e = lc.apply(extend(10, day(61)), day(61), &limits).unwrap_err();
    assert!(matches!(e, LifecycleError::ExtensionTooLate { .. }), "{e}");
    assert!(
        e.to_string()
            .contains("办理期限（条例第三十四条）已于 2026-05-01 届满"),
        "{e}"
    );
    let e = lc.apply(extend(31, day(10)), day(10), &limits).unwrap_err();
    assert_eq!(e, LifecycleError::ExtensionTooLong { days: 31, max: 30 });
    let e = lc.apply(extend(0, day(10)), day(10), &limits).unwrap_err();
    assert_eq!(e, LifecycleError::ExtensionTooLong { days: 0, max: 30 });
    let no_approver = Transition::Extend {
        days: 10,
        reason: "复杂".into(),
        approver: "  ".into(),
        told_on: day(10),
    };
    let e = lc.apply(no_approver, day(10), &limits).unwrap_err();
    assert_eq!(e.to_string(), "请填写批准延期的负责人");
    let e = lc.apply(extend(10, day(11)), day(10), &limits).unwrap_err();
    assert!(matches!(e, LifecycleError::ToldInFuture { .. }));
    // A shorter extension moves the deadline by just that much.
    let short = lc.apply(extend(10, day(10)), day(10), &limits).unwrap();
    assert_eq!(short.next_deadline(&limits, day(10)).unwrap().due, day(70));
    assert_eq!(
        short.extension.as_ref().map(|e| e.granted_on),
        Some(day(10))
    );
}

#[test]
fn review_requested_on_day_30_is_accepted_and_on_day_31_lapsed() {
    let limits = limits();
    let on = d("2026-03-02");
    let replied = walk(
        Lifecycle::new(on),
        vec![Transition::TakeUp, Transition::Accept, Transition::Reply],
        on,
    );
    let day = |n| plus(on, n);
    let window = replied.next_deadline(&limits, on).unwrap();
    assert_eq!(
        (window.kind, window.due),
        (DeadlineKind::ReviewRequest, day(30))
    );

    let in_time = replied
        .apply(Transition::RequestReview, day(30), &limits)
        .unwrap();
    assert_eq!(in_time.state, State::ReviewRequested);
    assert_eq!(
        in_time.next_deadline(&limits, day(30)).unwrap().due,
        day(60)
    );

    let late = replied
        .apply(Transition::RequestReview, day(31), &limits)
        .unwrap_err();
    assert!(
        matches!(
            late,
            LifecycleError::WindowLapsed {
                lapsed: State::ReviewLapsed,
                ..
            }
        ),
        "{late}"
    );
    assert_eq!(
        late.to_string(),
        "申请复查期限（条例第三十五条）已于 2026-04-01 届满，事项状态为“超期未申请复查”，不再受理该申请"
    );
    assert_eq!(replied.status_on(day(30), &limits), State::Replied);
    assert_eq!(replied.status_on(day(31), &limits), State::ReviewLapsed);
    assert_eq!(replied.national_state(day(31), &limits), "超期未申请复查");
    // A lapsed window is no longer "the next deadline", and it is not the hall's lateness.
    assert_eq!(replied.next_deadline(&limits, day(31)), None);
    assert_eq!(limits.tier(&window, day(31)), None);

    let recorded = replied.apply(Transition::Lapse, day(40), &limits).unwrap();
    assert_eq!(
        (recorded.state, recorded.since),
        (State::ReviewLapsed, day(31))
    );
    assert!(!recorded.is_final() && recorded.state.is_closed());
}

#[test]
fn recheck_window_lapses_the_same_way() {
    let limits = limits();
    let on = d("2026-03-02");
    let answered = walk(
        in_state(State::UnderReview, on),
        vec![Transition::AnswerReview],
        on,
    );
    let day = |n| plus(on, n);
    assert!(answered
        .apply(Transition::RequestRecheck, day(30), &limits)
        .is_ok());
    let late = answered.apply(Transition::RequestRecheck, day(31), &limits);
    assert!(matches!(
        late,
        Err(LifecycleError::WindowLapsed {
            lapsed: State::RecheckLapsed,
            ..
        })
    ));
    assert_eq!(answered.national_state(day(31), &limits), "超期未申请复核");
}

#[test]
fn review_and_recheck_answers_are_due_30_days_after_the_request() {
    let limits = limits();
    let on = d("2026-03-02");
    let day = |n| plus(on, n);
    let review = in_state(State::UnderReview, on);
    assert_eq!(review.national_state(day(30), &limits), "复查");
    assert_eq!(
        review.national_state(day(31), &limits),
        "超期未作出复查意见"
    );
    let recheck = in_state(State::UnderRecheck, on);
    assert_eq!(recheck.national_state(day(30), &limits), "复核");
    assert_eq!(
        recheck.national_state(day(31), &limits),
        "超期未作出复核意见"
    );
}

#[test]
fn leap_years_count_february_29() {
    let limits = limits();
    // Accepted on 2027-12-31: 60 days end on 2028-02-29.
    let accepted = walk(
        Lifecycle::new(d("2027-12-31")),
        vec![Transition::TakeUp, Transition::Accept],
        d("2027-12-31"),
    );
    assert_eq!(
        accepted
            .next_deadline(&limits, d("2028-01-01"))
            .unwrap()
            .due,
        d("2028-02-29")
    );
    // Replied on 2028-02-01: the 复查 window ends on 2028-03-02 (a year earlier, 03-03).
    let replied = walk(
        Lifecycle::new(d("2028-02-01")),
        vec![Transition::TakeUp, Transition::Accept, Transition::Reply],
        d("2028-02-01"),
    );
    assert!(replied
        .apply(Transition::RequestReview, d("2028-03-02"), &limits)
        .is_ok());
    assert!(replied
        .apply(Transition::RequestReview, d("2028-03-03"), &limits)
        .is_err());
    let a_year_earlier = walk(
        Lifecycle::new(d("2027-02-01")),
        vec![Transition::TakeUp, Transition::Accept, Transition::Reply],
        d("2027-02-01"),
    );
    assert!(a_year_earlier
        .apply(Transition::RequestReview, d("2027-03-03"), &limits)
        .is_ok());
}

#[test]
fn working_day_mode_skips_national_day_and_spring_festival_2026() {
    let working = working_limits();
    // Registered Thu 2026-09-24: 中秋 25–27, 国庆 Oct 1–7, Sat Oct 10 worked.
    let registered = Lifecycle::new(d("2026-09-24"));
    let route = registered.next_deadline(&working, d("2026-09-24")).unwrap();
    assert_eq!(
        (route.due, route.day_kind),
        (d("2026-10-22"), DayKind::Working)
    );
    assert_eq!(
        route.describe(),
        "转送交办期限（条例第二十二条）：2026-09-24 起 15个工作日，至 2026-10-22"
    );
    // Half the limit is used after 8 working days: Mon 2026-10-12 is the 7th, Tue 13 the 8th.
    assert_eq!(working.band(&route, d("2026-10-12")), None);
    assert_eq!(working.band(&route, d("2026-10-13")), Some(50));

    // Taken up Tue 2026-02-10: Sat 14 and Sat 28 worked, 15–23 off → 15th working day Mar 9.
    let awaiting = walk(
        Lifecycle::new(d("2026-02-10")),
        vec![Transition::TakeUp],
        d("2026-02-10"),
    );
    let notify = awaiting.next_deadline(&working, d("2026-02-10")).unwrap();
    assert_eq!(
        (notify.kind, notify.due),
        (DeadlineKind::Notify, d("2026-03-09"))
    );
    // The same matter counted in calendar days would be due on Feb 25.
    assert_eq!(
        awaiting
            .next_deadline(&limits(), d("2026-02-10"))
            .unwrap()
            .due,
        d("2026-02-25")
    );
}

#[test]
fn objection_window_is_five_working_days_across_a_weekend() {
    let limits = limits();
    let routed_on = d("2026-11-26"); // Thursday
    let routed = walk(Lifecycle::new(routed_on), vec![route()], routed_on);
    let objection = routed.next_deadline(&limits, routed_on).unwrap();
    assert_eq!(
        (objection.kind, objection.day_kind, objection.due),
        (DeadlineKind::Objection, DayKind::Working, d("2026-12-03"))
    );
    let back = || Transition::ReturnToSender {
        reason: "属住建部门职责".into(),
    };
    let returned = routed.apply(back(), d("2026-12-03"), &limits).unwrap();
    assert_eq!(returned.state, State::Returned);
    // Intake's route clock starts again on the day of the return.
    let reroute = returned.next_deadline(&limits, d("2026-12-03")).unwrap();
    assert_eq!(
        (reroute.kind, reroute.due),
        (DeadlineKind::Route, d("2026-12-18"))
    );

    let late = routed.apply(back(), d("2026-12-04"), &limits).unwrap_err();
    assert!(
        matches!(late, LifecycleError::ObjectionLate { .. }),
        "{late}"
    );
    assert!(late
        .to_string()
        .starts_with("退回异议期（条例第二十三条）已于 2026-12-03 届满"));
    // Once the window has passed, the decision on acceptance (15 days) is what shows.
    let notify = routed.next_deadline(&limits, d("2026-12-04")).unwrap();
    assert_eq!(
        (notify.kind, notify.due),
        (DeadlineKind::Notify, d("2026-12-11"))
    );
    let empty = Transition::ReturnToSender { reason: " ".into() };
    assert_eq!(
        routed.apply(empty, routed_on, &limits),
        Err(LifecycleError::Missing {
            what: "退回的理由"
        })
    );
}

#[test]
fn refusals_keep_their_ground_and_final_matters_are_not_accepted_again() {
    let limits = limits();
    let on = d("2026-03-02");
    let legal = Transition::Refuse {
        ground: RefusalGround::LegalChannel(LegalChannel::Litigation),
        reason: "已引导向法院起诉".into(),
    };
    let refused = Lifecycle::new(on).apply(legal, on, &limits).unwrap();
    assert_eq!(refused.state, State::Refused);
    assert_eq!(
        refused.refusal.as_ref().map(|r| r.ground.label()),
        Some("诉讼")
    );
    assert_eq!(refused.national_state(on, &limits), "不予受理");
    assert_eq!(refused.next_deadline(&limits, on), None);

    let again = Transition::Refuse {
        ground: RefusalGround::AlreadyFinal,
        reason: "同一事实已于 2025 年复核终结".into(),
    };
    let not_again = Lifecycle::new(on).apply(again, on, &limits).unwrap();
    assert_eq!(not_again.state, State::NotAcceptedAgain);
    assert_eq!(not_again.national_state(on, &limits), "不再受理");

    let no_reason = Transition::Refuse {
        ground: RefusalGround::Other,
        reason: String::new(),
    };
    assert_eq!(
        Lifecycle::new(on)
            .apply(no_reason, on, &limits)
            .map(|l| l.state),
        Err(LifecycleError::Missing {
            what: "不予受理的理由"
        })
    );
}

#[test]
fn every_national_state_imports_and_exports_back() {
    for national in NATIONAL_STATES {
        let state = from_national(national).unwrap_or_else(|| panic!("{national}"));
        let overdue = national.starts_with("超期未作出");
        let expected = if national == "审核认定办结" {
            "提出复核意见"
        } else {
            national
        };
        assert_eq!(national_state(state, overdue), expected, "{national}");
    }
    assert_eq!(from_national(" 复查 "), Some(State::UnderReview));
    assert_eq!(from_national("已办结"), None);
    for state in State::ALL {
        for overdue in [false, true] {
            assert!(NATIONAL_STATES.contains(&national_state(state, overdue)));
        }
    }
}

#[test]
fn rules_are_checked() {
    assert_eq!(DeadlineRules::default().check(), Ok(()));
    let zero = DeadlineRules {
        route_days: 0,
        ..DeadlineRules::default()
    };
    assert_eq!(zero.check().unwrap_err().field, "route_days");
    let unordered = DeadlineRules {
        warning_bands: vec![50, 99, 75],
        ..DeadlineRules::default()
    };
    assert_eq!(unordered.check().unwrap_err().field, "warning_bands");
    let over = DeadlineRules {
        warning_bands: vec![50, 101],
        ..DeadlineRules::default()
    };
    assert!(over.check().is_err());
}

#[test]
fn the_deadline_line_says_days_left_and_tier() {
    let limits = limits();
    let accepted = d("2026-03-02");
    let lc = walk(
        Lifecycle::new(accepted),
        vec![Transition::TakeUp, Transition::Accept],
        accepted,
    );
    let line = |n| {
        lc.deadline_status(&limits, plus(accepted, n))
            .unwrap()
            .line()
    };
    assert_eq!(
        line(10),
        "办理期限（条例第三十四条）：至 2026-05-01，还剩 50 天"
    );
    assert_eq!(
        line(57),
        "办理期限（条例第三十四条）：至 2026-05-01，还剩 3 天〔临期预警〕"
    );
    assert_eq!(
        line(60),
        "办理期限（条例第三十四条）：今天（2026-05-01）到期〔临期预警〕"
    );
    assert_eq!(
        line(62),
        "办理期限（条例第三十四条）：已于 2026-05-01 届满，超期 2 天〔超期〕"
    );
    let status = lc.deadline_status(&limits, plus(accepted, 45)).unwrap();
    assert_eq!(
        (status.days_left, status.band, status.tier),
        (15, Some(75), None)
    );
    assert_eq!(
        in_state(State::Final, accepted).deadline_status(&limits, accepted),
        None
    );
}

#[test]
fn a_full_lifecycle_survives_the_store_encoding() {
    let on = d("2028-02-29");
    let full = Lifecycle {
        returned: Some(Return {
            reason: "不属本部门职责".into(),
            on,
        }),
        refusal: Some(Refusal {
            ground: RefusalGround::LegalChannel(LegalChannel::AdministrativeReview),
            reason: "引导申请行政复议".into(),
        }),
        ..in_state(State::Extended, on)
    };
    let config = bincode::config::standard();
    let bytes = bincode::serde::encode_to_vec(&full, config).unwrap();
    let (back, _): (Lifecycle, usize) = bincode::serde::decode_from_slice(&bytes, config).unwrap();
    assert_eq!(back, full);
}

#[test]
fn a_year_missing_from_the_holiday_file_is_warned_about_before_a_deadline_reaches_it() {
    // The shipped file lists 2025 and 2026.
    let calendar_mode = limits();
    assert_eq!(calendar_mode.calendar_warning(d("2026-06-01")), None);
    // A fortnight ahead of 17 December is still 2026; from the 20th it is 2027.
    assert_eq!(calendar_mode.calendar_warning(d("2026-12-17")), None);
    let warning = calendar_mode.calendar_warning(d("2026-12-20")).unwrap();
    assert!(warning.contains("2027"), "{warning}");
    assert!(calendar_mode.calendar_warning(d("2027-01-04")).is_some());
    // Counting in working days, a handling limit from August already reaches 2027.
    let working = working_limits();
    assert!(working.calendar_warning(d("2026-08-01")).is_some());
    assert_eq!(working.calendar_warning(d("2026-01-02")), None);
}
