//! The demo generator: a realistic hall of generated visitors, visits and
//! matters over the last two years, for `lianfang demo`, `--demo` and the
//! benchmark.
//!
//! It writes through [`Store::write`](crate::store::Store::write) in small
//! batches (sled's memory grows with the size of a transaction), and derives
//! every index exactly as the service does, so `lianfang check` passes on the
//! result. Generated history is not in the audit trail: no officer did it.
//! The same seed and `now` give the same hall.

mod content;
mod people;
mod story;

use std::collections::HashMap;

use rand::prelude::*;
use serde::Serialize;

use crate::config::HallConfig;
use crate::domain::department::DeptCode;
use crate::domain::officer::Role;
use crate::domain::time::Timestamp;
use crate::hall::{DemoAccount, HallError, HallResult, LocalHall, NewOfficer};

use people::PeopleGen;
pub use story::HISTORY_DAYS;

/// Visitors written per transaction: with their visits and matters about 250
/// records and under 1,000 keys, far below where sled's memory blows up.
pub const VISITORS_PER_BATCH: u64 = 40;

/// The shared password of every demo account, shown on the demo login screen.
pub const DEMO_PASSWORD: &str = "demo2026";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoOptions {
    pub visitors: u64,
    pub seed: u64,
    /// The moment the generated hall is "now": history lies before it, today's queue just before.
    pub now: Timestamp,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DemoStats {
    pub visitors: u64,
    pub visits: u64,
    pub matters: u64,
    /// Tickets waiting in today's queue.
    pub waiting: u64,
    pub batches: u64,
    /// Records written by the largest transaction.
    pub largest_batch: usize,
}

/// Fills the hall with `options.visitors` generated visitors and their history.
pub fn populate(hall: &LocalHall, options: &DemoOptions) -> HallResult<DemoStats> {
    populate_with_progress(hall, options, |_| {})
}

/// Like [`populate`], calling `progress` after every batch (for a progress line).
pub fn populate_with_progress(
    hall: &LocalHall,
    options: &DemoOptions,
    mut progress: impl FnMut(&DemoStats),
) -> HallResult<DemoStats> {
    let config = hall.config();
    let accounts = accounts(config);
    let username = |role: Role| {
        accounts
            .iter()
            .find(|(n, _)| n.role == role)
            .map_or_else(|| "admin".to_string(), |(n, _)| n.username.clone())
    };
    let windows: HashMap<DeptCode, String> = accounts
        .iter()
        .filter(|(n, _)| n.role == Role::Window)
        .map(|(n, _)| (n.department.clone(), n.username.clone()))
        .collect();
    let mut generator = story::Generator {
        config,
        people: PeopleGen::new(),
        subjects: content::Subjects::new(config),
        now: options.now,
        total: options.visitors,
        waiting: options.visitors.min(12),
        registrar: username(Role::Registrar),
        windows,
    };
    let mut rng = StdRng::seed_from_u64(options.seed);
    let mut stats = DemoStats::default();
    while stats.visitors < options.visitors {
        let first = stats.visitors;
        let last = (first + VISITORS_PER_BATCH).min(options.visitors);
        let batch = hall.store().write(|w| {
            let mut batch = story::Written::default();
            for index in first..last {
                let one = story::write_visitor(w, &mut generator, &mut rng, index)?;
                batch.visits += one.visits;
                batch.matters += one.matters;
                batch.waiting += one.waiting;
                batch.records += one.records;
            }
            Ok::<_, HallError>(batch)
        })?;
        stats.visitors = last;
        stats.visits += batch.visits;
        stats.matters += batch.matters;
        stats.waiting += batch.waiting;
        stats.batches += 1;
        stats.largest_batch = stats.largest_batch.max(batch.records);
        progress(&stats);
    }
    Ok(stats)
}

/// One demo account per role, in several departments (incl. 纪委监委), all
/// with [`DEMO_PASSWORD`]. Departments the config lacks are left out.
pub fn accounts(config: &HallConfig) -> Vec<(NewOfficer, DemoAccount)> {
    let intake = config.intake_department().code.clone();
    let accusations = config
        .departments
        .iter()
        .find(|d| d.accusations)
        .map(|d| d.code.clone());
    let plan: [(&str, &str, Role, Option<DeptCode>); 8] = [
        ("admin", "系统管理员", Role::Admin, Some(intake.clone())),
        ("dengji", "王登记", Role::Registrar, Some(intake.clone())),
        ("lingdao", "李带班", Role::Leader, Some(intake.clone())),
        ("renshe", "张人社", Role::Window, Some(DeptCode::new("rs"))),
        ("gongan", "赵公安", Role::Window, Some(DeptCode::new("ga"))),
        ("zhujian", "陈住建", Role::Window, Some(DeptCode::new("zj"))),
        ("jiwei", "刘纪委", Role::Window, accusations),
        ("daping", "大厅大屏", Role::Display, Some(intake)),
    ];
    plan.into_iter()
        .filter_map(|(username, name, role, dept)| {
            let dept = config.department(&dept?)?;
            let officer = NewOfficer {
                username: username.to_string(),
                display_name: name.to_string(),
                role,
                department: dept.code.clone(),
                password: DEMO_PASSWORD.to_string(),
            };
            let account = DemoAccount {
                username: username.to_string(),
                password: DEMO_PASSWORD.to_string(),
                description: format!("{} · {}", role.label(), dept.name),
            };
            Some((officer, account))
        })
        .collect()
}

/// Creates the demo accounts in one transaction and returns what the login screen lists.
pub fn create_accounts(hall: &LocalHall) -> HallResult<Vec<DemoAccount>> {
    let accounts = accounts(hall.config());
    hall.store().write(|w| {
        for (officer, _) in &accounts {
            hall.create_officer(w, officer)?;
        }
        Ok::<_, HallError>(())
    })?;
    Ok(accounts.into_iter().map(|(_, a)| a).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lifecycle::{State, Transition};
    use crate::domain::matter::{HistoryKind, Matter};
    use crate::domain::stats::period::{Period, PeriodKind};
    use crate::domain::visitor::Visitor;
    use crate::hall::clock::ManualClock;
    use crate::hall::{Hall, HallExt, MatchKind};
    use crate::store::check::check;

    /// 2026-11-27 10:00 in Beijing.
    const NOW: Timestamp = Timestamp(1_795_744_800);

    fn hall() -> LocalHall {
        LocalHall::temporary(HallConfig::embedded(), Box::new(ManualClock::new(NOW))).unwrap()
    }

    fn options(visitors: u64, seed: u64) -> DemoOptions {
        DemoOptions {
            visitors,
            seed,
            now: NOW,
        }
    }

    fn everything(hall: &LocalHall) -> (Vec<Visitor>, Vec<Matter>) {
        let visitors = hall.store().all::<Visitor>().collect::<Result<_, _>>();
        let matters = hall.store().all::<Matter>().collect::<Result<_, _>>();
        (visitors.unwrap(), matters.unwrap())
    }

    #[test]
    fn a_generated_hall_is_consistent_and_realistic() {
        let hall = hall();
        let mut calls = 0;
        let stats = populate_with_progress(&hall, &options(300, 1), |_| calls += 1).unwrap();
        assert_eq!(stats.visitors, 300);
        // Small transactions: one per 40 visitors, each a few hundred records.
        assert_eq!(stats.batches, 300_u64.div_ceil(VISITORS_PER_BATCH));
        assert_eq!(calls, stats.batches);
        assert!(stats.largest_batch <= 400, "{stats:?}");
        let per_visitor = |n: u64| n as f64 / stats.visitors as f64;
        assert!((2.3..3.7).contains(&per_visitor(stats.visits)), "{stats:?}");
        assert!(
            (1.2..1.8).contains(&per_visitor(stats.matters)),
            "{stats:?}"
        );
        assert_eq!(stats.waiting, 12);

        let report = check(hall.store()).unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);

        let (visitors, matters) = everything(&hall);
        assert_eq!(visitors.len(), 300);
        assert_eq!(matters.len() as u64, stats.matters);
        let two_years_ago = Timestamp(NOW.0 - (HISTORY_DAYS as i64 + 3) * 86_400);
        assert!(matters
            .iter()
            .all(|m| m.received > two_years_ago && m.received <= NOW));
        // Statuses vary, groups and key persons exist.
        let statuses: std::collections::HashSet<_> =
            matters.iter().map(|m| m.status.label()).collect();
        assert!(statuses.len() >= 6, "{statuses:?}");
        assert!(visitors.iter().any(|v| v.key_grade.is_some()));
        assert!(visitors.iter().any(|v| v.id_number.is_none()));

        // History lies before today, spread over the days; today has only the queue.
        let tz = hall.config().timezone;
        let today = Timestamp::start_of(NOW.local_date(tz), tz);
        let visits: Vec<crate::domain::visit::Visit> =
            hall.store().all().collect::<Result<_, _>>().unwrap();
        let mut per_day = HashMap::new();
        for v in &visits {
            assert_eq!(v.at >= today, v.ticket.is_some(), "{v:?}");
            *per_day.entry(v.at.local_date(tz)).or_insert(0) += 1;
        }
        let busiest = per_day.values().max().copied().unwrap_or(0);
        assert!(busiest <= 20, "{busiest} visits on one day");

        // The statistics see the two years: every visit and matter is in the day counts.
        let admin = hall.system_session().unwrap();
        let from = NOW.local_date(tz) - chrono::Days::new(HISTORY_DAYS + 3);
        let span = Period::custom(from, NOW.local_date(tz), PeriodKind::Custom);
        let report = hall.stats(&admin, span).unwrap();
        assert_eq!(report.total.visits, visits.len() as u64);
        assert_eq!(report.total.matters, stats.matters);
        assert!(report.total.group_visits > 0 && report.total.repeat_visits > 0);
        assert!(report.total.concluded > 0 && report.year_earlier_total.visits > 0);

        // The queue board is alive, and the admin sees what the summaries promise.
        let queue = hall.queue(&admin).unwrap();
        let waiting: usize = queue.departments.iter().map(|d| d.waiting.len()).sum();
        assert_eq!(waiting, 12);
        for v in visitors.iter().step_by(7) {
            let profile = hall.profile(&admin, v.id, false).unwrap();
            assert_eq!(profile.visits.len() as u32, v.summary.visit_count);
            let open = profile.matters.iter().filter(|m| m.is_open()).count();
            assert_eq!(open, v.summary.open_matters.len());
            assert_eq!(profile.visits.first().map(|x| x.at), v.summary.last_visit);
        }
    }

    /// A hall answers its matters: of those received more than 120 days ago (room for
    /// taking up, acceptance, the 60-day reply and the 30-day review window) only the few
    /// left for the overdue lists are still open, while recent ones are in progress.
    #[test]
    fn old_matters_are_answered_and_their_review_window_lapsed() {
        let hall = hall();
        populate(&hall, &options(600, 3)).unwrap();
        let (_, matters) = everything(&hall);
        let old = Timestamp(NOW.0 - 120 * 86_400);
        let (earlier, recent): (Vec<&Matter>, Vec<&Matter>) =
            matters.iter().partition(|m| m.received < old);
        let open = earlier.iter().filter(|m| m.is_open()).count();
        assert!(
            open * 100 <= earlier.len() * 5,
            "{open} of {} open",
            earlier.len()
        );
        assert!(open > 0, "some are left for the overdue lists");
        let lapsed = earlier
            .iter()
            .filter(|m| m.status.state == State::ReviewLapsed);
        assert!(lapsed.count() * 3 > earlier.len(), "answered and lapsed");
        let in_progress = recent
            .iter()
            .filter(|m| m.status.state == State::InProgress);
        assert!(in_progress.count() > 0);
        // Each step is in the matter's history, where its department's window took it.
        let answered = matters.iter().find(|m| m.status.replied.is_some()).unwrap();
        assert!(answered.history.iter().any(|h| matches!(
            &h.kind,
            HistoryKind::Step {
                step: Transition::Reply,
                ..
            }
        )));
        assert!(check(hall.store()).unwrap().is_ok());
    }

    #[test]
    fn group_visits_have_representatives_within_the_limit() {
        let hall = hall();
        populate(&hall, &options(400, 5)).unwrap();
        let config = hall.config();
        let visits: Vec<crate::domain::visit::Visit> =
            hall.store().all().collect::<Result<_, _>>().unwrap();
        let groups: Vec<_> = visits
            .iter()
            .filter(|v| v.headcount >= config.group_visit_threshold)
            .collect();
        assert!(!groups.is_empty());
        for g in groups {
            assert!((1..=config.max_representatives).contains(&g.representatives.len()));
        }
        assert!(visits.iter().any(|v| v.repeat));
    }

    #[test]
    fn the_same_seed_gives_the_same_hall() {
        let (a, b, c) = (hall(), hall(), hall());
        populate(&a, &options(120, 42)).unwrap();
        populate(&b, &options(120, 42)).unwrap();
        populate(&c, &options(120, 43)).unwrap();
        assert_eq!(everything(&a), everything(&b));
        assert_ne!(everything(&a).0, everything(&c).0);
    }

    #[test]
    fn generated_visitors_are_found_by_number_and_initials() {
        let hall = hall();
        populate(&hall, &options(200, 9)).unwrap();
        let admin = hall.system_session().unwrap();
        let (visitors, _) = everything(&hall);
        let v = visitors.iter().find(|v| v.id_number.is_some()).unwrap();
        let number = v.id_number.as_ref().unwrap().as_str();
        let hits = hall.lookup(&admin, number, 20).unwrap();
        assert_eq!(hits[0].visitor, v.id);
        assert_eq!(hits[0].matched, MatchKind::IdNumber);
        let initials = &crate::domain::pinyin::readings(v.name.as_str()).initials[0];
        let hits = hall.lookup(&admin, initials, 100).unwrap();
        assert!(hits.iter().any(|h| h.visitor == v.id), "{initials}");
    }

    #[test]
    fn demo_accounts_cover_every_role_and_can_log_in() {
        let config = HallConfig::embedded();
        let list = accounts(&config);
        for role in Role::ALL {
            assert!(list.iter().any(|(n, _)| n.role == role), "{role:?}");
        }
        assert!(list.iter().any(|(n, _)| n.department.as_str() == "jw"));
        let hall = hall();
        let shown = create_accounts(&hall).unwrap();
        assert_eq!(shown.len(), list.len());
        let info = hall.info().unwrap();
        assert!(!info.needs_setup);
        let session = hall.login("jiwei", DEMO_PASSWORD, "").unwrap();
        assert_eq!(session.officer.department.as_str(), "jw");
        // A second run does not create them twice.
        assert!(create_accounts(&hall).is_err());
    }
}
