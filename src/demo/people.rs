//! Generated people: names, identity numbers, phones and addresses that look
//! like a city hall's visitors (most from the hall's own city, some from afar).

use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate};
use rand::distributions::WeightedIndex;
use rand::prelude::*;

use crate::domain::identity::{check_char, IdNumber};
use crate::domain::name::PersonName;
use crate::domain::phone::Phone;

/// Common surnames with their approximate share of the population in units of
/// 0.01 %, followed by rarer ones whose surname reading differs from the
/// character's common reading, so lookups by pinyin meet them.
const SURNAMES: [(&str, u32); 72] = [
    ("王", 710),
    ("李", 700),
    ("张", 670),
    ("刘", 540),
    ("陈", 450),
    ("杨", 310),
    ("黄", 220),
    ("赵", 200),
    ("吴", 200),
    ("周", 190),
    ("徐", 130),
    ("孙", 120),
    ("马", 120),
    ("朱", 110),
    ("胡", 110),
    ("郭", 100),
    ("何", 100),
    ("高", 90),
    ("林", 90),
    ("罗", 85),
    ("郑", 80),
    ("梁", 80),
    ("谢", 70),
    ("宋", 65),
    ("唐", 65),
    ("许", 60),
    ("韩", 60),
    ("冯", 55),
    ("邓", 55),
    ("曹", 55),
    ("彭", 50),
    ("曾", 50),
    ("肖", 50),
    ("田", 45),
    ("董", 45),
    ("袁", 45),
    ("潘", 40),
    ("于", 40),
    ("蒋", 40),
    ("蔡", 40),
    ("余", 40),
    ("杜", 40),
    ("叶", 40),
    ("程", 40),
    ("苏", 35),
    ("魏", 35),
    ("吕", 35),
    ("丁", 35),
    ("任", 35),
    ("沈", 30),
    ("姚", 30),
    ("卢", 30),
    ("姜", 30),
    ("崔", 30),
    ("钟", 30),
    ("谭", 30),
    ("陆", 30),
    ("汪", 30),
    ("覃", 10),
    ("欧阳", 8),
    ("司马", 2),
    ("上官", 2),
    ("诸葛", 2),
    ("单", 6),
    ("解", 6),
    ("仇", 6),
    ("朴", 5),
    ("区", 5),
    ("查", 5),
    ("乐", 5),
    ("尉", 4),
    ("缪", 5),
];

const GIVEN_MALE: &str =
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林欢阳建国志峰振海东亮成晨新德春文军";
const GIVEN_FEMALE: &str =
    "芳娜敏静丽艳娟霞秀玲桂英红梅琳雪慧颖倩婷兰萍燕洁琴云莲真环凤珍晶莉妍丹蓉佳欣怡";
const GIVEN_ANY: &str = "子一思天嘉家永玉小金荣庆安德瑞雨佳晓宏";

/// One county-level region: code, and how its addresses are written.
struct Region {
    code: &'static str,
    place: &'static str,
}

/// The hall's own city (changed here, the whole demo moves): most visitors live here.
const LOCAL: [Region; 9] = [
    Region {
        code: "430102",
        place: "湖南省长沙市芙蓉区",
    },
    Region {
        code: "430103",
        place: "湖南省长沙市天心区",
    },
    Region {
        code: "430104",
        place: "湖南省长沙市岳麓区",
    },
    Region {
        code: "430105",
        place: "湖南省长沙市开福区",
    },
    Region {
        code: "430111",
        place: "湖南省长沙市雨花区",
    },
    Region {
        code: "430112",
        place: "湖南省长沙市望城区",
    },
    Region {
        code: "430121",
        place: "湖南省长沙市长沙县",
    },
    Region {
        code: "430181",
        place: "湖南省浏阳市",
    },
    Region {
        code: "430182",
        place: "湖南省宁乡市",
    },
];

