//! 公民身份号码 (GB 11643-1999): parsing, validation, derived facts and masking.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::text::to_halfwidth;

/// A validated resident identity number: 18 characters with an upper-case `X`, or a legacy
/// 15-digit number as found in old records.
///
/// Deserialisation re-validates, so the invariants the methods rely on hold for stored values
/// too.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdNumber(String);

/// 性别, from the sequence code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn label(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum IdNumberError {
    #[error("身份证号码为空，请输入18位身份证号码")]
    Empty,
    #[error("身份证号码应为18位（或旧版15位），现在是 {0} 位，请核对号码")]
    Length(usize),
    #[error("身份证号码第{pos}位「{ch}」不允许：只能是数字，只有第18位可以是 X")]
    Char { pos: usize, ch: char },
    #[error("身份证号码前两位 {0} 不是有效的省级行政区划代码，请核对号码")]
    Region(String),
    /// The text says what is wrong with the date (impossible, too early, or in the future).
    #[error("身份证号码中的{0}，请核对号码")]
    BirthDate(String),
    #[error("身份证号码第18位校验码应为 {expected}，输入的是 {found}，请核对号码")]
    CheckDigit { expected: char, found: char },
}

/// Years before this are rejected; the standard's own example is born in 1880.
const MIN_BIRTH_YEAR: i32 = 1800;

/// ISO 7064 MOD 11-2 weights for the first 17 characters.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character by weighted-sum remainder.
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The 34 provincial-level divisions by the first two digits of the region code.
const PROVINCES: [(&str, &str); 34] = [
    ("11", "北京市"),
    ("12", "天津市"),
    ("13", "河北省"),
    ("14", "山西省"),
    ("15", "内蒙古自治区"),
    ("21", "辽宁省"),
    ("22", "吉林省"),
    ("23", "黑龙江省"),
    ("31", "上海市"),
    ("32", "江苏省"),
    ("33", "浙江省"),
    ("34", "安徽省"),
    ("35", "福建省"),
    ("36", "江西省"),
    ("37", "山东省"),
    ("41", "河南省"),
    ("42", "湖北省"),
    ("43", "湖南省"),
    ("44", "广东省"),
    ("45", "广西壮族自治区"),
    ("46", "海南省"),
    ("50", "重庆市"),
    ("51", "四川省"),
    ("52", "贵州省"),
    ("53", "云南省"),
    ("54", "西藏自治区"),
    ("61", "陕西省"),
    ("62", "甘肃省"),
    ("63", "青海省"),
    ("64", "宁夏回族自治区"),
    ("65", "新疆维吾尔自治区"),
    ("71", "台湾省"),
    ("81", "香港特别行政区"),
    ("82", "澳门特别行政区"),
];

/// Leading codes that are valid but not a province: 83 is used on residence permits for Taiwan
/// residents, 91 on foreigners' permanent residence ID cards (both use the same check character).
const OTHER_PREFIXES: [&str; 2] = ["83", "91"];

fn province_name(code: &str) -> Option<&'static str> {
    PROVINCES.iter().find(|(k, _)| *k == code).map(|(_, v)| *v)
}

/// ISO 7064 MOD 11-2 check character for the first 17 digits; `None` unless exactly 17 ASCII
/// digits are given.
pub fn check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    CHECK.get((sum % 11) as usize).copied()
}

/// What a partly typed number normalises to, for prefix lookups: half-width, all whitespace
/// removed, `x` upper-cased. Same normalisation as [`IdNumber::parse`].
pub fn normalize_query(input: &str) -> String {
    to_halfwidth(input)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == 'x' { 'X' } else { c })
        .collect()
}

/// Birth date in an all-ASCII 18-character or 15-character number.
fn birth_of(s: &str) -> Option<(i32, u32, u32)> {
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
    if s.len() == 15 {
        Some((1900 + num(6..8)? as i32, num(8..10)?, num(10..12)?))
    } else {
        Some((num(6..10)? as i32, num(10..12)?, num(12..14)?))
    }
}

