//! Every key the store writes is derived here, and only here: record keys and
//! secondary-index keys. Terms of the keyed trees ([`is_keyed`]: identity numbers,
//! phones) are written here in plain and replaced by their keyed hash in the store
//! (`Store::index_entries`) before anything reaches disk.
//!
//! Index keys are `term ‖ 0x00 ‖ id (u64 big-endian)` with an empty value, so one
//! term may point at many records and a prefix scan of `term` finds them in order.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::codec::{self, CodecError};
use super::format8;
use super::Result;
use crate::domain::account::LoginGuard;
use crate::domain::audit::AuditRecord;
use crate::domain::department::DeptCode;
use crate::domain::ledger::{LedgerVisitor, MatterEntry, VisitEntry};
use crate::domain::matter::Matter;
use crate::domain::officer::Officer;
use crate::domain::pinyin;
use crate::domain::stats::{self, Dim, TallyRow, TallyRules};
use crate::domain::ticket::{DeskState, Ticket, TicketState};
use crate::domain::time::Timestamp;
use crate::domain::visit::Visit;
use crate::domain::visitor::{KeyGradeChange, Visitor};

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
    /// Key-person grade changes, by visitor then sequence.
    KeyGrades,
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
    IxPrefix,
    /// Open matters by department, for the due list: `department ‖ 0x00 ‖ matter id`.
    IxOpenMatters,
    /// Failed sign-ins, lockouts and forced password changes, by username.
    LoginGuards,
    /// Statistics: one `Tally` per day and dimension (see `domain::stats`).
    Stats,
    /// The visit ledger's entries (`VisitEntry`), sealed, keyed `time ‖ visit id`
    /// ([`date_key`]): also the hall's visits in time order.
    LedgerVisits,
    /// The matter ledger's entries (`MatterEntry`), sealed, keyed `received ‖ matter id`:
    /// also the hall's matters in the order received.
    LedgerMatters,
}

impl TreeId {
    pub const ALL: [TreeId; 25] = [
        TreeId::Meta,
        TreeId::Visitors,
        TreeId::Visits,
        TreeId::Matters,
        TreeId::Tickets,
        TreeId::Officers,
        TreeId::Desks,
        TreeId::Audit,
        TreeId::KeyGrades,
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
        TreeId::IxPrefix,
        TreeId::IxOpenMatters,
        TreeId::LoginGuards,
        TreeId::Stats,
        TreeId::LedgerVisits,
        TreeId::LedgerMatters,
    ];

