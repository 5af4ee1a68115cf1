//! The one-box lookup: decide what the text can be, scan the matching
//! indexes, rank the visitors.
//!
//! Visitor index keys sort in rank order under each term (see
//! `store::keys::lookup_key`), so the best matches of a whole term are the
//! first keys under it. A prefix whose whole term alone has enough visitors
//! reads nothing more (a longer term's match ranks after it); otherwise it is
//! ranked whole when it is narrow, and a broad one (`张`, `zhang`, a region
//! code) is read from its prefix bucket in rank order until enough visitors
//! match, so no lookup reads more than about [`SMALL_PREFIX`] entries plus
//! what it returns.
//!
//! Identity numbers and phones are indexed by keyed hash (`store::crypt`), so they are
//! found by exact terms only: the whole value, or one of its filed prefixes
//! (`keys::keyed_prefixes`); a longer prefix is checked against the decrypted visitors.

use std::cmp::Reverse;
use std::collections::HashSet;

use super::api::MatchKind;
use crate::domain::matter::looks_like_matter_number;
use crate::domain::text::is_han;
use crate::domain::time::Timestamp;
use crate::domain::visitor::{Visitor, VisitorId};
use crate::domain::{identity, phone, pinyin};
use crate::store::keys::{
    self, bucket_prefix, bucket_terms, parse_lookup_key, prefix_buckets, reversed_digits,
    LookupKey, TreeId, SMALL_PREFIX,
};
use crate::store::{Store, StoreError};

/// Whether a scan wants the term itself or every term it begins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Exact,
    Prefix,
}

/// One index scan the text asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scan {
    pub tree: TreeId,
    pub term: String,
    pub kind: MatchKind,
    pub mode: Mode,
}

fn scan(tree: TreeId, term: impl Into<String>, kind: MatchKind, mode: Mode) -> Scan {
    Scan {
        tree,
        term: term.into(),
        kind,
        mode,
    }
}

/// How good a lookup candidate is; smaller is better: how it matched, whether
/// the whole term matched (`zs` is 张三 before 张三丰), whether through the name's
/// common reading (张帅 before 郑俊 read zheng-shun), then the latest visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rank {
    pub kind: MatchKind,
    pub partial: bool,
    /// Found through a rarer reading of a polyphonic name.
    pub alternate: bool,
    pub recency: Reverse<Option<Timestamp>>,
}

/// What a lookup text can mean, best kind of match first.
pub fn plan(text: &str) -> Vec<Scan> {
    let text = text.trim();
    if text.is_empty() {
        return Vec::new();
    }
    if looks_like_matter_number(text) {
        return vec![scan(
            TreeId::IxMatterNumber,
            text,
            MatchKind::MatterNumber,
            Mode::Prefix,
        )];
    }
    if text.chars().any(is_han) {
        let name: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        return vec![
            scan(TreeId::IxName, name.clone(), MatchKind::Name, Mode::Exact),
            scan(TreeId::IxName, name, MatchKind::NamePrefix, Mode::Prefix),
        ];
    }
    if let Some(letters) = pinyin::normalize_query(text) {
        return vec![
            scan(
                TreeId::IxInitials,
                letters.clone(),
                MatchKind::Initials,
                Mode::Prefix,
            ),
            scan(TreeId::IxPinyin, letters, MatchKind::Pinyin, Mode::Prefix),
        ];
    }
    let id = identity::normalize_query(text);
    let digits = phone::digits_of(text);
    let mut scans = Vec::new();
    let numeric_id = !id.is_empty() && id.chars().all(|c| c.is_ascii_digit() || c == 'X');
    if let Ok(n) = identity::IdNumber::parse(&id) {
        scans.push(scan(
            TreeId::IxIdNumber,
            n.as_str(),
            MatchKind::IdNumber,
            Mode::Exact,
        ));
    }
    if let Ok(p) = phone::Phone::parse(text) {
        scans.push(scan(
            TreeId::IxPhone,
            reversed_digits(&p.digits()),
            MatchKind::Phone,
            Mode::Exact,
        ));
    }
    if numeric_id && (6..18).contains(&id.len()) {
        scans.push(scan(
            TreeId::IxIdNumber,
            id.clone(),
            MatchKind::IdPrefix,
            Mode::Prefix,
        ));
    }
    if (4..=8).contains(&digits.len())
        && digits.len() == text.chars().filter(|c| !c.is_whitespace()).count()
    {
        scans.push(scan(
            TreeId::IxPhone,
            reversed_digits(&digits),
            MatchKind::PhoneSuffix,
            Mode::Prefix,
        ));
    }
    scans.sort_by_key(|s| s.kind);
    scans
}

