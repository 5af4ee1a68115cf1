//! Every key the store writes is derived here, and only here: record keys and
//! secondary-index keys. Keeping it in one file means sensitive index terms can
//! later become keyed hashes without touching any caller.
//!
//! Index keys are `term ‖ 0x00 ‖ id (u64 big-endian)` with an empty value, so one
//! term may point at many records and a prefix scan of `term` finds them in order.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::domain::audit::AuditRecord;
use crate::domain::matter::Matter;
use crate::domain::officer::Officer;
use crate::domain::pinyin;
use crate::domain::ticket::{DeskState, Ticket, TicketState};
use crate::domain::time::Timestamp;
use crate::domain::visit::Visit;
use crate::domain::visitor::Visitor;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TreeId {
    Meta,
    Visitors,
    Visits,
    Matters,
    Tickets,
    Officers,
    Desks,
    Audit,
    IxIdNumber,
    IxPhone,
    IxName,
    IxInitials,
    IxPinyin,
    IxMatterNumber,
    IxVisitorVisits,
    IxVisitorMatters,
    IxQueue,
    IxMatterAudit,
}

impl TreeId {
    pub const ALL: [TreeId; 18] = [
        TreeId::Meta,
        TreeId::Visitors,
        TreeId::Visits,
        TreeId::Matters,
        TreeId::Tickets,
        TreeId::Officers,
        TreeId::Desks,
        TreeId::Audit,
        TreeId::IxIdNumber,
        TreeId::IxPhone,
        TreeId::IxName,
        TreeId::IxInitials,
        TreeId::IxPinyin,
        TreeId::IxMatterNumber,
        TreeId::IxVisitorVisits,
        TreeId::IxVisitorMatters,
        TreeId::IxQueue,
        TreeId::IxMatterAudit,
    ];

    pub const INDEXES: [TreeId; 10] = [
        TreeId::IxIdNumber,
        TreeId::IxPhone,
        TreeId::IxName,
        TreeId::IxInitials,
        TreeId::IxPinyin,
        TreeId::IxMatterNumber,
        TreeId::IxVisitorVisits,
        TreeId::IxVisitorMatters,
        TreeId::IxQueue,
        TreeId::IxMatterAudit,
    ];