    pub const INDEXES: [TreeId; 12] = [
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
        TreeId::IxPrefix,
        TreeId::IxOpenMatters,
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
            TreeId::KeyGrades => "key_grades",
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
            TreeId::IxPrefix => "ix_prefix",
            TreeId::IxOpenMatters => "ix_open_matters",
            TreeId::LoginGuards => "login_guards",
            TreeId::Stats => "stats_days",
            TreeId::LedgerVisits => "ledger_visits",
            TreeId::LedgerMatters => "ledger_matters",
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
    /// The format version from which stored values have had this type's shape.
    const SHAPE_SINCE: u8 = codec::OLDEST_FORMAT;
    fn key(&self) -> Vec<u8>;
    /// A value stored in a format older than [`Stored::SHAPE_SINCE`] (not before
    /// [`codec::OLDEST_FORMAT`]), from its version and the bytes after it.
    fn decode_older(found: u8, _body: &[u8]) -> std::result::Result<Self, CodecError> {
        Err(codec::version_error(found))
    }
    /// A stored value of this type, of any format this program reads.
    fn decode(bytes: &[u8]) -> std::result::Result<Self, CodecError> {
        codec::decode_since(bytes, Self::SHAPE_SINCE, Self::decode_older)
    }
    /// The index entries the record implies; most records have none.
    fn indexes(&self) -> Vec<IndexEntry> {
        Vec::new()
    }
    /// What the record adds to the day counts of the statistics; `matter` reads a matter
    /// as the writing command sees it (a visit counts under its matter's content class).
    fn tally_rows(&self, _rules: &TallyRules, _matter: MatterReader) -> Result<Vec<TallyRow>> {
        Ok(Vec::new())
    }
    /// Which ledger entries replacing `old` by this record makes stale.
    fn stale_entries(&self, _old: Option<&Self>) -> StaleEntries {
        StaleEntries::default()
    }
    /// Whether every index entry of the record is a lookup key ([`lookup_key`]) ranked by
    /// its last visit, which only moves forward: a visit files the keys anew under the
    /// new recency and leaves the ones it supersedes to the store's pruner, sparing the
    /// registration the random page of each broad term's old key; a lookup meets a
    /// superseded key only after the record's current one under the same term
    /// ([`superseded_by`]).
    const RANKED_BY_VISIT: bool = false;
}

/// Ledger entries ([`VisitEntry`], [`MatterEntry`]) a write makes stale, to be rewritten
/// with it.
#[derive(Default)]
pub struct StaleEntries {
    pub visits: Vec<u64>,
    pub matters: Vec<u64>,
    /// Every entry of this visitor's visits and matters: their card changed.
    pub of_visitor: Option<u64>,
}

/// Reads a matter by id for [`Stored::tally_rows`].
pub type MatterReader<'a> = &'a dyn Fn(u64) -> Result<Option<Matter>>;

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

/// Phones are indexed reversed, so both the full number and its last digits are prefixes.
pub fn reversed_digits(digits: &str) -> String {
    digits.chars().rev().collect()
}

pub fn pair_key(a: u64, b: u64) -> Vec<u8> {
    let mut key = a.to_be_bytes().to_vec();
    key.extend_from_slice(&b.to_be_bytes());
    key
}

/// Index trees whose entries are pairs ([`pair_key`]: a visitor's visits and matters, a
/// matter's audit records) and are stored as lists: one sled key per owner
/// (`id_key(a)`), its value the members' ids ascending, 8 bytes each ([`list_value`]).
/// Sled's opening time and memory grow with its keys (docs/BENCHMARKS.md, issue 6), and
/// an owner's members are always read together.
pub fn is_list(tree: TreeId) -> bool {
    matches!(
        tree,
        TreeId::IxVisitorVisits | TreeId::IxVisitorMatters | TreeId::IxMatterAudit
    )
}

/// The owner and member of an entry of a list index; none in any other tree.
pub fn list_entry(tree: TreeId, key: &[u8]) -> Option<(u64, u64)> {
    split_pair(key).filter(|_| is_list(tree))
}

/// The owner and member of a pair key.
pub fn split_pair(key: &[u8]) -> Option<(u64, u64)> {
    if key.len() != 16 {
        return None;
    }
    Some((trailing_id(&key[..8])?, trailing_id(key)?))
}

/// The members of a stored list, ascending; none unless it is a whole number of ids in
/// strictly ascending order (anything else is a damaged list).
pub fn list_members(value: &[u8]) -> Option<Vec<u64>> {
    if !value.len().is_multiple_of(8) {
        return None;
    }
    let members: Vec<u64> = value.chunks_exact(8).filter_map(trailing_id).collect();
    members.windows(2).all(|w| w[0] < w[1]).then_some(members)
}

/// The stored form of a list of ascending ids.
pub fn list_value(members: &[u64]) -> Vec<u8> {
    members.iter().flat_map(|m| m.to_be_bytes()).collect()
}

/// The start of a day's statistics rows: `yyyymmdd` as a big-endian u32.
pub fn stats_day_prefix(day: NaiveDate) -> Vec<u8> {
    let n = day.year() as u32 * 10_000 + day.month() * 100 + day.day();
    n.to_be_bytes().to_vec()
}

/// `day ‖ dimension tag ‖ name`; an officer's name is `department ‖ 0x00 ‖ username`.
pub fn stats_key(day: NaiveDate, dim: &Dim) -> Vec<u8> {
    let mut key = stats_day_prefix(day);
    match dim {
        Dim::Hall => key.push(0),
        Dim::Department(d) => {
            key.push(1);
            key.extend_from_slice(d.as_str().as_bytes());
        }
        Dim::Class(c) => {
            key.push(2);
            key.extend_from_slice(c.as_bytes());
        }
        Dim::Officer {
            department,
            username,
        } => {
            key.push(3);
            key.extend_from_slice(department.as_str().as_bytes());
            key.push(0);
            key.extend_from_slice(username.as_bytes());
        }
    }
    key
}

/// A statistics key read back; none if it is not one.
pub fn parse_stats_key(key: &[u8]) -> Option<(NaiveDate, Dim)> {
    let n = u32::from_be_bytes(key.get(..4)?.try_into().ok()?);
    let day = NaiveDate::from_ymd_opt((n / 10_000) as i32, n / 100 % 100, n % 100)?;
    let (&tag, rest) = key.get(4..)?.split_first()?;
    let text = |b: &[u8]| String::from_utf8(b.to_vec()).ok();
    let dim = match tag {
        0 => Dim::Hall,
        1 => Dim::Department(DeptCode(text(rest)?)),
        2 => Dim::Class(text(rest)?),
        3 => {
            let split = rest.iter().position(|&b| b == 0)?;
            Dim::Officer {
                department: DeptCode(text(&rest[..split])?),
                username: text(&rest[split + 1..])?,
            }
        }
        _ => return None,
    };
    Some((day, dim))
}

pub fn queue_prefix(department: &str) -> Vec<u8> {
    exact_prefix(department)
}

/// Index trees whose entries the store counts per term ([`counted_term`]): a
/// department's queue, whose length every registration reports.
pub fn is_counted(tree: TreeId) -> bool {
    tree == TreeId::IxQueue
}

/// The term a key of a counted tree is counted under: the key without its trailing
/// 8 bytes (a queue key is `queue_prefix ‖ order`).
pub fn counted_term(key: &[u8]) -> &[u8] {
    &key[..key.len().saturating_sub(8)]
}

fn term(tree: TreeId, term: &str, id: u64) -> IndexEntry {
    IndexEntry {
        tree,
        key: term_key(term, id),
        value: Vec::new(),
    }
}

/// The most index entries a lookup prefix scan may read to rank a prefix
/// completely; a prefix matching more is ranked through the prefix buckets.
pub const SMALL_PREFIX: usize = 1000;

/// Visitor lookup keys sort the way lookup ranks, so the best matches of a term
/// are the first keys under it: `term ‖ 0x00 ‖ reading ‖ recency ‖ id`, where
/// `reading` is 1 when the term comes from a rarer reading of a polyphonic name
/// (郑俊 read zheng-shun), and `recency` orders the latest visit first and
/// visitors never seen last.
pub fn lookup_key(term: &[u8], alternate: bool, last_visit: Option<Timestamp>, id: u64) -> Vec<u8> {
    let mut key = Vec::with_capacity(term.len() + 1 + LOOKUP_TAIL);
    key.extend_from_slice(term);
    key.push(0);
    key.push(u8::from(alternate));
    key.extend_from_slice(&recency_bytes(last_visit));
    key.extend_from_slice(&id.to_be_bytes());
    key
}

/// Bytes after a lookup key's `0x00`: reading, recency, id.
const LOOKUP_TAIL: usize = 1 + 8 + 8;

fn recency_bytes(last_visit: Option<Timestamp>) -> [u8; 8] {
    match last_visit {
        // `!` reverses the time order: the latest visit first.
        Some(t) => (!u64::from_be_bytes(sortable_time(t))).to_be_bytes(),
        None => [0xff; 8],
    }
}

/// The part of a lookup key that a later visit does not change, `term ‖ 0x00 ‖ reading`:
/// the scan prefix of every key of that term and reading. None if `key` is too short.
pub fn lookup_term(key: &[u8]) -> Option<&[u8]> {
    key.get(..key.len().checked_sub(16)?)
}

/// Whether lookup key `old` is superseded by `new`: the same visitor under the same term
/// and reading, filed under a later visit (any visit is later than none).
pub fn superseded_by(old: &[u8], new: &[u8]) -> bool {
    match (parse_lookup_key(old), parse_lookup_key(new)) {
        (Some(o), Some(n)) => {
            (o.term, o.alternate, o.id) == (n.term, n.alternate, n.id)
                && o.last_visit < n.last_visit
        }
        _ => false,
    }
}

/// Lookup key `key` with its recency replaced by `last_visit`'s.
pub fn with_recency(key: &[u8], last_visit: Option<Timestamp>) -> Option<Vec<u8>> {
    let mut out = lookup_term(key)?.to_vec();
    out.extend_from_slice(&recency_bytes(last_visit));
    out.extend_from_slice(&key[key.len() - 8..]);
    Some(out)
}

/// What a visitor lookup key says, read back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LookupKey<'a> {
    pub term: &'a [u8],
    pub alternate: bool,
    pub last_visit: Option<Timestamp>,
    pub id: u64,
}

