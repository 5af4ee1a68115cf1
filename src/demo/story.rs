//! One generated visitor's history: their matters, every visit on them, what
//! the windows decided, and perhaps a ticket waiting today. Written with the
//! store's `Writer`, so every index is derived exactly as for a live command.

use std::collections::HashMap;

use chrono::{Datelike, Days, FixedOffset, NaiveDate, Weekday};
use rand::prelude::*;

use super::content::{Subject, Subjects};
use super::people::PeopleGen;
use crate::config::HallConfig;
use crate::domain::department::DeptCode;
use crate::domain::lifecycle::{LifecycleError, Transition};
use crate::domain::matter::{
    matter_number, HistoryEntry, HistoryKind, LegalChannel, Matter, Outcome,
};
use crate::domain::ticket::{ticket_label, Ticket, TicketState};
use crate::domain::time::Timestamp;
use crate::domain::visit::{Channel, Visit};
use crate::domain::visitor::{KeyGrade, OpenMatterRef, Visitor, VisitorSummary};
use crate::hall::{HallError, HallResult};
use crate::store::Writer;

/// How far back the generated history reaches.
pub const HISTORY_DAYS: u64 = 730;

/// What one visitor added to the store.
#[derive(Clone, Copy, Debug, Default)]
pub struct Written {
    pub visits: u64,
    pub matters: u64,
    pub waiting: u64,
    pub records: usize,
}

/// Everything that stays the same for every visitor of one run.
pub struct Generator<'a> {
    pub config: &'a HallConfig,
    pub people: PeopleGen,
    pub subjects: Subjects,
    pub now: Timestamp,
    pub total: u64,
    /// The last this many visitors each have a ticket waiting today.
    pub waiting: u64,
    /// Who registers at intake, and who sits at each department's window.
    pub registrar: String,
    pub windows: HashMap<DeptCode, String>,
}

impl Generator<'_> {
    fn tz(&self) -> FixedOffset {
        self.config.timezone
    }

    fn today(&self) -> NaiveDate {
        self.now.local_date(self.tz())
    }

    fn window(&self, dept: &DeptCode) -> String {
        self.windows
            .get(dept)
            .cloned()
            .unwrap_or_else(|| self.registrar.clone())
    }

    /// A moment during office hours of `day`; most weekend days move to the Friday before.
    fn office_time(&self, rng: &mut StdRng, day: NaiveDate) -> Timestamp {
        let back = match day.weekday() {
            Weekday::Sat => 1,
            Weekday::Sun => 2,
            _ => 0,
        };
        let day = if back > 0 && rng.gen_bool(0.8) {
            day - Days::new(back)
        } else {
            day
        };
        let start = Timestamp::start_of(day, self.tz());
        Timestamp(start.0 + rng.gen_range(8 * 3600 + 1800..17 * 3600 + 1800))
    }
}

/// A matter before it gets ids: when it came in, what about, what was decided.
struct Plan {
    received: Timestamp,
    subject: Subject,
    outcome: Option<Outcome>,
    /// Later visits on the same open matter (重复访).
    repeats: Vec<Timestamp>,
}

fn draw_outcome(g: &Generator, rng: &mut StdRng, subject: &Subject) -> Option<Outcome> {
    let confidential = subject.category.confidential();
    let roll = rng.gen_range(0..100);
    Some(match roll {
        0..=4 => return None,
        5..=29 => Outcome::AnsweredOnSpot,
        30..=54 => Outcome::Accepted,
        55..=69 if !confidential => match g.subjects.other_department(rng, &subject.department) {
            Some(to) => Outcome::Forwarded { to },
            None => Outcome::Accepted,
        },
        70..=74 if !confidential => match g.subjects.other_department(rng, &subject.department) {
            Some(to) => Outcome::Assigned { to },
            None => Outcome::Accepted,
        },
        75..=84 => Outcome::NotAccepted,
        _ if confidential => Outcome::Accepted,
        _ => Outcome::LegalChannel(
            *LegalChannel::ALL
                .choose(rng)
                .unwrap_or(&LegalChannel::Other),
        ),
    })
}