impl IdNumber {
    /// Parses and validates; rejects impossible birth dates but not future ones (see
    /// [`IdNumber::parse_on`]).
    pub fn parse(input: &str) -> Result<IdNumber, IdNumberError> {
        let s = normalize_query(input);
        if s.is_empty() {
            return Err(IdNumberError::Empty);
        }
        // A stray letter or Chinese character is the more useful thing to report than the
        // length, which it usually also breaks.
        if let Some((i, ch)) = s
            .chars()
            .enumerate()
            .find(|(_, c)| !c.is_ascii_digit() && *c != 'X')
        {
            return Err(IdNumberError::Char { pos: i + 1, ch });
        }
        let len = s.len(); // all ASCII from here on
        if len != 18 && len != 15 {
            return Err(IdNumberError::Length(len));
        }
        if let Some(i) = s.find('X').filter(|&i| i != 17) {
            return Err(IdNumberError::Char {
                pos: i + 1,
                ch: 'X',
            });
        }

        let prefix = &s[..2];
        if province_name(prefix).is_none() && !OTHER_PREFIXES.contains(&prefix) {
            return Err(IdNumberError::Region(prefix.to_string()));
        }

        let (y, m, d) = birth_of(&s).ok_or_else(|| bad_date(&s))?;
        if NaiveDate::from_ymd_opt(y, m, d).is_none() {
            return Err(bad_date(&s));
        }
        if y < MIN_BIRTH_YEAR {
            return Err(IdNumberError::BirthDate(format!(
                "出生年份 {y} 早于 {MIN_BIRTH_YEAR} 年，不可能"
            )));
        }

        if len == 18 {
            let expected = check_char(&s[..17]).ok_or(IdNumberError::Length(len))?;
            let found = s[17..].chars().next().unwrap_or(' ');
            if expected != found {
                return Err(IdNumberError::CheckDigit { expected, found });
            }
        }
        Ok(IdNumber(s))
    }

    /// Like [`IdNumber::parse`], and also rejects a birth date after `today`.
    pub fn parse_on(input: &str, today: NaiveDate) -> Result<IdNumber, IdNumberError> {
        let id = IdNumber::parse(input)?;
        let born = id.birth_date();
        if born > today {
            return Err(IdNumberError::BirthDate(format!(
                "出生日期 {} 晚于今天",
                born.format("%Y年%m月%d日")
            )));
        }
        Ok(id)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// An old 15-digit number (two-digit year, no check character).
    pub fn is_legacy(&self) -> bool {
        self.0.len() == 15
    }

    pub fn birth_date(&self) -> NaiveDate {
        birth_of(&self.0)
            .and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
            .expect("IdNumber invariant: birth date validated by parse")
    }

    /// Odd last digit of the sequence code means male.
    pub fn sex(&self) -> Sex {
        let pos = if self.is_legacy() { 14 } else { 16 };
        match self.0.as_bytes().get(pos).map(|b| b % 2) {
            Some(1) => Sex::Male,
            _ => Sex::Female,
        }
    }

    /// The 6-digit administrative region code (of the place of first registration).
    pub fn region_code(&self) -> &str {
        self.0.get(..6).unwrap_or_default()
    }

    /// Provincial-level name from the first two digits; `None` for the residence-permit and
    /// foreigner prefixes (83, 91), which name no province.
    pub fn province(&self) -> Option<&'static str> {
        province_name(self.0.get(..2)?)
    }

    /// First 6 and last 4 characters kept, the rest starred: `110105********002X`.
    pub fn masked(&self) -> String {
        let n = self.0.len();
        let head = self.0.get(..6).unwrap_or_default();
        let tail = self.0.get(n.saturating_sub(4)..).unwrap_or_default();
        format!("{head}{}{tail}", "*".repeat(n.saturating_sub(10)))
    }

    /// The 18-character form: a legacy number gets "19" inserted before the year and a check
    /// character appended; an 18-character number is returned unchanged.
    pub fn to_18(&self) -> IdNumber {
        if !self.is_legacy() {
            return self.clone();
        }
        let first17 = format!("{}19{}", self.region_code(), &self.0[6..]);
        match check_char(&first17) {
            Some(c) => IdNumber(format!("{first17}{c}")),
            None => self.clone(), // unreachable: a legacy number is 15 digits
        }
    }
}