pub fn parse_lookup_key(key: &[u8]) -> Option<LookupKey<'_>> {
    let split = key.len().checked_sub(LOOKUP_TAIL + 1)?;
    let (term, tail) = key.split_at(split);
    let (&zero, tail) = tail.split_first()?;
    let (&alternate, tail) = tail.split_first()?;
    let recency: [u8; 8] = tail.get(..8)?.try_into().ok()?;
    if zero != 0 || alternate > 1 {
        return None;
    }
    let last_visit = (recency != [0xff; 8])
        .then(|| Timestamp((!u64::from_be_bytes(recency) ^ (1 << 63)) as i64));
    Some(LookupKey {
        term,
        alternate: alternate == 1,
        last_visit,
        id: trailing_id(key)?,
    })
}

/// Prefix lengths (in characters) under which a visitor lookup term is also
/// filed, ranked, in [`TreeId::IxPrefix`]: a prefix matching more visitors than
/// [`SMALL_PREFIX`] is answered from the longest bucket it extends, reading
/// entries in rank order until enough match, instead of ranking every match.
/// One short bucket per field is enough: a longer broad prefix (a birth year
/// after the region code, 王小, zhangw) matches a good share of its bucket, so
/// a few hundred entries give twenty. Each bucket costs an index entry per
/// visitor, and sled stores an entry in ten times its bytes (docs/BENCHMARKS.md),
/// so pinyin alone, whose 2-letter buckets are broad, has a second level.
/// Phone suffixes of 4 digits and more are narrow already.
/// Identity numbers have none: their prefixes are keyed terms ([`keyed_prefixes`]).
pub fn prefix_buckets(tree: TreeId) -> &'static [usize] {
    match tree {
        TreeId::IxName => &[1],
        TreeId::IxInitials => &[1],
        TreeId::IxPinyin => &[2, 5],
        _ => &[],
    }
}

