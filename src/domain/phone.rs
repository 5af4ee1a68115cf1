//! Mainland China phone numbers: mobiles and landlines with area codes.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::text::to_halfwidth;

/// A validated phone number. Normalised forms: mobile `13812345678`; landline `010-12345678`
/// (area code, hyphen, 7–8 digit local number).
///
/// Deserialisation re-validates, so the invariants the methods rely on hold for stored values
/// too.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum PhoneError {
    #[error("电话号码为空，请输入11位手机号或带区号的座机号")]
    Empty,
    #[error("电话号码第{pos}位「{ch}」不允许：只能输入数字、空格、“-”、括号和开头的 +86")]
    Char { pos: usize, ch: char },
    #[error("手机号码应为11位，现在是 {0} 位，请核对号码")]
    MobileLength(usize),
    #[error("手机号码应以13至19开头，输入的是 {0} 开头，请核对号码")]
    MobilePrefix(String),
    #[error("座机号码区号 {area} 之后应为7或8位本地号码，现在是 {local} 位，请核对号码")]
    LandlineLength { area: String, local: usize },
    #[error("座机本地号码不能以0开头，输入的是 {0}，请核对号码")]
    LocalNumber(String),
    #[error("座机号码的区号应为3或4位且以0开头（如 010、0755），输入的是 {0}，请核对区号")]
    AreaCode(String),
    #[error("座机号码缺少区号，请在前面加上区号，如 010-12345678")]
    NoAreaCode,
    #[error("只支持中国大陆号码（+86），输入的是 {0}，请核对号码")]
    CountryCode(String),
}

/// Only the digits of `input` (after folding full-width digits), for partial-number lookups.
pub fn digits_of(input: &str) -> String {
    to_halfwidth(input)
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

/// Separators people type inside numbers; an IME may give a dash or middle dot instead of `-`.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '(' | ')' | '—' | '–' | '·' | '.')
}

/// `1` followed by 3–9: how every mainland mobile number starts.
fn is_mobile_start(digits: &str) -> bool {
    matches!(digits.as_bytes(), [b'1', b'3'..=b'9', ..])
}

fn mobile(digits: &str) -> Result<Phone, PhoneError> {
    if digits.len() != 11 {
        return Err(PhoneError::MobileLength(digits.len()));
    }
    match digits.as_bytes().get(1) {
        Some(b'3'..=b'9') => Ok(Phone(digits.to_string())),
        _ => Err(PhoneError::MobilePrefix(
            digits.get(..2).unwrap_or_default().into(),
        )),
    }
}

fn landline(area: &str, local: &str) -> Result<Phone, PhoneError> {
    if !(3..=4).contains(&area.len()) || !area.starts_with('0') || area.starts_with("00") {
        return Err(PhoneError::AreaCode(area.to_string()));
    }
    if !(7..=8).contains(&local.len()) {
        return Err(PhoneError::LandlineLength {
            area: area.to_string(),
            local: local.len(),
        });
    }
    // A local number starting with 0 means the area code was typed twice.
    if local.starts_with('0') {
        return Err(PhoneError::LocalNumber(local.to_string()));
    }
    Ok(Phone(format!("{area}-{local}")))
}

