//! The identity number as it is typed: nothing to say until it could be
//! complete, except a character that can never be right; the domain's own
//! validator decides the rest, so the desk and the service agree.

use chrono::NaiveDate;

use crate::domain::identity::normalize_query;
use crate::domain::registration::validate_id_number;

/// What the identity number field says while it is typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdStatus {
    Empty,
    /// Digits so far; more are needed.
    Partial(usize),
    Valid(String),
    Error(String),
}

/// Checks the number as typed: nothing until it could be complete, except a character
/// that can never be right; the domain validator decides everything else.
pub fn id_status(text: &str, no_document: bool, today: NaiveDate) -> IdStatus {
    let norm = normalize_query(text);
    let plausible = norm.chars().all(|c| c.is_ascii_digit() || c == 'X');
    if norm.is_empty() && !no_document {
        return IdStatus::Empty;
    }
    if plausible && !no_document && norm.len() < 18 && norm.len() != 15 {
        return IdStatus::Partial(norm.len());
    }
    match validate_id_number(text, no_document, today) {
        Ok(Some(id)) => {
            let place = id.province().unwrap_or("");
            let legacy = if id.is_legacy() { " 旧15位" } else { "" };
            IdStatus::Valid(format!(
                "{} {} {place}{legacy}",
                id.birth_date().format("%Y-%m-%d"),
                id.sex().label(),
            ))
        }
        Ok(None) => IdStatus::Valid("无证件登记".into()),
        Err(e) => IdStatus::Error(e.message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).expect("date")
    }

    #[test]
    fn statuses_follow_what_is_typed() {
        assert_eq!(id_status("", false, today()), IdStatus::Empty);
        assert_eq!(id_status("1101 0519", false, today()), IdStatus::Partial(8));
        assert!(
            matches!(id_status("11010519491231002x", false, today()), IdStatus::Valid(s) if s.starts_with("1949-12-31 女"))
        );
        // An old 15-digit number is complete as it stands.
        assert!(
            matches!(id_status("110105491231002", false, today()), IdStatus::Valid(s) if s.contains("旧15位"))
        );
        assert!(
            matches!(id_status("1101O5", false, today()), IdStatus::Error(s) if s.contains("第5位"))
        );
        assert!(matches!(
            id_status("1101051949123100211", false, today()),
            IdStatus::Error(_)
        ));
        // Born tomorrow: the number is complete and wrong.
        let first17 = "11010520261128001";
        let check = crate::domain::identity::check_char(first17).expect("17 digits");
        let tomorrow = id_status(&format!("{first17}{check}"), false, today());
        assert!(
            matches!(&tomorrow, IdStatus::Error(s) if s.contains("晚于今天")),
            "{tomorrow:?}"
        );
        assert_eq!(
            id_status("", true, today()),
            IdStatus::Valid("无证件登记".into())
        );
        assert!(
            matches!(id_status("1101", true, today()), IdStatus::Error(s) if s.contains("无证件"))
        );
    }
}