/// Index trees whose terms are sensitive: on disk each term is a keyed hash of the
/// normalised value, so only exact terms can be looked up.
pub fn is_keyed(tree: TreeId) -> bool {
    matches!(tree, TreeId::IxIdNumber | TreeId::IxPhone)
}

/// Prefix lengths under which a keyed term is also filed as a term of its own, so a
/// prefix lookup stays an exact lookup of a keyed hash: identity numbers by their
/// first 6 (region) to 10 (birth year) digits, phones (reversed) by their last 4
/// digits. A longer typed prefix is looked up under the longest of these it extends
/// and checked against the decrypted records.
pub fn keyed_prefixes(tree: TreeId) -> &'static [usize] {
    match tree {
        TreeId::IxIdNumber => &[6, 7, 8, 9, 10],
        TreeId::IxPhone => &[4],
        _ => &[],
    }
}

/// A lookup key with its term replaced (by the term's keyed hash); none if `key` is
/// not a lookup key.
pub fn with_term(key: &[u8], term: &[u8]) -> Option<Vec<u8>> {
    let split = key.len().checked_sub(LOOKUP_TAIL + 1)?;
    let mut out = term.to_vec();
    out.extend_from_slice(&key[split..]);
    Some(out)
}

/// The scan prefix of the bucket of `tree` holding terms that start with `prefix`.
pub fn bucket_prefix(tree: TreeId, prefix: &[u8]) -> Vec<u8> {
    let mut key = vec![tree as u8];
    key.extend_from_slice(prefix);
    key.push(0);
    key
}

/// The entries of a visitor's lookup terms: one per term in its tree, and one
/// per prefix bucket. Terms of one visitor sharing a bucket key (two rarer
/// readings both starting `zhen`) share its entry; the value lists every such
/// term, `0x00`-separated, to tell which longer prefixes the visitor matches.
fn lookup_entries(
    terms: &[(TreeId, String, bool)],
    id: u64,
    last_visit: Option<Timestamp>,
) -> Vec<IndexEntry> {
    let mut buckets: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
    let mut out = Vec::new();
    for (tree, term, alternate) in terms {
        out.push(IndexEntry {
            tree: *tree,
            key: lookup_key(term.as_bytes(), *alternate, last_visit, id),
            value: Vec::new(),
        });
        for &chars in prefix_buckets(*tree) {
            let Some((end, _)) = term.char_indices().nth(chars) else {
                continue;
            };
            let mut key = vec![*tree as u8];
            key.extend(lookup_key(
                &term.as_bytes()[..end],
                *alternate,
                last_visit,
                id,
            ));
            let value = buckets.entry(key).or_default();
            if !value.split(|&b| b == 0).any(|t| t == term.as_bytes()) {
                if !value.is_empty() {
                    value.push(0);
                }
                value.extend_from_slice(term.as_bytes());
            }
        }
    }
    out.extend(buckets.into_iter().map(|(key, value)| IndexEntry {
        tree: TreeId::IxPrefix,
        key,
        value,
    }));
    out
}