fn outcome_note(g: &Generator, outcome: &Outcome) -> String {
    let dept_name = |d: &DeptCode| {
        g.config
            .department(d)
            .map_or_else(|| d.to_string(), |x| x.name.clone())
    };
    match outcome {
        Outcome::AnsweredOnSpot => "已当场解释有关政策，来访人表示理解".into(),
        Outcome::Accepted => String::new(),
        Outcome::Forwarded { to } => format!("属{}职责范围，转送办理", dept_name(to)),
        Outcome::Assigned { to } => format!("交办{}，限期办结并报送办结报告", dept_name(to)),
        Outcome::NotAccepted => "不属于信访事项受理范围，已书面告知".into(),
        Outcome::LegalChannel(c) => format!("已告知通过{}途径解决", c.label()),
    }
}

fn plan_matters(g: &Generator, rng: &mut StdRng, first_day: NaiveDate, place: &str) -> Vec<Plan> {
    let last_day = g.today() - Days::new(1);
    let count = match rng.gen_range(0..10) {
        0..=5 => 1,
        6..=8 => 2,
        _ => 3,
    };
    let span = (last_day - first_day).num_days().max(0) as u64;
    let mut plans: Vec<Plan> = (0..count)
        .map(|k| {
            let day = if k == 0 {
                first_day
            } else {
                first_day + Days::new(rng.gen_range(0..=span))
            };
            let subject = g.subjects.draw(rng, district(place));
            let outcome = draw_outcome(g, rng, &subject);
            let open = outcome.as_ref().is_none_or(|o| !o.closes());
            let extra = if open {
                [0, 1, 1, 2, 2, 2, 3, 3, 4, 6][rng.gen_range(0..10)]
            } else {
                0
            };
            let mut repeats = Vec::new();
            for _ in 0..extra {
                let later = day + Days::new(rng.gen_range(1..=120));
                // Nothing after yesterday: today's visits are the queue.
                if later <= last_day {
                    repeats.push(g.office_time(rng, later));
                }
            }
            Plan {
                received: g.office_time(rng, day),
                subject,
                outcome,
                repeats,
            }
        })
        .collect();
    plans.sort_by_key(|p| p.received);
    plans
}

/// One visit before it gets its id.
struct VisitPlan {
    at: Timestamp,
    matter: usize,
    repeat: bool,
    waiting: bool,
}

