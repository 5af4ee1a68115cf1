//! Statistics on a small fixed hall whose numbers are worked out by hand below: a repeat
//! visit, two group visits, an overdue matter, and two visits either side of midnight at the
//! end of November (a period boundary in the hall's time zone, not in UTC).

mod support;

use lianfang::domain::evaluation::{EvaluationStep, Satisfaction};
use lianfang::domain::lifecycle::Transition;
use lianfang::domain::matter::Outcome;
use lianfang::domain::officer::Role;
use lianfang::domain::registration::MatterChoice;
use lianfang::domain::stats::measures::{Measure, Times};
use lianfang::domain::stats::period::{Period, PeriodKind};
use lianfang::domain::stats::report::Scope;
use lianfang::domain::stats::Dim;
use lianfang::hall::{HallExt, Registered, SessionToken};
use support::*;

struct Hall {
    t: TestHall,
    reg: SessionToken,
    rs: SessionToken,
    zj: SessionToken,
    leader: SessionToken,
    numbers: Vec<String>,
}

fn visit(
    h: &Hall,
    at: (u32, u32, u32, u32),
    input: lianfang::domain::registration::RegistrationInput,
) -> Registered {
    let (m, d, hh, mm) = at;
    let year = if m == 1 { 2027 } else { 2026 };
    h.t.clock.set(local_time(year, m, d, hh, mm));
    h.t.hall.register(&h.reg, input).expect("registered")
}

fn serve(h: &Hall, desk: &SessionToken, wait: i64, service: i64, outcome: Outcome, note: &str) {
    h.t.clock.advance_minutes(wait);
    h.t.hall.call_next(desk).expect("called");
    h.t.clock.advance_minutes(service);
    h.t.hall.finish(desk, outcome, note).expect("finished");
}

fn group(
    name: &str,
    n: u32,
    headcount: u16,
    department: &str,
    class: &str,
) -> lianfang::domain::registration::RegistrationInput {
    let mut input = walk_in(name, &nth_id(n), "", department);
    input.headcount = headcount;
    input.representatives = vec![name.to_string(), "代表乙".to_string()];
    input.matter = new_matter(lianfang::domain::matter::Category::Claim, class, "小区漏水");
    input
}

/// The hall of the module comment, with the clock left at 2026-12-01 09:00.
fn hall() -> Hall {
    let t = TestHall::new();
    let reg = t.officer("reg1", Role::Registrar, "xfj");
    let rs = t.officer("rs1", Role::Window, "rs");
    let zj = t.officer("zj1", Role::Window, "zj");
    let leader = t.officer("lead1", Role::Leader, "xfj");
    let mut h = Hall {
        t,
        reg,
        rs,
        zj,
        leader,
        numbers: Vec::new(),
    };
    // M1: 甲 at 人社 on 2 Nov, waits 20 min, served 30 min, accepted.
    let m1 = visit(&h, (11, 2, 9, 0), walk_in("甲", &nth_id(1), "", "rs"));
    serve(&h, &h.rs, 20, 30, Outcome::Accepted, "");
    // M3: 丙 at 公安 on 3 Nov, never called: its routing deadline passes (overdue).
    let m3 = visit(&h, (11, 3, 11, 0), walk_in("丙", &nth_id(3), "", "ga"));
    // 甲 again on 10 Nov on M1: a repeat visit, told how it stands. 甲 has already been to
    // the city with it before any written reply: a 越级访.
    let mut again = walk_in("甲", &nth_id(1), "", "rs");
    again.visitor = Some(m1.visitor);
    again.matter = MatterChoice::Attach(m1.matter);
    again.facts.level = 1;
    visit(&h, (11, 10, 10, 0), again);
    serve(&h, &h.rs, 5, 10, Outcome::AnsweredOnSpot, "告知办理进度");
    // M2: a group of 8 at 住建 on 12 Nov, resolved on the spot at the first visit.
    let m2 = visit(&h, (11, 12, 14, 0), group("乙", 2, 8, "zj", "城乡建设"));
    serve(&h, &h.zj, 10, 30, Outcome::AnsweredOnSpot, "当场解释政策");
    // M1 answered in writing on 20 Nov, well inside its 60 days.
    h.t.clock.set(local_time(2026, 11, 20, 15, 0));
    h.t.hall
        .step(&h.rs, m1.matter, Transition::Reply, "书面答复")
        .expect("replied");
    // 甲 finds the answer 基本满意 (counted as satisfied).
    let fair = EvaluationStep::Record {
        satisfaction: Satisfaction::BasicallySatisfied,
        note: String::new(),
    };
    h.t.hall
        .evaluate(&h.rs, m1.matter, fair)
        .expect("evaluated");
    // M6: a group of 6 at 公安 on 27 Nov, still waiting (an open group visit).
    let m6 = visit(&h, (11, 27, 10, 0), group("己", 6, 6, "ga", "政法"));
    // M4 on 30 Nov 23:50 and M5 on 1 Dec 00:10, both at 人社.
    let m4 = visit(&h, (11, 30, 23, 50), walk_in("丁", &nth_id(4), "", "rs"));
    let m5 = visit(&h, (12, 1, 0, 10), walk_in("戊", &nth_id(5), "", "rs"));
    h.numbers = [m1, m2, m3, m4, m5, m6]
        .into_iter()
        .map(|r| r.matter_number)
        .collect();
    h.t.clock.set(local_time(2026, 12, 1, 9, 0));
    h
}