/// The visitors a visitor-index scan finds, ranked: at least its best `limit`
/// distinct visitors, or all of them. Taking that many from every scan and
/// keeping each visitor's best rank gives the true best `limit` overall.
pub fn rank_scan(
    store: &Store,
    scan: &Scan,
    limit: usize,
) -> Result<Vec<(Rank, VisitorId)>, StoreError> {
    rank_scan_with(store, scan, limit, SMALL_PREFIX)
}

/// [`rank_scan`], ranking a prefix whole when it has at most `narrow` entries.
fn rank_scan_with(
    store: &Store,
    scan: &Scan,
    limit: usize,
    narrow: usize,
) -> Result<Vec<(Rank, VisitorId)>, StoreError> {
    if keys::is_keyed(scan.tree) {
        return keyed_scan(store, scan, limit);
    }
    let term = scan.term.as_bytes();
    let rank = |k: &LookupKey, partial| Rank {
        kind: scan.kind,
        partial,
        alternate: k.alternate,
        recency: Reverse(k.last_visit),
    };
    let whole = |store| {
        first_matches(
            store,
            scan.tree,
            &store.term_prefix(scan.tree, &scan.term),
            limit,
            |k, _| Some(rank(k, false)),
        )
    };
    if scan.mode == Mode::Exact {
        return whole(store);
    }
    // The whole term's best are its first keys. Longer terms' keys follow them
    // (`zs‖0x01…` after `zs‖0x00…`): a few are ranked here, many read from the bucket.
    let mut out = whole(store)?;
    // A longer term's match is partial and ranks after every whole match: when the whole
    // term has `limit` visitors (`zw`, `zhangwei`), no longer term can place anyone.
    if out.iter().map(|(_, id)| id).collect::<HashSet<_>>().len() >= limit {
        return Ok(out);
    }
    let mut after_whole = term.to_vec();
    after_whole.push(1);
    let read_longer = |cap: usize| -> Result<(Vec<(Rank, VisitorId)>, bool), StoreError> {
        let mut found = Vec::new();
        let complete = store.scan_while_from(scan.tree, term, &after_whole, |key, _| {
            if let Some(k) = parse_lookup_key(key) {
                found.push((rank(&k, true), k.id));
            }
            found.len() <= cap
        })?;
        Ok((found, complete))
    };
    let (longer_terms, narrow_enough) = read_longer(narrow)?;
    let bucket = bucket_of(scan.tree, &scan.term);
    match bucket {
        Some(bucket) if !narrow_enough => {
            let longer = |t: &[u8]| t.len() > term.len() && t.starts_with(term);
            out.extend(first_matches(
                store,
                TreeId::IxPrefix,
                &bucket_prefix(scan.tree, bucket.as_bytes()),
                limit,
                |k, value| bucket_terms(value).any(longer).then(|| rank(k, true)),
            )?);
        }
        // No bucket this short: rank every longer term (only a query shorter than any bucket).
        None if !narrow_enough => out.extend(read_longer(usize::MAX)?.0),
        _ => out.extend(longer_terms),
    }
    Ok(out)
}