/// The terms listed in a prefix-bucket entry's value.
pub fn bucket_terms(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value.split(|&b| b == 0)
}

/// `time ‖ id`, sorting by time (negative times too) then id: a date range is one range scan.
pub fn date_key(at: Timestamp, id: u64) -> Vec<u8> {
    let mut key = sortable_time(at).to_vec();
    key.extend_from_slice(&id.to_be_bytes());
    key
}

/// The first date key at or after `at`.
pub fn date_start(at: Timestamp) -> Vec<u8> {
    sortable_time(at).to_vec()
}

fn sortable_time(at: Timestamp) -> [u8; 8] {
    // Flipping the sign bit makes the order of i64 the order of bytes.
    ((at.0 as u64) ^ (1 << 63)).to_be_bytes()
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
    const SHAPE_SINCE: u8 = 9;
    fn key(&self) -> Vec<u8> {
        id_key(self.id)
    }
    fn decode_older(found: u8, body: &[u8]) -> std::result::Result<Self, CodecError> {
        match found {
            8 => codec::from_bytes::<format8::Visitor>(body).map(Visitor::from),
            _ => Err(codec::version_error(found)),
        }
    }
    const RANKED_BY_VISIT: bool = true;
    fn indexes(&self) -> Vec<IndexEntry> {
        let mut out = lookup_entries(&visitor_terms(self), self.id, self.summary.last_visit);
        out.sort();
        out.dedup();
        out
    }
    fn stale_entries(&self, old: Option<&Self>) -> StaleEntries {
        // A new visitor's visits and matters are new too, and bring their own entries.
        let changed = old.is_some_and(|o| LedgerVisitor::of(o) != LedgerVisitor::of(self));
        StaleEntries {
            of_visitor: changed.then_some(self.id),
            ..StaleEntries::default()
        }
    }
}

/// A visitor's lookup terms in plain: tree, term, and whether from a rarer reading.
/// Keyed terms come with their [`keyed_prefixes`].
pub fn visitor_terms(v: &Visitor) -> Vec<(TreeId, String, bool)> {
    // An anonymous letter or call is found by its matter number only, never by 匿名.
    if v.anonymous {
        return Vec::new();
    }
    let mut terms: Vec<(TreeId, String, bool)> = Vec::new();
    if let Some(n) = &v.id_number {
        terms.push((TreeId::IxIdNumber, n.as_str().to_string(), false));
        // A legacy 15-digit number is also found by its 18-digit form.
        if n.is_legacy() {
            terms.push((TreeId::IxIdNumber, n.to_18().as_str().to_string(), false));
        }
    }
    if let Some(p) = &v.phone {
        terms.push((TreeId::IxPhone, reversed_digits(&p.digits()), false));
    }
    let prefixes: Vec<(TreeId, String, bool)> = terms
        .iter()
        .flat_map(|(tree, term, _)| {
            keyed_prefixes(*tree)
                .iter()
                .filter(|&&n| n < term.len())
                .map(move |&n| (*tree, term[..n].to_string(), false))
        })
        .collect();
    terms.extend(prefixes);
    terms.push((TreeId::IxName, v.name.as_str().to_string(), false));
    // Readings come most common first; the others still find the visitor, ranked lower.
    let readings = pinyin::readings(v.name.as_str());
    for (tree, list) in [
        (TreeId::IxInitials, readings.initials),
        (TreeId::IxPinyin, readings.full),
    ] {
        terms.extend(list.into_iter().enumerate().map(|(i, t)| (tree, t, i > 0)));
    }
    terms
}

