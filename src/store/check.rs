//! `lianfang check`: every record decodes, every index entry a record implies
//! exists, every index entry belongs to a record, desks and called tickets agree, and
//! visitors' glances of their open matters are current. Streams through the trees, so
//! memory stays flat on a large hall.

use super::keys::{self, Stored, TreeId};
use super::table::Table;
use super::{Result, Store, StoreError};
use crate::domain::audit::AuditRecord;
use crate::domain::ledger::{MatterEntry, VisitEntry};
use crate::domain::matter::Matter;
use crate::domain::officer::Officer;
use crate::domain::ticket::{DeskState, Ticket, TicketState};
use crate::domain::visit::Visit;
use crate::domain::visitor::{KeyGradeChange, MatterGlance, Visitor};

#[derive(Debug, Default)]
pub struct CheckReport {
    pub records: u64,
    pub index_entries: u64,
    /// Lookup keys a later visit superseded and the pruner never removed (left by a
    /// crash, or by a backup taken while they were pending): duplicates that lookups
    /// pass over ([`keys::Stored::RANKED_BY_VISIT`]), not problems. [`check_and_prune`]
    /// removes them.
    pub superseded: u64,
    pub problems: Vec<String>,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Stops listing after this many problems: a broken index would otherwise print millions.
const MAX_PROBLEMS: usize = 1000;

pub fn check(store: &Store) -> Result<CheckReport> {
    run(store, false)
}

/// [`check`], and the superseded lookup keys it counts are handed to the store's pruner,
/// which removes them before the store closes.
pub fn check_and_prune(store: &Store) -> Result<CheckReport> {
    run(store, true)
}

fn run(store: &Store, prune: bool) -> Result<CheckReport> {
    let mut report = CheckReport::default();
    forward::<Visitor>(store, &mut report)?;
    forward::<Visit>(store, &mut report)?;
    forward::<Matter>(store, &mut report)?;
    forward::<Ticket>(store, &mut report)?;
    forward::<Officer>(store, &mut report)?;
    forward::<DeskState>(store, &mut report)?;
    forward::<AuditRecord>(store, &mut report)?;
    forward::<KeyGradeChange>(store, &mut report)?;
    forward::<VisitEntry>(store, &mut report)?;
    forward::<MatterEntry>(store, &mut report)?;
    for tree in TreeId::INDEXES {
        backward(store, tree, prune, &mut report)?;
    }
    desks_and_tickets(store, &mut report)?;
    open_matter_glances(store, &mut report)?;
    ledger_entries(store, &mut report)?;
    counter_ahead_of::<Visitor>(store, "seq.visitor", &mut report)?;
    counter_ahead_of::<Visit>(store, "seq.visit", &mut report)?;
    counter_ahead_of::<Matter>(store, "seq.matter", &mut report)?;
    counter_ahead_of::<Ticket>(store, "seq.ticket", &mut report)?;
    counter_ahead_of::<AuditRecord>(store, "seq.audit", &mut report)?;
    Ok(report)
}

/// The id counter of a record type is at least its largest id: the next
/// command would otherwise overwrite an existing record.
fn counter_ahead_of<T: Stored>(
    store: &Store,
    counter: &str,
    report: &mut CheckReport,
) -> Result<()> {
    let Some((last, _)) = store.tree(T::TREE).last()? else {
        return Ok(());
    };
    let Some(largest) = keys::trailing_id(&last) else {
        return Ok(());
    };
    let value = store.counter(counter)?;
    if value < largest {
        note(
            report,
            format!(
                "计数器 {counter} 为 {value}，小于 {} 中已有的最大编号 {largest}，继续使用会覆盖已有记录",
                T::TREE.name()
            ),
        );
    }
    Ok(())
}

/// A desk serves a ticket exactly when that ticket is called to that desk: a
/// called ticket no desk holds would never be finished nor waited for again.
fn desks_and_tickets(store: &Store, report: &mut CheckReport) -> Result<()> {
    // Undecodable records were already reported by `forward`.
    for desk in store.all::<DeskState>().filter_map(|d| d.ok()) {
        let Some(id) = desk.ticket else { continue };
        let called_here = match store.get_id::<Ticket>(id) {
            Ok(Some(t)) => {
                matches!(&t.state, TicketState::Called { desk: d, .. } if *d == desk.desk)
            }
            Ok(None) => false,
            Err(_) => continue,
        };
        if !called_here {
            note(
                report,
                format!(
                    "desks 中窗口“{}”正在接待的号（编号 {id}）不存在或没有叫到该窗口",
                    desk.desk
                ),
            );
        }
    }
    for ticket in store.all::<Ticket>().filter_map(|t| t.ok()) {
        let TicketState::Called { desk, .. } = &ticket.state else {
            continue;
        };
        let held = match store.get::<DeskState>(desk.as_bytes()) {
            Ok(d) => d.and_then(|d| d.ticket) == Some(ticket.id),
            Err(_) => continue,
        };
        if !held {
            note(
                report,
                format!(
                    "tickets 中的号 {} 显示叫到窗口“{desk}”，但该窗口没有在接待它",
                    ticket.label
                ),
            );
        }
    }
    Ok(())
}

/// Every glance a visitor keeps of an open matter is what the matter says now: lookups
/// show the deadline tier and the leader from it, and hide by it. (A reference written
/// before format 9 has none and is not checked.)
fn open_matter_glances(store: &Store, report: &mut CheckReport) -> Result<()> {
    for visitor in store.all::<Visitor>().filter_map(|v| v.ok()) {
        for r in &visitor.summary.open_matters {
            let Some(glance) = &r.glance else { continue };
            let now = match store.get_id::<Matter>(r.matter) {
                Ok(m) => m.filter(Matter::is_open).map(|m| MatterGlance::of(&m)),
                Err(_) => continue,
            };
            if now.as_ref() != Some(glance) {
                note(
                    report,
                    format!(
                        "来访人（编号 {}）记下的在办事项（编号 {}）与事项记录不符：查询显示的期限、包案领导或可见范围会出错",
                        visitor.id, r.matter
                    ),
                );
            }
        }
    }
    Ok(())
}

/// Every visit and matter has its ledger entry, equal to what its records imply now, and
/// every entry belongs to one.
fn ledger_entries(store: &Store, report: &mut CheckReport) -> Result<()> {
    for visit in store.all::<Visit>().filter_map(|v| v.ok()) {
        if let Ok(Some(implied)) = store.implied_visit_entry(&visit) {
            entry_as_implied(store, &implied, &format!("来访 {}", visit.id), report)?;
        }
    }
    for matter in store.all::<Matter>().filter_map(|m| m.ok()) {
        if let Ok(implied) = store.implied_matter_entry(&matter) {
            entry_as_implied(store, &implied, &format!("事项 {}", matter.number), report)?;
        }
    }
    stray_entries::<VisitEntry>(store, report, |store, e| {
        Ok(store
            .get_id::<Visit>(e.visit.id)?
            .map(|v| keys::date_key(v.at, v.id)))
    })?;
    stray_entries::<MatterEntry>(store, report, |store, e| {
        Ok(store
            .get_id::<Matter>(e.matter)?
            .map(|m| keys::date_key(m.received, m.id)))
    })
}

/// The stored entry at `implied`'s key is `implied`.
fn entry_as_implied<T: Stored + PartialEq>(
    store: &Store,
    implied: &T,
    what: &str,
    report: &mut CheckReport,
) -> Result<()> {
    let key = implied.key();
    let stored = store
        .tree(T::TREE)
        .get(&key)?
        .map(|bytes| store.unseal::<T>(&key, &bytes));
    let problem = match stored {
        None => "缺少",
        Some(Ok(entry)) if entry == *implied => return Ok(()),
        Some(Ok(_)) => "与来访人、事项的现状不符的",
        // Reported by `forward`.
        Some(Err(_)) => return Ok(()),
    };
    note(
        report,
        format!(
            "{} 中{what}的台账条目{problem}（导出的台账会漏掉或写错这一行）",
            T::TREE.name()
        ),
    );
    Ok(())
}

/// Entries whose record is gone, or is keyed elsewhere now (`key_of` gives the key the
/// entry's record implies).
fn stray_entries<T: Stored>(
    store: &Store,
    report: &mut CheckReport,
    key_of: impl Fn(&Store, &T) -> Result<Option<Vec<u8>>>,
) -> Result<()> {
    for item in store.tree(T::TREE).iter() {
        let (k, v) = item?;
        let Ok(entry) = store.unseal::<T>(&k, &v) else {
            continue;
        };
        let belongs = key_of(store, &entry).ok().flatten().as_deref() == Some(k.as_ref());
        if !belongs {
            note(
                report,
                format!(
                    "{} 中有多余的台账条目 {:02x?}，没有对应的记录",
                    T::TREE.name(),
                    k.as_ref()
                ),
            );
        }
    }
    Ok(())
}

fn note(report: &mut CheckReport, problem: String) {
    if report.problems.len() < MAX_PROBLEMS {
        report.problems.push(problem);
    }
}

/// Each record decodes and each index entry it implies is present.
fn forward<T: Stored>(store: &Store, report: &mut CheckReport) -> Result<()> {
    for item in store.tree(T::TREE).iter() {
        let (k, v) = item?;
        report.records += 1;
        let record: T = match store.unseal(&k, &v) {
            Ok(r) => r,
            Err(e) => {
                let why = match e {
                    StoreError::Corrupt { message, .. } => message,
                    other => other.to_string(),
                };
                note(
                    report,
                    format!(
                        "{} 中键 {:02x?} 的记录无法解码：{why}",
                        T::TREE.name(),
                        k.as_ref()
                    ),
                );
                continue;
            }
        };
        for entry in store.index_entries(&record) {
            if !store.has_entry(&entry)? {
                note(
                    report,
                    format!(
                        "{} 缺少索引项 {:02x?}（来自 {} 的记录 {:02x?}）",
                        entry.tree.name(),
                        entry.key,
                        T::TREE.name(),
                        k.as_ref()
                    ),
                );
            }
        }
    }
    Ok(())
}

/// The index entries of the record an index entry must come from, if the entry is well
/// formed, and whether they are ranked by visit ([`Stored::RANKED_BY_VISIT`]).
fn source_indexes(
    store: &Store,
    tree: TreeId,
    key: &[u8],
    value: &[u8],
) -> Result<Option<(Vec<keys::IndexEntry>, bool)>> {
    fn of<T: Stored>(
        store: &Store,
        r: Result<Option<T>>,
    ) -> Result<Option<(Vec<keys::IndexEntry>, bool)>> {
        Ok(r?.map(|t| (store.index_entries(&t), T::RANKED_BY_VISIT)))
    }
    let last = keys::trailing_id(key);
    let Some(last) = last else { return Ok(None) };
    match tree {
        TreeId::IxIdNumber
        | TreeId::IxPhone
        | TreeId::IxName
        | TreeId::IxInitials
        | TreeId::IxPinyin
        | TreeId::IxPrefix => of(store, store.get_id::<Visitor>(last)),
        TreeId::IxMatterNumber | TreeId::IxVisitorMatters | TreeId::IxOpenMatters => {
            of(store, store.get_id::<Matter>(last))
        }
        TreeId::IxVisitorVisits => of(store, store.get_id::<Visit>(last)),
        TreeId::IxMatterAudit => of(store, store.get_id::<AuditRecord>(last)),
        TreeId::IxQueue => match keys::trailing_id(value) {
            Some(ticket) => of(store, store.get_id::<Ticket>(ticket)),
            None => Ok(None),
        },
        _ => Ok(None),
    }
}

/// Each index entry is implied by an existing record; a list index's entries are the
/// pairs of each owner and member ([`keys::is_list`]). Superseded lookup keys are handed
/// to the pruner if `prune`.
fn backward(store: &Store, tree: TreeId, prune: bool, report: &mut CheckReport) -> Result<()> {
    let mut superseded = Vec::new();
    for item in store.tree(tree).iter() {
        let (k, v) = item?;
        if !keys::is_list(tree) {
            if implied_entry(store, tree, &k, &v, report) && prune {
                superseded.push(Table::full_key(tree, &k));
            }
            continue;
        }
        let owner = keys::trailing_id(&k).filter(|_| k.len() == 8);
        match owner.zip(keys::list_members(&v)) {
            Some((owner, members)) => {
                for member in members {
                    implied_entry(store, tree, &keys::pair_key(owner, member), &[], report);
                }
            }
            None => note(
                report,
                format!(
                    "{} 中键 {:02x?} 的列表已损坏（{} 字节，不是按顺序排列的编号）",
                    tree.name(),
                    k.as_ref(),
                    v.len()
                ),
            ),
        }
    }
    store.pruner.supersede(superseded);
    Ok(())
}

/// Notes the index entry `key` (with `value`) of `tree` unless a record implies it;
/// returns whether it is a superseded lookup key.
fn implied_entry(
    store: &Store,
    tree: TreeId,
    key: &[u8],
    value: &[u8],
    report: &mut CheckReport,
) -> bool {
    report.index_entries += 1;
    // An undecodable source record was already reported by `forward`.
    let (implied, superseded) = match source_indexes(store, tree, key, value) {
        Ok(Some((entries, ranked))) => {
            let same = |e: &&keys::IndexEntry| e.tree == tree && e.value == value;
            (
                entries.iter().filter(same).any(|e| e.key == key),
                ranked
                    && entries
                        .iter()
                        .filter(same)
                        .any(|e| keys::superseded_by(key, &e.key)),
            )
        }
        Ok(None) => (false, false),
        Err(_) => return false,
    };
    if superseded {
        report.superseded += 1;
        return true;
    }
    if !implied {
        note(
            report,
            format!(
                "{} 中有多余的索引项 {key:02x?}，没有对应的记录",
                tree.name()
            ),
        );
    }
    false
}