fn month(m: u32) -> Period {
    Period::containing(PeriodKind::Month, date(2026, m, 1))
}

fn text(m: Measure, t: &lianfang::domain::stats::Tally) -> String {
    m.value(t).text()
}

#[test]
fn november_counts_as_worked_out_by_hand() {
    let h = hall();
    let r = h.t.hall.stats(&h.leader, month(11)).unwrap();
    assert_eq!(r.scope, Scope::Hall);
    let t = &r.total;
    // Visits: M1, M3, M1 again, M2 (8 people), M6 (6 people), M4 = 6 批次, 18 人次.
    assert_eq!((t.visits, t.people), (6, 18));
    assert_eq!((t.group_visits, t.group_people), (2, 14));
    assert_eq!(t.repeat_visits, 1);
    // Matters received in November: M1, M3, M2, M6, M4.
    assert_eq!((t.matters, t.accepted, t.concluded), (5, 1, 2));
    assert_eq!(text(Measure::ResolutionRate, t), "40.0%"); // M1, M2 of 5
    assert_eq!(text(Measure::OnTimeRate, t), "100.0%"); // both concluded in time
    assert_eq!(text(Measure::FirstVisitRate, t), "20.0%"); // M2 only: M1 took two visits
                                                           // One matter evaluated (M1, 基本满意), none unsatisfied.
    assert_eq!((t.evaluated, t.satisfied), (1, 1));
    assert_eq!(text(Measure::SatisfactionRate, t), "100.0%");
    // 甲's second visit had been to the city before any reply; every other visit 本级.
    assert_eq!(text(Measure::Escalated, t), "1");
    assert_eq!(t.by_level[..2], [5, 1]);
    // Three finished tickets: waits 20, 5, 10 min; service 30, 10, 30 min.
    let times = Times::of(t);
    assert_eq!(
        (times.tickets, times.wait_avg_min, times.wait_max_min),
        (3, 11, 20)
    );
    assert_eq!((times.service_avg_min, times.service_max_min), (23, 30));
    // Visits per day: 2, 3, 10, 12, 27 and 30 November.
    let busy: Vec<(u32, u64)> = r
        .daily_visits
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(i, n)| (i as u32 + 1, *n))
        .collect();
    assert_eq!(
        busy,
        vec![(2, 1), (3, 1), (10, 1), (12, 1), (27, 1), (30, 1)]
    );

    let rs = r
        .departments
        .iter()
        .find(|b| b.dim == Dim::Department(dept("rs")))
        .unwrap();
    assert_eq!(
        (rs.tally.visits, rs.tally.matters, rs.tally.tickets),
        (3, 2, 2)
    );
    let ga = r
        .departments
        .iter()
        .find(|b| b.dim == Dim::Department(dept("ga")))
        .unwrap();
    assert_eq!((ga.tally.visits, ga.tally.group_visits), (2, 1));
    let city = r
        .classes
        .iter()
        .find(|b| b.dim == Dim::Class("城乡建设".into()))
        .unwrap();
    assert_eq!(
        (city.tally.visits, city.tally.people, city.tally.matters),
        (1, 8, 1)
    );
    let zj1 = r
        .officers
        .iter()
        .find(|b| {
            b.dim
                == Dim::Officer {
                    department: dept("zj"),
                    username: "zj1".into(),
                }
        })
        .unwrap();
    assert_eq!(Times::of(&zj1.tally).service_max_min, 30);
    h.t.assert_consistent();
}