/// Writes visitor number `index` (counting from 0) of the run with all of their history.
pub fn write_visitor(
    w: &mut Writer,
    g: &mut Generator,
    rng: &mut StdRng,
    index: u64,
) -> HallResult<Written> {
    let tz = g.tz();
    let today = g.today();
    let person = g.people.person(rng, today);
    // Visitors first came in the order of their ids, spread over the history.
    let offset = HISTORY_DAYS - index * HISTORY_DAYS / g.total.max(1);
    let first_day = today - Days::new(offset.max(1));
    let mut plans = plan_matters(g, rng, first_day, person.place);

    let mut visits: Vec<VisitPlan> = Vec::new();
    for (m, plan) in plans.iter().enumerate() {
        visits.push(VisitPlan {
            at: plan.received,
            matter: m,
            repeat: false,
            waiting: false,
        });
        visits.extend(plan.repeats.iter().map(|&at| VisitPlan {
            at: at.max(plan.received),
            matter: m,
            repeat: true,
            waiting: false,
        }));
    }
    // Today's queue: the most recent visitors are waiting in the hall now.
    if index + g.waiting >= g.total {
        let ahead = (g.total - index) as i64;
        let at = Timestamp(g.now.0 - ahead * 240 - rng.gen_range(0..200));
        let open = plans
            .iter()
            .rposition(|p| p.outcome.as_ref().is_none_or(|o| !o.closes()));
        let matter = match open {
            Some(m) if rng.gen_bool(0.5) => m,
            _ => {
                let subject = g.subjects.draw(rng, district(person.place));
                plans.push(Plan {
                    received: at,
                    subject,
                    outcome: None,
                    repeats: Vec::new(),
                });
                plans.len() - 1
            }
        };
        visits.push(VisitPlan {
            at,
            matter,
            repeat: plans[matter].received < at,
            waiting: true,
        });
    }
    visits.sort_by_key(|v| (v.at, v.repeat));

    let mut written = Written::default();
    let visitor_id = w.next("seq.visitor")?;
    let mut matters = Vec::with_capacity(plans.len());
    for plan in &plans {
        let year = plan.received.local(tz).year();
        let number = matter_number(year, w.next(&format!("seq.matter.{year}"))?);
        let id = w.next("seq.matter")?;
        matters.push(new_matter(
            g,
            rng,
            (id, number),
            plan,
            person.place,
            visitor_id,
        )?);
    }

    let mut summary = VisitorSummary::default();
    let mut records = Vec::with_capacity(visits.len());
    let mut ticket = None;
    for v in &visits {
        let id = w.next("seq.visit")?;
        let plan = &plans[v.matter];
        let matter = &mut matters[v.matter];
        // A visit goes to where the matter is at that moment: first to the department it was
        // registered for, after routing to the new one.
        let department = if v.repeat {
            matter.department.clone()
        } else {
            plan.subject.department.clone()
        };
        matter.visits.push(id);
        if v.repeat {
            matter.history.push(HistoryEntry {
                at: v.at,
                officer: g.registrar.clone(),
                kind: HistoryKind::RepeatVisit { visit: id },
            });
        }
        let headcount = headcount(rng, g.config.group_visit_threshold);
        let representatives = if headcount >= g.config.group_visit_threshold {
            let n = rng.gen_range(1..=g.config.max_representatives.min(usize::from(headcount)));
            let mut names = vec![person.name.clone()];
            names.extend(g.people.names(rng, n - 1));
            names
        } else {
            Vec::new()
        };
        let mut visit = Visit {
            id,
            visitor: visitor_id,
            matter: matter.id,
            at: v.at,
            channel: if v.waiting {
                Channel::Walkin
            } else {
                channel(rng)
            },
            headcount,
            representatives,
            department: department.clone(),
            desk: format!("{}-登记台", g.config.intake_department().ticket_prefix),
            officer: g.registrar.clone(),
            ticket: None,
            repeat: v.repeat,
            level: 0,
            anonymous: false,
        };
        if v.waiting {
            let dept = g.config.department(&department);
            let prefix = dept.map_or("号", |d| d.ticket_prefix.as_str());
            let seq = w.next(&format!("seq.ticket.{department}.{}", v.at.day_number(tz)))?;
            let t = Ticket {
                id: w.next("seq.ticket")?,
                department: department.clone(),
                label: ticket_label(prefix, seq),
                order: w.next("seq.queue")?,
                visitor: visitor_id,
                visit: id,
                matter: matter.id,
                headcount,
                issued: v.at,
                called: None,
                finished: None,
                skipped: 0,
                state: TicketState::Waiting,
            };
            visit.ticket = Some(t.id);
            ticket = Some(t);
        }
        summary.visit_count += 1;
        summary.last_visit = Some(v.at);
        if !summary.departments.contains(&department) {
            summary.departments.push(department);
        }
        records.push(visit);
    }

    for m in &matters {
        if !summary.departments.contains(&m.department) {
            summary.departments.push(m.department.clone());
        }
        if m.is_open() {
            summary.open_matters.push(OpenMatterRef::of(m));
        }
    }
    let key_grade = key_grade(rng, summary.visit_count);
    let visitor = Visitor {
        id: visitor_id,
        id_number: person.id_number,
        name: person.name,
        phone: person.phone,
        address: person.address,
        key_grade,
        created: visits.first().map_or(g.now, |v| v.at),
        summary,
        anonymous: false,
    };

    w.put(&visitor)?;
    for m in &matters {
        w.put(m)?;
    }
    for v in &records {
        w.put(v)?;
    }
    if let Some(t) = &ticket {
        w.put(t)?;
        written.waiting = 1;
    }
    written.visits = records.len() as u64;
    written.matters = matters.len() as u64;
    written.records = 1 + matters.len() + records.len() + usize::from(ticket.is_some());
    Ok(written)
}