const ELSEWHERE: [Region; 12] = [
    Region {
        code: "110105",
        place: "北京市朝阳区",
    },
    Region {
        code: "310104",
        place: "上海市徐汇区",
    },
    Region {
        code: "440106",
        place: "广东省广州市天河区",
    },
    Region {
        code: "440304",
        place: "广东省深圳市福田区",
    },
    Region {
        code: "420106",
        place: "湖北省武汉市武昌区",
    },
    Region {
        code: "360102",
        place: "江西省南昌市东湖区",
    },
    Region {
        code: "500103",
        place: "重庆市渝中区",
    },
    Region {
        code: "510104",
        place: "四川省成都市锦江区",
    },
    Region {
        code: "430602",
        place: "湖南省岳阳市岳阳楼区",
    },
    Region {
        code: "430302",
        place: "湖南省湘潭市雨湖区",
    },
    Region {
        code: "431002",
        place: "湖南省郴州市北湖区",
    },
    Region {
        code: "450103",
        place: "广西壮族自治区南宁市青秀区",
    },
];

/// Area code of the hall's city, for landlines.
const LOCAL_AREA_CODE: &str = "0731";

const STREETS: [&str; 16] = [
    "五一大道",
    "芙蓉中路",
    "韶山北路",
    "人民东路",
    "解放西路",
    "劳动西路",
    "东二环",
    "麓山南路",
    "枫林一路",
    "雨花亭路",
    "金星北路",
    "星沙大道",
    "建设路",
    "车站北路",
    "湘江中路",
    "书院路",
];

const ESTATES: [&str; 12] = [
    "幸福里小区",
    "锦绣华庭",
    "阳光新城",
    "和平小区",
    "金色家园",
    "湘江世纪城",
    "枫林绿洲",
    "东方明珠花园",
    "向阳小区",
    "南湖新村",
    "工人新村",
    "桂花苑",
];

#[derive(Clone, Debug)]
pub struct Person {
    pub name: PersonName,
    pub id_number: Option<IdNumber>,
    pub phone: Option<Phone>,
    pub address: String,
    /// The district or county the person lives in, for where their problems are.
    pub place: &'static str,
}

/// Draws people; holds the weighted tables so each draw is cheap.
pub struct PeopleGen {
    surnames: WeightedIndex<u32>,
    /// Identity numbers handed out so far, packed by [`number_key`]: each person once.
    issued: HashSet<u32>,
    male: Vec<char>,
    female: Vec<char>,
    any: Vec<char>,
}

impl Default for PeopleGen {
    fn default() -> Self {
        PeopleGen::new()
    }
}

impl PeopleGen {
    pub fn new() -> PeopleGen {
        PeopleGen {
            surnames: WeightedIndex::new(SURNAMES.iter().map(|(_, w)| *w))
                .expect("the surname weights are positive"),
            issued: HashSet::new(),
            male: GIVEN_MALE.chars().collect(),
            female: GIVEN_FEMALE.chars().collect(),
            any: GIVEN_ANY.chars().collect(),
        }
    }

    /// A person alive on `today`, aged 18 to 85, with an identity number nobody else got.
    pub fn person(&mut self, rng: &mut StdRng, today: NaiveDate) -> Person {
        let male = rng.gen_bool(0.55);
        let (slot, region) = if rng.gen_bool(0.8) {
            let i = rng.gen_range(0..LOCAL.len());
            (i, &LOCAL[i])
        } else {
            let i = rng.gen_range(0..ELSEWHERE.len());
            (LOCAL.len() + i, &ELSEWHERE[i])
        };
        // Two people with one number would be one visitor in a real hall.
        let (born, seq) = loop {
            let born = birth_date(rng, today);
            let seq = sequence(rng, male);
            if self.issued.insert(number_key(slot, born, seq)) {
                break (born, seq);
            }
        };
        let id_number = match rng.gen_range(0..100) {
            0..=2 => None,
            3..=4 if born.year() < 2000 => Some(legacy_id(region.code, born, seq)),
            _ => Some(id18(region.code, born, seq)),
        };
        // Where they live now: the region of the number for most, the hall's city for the rest.
        let home = if rng.gen_bool(0.85) {
            region
        } else {
            LOCAL.choose(rng).unwrap_or(&LOCAL[0])
        };
        Person {
            name: self.name(rng, male),
            id_number,
            phone: phone(rng),
            address: address(rng, home.place),
            place: home.place,
        }
    }