impl Stored for Visit {
    const TREE: TreeId = TreeId::Visits;
    fn key(&self) -> Vec<u8> {
        id_key(self.id)
    }
    fn indexes(&self) -> Vec<IndexEntry> {
        vec![pair(TreeId::IxVisitorVisits, self.visitor, self.id)]
    }
    fn tally_rows(&self, rules: &TallyRules, matter: MatterReader) -> Result<Vec<TallyRow>> {
        Ok(stats::visit_rows(
            self,
            matter(self.matter)?.as_ref(),
            rules,
        ))
    }
    fn stale_entries(&self, old: Option<&Self>) -> StaleEntries {
        StaleEntries {
            visits: if old == Some(self) {
                Vec::new()
            } else {
                vec![self.id]
            },
            ..StaleEntries::default()
        }
    }
}

impl Stored for MatterEntry {
    const TREE: TreeId = TreeId::LedgerMatters;
    fn key(&self) -> Vec<u8> {
        date_key(self.received, self.matter)
    }
}

impl Stored for VisitEntry {
    const TREE: TreeId = TreeId::LedgerVisits;
    fn key(&self) -> Vec<u8> {
        date_key(self.visit.at, self.visit.id)
    }
}

impl Stored for Matter {
    const TREE: TreeId = TreeId::Matters;
    fn key(&self) -> Vec<u8> {
        id_key(self.id)
    }
    fn indexes(&self) -> Vec<IndexEntry> {
        let mut out = vec![term(TreeId::IxMatterNumber, &self.number, self.id)];
        if self.is_open() {
            out.push(term(
                TreeId::IxOpenMatters,
                self.department.as_str(),
                self.id,
            ));
        }
        out.extend(
            self.visitors
                .iter()
                .map(|v| pair(TreeId::IxVisitorMatters, *v, self.id)),
        );
        out.sort();
        out.dedup();
        out
    }
    fn tally_rows(&self, rules: &TallyRules, _matter: MatterReader) -> Result<Vec<TallyRow>> {
        Ok(stats::matter_rows(self, rules))
    }
    fn stale_entries(&self, old: Option<&Self>) -> StaleEntries {
        // The entry's matter columns before and after, each built once (names come from
        // the visitors' cards, so the visitors are compared by id).
        let now = MatterEntry::of(self, Vec::new());
        let before = old.map(|o| MatterEntry::of(o, Vec::new()));
        let subject_same = before.as_ref().is_some_and(|b| b.shown == now.shown);
        let entry_same =
            before.as_ref() == Some(&now) && old.is_some_and(|o| o.visitors == self.visitors);
        StaleEntries {
            visits: if subject_same {
                Vec::new()
            } else {
                self.visits.clone()
            },
            matters: if entry_same {
                Vec::new()
            } else {
                vec![self.id]
            },
            of_visitor: None,
        }
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
    fn tally_rows(&self, rules: &TallyRules, _matter: MatterReader) -> Result<Vec<TallyRow>> {
        Ok(stats::ticket_rows(self, rules))
    }
}

impl Stored for Officer {
    const TREE: TreeId = TreeId::Officers;
    fn key(&self) -> Vec<u8> {
        self.username.as_bytes().to_vec()
    }
}

impl Stored for DeskState {
    const TREE: TreeId = TreeId::Desks;
    fn key(&self) -> Vec<u8> {
        self.desk.as_bytes().to_vec()
    }
}

impl Stored for KeyGradeChange {
    const TREE: TreeId = TreeId::KeyGrades;
    /// `visitor ‖ seq`: a visitor's changes are one prefix scan, oldest first.
    fn key(&self) -> Vec<u8> {
        pair_key(self.visitor, self.seq)
    }
}

impl Stored for LoginGuard {
    const TREE: TreeId = TreeId::LoginGuards;
    fn key(&self) -> Vec<u8> {
        self.username.as_bytes().to_vec()
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
    }

    #[test]
    fn lists_read_back_and_refuse_damaged_values() {
        assert_eq!(split_pair(&pair_key(7, 300)), Some((7, 300)));
        assert_eq!(split_pair(&id_key(7)), None);
        let value = list_value(&[3, 40, 500]);
        assert_eq!(value.len(), 24);
        assert_eq!(list_members(&value), Some(vec![3, 40, 500]));
        assert_eq!(list_members(&[]), Some(vec![]));
        assert_eq!(list_members(&value[..20]), None);
        assert_eq!(list_members(&list_value(&[40, 3])), None);
        assert_eq!(list_members(&list_value(&[3, 3])), None);
    }