/// A scan of a keyed tree: the whole term, or the longest filed prefix of a typed
/// prefix, read in rank order. Candidates of a prefix longer than the filed one are
/// kept when their decrypted record has a term starting with it; at most
/// [`SMALL_PREFIX`] candidates are read for that.
fn keyed_scan(
    store: &Store,
    scan: &Scan,
    limit: usize,
) -> Result<Vec<(Rank, VisitorId)>, StoreError> {
    let (filed, partial) = match scan.mode {
        Mode::Exact => (scan.term.as_str(), false),
        Mode::Prefix => {
            let filed = keys::keyed_prefixes(scan.tree)
                .iter()
                .rev()
                .find(|&&n| n <= scan.term.len());
            match filed.and_then(|&n| scan.term.get(..n)) {
                Some(p) => (p, true),
                None => return Ok(Vec::new()),
            }
        }
    };
    let rank = |k: &LookupKey| Rank {
        kind: scan.kind,
        partial,
        alternate: k.alternate,
        recency: Reverse(k.last_visit),
    };
    let prefix = store.term_prefix(scan.tree, filed);
    if filed.len() == scan.term.len() {
        return first_matches(store, scan.tree, &prefix, limit, |k, _| Some(rank(k)));
    }
    let extends = |v: &Visitor| {
        keys::visitor_terms(v)
            .iter()
            .any(|(tree, term, _)| *tree == scan.tree && term.starts_with(&scan.term))
    };
    let mut read = 0;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    store.scan_while(scan.tree, &prefix, |key, _| {
        read += 1;
        if let Some(k) = parse_lookup_key(key) {
            if store.get_id::<Visitor>(k.id)?.is_some_and(|v| extends(&v)) {
                out.push((rank(&k), k.id));
                seen.insert(k.id);
            }
        }
        Ok(seen.len() < limit && read < SMALL_PREFIX)
    })?;
    Ok(out)
}

/// The longest prefix of `term` that is a bucket of `tree`.
fn bucket_of(tree: TreeId, term: &str) -> Option<&str> {
    let chars = term.chars().count();
    let &len = prefix_buckets(tree).iter().rev().find(|&&n| n <= chars)?;
    Some(match term.char_indices().nth(len) {
        Some((end, _)) => &term[..end],
        None => term,
    })
}

