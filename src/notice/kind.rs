//! The five written notices a matter's lifecycle calls for, with their Chinese and ASCII names.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NoticeKind {
    /// 受理告知书: the matter was accepted (Art 23).
    Accept,
    /// 不予受理告知书, with the legal channel where one applies (Arts 23, 31).
    Refuse,
    /// 转送告知: the matter went to the competent body (Arts 22, 23).
    Route,
    /// 延期告知: the one extension and its reason (Art 34).
    Extend,
    /// 答复意见书: the written reply and the 复查 right it opens (Arts 34, 35).
    Reply,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 5] = [
        NoticeKind::Accept,
        NoticeKind::Refuse,
        NoticeKind::Route,
        NoticeKind::Extend,
        NoticeKind::Reply,
    ];

    pub fn label(self) -> &'static str {
        match self {
            NoticeKind::Accept => "受理告知书",
            NoticeKind::Refuse => "不予受理告知书",
            NoticeKind::Route => "转送告知",
            NoticeKind::Extend => "延期告知",
            NoticeKind::Reply => "答复意见书",
        }
    }

    /// The ASCII name typed on the command line; also the template's file stem.
    pub fn code(self) -> &'static str {
        match self {
            NoticeKind::Accept => "accept",
            NoticeKind::Refuse => "refuse",
            NoticeKind::Route => "route",
            NoticeKind::Extend => "extend",
            NoticeKind::Reply => "reply",
        }
    }

    /// `accept.txt`: the template's file in `config/templates/` or a hall's `templates/`.
    pub fn file_name(self) -> String {
        format!("{}.txt", self.code())
    }

    /// The Chinese name, its short form without 书, or the ASCII name.
    pub fn parse(text: &str) -> Option<NoticeKind> {
        let text = text.trim();
        NoticeKind::ALL.into_iter().find(|k| {
            text.eq_ignore_ascii_case(k.code())
                || text == k.label()
                || text == k.label().trim_end_matches('书')
        })
    }

    /// `受理告知书（accept）、…`: for error messages listing what may be typed.
    pub fn choices() -> String {
        let names: Vec<String> = NoticeKind::ALL
            .iter()
            .map(|k| format!("{}（{}）", k.label(), k.code()))
            .collect();
        names.join("、")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_named_in_chinese_and_ascii() {
        for kind in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(kind.label()), Some(kind));
            assert_eq!(NoticeKind::parse(kind.code()), Some(kind));
        }
        assert_eq!(NoticeKind::parse(" REFUSE "), Some(NoticeKind::Refuse));
        assert_eq!(NoticeKind::parse("受理告知"), Some(NoticeKind::Accept));
        assert_eq!(NoticeKind::parse("答复"), None);
        assert!(NoticeKind::choices().contains("延期告知（extend）"));
    }
}
