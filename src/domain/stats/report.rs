//! A period's statistics assembled from day counts: the totals with 环比 and 同比, the
//! breakdowns by department, content class and officer, and the visits per day.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::period::Period;
use super::{Dim, Tally};
use crate::domain::department::DeptCode;

/// Whose counts a reader may see: the whole hall (leaders, administrators) or one
/// department (its own officers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    Hall,
    Department(DeptCode),
}

impl Scope {
    /// Rows of this scope's own total.
    fn total_dim(&self) -> Dim {
        match self {
            Scope::Hall => Dim::Hall,
            Scope::Department(d) => Dim::Department(d.clone()),
        }
    }

    /// Whether a breakdown row may be shown: a department sees itself and its officers;
    /// the content classes mix departments, so only the hall sees them.
    fn shows(&self, dim: &Dim) -> bool {
        match (self, dim) {
            (_, Dim::Hall) => false,
            (Scope::Hall, _) => true,
            (Scope::Department(d), Dim::Department(x)) => d == x,
            (Scope::Department(d), Dim::Officer { department, .. }) => d == department,
            (Scope::Department(_), Dim::Class(_)) => false,
        }
    }
}

/// One row of a breakdown, with its visits per day over the period (for sparklines).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown {
    pub dim: Dim,
    pub tally: Tally,
    pub daily_visits: Vec<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsReport {
    pub scope: Scope,
    pub period: Period,
    pub total: Tally,
    /// 环比
    pub previous: Period,
    pub previous_total: Tally,
    /// 同比
    pub year_earlier: Period,
    pub year_earlier_total: Tally,
    /// Visits (批次) per day of the period.
    pub daily_visits: Vec<u64>,
    pub departments: Vec<Breakdown>,
    pub classes: Vec<Breakdown>,
    pub officers: Vec<Breakdown>,
}

/// Day counts of one period, as the store returns them.
pub type DayRows = [(NaiveDate, Dim, Tally)];

fn total(rows: &DayRows, dim: &Dim) -> Tally {
    let mut t = Tally::default();
    for (_, d, tally) in rows {
        if d == dim {
            t.add(tally);
        }
    }
    t
}

impl StatsReport {
    /// Sums the rows of `current`, `previous` and `year_earlier` (their periods' rows) for
    /// what `scope` may see. Breakdowns come busiest first.
    pub fn assemble(
        scope: Scope,
        period: Period,
        current: &DayRows,
        previous: &DayRows,
        year_earlier: &DayRows,
    ) -> StatsReport {
        let own = scope.total_dim();
        let days = period.days() as usize;
        let index = |day: NaiveDate| (day - period.from).num_days().max(0) as usize;
        let mut daily_visits = vec![0; days];
        let mut rows: BTreeMap<Dim, Breakdown> = BTreeMap::new();
        for (day, dim, tally) in current {
            let i = index(*day);
            if *dim == own && i < days {
                daily_visits[i] += tally.visits;
            }
            if !scope.shows(dim) {
                continue;
            }
            let row = rows.entry(dim.clone()).or_insert_with(|| Breakdown {
                dim: dim.clone(),
                tally: Tally::default(),
                daily_visits: vec![0; days],
            });
            row.tally.add(tally);
            if i < days {
                row.daily_visits[i] += tally.visits;
            }
        }
        let mut departments = Vec::new();
        let mut classes = Vec::new();
        let mut officers = Vec::new();
        for (dim, row) in rows {
            match dim {
                Dim::Department(_) => departments.push(row),
                Dim::Class(_) => classes.push(row),
                Dim::Officer { .. } => officers.push(row),
                Dim::Hall => {}
            }
        }
        for list in [&mut departments, &mut classes, &mut officers] {
            list.sort_by(|a, b| {
                (b.tally.visits + b.tally.matters + b.tally.tickets)
                    .cmp(&(a.tally.visits + a.tally.matters + a.tally.tickets))
                    .then(a.dim.cmp(&b.dim))
            });
        }
        StatsReport {
            total: total(current, &own),
            previous: period.previous(),
            previous_total: total(previous, &own),
            year_earlier: period.year_earlier(),
            year_earlier_total: total(year_earlier, &own),
            scope,
            period,
            daily_visits,
            departments,
            classes,
            officers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::stats::period::PeriodKind;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
    }

    fn visits(n: u64) -> Tally {
        Tally {
            visits: n,
            ..Tally::default()
        }
    }

    #[test]
    fn a_department_sees_itself_and_its_officers_only() {
        let rs = DeptCode::new("rs");
        let ga = DeptCode::new("ga");
        let rows = vec![
            (d(2), Dim::Hall, visits(5)),
            (d(2), Dim::Department(rs.clone()), visits(3)),
            (d(3), Dim::Department(rs.clone()), visits(1)),
            (d(2), Dim::Department(ga.clone()), visits(2)),
            (d(2), Dim::Class("劳动社保".into()), visits(3)),
            (
                d(2),
                Dim::Officer {
                    department: ga.clone(),
                    username: "li".into(),
                },
                Tally::default(),
            ),
        ];
        let period = Period::custom(d(2), d(4), PeriodKind::Custom);
        let report = StatsReport::assemble(
            Scope::Department(rs.clone()),
            period,
            &rows,
            &[(d(1), Dim::Department(rs.clone()), visits(2))],
            &[],
        );
        assert_eq!(report.total.visits, 4);
        assert_eq!(report.previous_total.visits, 2);
        assert_eq!(report.daily_visits, vec![3, 1, 0]);
        assert_eq!(report.departments.len(), 1);
        assert_eq!(report.departments[0].daily_visits, vec![3, 1, 0]);
        assert!(report.classes.is_empty() && report.officers.is_empty());

        let hall = StatsReport::assemble(Scope::Hall, period, &rows, &[], &[]);
        assert_eq!(hall.total.visits, 5);
        assert_eq!(hall.daily_visits, vec![5, 0, 0]);
        assert_eq!(hall.departments[0].dim, Dim::Department(rs));
        assert_eq!((hall.classes.len(), hall.officers.len()), (1, 1));
    }
}