impl Phone {
    pub fn parse(input: &str) -> Result<Phone, PhoneError> {
        let s = to_halfwidth(input);
        let s = s.trim();
        if let Some((i, ch)) = s
            .chars()
            .enumerate()
            .find(|&(i, c)| !(c.is_ascii_digit() || is_separator(c) || (c == '+' && i == 0)))
        {
            return Err(PhoneError::Char { pos: i + 1, ch });
        }
        let digits = digits_of(s);
        if digits.is_empty() {
            return Err(PhoneError::Empty);
        }

        // International forms: +86…, 0086…, or a bare 86 before an 11-digit mobile.
        if let Some(rest) = s.strip_prefix('+') {
            let rest = digits_of(rest);
            return match rest.strip_prefix("86") {
                Some(national) => mobile(national),
                None => Err(PhoneError::CountryCode(format!(
                    "+{}",
                    rest.get(..2).unwrap_or(&rest)
                ))),
            };
        }
        if let Some(national) = digits.strip_prefix("0086") {
            return mobile(national);
        }
        if digits.len() == 13 && digits.starts_with("861") {
            return mobile(&digits[2..]);
        }

        match digits.as_bytes().first() {
            Some(b'1') => mobile(&digits),
            // A 0 before a mobile is the long-distance habit from other cities: 013812345678.
            Some(b'0') if digits.len() == 12 && is_mobile_start(&digits[1..]) => {
                mobile(&digits[1..])
            }
            Some(b'0') => {
                // A short first group followed by a separator is what the officer typed as the
                // area code; otherwise 010 and 02X are the three-digit codes and the rest have
                // four. (A long first group is just digit grouping inside the number.)
                let body = s.trim_start_matches('(');
                let first: String = body.chars().take_while(char::is_ascii_digit).collect();
                let split = if first.len() < digits.len() && first.len() <= 5 {
                    first.len()
                } else if digits.starts_with("010") || digits.starts_with("02") {
                    3
                } else {
                    4
                };
                let (area, local) = digits.split_at(split.min(digits.len()));
                landline(area, local)
            }
            _ => Err(PhoneError::NoAreaCode),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number without the hyphen, as dialled.
    pub fn digits(&self) -> String {
        self.0.replace('-', "")
    }

    pub fn is_mobile(&self) -> bool {
        !self.0.contains('-')
    }

    /// Masked for lists: `138****5678`, `010-****5678` (the last 4 of the local number kept).
    pub fn masked(&self) -> String {
        let (prefix, body) = match self.0.split_once('-') {
            Some((area, local)) => (format!("{area}-"), local),
            None => (
                self.0.get(..3).unwrap_or_default().to_string(),
                self.0.get(3..).unwrap_or_default(),
            ),
        };
        let n = body.len();
        let tail = body.get(n.saturating_sub(4)..).unwrap_or_default();
        format!("{prefix}{}{tail}", "*".repeat(n.saturating_sub(4)))
    }
}

impl std::fmt::Display for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Phone {
    type Error = PhoneError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Phone::parse(&s)
    }
}

impl From<Phone> for String {
    fn from(p: Phone) -> String {
        p.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> String {
        Phone::parse(s).unwrap_or_else(|e| panic!("{s}: {e}")).0
    }

    #[test]
    fn mobiles() {
        for s in [
            "13812345678",
            "138 1234 5678",
            "138-1234-5678",
            "１３８１２３４５６７８",
            "+86 138 1234 5678",
            "+86-13812345678",
            "8613812345678",
            "008613812345678",
            "013812345678",
            " 13812345678 ",
        ] {
            assert_eq!(ok(s), "13812345678", "{s}");
        }
        let p = Phone::parse("19912345678").unwrap();
        assert!(p.is_mobile());
        assert_eq!(p.masked(), "199****5678");
        assert_eq!(p.digits(), "19912345678");
    }

    #[test]
    fn landlines() {
        assert_eq!(ok("010-12345678"), "010-12345678");
        assert_eq!(ok("01012345678"), "010-12345678");
        assert_eq!(ok("(010) 1234 5678"), "010-12345678");
        assert_eq!(ok("（010）12345678"), "010-12345678");
        assert_eq!(ok("010 1234567"), "010-1234567");
        assert_eq!(ok("02112345678"), "021-12345678");
        assert_eq!(ok("075588889999"), "0755-88889999");
        assert_eq!(ok("07558888999"), "0755-8888999");
        assert_eq!(ok("0755 8888 9999"), "0755-88889999");
        assert_eq!(ok("0755－88889999"), "0755-88889999");
        assert_eq!(ok("029-88889999"), "029-88889999");
        assert_eq!(ok("075588 889999"), "0755-88889999");
        let p = Phone::parse("010-12345678").unwrap();
        assert!(!p.is_mobile());
        assert_eq!(p.digits(), "01012345678");
        assert_eq!(p.masked(), "010-****5678");
        assert_eq!(
            Phone::parse("0755-8888999").unwrap().masked(),
            "0755-***8999"
        );
    }

    #[test]
    fn errors() {
        assert_eq!(Phone::parse(""), Err(PhoneError::Empty));
        assert_eq!(Phone::parse(" - "), Err(PhoneError::Empty));
        assert_eq!(
            Phone::parse("1381234567"),
            Err(PhoneError::MobileLength(10))
        );
        assert_eq!(
            Phone::parse("1381234567").unwrap_err().to_string(),
            "手机号码应为11位，现在是 10 位，请核对号码"
        );
        assert_eq!(
            Phone::parse("12812345678"),
            Err(PhoneError::MobilePrefix("12".into()))
        );
        assert_eq!(
            Phone::parse("138一2345678"),
            Err(PhoneError::Char { pos: 4, ch: '一' })
        );
        assert_eq!(
            Phone::parse("138+12345678"),
            Err(PhoneError::Char { pos: 4, ch: '+' })
        );
        assert_eq!(Phone::parse("88889999"), Err(PhoneError::NoAreaCode));
        assert_eq!(
            Phone::parse("+1 2025550100"),
            Err(PhoneError::CountryCode("+12".into()))
        );
        assert_eq!(
            Phone::parse("010-123456"),
            Err(PhoneError::LandlineLength {
                area: "010".into(),
                local: 6
            })
        );
        assert_eq!(
            Phone::parse("010-01234567"),
            Err(PhoneError::LocalNumber("01234567".into()))
        );
        assert_eq!(
            Phone::parse("00-12345678"),
            Err(PhoneError::AreaCode("00".into()))
        );
    }

    #[test]
    fn digits_of_partial_queries() {
        assert_eq!(digits_of("１３８-12"), "13812");
        assert_eq!(digits_of("abc"), "");
    }

    #[test]
    fn garbage_never_panics() {
        let long = "9".repeat(10_000);
        for s in [
            "",
            "+",
            "+8",
            "+86",
            "0",
            "00",
            "0086",
            "86",
            "(",
            "()",
            "0(",
            "张三",
            "𠀀",
            long.as_str(),
            "0000000000000",
            "+86 010 12345678",
            "\u{0}",
        ] {
            if let Ok(p) = Phone::parse(s) {
                let _ = p.masked();
            }
        }
    }

    #[test]
    fn serde_revalidates() {
        let p = Phone::parse("13812345678").unwrap();
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Phone>(&json).unwrap(), p);
        assert!(serde_json::from_str::<Phone>("\"12\"").is_err());
    }
}