    fn name(&self, rng: &mut StdRng, male: bool) -> PersonName {
        let surname = SURNAMES[self.surnames.sample(rng)].0;
        let pool = if male { &self.male } else { &self.female };
        let mut given = String::new();
        let len = if rng.gen_bool(0.2) { 1 } else { 2 };
        for i in 0..len {
            let from = if i == 0 && len == 2 && rng.gen_bool(0.3) {
                &self.any
            } else {
                pool
            };
            given.push(from.choose(rng).copied().unwrap_or('明'));
        }
        PersonName::parse(&format!("{surname}{given}"))
            .unwrap_or_else(|_| unreachable!("generated names are Han characters only"))
    }

    /// Representatives' names for a group visit.
    pub fn names(&self, rng: &mut StdRng, count: usize) -> Vec<PersonName> {
        (0..count)
            .map(|_| {
                let male = rng.gen_bool(0.5);
                self.name(rng, male)
            })
            .collect()
    }
}

/// Ages weighted towards 35–65, the usual visitors of a petition hall.
fn birth_date(rng: &mut StdRng, today: NaiveDate) -> NaiveDate {
    let age: i64 = match rng.gen_range(0..10) {
        0 => rng.gen_range(18..35),
        1..=7 => rng.gen_range(35..66),
        _ => rng.gen_range(66..86),
    };
    today - Duration::days(age * 365 + rng.gen_range(0..365))
}

/// Sequence code: odd for men, even for women.
fn sequence(rng: &mut StdRng, male: bool) -> u32 {
    let base = rng.gen_range(0..500) * 2;
    if male {
        base + 1
    } else {
        base
    }
}

/// Region slot (5 bits), birth day (16 bits) and sequence (10 bits) in one number: a legacy
/// number and its 18-character form get the same key, as they name the same person.
fn number_key(slot: usize, born: NaiveDate, seq: u32) -> u32 {
    let epoch = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default();
    let days = (born - epoch).num_days().clamp(0, 0xffff) as u32;
    ((slot as u32) << 26) | (days << 10) | seq
}

/// An 18-character number with its check character.
pub fn id18(region: &str, born: NaiveDate, seq: u32) -> IdNumber {
    let first17 = format!("{region}{}{seq:03}", born.format("%Y%m%d"));
    let check = check_char(&first17).unwrap_or('0');
    IdNumber::parse(&format!("{first17}{check}"))
        .unwrap_or_else(|e| unreachable!("generated identity number {first17} invalid: {e}"))
}

/// An old 15-digit number (two-digit year, no check character), as in old records.
pub fn legacy_id(region: &str, born: NaiveDate, seq: u32) -> IdNumber {
    let number = format!("{region}{}{seq:03}", born.format("%y%m%d"));
    IdNumber::parse(&number)
        .unwrap_or_else(|e| unreachable!("generated legacy number {number} invalid: {e}"))
}

/// Mostly mobiles, some landlines, a few people without a phone.
fn phone(rng: &mut StdRng) -> Option<Phone> {
    let text = match rng.gen_range(0..100) {
        0..=3 => return None,
        4..=13 => format!(
            "{LOCAL_AREA_CODE}-{}{:07}",
            rng.gen_range(2..=8),
            rng.gen_range(0..10_000_000)
        ),
        _ => {
            const PREFIXES: [&str; 12] = [
                "130", "131", "135", "136", "138", "139", "150", "152", "158", "177", "186", "199",
            ];
            let prefix = PREFIXES.choose(rng).copied().unwrap_or("138");
            format!("{prefix}{:08}", rng.gen_range(0..100_000_000))
        }
    };
    Some(Phone::parse(&text).unwrap_or_else(|e| unreachable!("generated phone {text}: {e}")))
}