#[test]
fn midnight_at_the_month_end_counts_in_the_hall_time_zone() {
    let h = hall();
    // 00:10 on 1 December in the hall is 16:10 UTC on 30 November: it is December's.
    let dec = h.t.hall.stats(&h.leader, month(12)).unwrap();
    assert_eq!((dec.total.visits, dec.total.matters), (1, 1));
    // 环比 of December is November; 同比 is December 2025, empty.
    assert_eq!(dec.previous, month(11));
    assert_eq!(dec.previous_total.visits, 6);
    assert_eq!(dec.year_earlier.from, date(2025, 12, 1));
    assert_eq!(dec.year_earlier_total.visits, 0);
    assert_eq!(
        Measure::Visits
            .value(&dec.total)
            .change(Measure::Visits.value(&dec.previous_total)),
        "-5 (-83.3%)"
    );
    let last_day = Period::custom(date(2026, 11, 30), date(2026, 11, 30), PeriodKind::Day);
    assert_eq!(h.t.hall.stats(&h.leader, last_day).unwrap().total.visits, 1);
}

#[test]
fn day_counts_kept_by_each_command_equal_those_recomputed_from_the_records() {
    let h = hall();
    let store = h.t.hall.store();
    let rules = h.t.hall.config().tally_rules();
    assert_eq!(
        store.stored_tallies().unwrap(),
        store.recompute_tallies(&rules).unwrap()
    );
    assert!(!store.stored_tallies().unwrap().is_empty());
}

#[test]
fn a_desk_sees_its_own_department_and_the_wall_display_none() {
    let h = hall();
    let r = h.t.hall.stats(&h.rs, month(11)).unwrap();
    assert_eq!(r.scope, Scope::Department(dept("rs")));
    // 甲 twice and 丁: 3 visits, 3 people, no group visit; M1 and M4.
    assert_eq!(
        (r.total.visits, r.total.people, r.total.group_visits),
        (3, 3, 0)
    );
    assert_eq!(r.total.matters, 2);
    assert_eq!(r.departments.len(), 1);
    assert!(r.classes.is_empty(), "classes mix departments");
    assert!(r
        .officers
        .iter()
        .all(|o| matches!(&o.dim, Dim::Officer { department, .. } if *department == dept("rs"))));
    let display = h.t.officer("wall", Role::Display, "xfj");
    denied(h.t.hall.stats(&display, month(11)));
    denied(h.t.hall.daily_report(&display, date(2026, 11, 27)));
}

#[test]
fn the_daily_report_lists_open_group_visits_and_overdue_matters() {
    let h = hall();
    h.t.clock.set(local_time(2026, 11, 27, 17, 0));
    let report =
        h.t.hall
            .daily_report(&h.leader, date(2026, 11, 27))
            .unwrap();
    assert_eq!((report.day.visits, report.day.people), (1, 6));
    assert_eq!(report.group_visits.len(), 1);
    assert_eq!(report.group_visits[0].matter, h.numbers[5]);
    assert_eq!(report.group_visits[0].time, "10:00");
    let overdue: Vec<&str> = report.overdue.iter().map(|l| l.matter.as_str()).collect();
    assert_eq!(
        overdue,
        vec![h.numbers[2].as_str()],
        "M3 missed its routing deadline"
    );
    let text = report.text();
    assert!(
        text.contains("一、来访 1 批 6 人次，其中集体访 1 批 6 人次"),
        "{text}"
    );
    assert!(text.contains(&format!("事项 {}", h.numbers[5])), "{text}");
    // The 12 November group was resolved on the spot: not open, not listed on its day.
    let nov12 =
        h.t.hall
            .daily_report(&h.leader, date(2026, 11, 12))
            .unwrap();
    assert_eq!(nov12.day.group_visits, 1);
    assert!(nov12.group_visits.is_empty());
}

#[test]
fn the_daily_report_finds_a_group_visit_after_a_busy_morning() {
    let h = hall();
    // More single visits than one page of the visit ledger holds, then the day's group.
    for n in 0..45 {
        let at = (11, 28, 8 + n / 10, n % 10 * 5);
        visit(&h, at, walk_in("散", &nth_id(100 + n), "", "rs"));
    }
    let late = visit(&h, (11, 28, 16, 30), group("庚", 200, 5, "zj", "城乡建设"));
    // The next morning's group is another day's.
    visit(&h, (11, 29, 8, 0), group("辛", 201, 7, "zj", "城乡建设"));
    let report =
        h.t.hall
            .daily_report(&h.leader, date(2026, 11, 28))
            .unwrap();
    assert_eq!(report.day.visits, 46);
    let listed: Vec<(&str, &str)> = report
        .group_visits
        .iter()
        .map(|g| (g.time.as_str(), g.matter.as_str()))
        .collect();
    assert_eq!(listed, vec![("16:30", late.matter_number.as_str())]);
}
