//! The one-box lookup: decide what the text can be, scan the matching
//! indexes, rank the visitors.

use super::api::MatchKind;
use crate::domain::matter::looks_like_matter_number;
use crate::domain::text::is_han;
use crate::domain::{identity, phone, pinyin};
use crate::store::keys::{exact_prefix, reversed_digits, TreeId};

/// One index scan the text asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scan {
    pub tree: TreeId,
    pub prefix: Vec<u8>,
    pub kind: MatchKind,
}

fn scan(tree: TreeId, prefix: Vec<u8>, kind: MatchKind) -> Scan {
    Scan { tree, prefix, kind }
}

/// What a lookup text can mean, most specific first.
pub fn plan(text: &str) -> Vec<Scan> {
    let text = text.trim();
    if text.is_empty() {
        return Vec::new();
    }
    if looks_like_matter_number(text) {
        return vec![scan(
            TreeId::IxMatterNumber,
            text.as_bytes().to_vec(),
            MatchKind::MatterNumber,
        )];
    }
    if text.chars().any(is_han) {
        let name: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        return vec![
            scan(TreeId::IxName, exact_prefix(&name), MatchKind::Name),
            scan(TreeId::IxName, name.into_bytes(), MatchKind::NamePrefix),
        ];
    }
    if let Some(letters) = pinyin::normalize_query(text) {
        return vec![
            scan(
                TreeId::IxInitials,
                letters.clone().into_bytes(),
                MatchKind::Initials,
            ),
            scan(TreeId::IxPinyin, letters.into_bytes(), MatchKind::Pinyin),
        ];
    }
    let id = identity::normalize_query(text);
    let digits = phone::digits_of(text);
    let mut scans = Vec::new();
    let numeric_id = !id.is_empty() && id.chars().all(|c| c.is_ascii_digit() || c == 'X');
    if let Ok(n) = identity::IdNumber::parse(&id) {
        scans.push(scan(
            TreeId::IxIdNumber,
            exact_prefix(n.as_str()),
            MatchKind::IdNumber,
        ));
    }
    if let Ok(p) = phone::Phone::parse(text) {
        scans.push(scan(
            TreeId::IxPhone,
            exact_prefix(&reversed_digits(&p.digits())),
            MatchKind::Phone,
        ));
    }
    if numeric_id && (6..18).contains(&id.len()) {
        scans.push(scan(
            TreeId::IxIdNumber,
            id.clone().into_bytes(),
            MatchKind::IdPrefix,
        ));
    }
    if (4..=8).contains(&digits.len())
        && digits.len() == text.chars().filter(|c| !c.is_whitespace()).count()
    {
        scans.push(scan(
            TreeId::IxPhone,
            reversed_digits(&digits).into_bytes(),
            MatchKind::PhoneSuffix,
        ));
    }
    scans
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
}