fn address(rng: &mut StdRng, place: &str) -> String {
    let street = STREETS.choose(rng).copied().unwrap_or("人民路");
    if rng.gen_bool(0.25) {
        let village = ["新河村", "黄花村", "金桥村", "白沙村", "石门村"]
            .choose(rng)
            .copied()
            .unwrap_or("新河村");
        return format!(
            "{place}{village}{}组{}号",
            rng.gen_range(1..15),
            rng.gen_range(1..80)
        );
    }
    let estate = ESTATES.choose(rng).copied().unwrap_or("幸福里小区");
    format!(
        "{place}{street}{}号{estate}{}栋{}单元{}室",
        rng.gen_range(1..400),
        rng.gen_range(1..30),
        rng.gen_range(1..6),
        rng.gen_range(1..33) * 100 + rng.gen_range(1..5)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    #[test]
    fn generated_identity_numbers_are_valid_and_plausible() {
        let mut people = PeopleGen::new();
        let mut rng = StdRng::seed_from_u64(7);
        let (mut full, mut legacy, mut none) = (0, 0, 0);
        for _ in 0..3000 {
            let p = people.person(&mut rng, today());
            match &p.id_number {
                None => none += 1,
                Some(n) => {
                    // Re-parsing checks the check character and the date from scratch.
                    let again = IdNumber::parse_on(n.as_str(), today()).unwrap();
                    assert_eq!(&again, n);
                    let age = today().year() - n.birth_date().year();
                    assert!((17..=87).contains(&age), "{n} age {age}");
                    assert!(n.province().is_some(), "{n}");
                    if n.is_legacy() {
                        legacy += 1;
                    } else {
                        full += 1;
                    }
                }
            }
            assert!(PersonName::parse(p.name.as_str()).is_ok());
            let chars = p.name.as_str().chars().count();
            assert!((2..=4).contains(&chars), "{}", p.name);
            assert!(p.address.starts_with(p.place));
        }
        assert!(full > 2700, "{full}");
        assert!(legacy > 10 && none > 30, "legacy {legacy} none {none}");
    }

    #[test]
    fn sex_follows_the_sequence_code() {
        let born = NaiveDate::from_ymd_opt(1970, 2, 28).unwrap();
        let m = id18("430104", born, 123);
        let f = id18("430104", born, 124);
        assert_eq!(m.sex().label(), "男");
        assert_eq!(f.sex().label(), "女");
        assert_eq!(m.birth_date(), born);
        let old = legacy_id("430104", born, 123);
        assert!(old.is_legacy());
        assert_eq!(old.birth_date(), born);
        assert_eq!(old.to_18(), m);
    }

    #[test]
    fn polyphonic_surnames_and_landlines_occur() {
        let mut people = PeopleGen::new();
        let mut rng = StdRng::seed_from_u64(3);
        let mut polyphonic = 0;
        let mut landlines = 0;
        for _ in 0..20_000 {
            let p = people.person(&mut rng, today());
            if "单解仇朴区查乐尉".contains(p.name.as_str().chars().next().unwrap()) {
                polyphonic += 1;
            }
            if p.phone.as_ref().is_some_and(|ph| !ph.is_mobile()) {
                landlines += 1;
            }
        }
        assert!(polyphonic > 20, "{polyphonic}");
        // Nobody shares a number, not even through its legacy form.
        let mut numbers = HashSet::new();
        for _ in 0..20_000 {
            if let Some(n) = people.person(&mut rng, today()).id_number {
                assert!(numbers.insert(n.to_18()), "{n} twice");
            }
        }
        assert!(landlines > 1000, "{landlines}");
    }
}
