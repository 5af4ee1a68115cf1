//! Personal names (姓名): normalisation and validation.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::text::{char_count, is_han, to_halfwidth};

/// A normalised personal name: no spaces inside Han names (`张三`), single spaces between Latin
/// words (`Li Ming`), `·` between the parts of minority names (`买买提·艾力`).
///
/// Deserialisation re-validates, so the invariants hold for stored values too.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum NameError {
    #[error("姓名为空，请输入姓名")]
    Empty,
    #[error("姓名中没有汉字或字母，请输入姓名")]
    NoLetter,
    #[error("姓名第{pos}个字符是不可见的控制字符，请删除后重新输入")]
    Control { pos: usize },
    #[error("姓名第{pos}个字「{ch}」是数字，姓名中不能有数字，请核对")]
    Digit { pos: usize, ch: char },
    #[error("姓名最多 {max} 个字，现在是 {0} 个字，请核对", max = PersonName::MAX_CHARS)]
    TooLong(usize),
}

/// Separator dots an IME or a paste may give for the `·` of minority names (．is folded to `.`
/// by [`to_halfwidth`]). Only normalised when between Han characters, so `J. Smith` stays.
const DOT_LOOKALIKES: [char; 6] = ['.', '•', '・', '‧', '∙', '。'];
const MIDDLE_DOT: char = '·';

/// Whether the first non-space character along `side` is Han.
fn nearest_is_han<'a>(mut side: impl Iterator<Item = &'a char>) -> bool {
    side.find(|c| !c.is_whitespace())
        .is_some_and(|&c| is_han(c))
}

impl PersonName {
    pub const MAX_CHARS: usize = 50;

    pub fn parse(input: &str) -> Result<PersonName, NameError> {
        let mut chars = Vec::new();
        // to_halfwidth maps char to char, so positions here match what the officer typed.
        for (i, c) in to_halfwidth(input).chars().enumerate() {
            match c {
                // Zero-width space and BOM ride along with pasted text and are never meant.
                '\u{200B}' | '\u{FEFF}' => continue,
                c if c.is_control() && !c.is_whitespace() => {
                    return Err(NameError::Control { pos: i + 1 })
                }
                // 〇 is numeric to Unicode but is written as a Han character in names.
                c if c.is_numeric() && c != '〇' => {
                    return Err(NameError::Digit { pos: i + 1, ch: c })
                }
                c => chars.push(c),
            }
        }

        let mut out = String::new();
        let mut pending_space = false;
        for (i, &c) in chars.iter().enumerate() {
            if c.is_whitespace() {
                pending_space = !out.is_empty();
                continue;
            }
            let between_han =
                || nearest_is_han(chars[..i].iter().rev()) && nearest_is_han(chars[i + 1..].iter());
            let c = if DOT_LOOKALIKES.contains(&c) && between_han() {
                MIDDLE_DOT
            } else {
                c
            };
            if pending_space {
                // Spaces inside a Han name or around the middle dot are typing noise.
                let prev = out.chars().next_back();
                let joined = (prev.is_some_and(is_han) && is_han(c))
                    || prev == Some(MIDDLE_DOT)
                    || c == MIDDLE_DOT;
                if !joined {
                    out.push(' ');
                }
                pending_space = false;
            }
            out.push(c);
        }

        if out.is_empty() {
            return Err(NameError::Empty);
        }
        if !out.chars().any(char::is_alphabetic) {
            return Err(NameError::NoLetter);
        }
        let n = char_count(&out);
        if n > Self::MAX_CHARS {
            return Err(NameError::TooLong(n));
        }
        Ok(PersonName(out))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for PersonName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PersonName {
    type Error = NameError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        PersonName::parse(&s)
    }
}

impl From<PersonName> for String {
    fn from(n: PersonName) -> String {
        n.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> String {
        PersonName::parse(s)
            .unwrap_or_else(|e| panic!("{s:?}: {e}"))
            .0
    }

    #[test]
    fn han_names_lose_inner_spaces() {
        assert_eq!(ok("张三"), "张三");
        assert_eq!(ok("张 三"), "张三");
        assert_eq!(ok("张　三"), "张三");
        assert_eq!(ok("  欧阳  娜娜 \t"), "欧阳娜娜");
        assert_eq!(ok("王〇"), "王〇");
    }

    #[test]
    fn latin_names_keep_one_space() {
        assert_eq!(ok("Li  Ming"), "Li Ming");
        assert_eq!(ok("Ｌｉ　Ｍｉｎｇ"), "Li Ming");
        assert_eq!(ok("J. Smith"), "J. Smith");
        assert_eq!(ok("张 Wei"), "张 Wei");
    }

    #[test]
    fn minority_name_dots() {
        assert_eq!(ok("买买提·艾力"), "买买提·艾力");
        assert_eq!(ok("买买提•艾力"), "买买提·艾力");
        assert_eq!(ok("买买提．艾力"), "买买提·艾力");
        assert_eq!(ok("买买提・艾力"), "买买提·艾力");
        assert_eq!(ok("买买提 · 艾力"), "买买提·艾力");
        assert_eq!(ok("买买提 . 艾力"), "买买提·艾力");
        assert_eq!(ok("阿沛·阿旺晋美"), "阿沛·阿旺晋美");
    }

    #[test]
    fn rejects() {
        assert_eq!(PersonName::parse(""), Err(NameError::Empty));
        assert_eq!(PersonName::parse(" 　\t"), Err(NameError::Empty));
        assert_eq!(PersonName::parse("··"), Err(NameError::NoLetter));
        assert_eq!(
            PersonName::parse("张\u{7}三"),
            Err(NameError::Control { pos: 2 })
        );
        assert_eq!(
            PersonName::parse("张三2"),
            Err(NameError::Digit { pos: 3, ch: '2' })
        );
        assert_eq!(
            PersonName::parse("张三２"),
            Err(NameError::Digit { pos: 3, ch: '2' })
        );
        let e = PersonName::parse(&"张".repeat(51)).unwrap_err();
        assert_eq!(e, NameError::TooLong(51));
        assert_eq!(e.to_string(), "姓名最多 50 个字，现在是 51 个字，请核对");
        assert_eq!(ok(&"张".repeat(50)).chars().count(), 50);
    }

    #[test]
    fn invisible_paste_residue_is_dropped() {
        assert_eq!(ok("\u{FEFF}张\u{200B}三"), "张三");
    }

    #[test]
    fn garbage_never_panics() {
        let long = "𠀀 ".repeat(10_000);
        for s in [
            ".",
            "•张",
            "张•",
            " · ",
            "\u{0}",
            "𠀀",
            long.as_str(),
            "\n\r张\n三\n",
        ] {
            let _ = PersonName::parse(s);
        }
        assert_eq!(ok("\n张\n三\n"), "张三");
    }

    #[test]
    fn serde_revalidates() {
        let n = PersonName::parse("张三").unwrap();
        let json = serde_json::to_string(&n).unwrap();
        assert_eq!(json, "\"张三\"");
        assert_eq!(serde_json::from_str::<PersonName>(&json).unwrap(), n);
        assert!(serde_json::from_str::<PersonName>("\"\"").is_err());
    }
}