    #[test]
    fn lookup_keys_sort_in_rank_order_and_read_back() {
        let at = |t| Some(Timestamp(t));
        let common_late = lookup_key(b"zs", false, at(2_000), 9);
        let common_early = lookup_key(b"zs", false, at(-5), 1);
        let common_never = lookup_key(b"zs", false, None, 0);
        let rare_late = lookup_key(b"zs", true, at(3_000), 2);
        let longer = lookup_key(b"zsf", false, at(4_000), 3);
        let mut keys = vec![
            &longer,
            &rare_late,
            &common_never,
            &common_early,
            &common_late,
        ];
        keys.sort();
        assert_eq!(
            keys,
            vec![
                &common_late,
                &common_early,
                &common_never,
                &rare_late,
                &longer
            ]
        );
        let k = parse_lookup_key(&common_early).unwrap();
        assert_eq!(
            k,
            LookupKey {
                term: b"zs",
                alternate: false,
                last_visit: at(-5),
                id: 1
            }
        );
        assert_eq!(parse_lookup_key(&common_never).unwrap().last_visit, None);
        // A later visit supersedes a key of the same term, reading and visitor only.
        assert!(superseded_by(
            &lookup_key(b"zs", false, at(-5), 9),
            &common_late
        ));
        assert!(superseded_by(
            &common_never,
            &lookup_key(b"zs", false, at(1), 0)
        ));
        assert!(!superseded_by(&common_late, &common_late));
        assert!(!superseded_by(
            &common_late,
            &lookup_key(b"zs", false, at(1), 9)
        ));
        assert!(!superseded_by(
            &lookup_key(b"zs", false, at(1), 2),
            &rare_late
        ));
        assert!(!superseded_by(&common_early, &common_late));
        assert!(!superseded_by(&lookup_key(b"zs", false, at(1), 3), &longer));
        assert_eq!(
            with_recency(&common_early, at(2_000)).unwrap(),
            lookup_key(b"zs", false, at(2_000), 1)
        );
        assert_eq!(lookup_term(&longer), Some(&b"zsf\0\0"[..]));
        assert!(parse_lookup_key(&rare_late).unwrap().alternate);
        assert!(parse_lookup_key(b"zs").is_none());
    }

    #[test]
    fn a_visitor_is_filed_under_prefix_buckets_that_list_each_term_once() {
        let terms = [
            (TreeId::IxPinyin, "zhengjun".to_string(), false),
            (TreeId::IxPinyin, "zhengshun".to_string(), true),
            (TreeId::IxPinyin, "zhengdun".to_string(), true),
            (TreeId::IxPhone, "8765".to_string(), false),
        ];
        let entries = lookup_entries(&terms, 7, None);
        let buckets: Vec<(Vec<u8>, String)> = entries
            .iter()
            .filter(|e| e.tree == TreeId::IxPrefix)
            .map(|e| (e.key.clone(), String::from_utf8(e.value.clone()).unwrap()))
            .collect();
        // zh and zheng for the common reading; zh and zheng again, shared by the
        // two rarer readings; no buckets for phones.
        assert_eq!(buckets.len(), 4);
        let zheng = bucket_prefix(TreeId::IxPinyin, b"zheng");
        let shared: Vec<_> = buckets
            .iter()
            .filter(|(k, _)| k.starts_with(&zheng) && parse_lookup_key(&k[1..]).unwrap().alternate)
            .collect();
        assert_eq!(shared.len(), 1);
        let listed: Vec<&[u8]> = bucket_terms(shared[0].1.as_bytes()).collect();
        assert_eq!(listed, vec![&b"zhengshun"[..], &b"zhengdun"[..]]);
        assert_eq!(
            entries
                .iter()
                .filter(|e| e.tree != TreeId::IxPrefix)
                .count(),
            4
        );
    }

    #[test]
    fn date_keys_sort_by_time_across_the_epoch_then_id() {
        let before = date_key(Timestamp(-10), 9);
        let epoch = date_key(Timestamp(0), 1);
        let later = date_key(Timestamp(0), 2);
        let next = date_key(Timestamp(5), 0);
        assert!(before < epoch && epoch < later && later < next);
        assert!(date_start(Timestamp(0)) <= epoch && date_start(Timestamp(1)) > later);
        assert_eq!(trailing_id(&later), Some(2));
    }

    #[test]
    fn reversed_phones_make_suffixes_into_prefixes() {
        let r = reversed_digits("13812345678");
        assert!(r.starts_with(&reversed_digits("5678")));
    }
}