/// The matter as it stands after the first reception (the repeat visits are added by the caller).
fn new_matter(
    g: &Generator,
    rng: &mut StdRng,
    (id, number): (u64, String),
    plan: &Plan,
    place: &str,
    visitor: u64,
) -> HallResult<Matter> {
    let s = &plan.subject;
    let subject = crate::domain::matter::Subject {
        category: s.category,
        content_class: s.content_class.clone(),
        place: place.to_string(),
        summary: s.summary.clone(),
        demands: s.demands.clone(),
        accused: s.accused.clone(),
    };
    let (department, registrar) = (s.department.clone(), g.registrar.clone());
    let mut m = Matter::registered(
        id,
        number,
        subject,
        department,
        plan.received,
        g.tz(),
        registrar,
    );
    m.visitors.push(visitor);
    if let Some(outcome) = &plan.outcome {
        let at = Timestamp(plan.received.0 + rng.gen_range(20..120) * 60);
        let note = outcome_note(g, outcome);
        m.record_outcome(outcome, &note, at.local_date(g.tz()), &g.config.limits)
            .map_err(|e| HallError::Conflict(format!("演示事项 {}：{e}", m.number)))?;
        m.history.push(HistoryEntry {
            at,
            officer: g.window(&s.department),
            kind: HistoryKind::Outcome {
                outcome: outcome.clone(),
                note,
            },
        });
    }
    if plan.outcome.as_ref().is_none_or(|o| !o.closes()) {
        carry_on(g, &mut m, plan.received.local_date(g.tz()))?;
    }
    Ok(m)
}

/// Carries a matter still open after its first reception on as the hall would have:
/// taken up and accepted where it waits or was routed, answered near the 60-day limit, and
/// its review window left to lapse — as far as today allows. A few are left where they
/// are, for the overdue lists; without this every such matter of two years would still be
/// open and overdue (docs/BENCHMARKS.md). Drawn from the matter's own random numbers, so
/// the rest of the hall is what it was.
fn carry_on(g: &Generator, m: &mut Matter, received: NaiveDate) -> HallResult<()> {
    let mut rng = StdRng::seed_from_u64(m.id ^ 0x5eed_ca77_0000_0000);
    if rng.gen_bool(0.03) {
        return Ok(());
    }
    let limits = &g.config.limits;
    let mut day = received;
    for (step, days) in [
        (Transition::TakeUp, 1..=3),
        (Transition::Accept, 1..=7),
        (Transition::Reply, 10..=62),
        (Transition::Lapse, 31..=40),
    ] {
        let kind = step.kind();
        if !m.status.allowed().contains(&kind) {
            continue;
        }
        day = day + Days::new(rng.gen_range(days));
        if day >= g.today() {
            break;
        }
        m.status = match m.status.apply(step.clone(), day, limits) {
            Ok(status) => status,
            // The review window is not over yet on that day.
            Err(LifecycleError::WindowOpen { .. }) => break,
            Err(e) => return Err(HallError::Conflict(format!("演示事项 {}：{e}", m.number))),
        };
        m.history.push(HistoryEntry {
            at: g.office_time(&mut rng, day),
            officer: g.window(&m.department),
            kind: HistoryKind::Step {
                step,
                note: String::new(),
            },
        });
    }
    Ok(())
}

/// The last part of a place (`湖南省长沙市芙蓉区` → `芙蓉区`), as people say it.
fn district(place: &str) -> &str {
    let inner = place.trim_end_matches(['省', '市', '区', '县']);
    match inner.rfind(['省', '市', '区']) {
        Some(i) => &place[i + '市'.len_utf8()..],
        None => place,
    }
}

fn channel(rng: &mut StdRng) -> Channel {
    match rng.gen_range(0..100) {
        0..=69 => Channel::Walkin,
        70..=79 => Channel::Letter,
        80..=89 => Channel::Phone,
        90..=97 => Channel::Online,
        _ => Channel::Other,
    }
}

/// Mostly one person; a few come together; now and then a group visit (集体访).
fn headcount(rng: &mut StdRng, group_threshold: u16) -> u16 {
    match rng.gen_range(0..100) {
        0..=79 => 1,
        80..=96 => rng.gen_range(2..group_threshold.max(3)),
        _ => rng.gen_range(group_threshold..group_threshold + 40),
    }
}

/// Key persons (四色管理) are mostly among those who come again and again.
fn key_grade(rng: &mut StdRng, visits: u32) -> Option<KeyGrade> {
    let chance = if visits >= 6 { 0.3 } else { 0.003 };
    rng.gen_bool(chance).then(|| {
        *[
            KeyGrade::A,
            KeyGrade::B,
            KeyGrade::C,
            KeyGrade::C,
            KeyGrade::D,
            KeyGrade::D,
        ]
        .choose(rng)
        .unwrap_or(&KeyGrade::D)
    })
}
