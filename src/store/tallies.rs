//! The statistics' day counts: kept in step with the records inside the writing
//! transaction, read back by day range, and recomputed from the records by `check`.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};

use super::keys::{self, Stored, TreeId};
use super::{codec, corrupt_value, Result, Store, Writer};
use crate::domain::matter::Matter;
use crate::domain::stats::{Dim, Tally, TallyRow, TallyRules};
use crate::domain::ticket::Ticket;
use crate::domain::visit::Visit;

/// Counts by statistics key.
pub type Tallies = BTreeMap<Vec<u8>, Tally>;

fn merge(into: &mut Tallies, rows: Vec<TallyRow>) {
    for (day, dim, tally) in rows {
        into.entry(keys::stats_key(day, &dim))
            .or_default()
            .add(&tally);
    }
}

impl Store {
    /// Counts are kept from now on with these rules (set once by the service at open).
    pub fn set_tally_rules(&mut self, rules: TallyRules) {
        self.tally_rules = Some(rules);
    }

    /// Every day count from `from` to `to` inclusive, in day order.
    pub fn tallies(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<(NaiveDate, Dim, Tally)>> {
        let start = keys::stats_day_prefix(from);
        let end = keys::stats_day_prefix(to + Days::new(1));
        let mut out = Vec::new();
        for item in self.tree(TreeId::Stats).range(&start, Some(&end)) {
            let (k, v) = item?;
            let tally: Tally = codec::decode(&v).map_err(|e| corrupt_value("stats", &k, e))?;
            if let Some((day, dim)) = keys::parse_stats_key(&k) {
                out.push((day, dim, tally));
            }
        }
        Ok(out)
    }

    /// The day counts the records imply, computed from every visit, matter and ticket.
    pub fn recompute_tallies(&self, rules: &TallyRules) -> Result<Tallies> {
        let matter = |id: u64| self.get_id::<Matter>(id);
        let mut out = Tallies::new();
        for v in self.all::<Visit>() {
            merge(&mut out, v?.tally_rows(rules, &matter)?);
        }
        for m in self.all::<Matter>() {
            merge(&mut out, m?.tally_rows(rules, &matter)?);
        }
        for t in self.all::<Ticket>() {
            merge(&mut out, t?.tally_rows(rules, &matter)?);
        }
        Ok(out)
    }

    /// The day counts as stored.
    pub fn stored_tallies(&self) -> Result<Tallies> {
        let mut out = Tallies::new();
        for item in self.tree(TreeId::Stats).iter() {
            let (k, v) = item?;
            let tally = codec::decode(&v).map_err(|e| corrupt_value("stats", &k, e))?;
            out.insert(k.to_vec(), tally);
        }
        Ok(out)
    }
}

impl Writer<'_> {
    /// Stages what replacing `old` by `new` changes in the day counts.
    pub(super) fn stage_tallies<T: Stored>(&mut self, old: Option<&T>, new: &T) -> Result<()> {
        let Some(rules) = self.store.tally_rules.as_ref() else {
            return Ok(());
        };
        let matter = |id: u64| self.get_id::<Matter>(id);
        let mut removed = Tallies::new();
        if let Some(old) = old {
            merge(&mut removed, old.tally_rows(rules, &matter)?);
        }
        let mut added = Tallies::new();
        merge(&mut added, new.tally_rows(rules, &matter)?);
        let zero = Tally::default();
        let mut changes = Vec::new();
        for key in removed.keys().chain(added.keys()) {
            let minus = removed.get(key).unwrap_or(&zero);
            let plus = added.get(key).unwrap_or(&zero);
            if minus == plus {
                continue;
            }
            let mut current: Tally = match self.raw_get(TreeId::Stats, key)? {
                Some(bytes) => codec::decode(&bytes).map_err(|e| corrupt_value("stats", key, e))?,
                None => Tally::default(),
            };
            current.subtract(minus);
            current.add(plus);
            changes.push((key.clone(), current));
        }
        for (key, tally) in changes {
            let value = if tally.is_zero() {
                None
            } else {
                Some(codec::encode(&tally).map_err(|e| corrupt_value("stats", &key, e))?)
            };
            self.staged.insert((TreeId::Stats, key), value);
        }
        Ok(())
    }
}
