//! Statistics and the daily report: summed from the store's day counts, limited to what
//! the reader may see.

use chrono::{Days, NaiveDate};

use super::ledger::fill_page;
use super::LocalHall;
use crate::domain::ledger::VisitEntry;
use crate::domain::lifecycle::Tier;
use crate::domain::matter::Matter;
use crate::domain::officer::Role;
use crate::domain::stats::daily::{DailyReport, DueLine, GroupVisitLine};
use crate::domain::stats::period::{Period, PeriodKind};
use crate::domain::stats::report::{Scope, StatsReport};
use crate::domain::time::Timestamp;
use crate::hall::api::Session;
use crate::hall::error::HallResult;
use crate::hall::permissions;
use crate::store::keys;

impl LocalHall {
    /// Leaders and administrators see the hall; a desk sees its own department.
    fn stats_scope(&self, s: &Session) -> Scope {
        match s.officer.role {
            Role::Leader | Role::Admin => Scope::Hall,
            _ => Scope::Department(s.officer.department.clone()),
        }
    }

    pub(super) fn stats(&self, s: &Session, period: Period) -> HallResult<StatsReport> {
        let rows = |p: Period| self.store.tallies(p.from, p.to);
        Ok(StatsReport::assemble(
            self.stats_scope(s),
            period,
            &rows(period)?,
            &rows(period.previous())?,
            &rows(period.year_earlier())?,
        ))
    }

    pub(super) fn daily_report(&self, s: &Session, date: NaiveDate) -> HallResult<DailyReport> {
        let scope = self.stats_scope(s);
        let day = StatsReport::assemble(
            scope.clone(),
            Period::custom(date, date, PeriodKind::Day),
            &self.store.tallies(date, date)?,
            &[],
            &[],
        )
        .total;
        let mut overdue = Vec::new();
        let mut due_soon = Vec::new();
        for brief in self.due_matters(s, scope == Scope::Hall)? {
            let Some(deadline) = &brief.deadline else {
                continue;
            };
            let line = DueLine {
                matter: brief.number.clone(),
                department: self.config.dept_short(&brief.department),
                deadline: deadline.line(),
            };
            match deadline.tier {
                Some(Tier::Warning) => due_soon.push(line),
                Some(_) => overdue.push(line),
                None => {}
            }
        }
        Ok(DailyReport {
            hall: self.config.name.clone(),
            scope: match &scope {
                Scope::Hall => "全大厅".to_string(),
                Scope::Department(d) => self.config.dept_short(d),
            },
            date,
            day,
            group_visits: self.open_group_visits(s, &scope, date)?,
            overdue,
            due_soon,
        })
    }

    /// The day's group visits (集体访) whose matter is still open, in time order: read from
    /// the visit ledger, whose entries are keyed by time and hold the visit.
    fn open_group_visits(
        &self,
        s: &Session,
        scope: &Scope,
        date: NaiveDate,
    ) -> HallResult<Vec<GroupVisitLine>> {
        let tz = self.config.timezone;
        let end = keys::date_start(Timestamp::start_of(date + Days::new(1), tz));
        let threshold = self.config.group_visit_threshold;
        let mut visits = Vec::new();
        let mut page = Some(keys::date_start(Timestamp::start_of(date, tz)));
        while let Some(from) = page {
            let (group, next) = fill_page(&self.store, from, &end, |e: VisitEntry| {
                (e.visit.headcount >= threshold).then_some(e.visit)
            })?;
            visits.extend(group);
            page = next;
        }
        let mut out = Vec::new();
        for v in visits {
            let Some(m) = self.store.get_id::<Matter>(v.matter)? else {
                continue;
            };
            let mine = match scope {
                Scope::Hall => true,
                Scope::Department(d) => v.department == *d || m.department == *d,
            };
            if !mine || !m.is_open() || !permissions::can_see_matter(&s.officer, &self.config, &m) {
                continue;
            }
            out.push(GroupVisitLine {
                time: v.at.local(tz).format("%H:%M").to_string(),
                department: self.config.dept_short(&v.department),
                headcount: v.headcount,
                matter: m.number.clone(),
                status: self.brief(&m).status,
            });
        }
        Ok(out)
    }
}