    pub fn name(self) -> &'static str {
        match self {
            TreeId::Meta => "meta",
            TreeId::Visitors => "visitors",
            TreeId::Visits => "visits",
            TreeId::Matters => "matters",
            TreeId::Tickets => "tickets",
            TreeId::Officers => "officers",
            TreeId::Desks => "desks",
            TreeId::Audit => "audit",
            TreeId::IxIdNumber => "ix_id_number",
            TreeId::IxPhone => "ix_phone",
            TreeId::IxName => "ix_name",
            TreeId::IxInitials => "ix_initials",
            TreeId::IxPinyin => "ix_pinyin",
            TreeId::IxMatterNumber => "ix_matter_number",
            TreeId::IxVisitorVisits => "ix_visitor_visits",
            TreeId::IxVisitorMatters => "ix_visitor_matters",
            TreeId::IxQueue => "ix_queue",
            TreeId::IxMatterAudit => "ix_matter_audit",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct IndexEntry {
    pub tree: TreeId,
    pub key: Vec<u8>,
    pub value: Vec<u8>,
}

/// A record type with its own tree and the index entries it implies.
pub trait Stored: Serialize + DeserializeOwned {
    const TREE: TreeId;
    fn key(&self) -> Vec<u8>;
    fn indexes(&self) -> Vec<IndexEntry>;
}

pub fn id_key(id: u64) -> Vec<u8> {
    id.to_be_bytes().to_vec()
}

/// The id at the end of an index key.
pub fn trailing_id(key: &[u8]) -> Option<u64> {
    let tail: [u8; 8] = key.get(key.len().checked_sub(8)?..)?.try_into().ok()?;
    Some(u64::from_be_bytes(tail))
}

/// `term ‖ 0x00 ‖ id`: the shape of every term index key.
pub fn term_key(term: &str, id: u64) -> Vec<u8> {
    let mut key = Vec::with_capacity(term.len() + 9);
    key.extend_from_slice(term.as_bytes());
    key.push(0);
    key.extend_from_slice(&id.to_be_bytes());
    key
}

/// The scan prefix that finds exactly `term` (not longer terms).
pub fn exact_prefix(term: &str) -> Vec<u8> {
    let mut key = term.as_bytes().to_vec();
    key.push(0);
    key
}

/// Whether a term-index key found by scanning `prefix` holds exactly the scanned
/// term, not a longer one (`zs` but not `zsf`).
pub fn is_whole_term(key: &[u8], prefix: &[u8]) -> bool {
    let term = prefix.strip_suffix(&[0]).unwrap_or(prefix);
    key.len() == term.len() + 9 && key.get(term.len()) == Some(&0)
}

/// Phones are indexed reversed, so both the full number and its last digits are prefixes.
pub fn reversed_digits(digits: &str) -> String {
    digits.chars().rev().collect()
}

pub fn pair_key(a: u64, b: u64) -> Vec<u8> {
    let mut key = a.to_be_bytes().to_vec();
    key.extend_from_slice(&b.to_be_bytes());
    key
}

pub fn queue_prefix(department: &str) -> Vec<u8> {
    exact_prefix(department)
}

fn term(tree: TreeId, term: &str, id: u64) -> IndexEntry {
    IndexEntry {
        tree,
        key: term_key(term, id),
        value: Vec::new(),
    }
}

/// Visitor lookup entries carry what a lookup ranks by, so it ranks every
/// candidate from the index alone and reads only the winners: a byte that is 1
/// when the term comes from a rarer reading of a polyphonic name (郑俊 read
/// zheng-shun), then the visitor's last visit (8 bytes, absent before any visit).
fn ranked_term(
    tree: TreeId,
    term: &str,
    id: u64,
    alternate: bool,
    last_visit: Option<Timestamp>,
) -> IndexEntry {
    let mut value = vec![u8::from(alternate)];
    value.extend(last_visit.map(|t| t.0.to_be_bytes()).unwrap_or_default());
    IndexEntry {
        tree,
        key: term_key(term, id),
        value,
    }
}

/// The last visit stored in a visitor lookup entry's value.
pub fn last_visit_of(value: &[u8]) -> Option<Timestamp> {
    let bytes: [u8; 8] = value.get(1..)?.try_into().ok()?;
    Some(Timestamp(i64::from_be_bytes(bytes)))
}

/// Whether a visitor lookup entry comes from a rarer reading of the name.
pub fn is_alternate_reading(value: &[u8]) -> bool {
    value.first() == Some(&1)
}

fn pair(tree: TreeId, a: u64, b: u64) -> IndexEntry {
    IndexEntry {
        tree,
        key: pair_key(a, b),
        value: Vec::new(),
    }
}

impl Stored for Visitor {
    const TREE: TreeId = TreeId::Visitors;
    fn key(&self) -> Vec<u8> {
        id_key(self.id)
    }
    fn indexes(&self) -> Vec<IndexEntry> {
        let last = self.summary.last_visit;
        let entry = |tree, term: &str| ranked_term(tree, term, self.id, false, last);
        // Readings come most common first; the others still find the visitor, ranked lower.
        let reading =
            |tree, (i, term): (usize, &String)| ranked_term(tree, term, self.id, i > 0, last);
        let mut out = Vec::new();
        if let Some(n) = &self.id_number {
            out.push(entry(TreeId::IxIdNumber, n.as_str()));
            // A legacy 15-digit number is also found by its 18-digit form.
            if n.is_legacy() {
                out.push(entry(TreeId::IxIdNumber, n.to_18().as_str()));
            }
        }
        if let Some(p) = &self.phone {
            out.push(entry(TreeId::IxPhone, &reversed_digits(&p.digits())));
        }
        out.push(entry(TreeId::IxName, self.name.as_str()));
        let readings = pinyin::readings(self.name.as_str());
        out.extend(
            readings
                .initials
                .iter()
                .enumerate()
                .map(|r| reading(TreeId::IxInitials, r)),
        );
        out.extend(
            readings
                .full
                .iter()
                .enumerate()
                .map(|r| reading(TreeId::IxPinyin, r)),
        );
        out.sort();
        out.dedup();
        out
    }
}

impl Stored for Visit {
    const TREE: TreeId = TreeId::Visits;
    fn key(&self) -> Vec<u8> {
        id_key(self.id)
    }
    fn indexes(&self) -> Vec<IndexEntry> {
        vec![pair(TreeId::IxVisitorVisits, self.visitor, self.id)]
    }
}

impl Stored for Matter {
    const TREE: TreeId = TreeId::Matters;
    fn key(&self) -> Vec<u8> {
        id_key(self.id)
    }
    fn indexes(&self) -> Vec<IndexEntry> {
        let mut out = vec![term(TreeId::IxMatterNumber, &self.number, self.id)];
        out.extend(
            self.visitors
                .iter()
                .map(|v| pair(TreeId::IxVisitorMatters, *v, self.id)),
        );
        out.sort();
        out.dedup();
        out
    }
}

impl Stored for Ticket {
    const TREE: TreeId = TreeId::Tickets;
    fn key(&self) -> Vec<u8> {
        id_key(self.id)
    }
    fn indexes(&self) -> Vec<IndexEntry> {
        match self.state {
            TicketState::Waiting => vec![IndexEntry {
                tree: TreeId::IxQueue,
                key: {
                    let mut k = queue_prefix(self.department.as_str());
                    k.extend_from_slice(&self.order.to_be_bytes());
                    k
                },
                value: id_key(self.id),
            }],
            _ => Vec::new(),
        }
    }
}

impl Stored for Officer {
    const TREE: TreeId = TreeId::Officers;
    fn key(&self) -> Vec<u8> {
        self.username.as_bytes().to_vec()
    }
    fn indexes(&self) -> Vec<IndexEntry> {
        Vec::new()
    }
}

impl Stored for DeskState {
    const TREE: TreeId = TreeId::Desks;
    fn key(&self) -> Vec<u8> {
        self.desk.as_bytes().to_vec()
    }
    fn indexes(&self) -> Vec<IndexEntry> {
        Vec::new()
    }
}

impl Stored for AuditRecord {
    const TREE: TreeId = TreeId::Audit;
    fn key(&self) -> Vec<u8> {
        id_key(self.seq)
    }
    fn indexes(&self) -> Vec<IndexEntry> {
        self.matter
            .map(|m| vec![pair(TreeId::IxMatterAudit, m, self.seq)])
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_keys_sort_by_term_then_id_and_carry_the_id() {
        let a = term_key("zs", 2);
        let b = term_key("zs", 10);
        let c = term_key("zsa", 1);
        assert!(a < b && b < c);
        assert_eq!(trailing_id(&b), Some(10));
        assert!(b.starts_with(&exact_prefix("zs")));
        assert!(!c.starts_with(&exact_prefix("zs")));
        assert_eq!(trailing_id(&[1, 2]), None);
        assert!(is_whole_term(&a, b"zs"));
        assert!(is_whole_term(&a, &exact_prefix("zs")));
        assert!(!is_whole_term(&c, b"zs"));
        assert!(!is_whole_term(&a, b"z"));
    }

    #[test]
    fn reversed_phones_make_suffixes_into_prefixes() {
        let r = reversed_digits("13812345678");
        assert!(r.starts_with(&reversed_digits("5678")));
    }
}