fn bad_date(s: &str) -> IdNumberError {
    let digits = if s.len() == 15 { &s[6..12] } else { &s[6..14] };
    IdNumberError::BirthDate(format!("出生日期 {digits} 不是有效日期"))
}

impl std::fmt::Display for IdNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for IdNumber {
    type Error = IdNumberError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        IdNumber::parse(&s)
    }
}

impl From<IdNumber> for String {
    fn from(id: IdNumber) -> String {
        id.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> IdNumber {
        IdNumber::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn standard_examples_are_valid() {
        let a = ok("11010519491231002X");
        assert_eq!(a.as_str(), "11010519491231002X");
        assert_eq!(a.birth_date(), date(1949, 12, 31));
        assert_eq!(a.sex(), Sex::Female);
        assert_eq!(a.region_code(), "110105");
        assert_eq!(a.province(), Some("北京市"));
        assert!(!a.is_legacy());

        let b = ok("440524188001010014");
        assert_eq!(b.birth_date(), date(1880, 1, 1));
        assert_eq!(b.sex(), Sex::Male);
        assert_eq!(b.province(), Some("广东省"));
    }

    #[test]
    fn check_char_computed() {
        assert_eq!(check_char("11010519491231002"), Some('X'));
        assert_eq!(check_char("44052418800101001"), Some('4'));
        assert_eq!(check_char("32010619880229001"), Some('7'));
        assert_eq!(check_char("51010219991231567"), Some('0'));
        assert_eq!(check_char("1101051949123100"), None);
        assert_eq!(check_char("1101051949123100X"), None);
        assert_eq!(check_char("１１０１０５１９４９１２３１００２"), None);
        assert_eq!(ok("320106198802290017").sex(), Sex::Male);
        assert_eq!(ok("510102199912315670").province(), Some("四川省"));
    }

    #[test]
    fn wrong_check_digit() {
        assert_eq!(
            IdNumber::parse("110105194912310021"),
            Err(IdNumberError::CheckDigit {
                expected: 'X',
                found: '1'
            })
        );
        let e = IdNumber::parse("440524188001010015").unwrap_err();
        assert_eq!(
            e.to_string(),
            "身份证号码第18位校验码应为 4，输入的是 5，请核对号码"
        );
    }

    #[test]
    fn normalises_input() {
        assert_eq!(ok("11010519491231002x").as_str(), "11010519491231002X");
        assert_eq!(
            ok("１１０１０５１９４９１２３１００２Ｘ").as_str(),
            "11010519491231002X"
        );
        assert_eq!(
            ok("１１０１０５１９４９１２３１００２ｘ").as_str(),
            "11010519491231002X"
        );
        assert_eq!(ok(" 110105 19491231 002X\t").as_str(), "11010519491231002X");
        assert_eq!(normalize_query("１１０ １０５x"), "110105X");
    }

    #[test]
    fn legacy_numbers() {
        let l = ok("110105491231002");
        assert!(l.is_legacy());
        assert_eq!(l.birth_date(), date(1949, 12, 31));
        assert_eq!(l.sex(), Sex::Female);
        assert_eq!(l.masked(), "110105*****1002");
        let u = l.to_18();
        assert_eq!(u.as_str(), "11010519491231002X");
        assert_eq!(u, ok("11010519491231002X"));
        assert_eq!(u.to_18(), u);
        assert_eq!(ok("110105491231001").sex(), Sex::Male);
        // A 15-character number has no check character, so X is out of place anywhere.
        assert_eq!(
            IdNumber::parse("11010549123100X"),
            Err(IdNumberError::Char { pos: 15, ch: 'X' })
        );
    }

    #[test]
    fn leap_days_and_impossible_dates() {
        assert_eq!(ok("320106198802290017").birth_date(), date(1988, 2, 29));
        assert_eq!(ok("110105200002291235").birth_date(), date(2000, 2, 29));
        // 1900 is not a leap year; the check character is right, the date is not.
        let body = "11010519000229001";
        let id = format!("{body}{}", check_char(body).unwrap());
        assert!(matches!(
            IdNumber::parse(&id),
            Err(IdNumberError::BirthDate(_))
        ));
        let body = "11010519890229001";
        let id = format!("{body}{}", check_char(body).unwrap());
        assert!(matches!(
            IdNumber::parse(&id),
            Err(IdNumberError::BirthDate(_))
        ));
        let body = "11010519491331002";
        let id = format!("{body}{}", check_char(body).unwrap());
        let e = IdNumber::parse(&id).unwrap_err();
        assert_eq!(
            e.to_string(),
            "身份证号码中的出生日期 19491331 不是有效日期，请核对号码"
        );
        assert!(matches!(
            IdNumber::parse("110105491301002"),
            Err(IdNumberError::BirthDate(_))
        ));
        let body = "11010517990101001";
        let id = format!("{body}{}", check_char(body).unwrap());
        assert!(matches!(
            IdNumber::parse(&id),
            Err(IdNumberError::BirthDate(_))
        ));
    }

    #[test]
    fn future_birth_date_only_with_parse_on() {
        let body = "11010520300101001";
        let id = format!("{body}{}", check_char(body).unwrap());
        assert!(IdNumber::parse(&id).is_ok());
        let e = IdNumber::parse_on(&id, date(2025, 6, 1)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "身份证号码中的出生日期 2030年01月01日 晚于今天，请核对号码"
        );
        assert!(IdNumber::parse_on(&id, date(2030, 1, 1)).is_ok());
        assert!(IdNumber::parse_on("11010519491231002X", date(2025, 6, 1)).is_ok());
    }

    #[test]
    fn masked_forms() {
        assert_eq!(ok("11010519491231002X").masked(), "110105********002X");
        assert_eq!(ok("440524188001010014").masked(), "440524********0014");
    }

    #[test]
    fn regions() {
        assert_eq!(
            IdNumber::parse("000000000000000"),
            Err(IdNumberError::Region("00".into()))
        );
        let body = "71000019800101001";
        let tw = ok(&format!("{body}{}", check_char(body).unwrap()));
        assert_eq!(tw.province(), Some("台湾省"));
        let body = "81000019800101001";
        assert_eq!(
            ok(&format!("{body}{}", check_char(body).unwrap())).province(),
            Some("香港特别行政区")
        );
        let body = "83000019800101001";
        assert_eq!(
            ok(&format!("{body}{}", check_char(body).unwrap())).province(),
            None
        );
        let body = "99000019800101001";
        assert_eq!(
            IdNumber::parse(&format!("{body}{}", check_char(body).unwrap())),
            Err(IdNumberError::Region("99".into()))
        );
        assert_eq!(PROVINCES.len(), 34);
    }

    #[test]
    fn error_messages() {
        assert_eq!(IdNumber::parse("  "), Err(IdNumberError::Empty));
        let e = IdNumber::parse("110105194912").unwrap_err();
        assert_eq!(e, IdNumberError::Length(12));
        assert_eq!(
            e.to_string(),
            "身份证号码应为18位（或旧版15位），现在是 12 位，请核对号码"
        );
        assert_eq!(
            IdNumber::parse("1101051949一231002X"),
            Err(IdNumberError::Char { pos: 11, ch: '一' })
        );
        assert_eq!(
            IdNumber::parse("1101051949123100X2"),
            Err(IdNumberError::Char { pos: 17, ch: 'X' })
        );
    }

    #[test]
    fn garbage_never_panics() {
        let long = "1".repeat(10_000);
        let inputs = [
            "",
            "X",
            "x",
            "张三",
            "𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀𠀀",
            "11010519491231002X1",
            "XXXXXXXXXXXXXXXXXX",
            "999999999999999",
            "11010519491231002\u{0}",
            long.as_str(),
            "110105000000000",
            "11010500000000000X",
            "-11010519491231002",
        ];
        for s in inputs {
            let _ = IdNumber::parse(s);
            let _ = IdNumber::parse_on(s, NaiveDate::MIN);
            let _ = normalize_query(s);
            let _ = check_char(s);
        }
    }

    #[test]
    fn serde_revalidates() {
        let id = ok("11010519491231002X");
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"11010519491231002X\"");
        assert_eq!(serde_json::from_str::<IdNumber>(&json).unwrap(), id);
        assert!(serde_json::from_str::<IdNumber>("\"110105194912310021\"").is_err());
        assert_eq!(Sex::Male.label(), "男");
        assert_eq!(Sex::Female.label(), "女");
    }
}