/// Entries under `prefix` in key order (which is rank order) that `rank`
/// accepts, until `limit` distinct visitors are found. Bucket keys start with
/// a tree byte before the lookup key.
fn first_matches(
    store: &Store,
    tree: TreeId,
    prefix: &[u8],
    limit: usize,
    rank: impl Fn(&LookupKey, &[u8]) -> Option<Rank>,
) -> Result<Vec<(Rank, VisitorId)>, StoreError> {
    let skip = usize::from(tree == TreeId::IxPrefix);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    store.scan_while(tree, prefix, |key, value| {
        let found = key
            .get(skip..)
            .and_then(parse_lookup_key)
            .and_then(|k| Some((rank(&k, value)?, k.id)));
        if let Some((r, id)) = found {
            out.push((r, id));
            seen.insert(id);
        }
        Ok(seen.len() < limit)
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<MatchKind> {
        plan(text).into_iter().map(|s| s.kind).collect()
    }

    #[test]
    fn texts_are_read_the_way_an_officer_means_them() {
        use MatchKind::*;
        assert_eq!(kinds("11010519491231002X"), vec![IdNumber]);
        assert_eq!(kinds("11010519491231002x"), vec![IdNumber]);
        assert_eq!(kinds("110105"), vec![IdPrefix, PhoneSuffix]);
        assert_eq!(kinds("1101051949"), vec![IdPrefix]);
        assert_eq!(kinds("13812345678"), vec![Phone, IdPrefix]);
        assert_eq!(kinds("5678"), vec![PhoneSuffix]);
        assert_eq!(kinds("123"), Vec::<MatchKind>::new());
        assert_eq!(kinds("zs"), vec![Initials, Pinyin]);
        assert_eq!(kinds("张三"), vec![Name, NamePrefix]);
        assert_eq!(kinds("2026-000123"), vec![MatterNumber]);
        assert_eq!(kinds("   "), Vec::<MatchKind>::new());
    }

    /// The best `limit` visitors of a scan's candidates, as lookup keeps them.
    fn best(found: Vec<(Rank, VisitorId)>, limit: usize) -> Vec<(Rank, VisitorId)> {
        let mut by_id = std::collections::HashMap::new();
        for (rank, id) in found {
            let r = by_id.entry(id).or_insert(rank);
            *r = (*r).min(rank);
        }
        let mut ranked: Vec<_> = by_id.into_iter().map(|(id, r)| (r, id)).collect();
        ranked.sort_unstable();
        ranked.truncate(limit);
        ranked
    }

    /// A temporary hall with `visitors` demo visitors.
    fn demo_hall(visitors: u64) -> crate::hall::LocalHall {
        use crate::config::HallConfig;
        use crate::demo::{populate, DemoOptions};
        use crate::hall::clock::ManualClock;
        use crate::hall::LocalHall;

        let now = Timestamp(1_790_000_000);
        let hall =
            LocalHall::temporary(HallConfig::embedded(), Box::new(ManualClock::new(now))).unwrap();
        let options = DemoOptions {
            visitors,
            seed: 7,
            now,
        };
        populate(&hall, &options).unwrap();
        hall
    }

    #[test]
    fn prefixes_rank_like_ranking_every_key_of_the_tree() {
        let hall = demo_hall(400);
        let store = hall.store();
        // Every key of the plain lookup trees, and every prefix of every term as an
        // officer might type it (keyed terms are hashes:
        // `keyed_prefix_scans_rank_like_reading_every_record`).
        let mut every_key = Vec::new();
        let mut queries = std::collections::BTreeSet::new();
        for tree in [TreeId::IxName, TreeId::IxInitials, TreeId::IxPinyin] {
            store
                .scan_while(tree, b"", |key, _| {
                    let k = parse_lookup_key(key).unwrap();
                    let term = String::from_utf8_lossy(k.term).to_string();
                    for (end, _) in term.char_indices().skip(1) {
                        queries.insert((tree, term[..end].to_string()));
                    }
                    queries.insert((tree, term.clone()));
                    every_key.push((tree, term, k.alternate, k.last_visit, k.id));
                    Ok(true)
                })
                .unwrap();
        }
        // The ranking of every key whose term is the query (whole) or extends it (partial).
        let by_every_key = |tree: TreeId, query: &str, mode: Mode, limit| {
            let found = every_key
                .iter()
                .filter(|(t, term, ..)| {
                    *t == tree
                        && (term == query || (mode == Mode::Prefix && term.starts_with(query)))
                })
                .map(|(_, term, alternate, last_visit, id)| {
                    let rank = Rank {
                        kind: MatchKind::Name,
                        partial: term != query,
                        alternate: *alternate,
                        recency: Reverse(*last_visit),
                    };
                    (rank, *id)
                })
                .collect();
            best(found, limit)
        };
        let (mut broad, mut whole_enough) = (0, 0);
        for (tree, term) in queries {
            for (mode, limit) in [(Mode::Exact, 5), (Mode::Prefix, 5), (Mode::Prefix, 2)] {
                let scan = scan(tree, term.clone(), MatchKind::Name, mode);
                let expected = by_every_key(tree, &term, mode, limit);
                let all = rank_scan_with(store, &scan, limit, usize::MAX).unwrap();
                let through_buckets = rank_scan_with(store, &scan, limit, 3).unwrap();
                broad += usize::from(mode == Mode::Prefix && all.len() > 3);
                whole_enough += usize::from(
                    mode == Mode::Prefix
                        && expected.iter().filter(|(r, _)| !r.partial).count() == limit,
                );
                assert_eq!(best(through_buckets, limit), expected, "{tree:?} {term}");
                assert_eq!(best(all, limit), expected, "{tree:?} {term}");
            }
        }
        // The comparison must have gone through the buckets, and past longer terms
        // because the whole term was enough, many times.
        assert!(broad > 200, "{broad}");
        assert!(whole_enough > 20, "{whole_enough}");
    }

    #[test]
    fn keyed_prefix_scans_rank_like_reading_every_record() {
        let hall = demo_hall(400);
        let store = hall.store();
        let visitors: Vec<Visitor> = store.all::<Visitor>().map(Result::unwrap).collect();
        // Each visitor's plain keyed terms, read once.
        type KeyedTerms = Vec<(TreeId, String)>;
        let terms: Vec<(Rank, VisitorId, KeyedTerms)> = visitors
            .iter()
            .map(|v| {
                let rank = Rank {
                    kind: MatchKind::IdPrefix,
                    partial: true,
                    alternate: false,
                    recency: Reverse(v.summary.last_visit),
                };
                let keyed = keys::visitor_terms(v)
                    .into_iter()
                    .filter(|(t, _, _)| keys::is_keyed(*t))
                    .map(|(t, term, _)| (t, term))
                    .collect();
                (rank, v.id, keyed)
            })
            .collect();
        // What ranking every visitor's plain terms gives for a typed prefix.
        let by_reading_all = |tree: TreeId, query: &str| {
            let found = terms
                .iter()
                .filter(|(_, _, keyed)| {
                    keyed
                        .iter()
                        .any(|(t, term)| *t == tree && term.starts_with(query))
                })
                .map(|(rank, id, _)| (*rank, *id))
                .collect();
            best(found, 5)
        };
        let mut queries = std::collections::BTreeSet::new();
        for v in &visitors {
            if let Some(n) = &v.id_number {
                // Filed prefixes (6–10 digits) and longer ones checked against records.
                let n = n.as_str();
                queries.extend((6..n.len()).map(|len| (TreeId::IxIdNumber, n[..len].to_string())));
            }
            if let Some(p) = &v.phone {
                let reversed = reversed_digits(&p.digits());
                let longest = reversed.len().min(8);
                queries.extend(
                    (4..=longest).map(|len| (TreeId::IxPhone, reversed[..len].to_string())),
                );
            }
        }
        assert!(queries.len() > 2000, "{}", queries.len());
        let mut several = 0;
        for (tree, query) in queries {
            let s = scan(tree, query.clone(), MatchKind::IdPrefix, Mode::Prefix);
            let found = best(rank_scan(store, &s, 5).unwrap(), 5);
            several += usize::from(found.len() > 1);
            assert_eq!(found, by_reading_all(tree, &query), "{tree:?} {query}");
        }
        assert!(several > 100, "{several}");
    }

    #[test]
    fn whole_identity_numbers_and_phones_are_found_by_their_keyed_terms() {
        let hall = demo_hall(100);
        let store = hall.store();
        for v in store.all::<Visitor>().map(Result::unwrap) {
            for (tree, term, _) in keys::visitor_terms(&v) {
                if keys::is_keyed(tree)
                    && keys::keyed_prefixes(tree).iter().all(|&n| n != term.len())
                {
                    let s = scan(tree, term.clone(), MatchKind::IdNumber, Mode::Exact);
                    let ids: Vec<VisitorId> = rank_scan(store, &s, 20)
                        .unwrap()
                        .into_iter()
                        .map(|(_, id)| id)
                        .collect();
                    assert!(ids.contains(&v.id), "{tree:?} {term}");
                }
            }
        }
    }

    #[test]
    fn a_broad_prefix_reads_the_longest_bucket_it_extends() {
        // Identity numbers have keyed prefixes instead of buckets.
        assert_eq!(bucket_of(TreeId::IxIdNumber, "1101051985"), None);
        assert_eq!(bucket_of(TreeId::IxName, "欧阳修"), Some("欧"));
        assert_eq!(bucket_of(TreeId::IxPinyin, "zhangwei"), Some("zhang"));
        assert_eq!(bucket_of(TreeId::IxPinyin, "zhan"), Some("zh"));
        assert_eq!(bucket_of(TreeId::IxPhone, "8765"), None);
    }
}
