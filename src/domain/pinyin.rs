//! Pinyin readings of names, so a desk officer can find a visitor by typing `zs` or `zhangsan`.

use ::pinyin::{Pinyin, ToPinyinMulti};

use super::text::{is_han, to_halfwidth};

/// How many reading combinations a name yields at most; names full of polyphonic characters
/// would otherwise multiply into thousands of index keys.
pub const MAX_COMBINATIONS: usize = 16;

/// Lookup keys of a name: initials (`zs`) and full readings (`zhangsan`), lowercase ASCII
/// without tones (ü written `v`), deduplicated, most common reading first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Readings {
    pub initials: Vec<String>,
    pub full: Vec<String>,
}

/// Surnames whose surname reading differs from the character's common reading; listed readings
/// come first for the first character of a name. The dictionary's common reading stays in the
/// list after them, as registrations are not always by the book.
static SURNAMES: [(char, &[&str]); 19] = [
    ('曾', &["zeng"]),
    ('单', &["shan"]),
    ('解', &["xie"]),
    ('仇', &["qiu"]),
    ('朴', &["piao"]),
    ('区', &["ou"]),
    ('查', &["zha"]),
    ('乐', &["yue", "le"]),
    ('尉', &["yu", "wei"]),
    ('覃', &["qin"]),
    ('盖', &["ge"]),
    ('缪', &["miao"]),
    ('翟', &["zhai"]),
    ('秘', &["bi"]),
    ('种', &["chong"]),
    ('繁', &["po"]),
    ('召', &["shao"]),
    ('员', &["yun"]),
    ('折', &["she"]),
];

/// Two-character surnames with a reading of their own.
static COMPOUND_SURNAMES: [(&str, [&str; 2]); 4] = [
    ("万俟", ["mo", "qi"]),
    ("尉迟", ["yu", "chi"]),
    ("单于", ["chan", "yu"]),
    ("澹台", ["tan", "tai"]),
];

/// Tone-less reading as lowercase ASCII: ü → v, ê → e.
fn ascii_reading(p: Pinyin) -> String {
    p.plain()
        .chars()
        .filter_map(|c| match c {
            'ü' => Some('v'),
            'ê' => Some('e'),
            c if c.is_ascii_alphabetic() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// Readings of one Han character, `preferred` first, without duplicates.
fn han_readings(c: char, preferred: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = preferred.iter().map(|s| s.to_string()).collect();
    for r in c.to_pinyin_multi().into_iter().flatten().map(ascii_reading) {
        if !r.is_empty() && !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

/// Splits a name into tokens, each with its candidate readings: one per Han character, one per
/// run of ASCII letters (lowercased). Everything else (`·`, spaces, other scripts) is skipped.
fn tokens(name: &str) -> Vec<Vec<String>> {
    let name = to_halfwidth(name);
    let name = name.trim();
    let compound = COMPOUND_SURNAMES
        .iter()
        .find(|(s, _)| name.starts_with(s))
        .map(|(_, r)| r);
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut word = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_alphabetic() {
            word.push(c.to_ascii_lowercase());
            continue;
        }
        if !word.is_empty() {
            out.push(vec![std::mem::take(&mut word)]);
        }
        if !is_han(c) {
            continue;
        }
        let preferred: &[&str] = match (compound, i) {
            (Some(r), 0 | 1) => std::slice::from_ref(&r[i]),
            (None, 0) => SURNAMES
                .iter()
                .find(|(s, _)| *s == c)
                .map_or(&[][..], |(_, r)| *r),
            _ => &[],
        };
        let readings = han_readings(c, preferred);
        if !readings.is_empty() {
            out.push(readings);
        }
    }
    if !word.is_empty() {
        out.push(vec![word]);
    }
    out
}

/// Visits, in lexicographic order, the reading-index tuples whose indices sum to `total`.
/// `slack[i]` is the most that positions `i..` can take together, which lets every step pick an
/// index that still leads to a complete tuple. Iterative, so absurdly long input cannot overflow
/// the stack. Returns false once `visit` asks to stop.
fn walk(
    tokens: &[Vec<String>],
    slack: &[usize],
    total: usize,
    visit: &mut dyn FnMut(&[usize]) -> bool,
) -> bool {
    // Smallest usable index >= `from` at position `i` with `left` still to distribute.
    let first = |i: usize, left: usize, from: usize| {
        let rest = slack.get(i + 1).copied().unwrap_or(0);
        let r = from.max(left.saturating_sub(rest));
        (r <= left && r < tokens.get(i).map_or(0, Vec::len)).then_some(r)
    };
    let mut picked = Vec::with_capacity(tokens.len());
    let mut left = total;
    loop {
        while let Some(r) = first(picked.len(), left, 0) {
            picked.push(r);
            left -= r;
        }
        if picked.len() == tokens.len() && left == 0 && !visit(&picked) {
            return false;
        }
        // Backtrack to the last position that can move on to its next index.
        loop {
            let Some(r) = picked.pop() else { return true };
            left += r;
            if let Some(next) = first(picked.len(), left, r + 1) {
                picked.push(next);
                left -= next;
                break;
            }
        }
    }
}

/// All readings of a name for lookup. Combinations are taken in order of how far they stray from
/// each character's most common reading (total rank), so the cap keeps the likeliest ones.
pub fn readings(name: &str) -> Readings {
    let tokens = tokens(name);
    if tokens.is_empty() {
        return Readings::default();
    }
    // slack[i]: total extra rank positions i.. can take.
    let mut slack = vec![0; tokens.len() + 1];
    for i in (0..tokens.len()).rev() {
        slack[i] = slack[i + 1] + tokens[i].len().saturating_sub(1);
    }

    let mut out = Readings::default();
    let mut count = 0;
    let mut visit = |picked: &[usize]| {
        let parts: Vec<&str> = picked
            .iter()
            .zip(&tokens)
            .filter_map(|(&r, t)| t.get(r).map(String::as_str))
            .collect();
        let full = parts.concat();
        let initials: String = parts.iter().filter_map(|p| p.chars().next()).collect();
        if !out.full.contains(&full) {
            out.full.push(full);
        }
        if !out.initials.contains(&initials) {
            out.initials.push(initials);
        }
        count += 1;
        count < MAX_COMBINATIONS
    };
    for total in 0..=slack[0] {
        if !walk(&tokens, &slack, total, &mut visit) {
            break;
        }
    }
    out
}

/// A query typed as pinyin: half-width, trimmed, lowercased, spaces removed. `None` when it is
/// empty or holds anything but ASCII letters (then it is not a pinyin query).
pub fn normalize_query(q: &str) -> Option<String> {
    let q: String = to_halfwidth(q)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (!q.is_empty() && q.chars().all(|c| c.is_ascii_lowercase())).then_some(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(r: &Readings, initials: &str, full: &str) -> bool {
        r.initials.iter().any(|s| s == initials) && r.full.iter().any(|s| s == full)
    }

    #[test]
    fn plain_name() {
        let r = readings("张三");
        assert_eq!(r.initials, ["zs"]);
        assert_eq!(r.full, ["zhangsan"]);
    }

    #[test]
    fn surname_reading_comes_first() {
        let r = readings("曾国藩");
        assert_eq!(r.full.first().map(String::as_str), Some("zengguofan"));
        assert_eq!(r.initials.first().map(String::as_str), Some("zgf"));
        assert!(has(&r, "cgf", "cengguofan"), "{r:?}");
    }

    #[test]
    fn listed_surnames_findable() {
        for (name, initials, full) in [
            ("单雄信", "sxx", "shanxiongxin"),
            ("解缙", "xj", "xiejin"),
            ("仇英", "qy", "qiuying"),
            ("朴树", "ps", "piaoshu"),
            ("区志明", "ozm", "ouzhiming"),
            ("查良镛", "zly", "zhaliangyong"),
            ("乐嘉", "yj", "yuejia"),
            ("乐嘉", "lj", "lejia"),
            ("尉缭", "yl", "yuliao"),
            ("覃雪梅", "qxm", "qinxuemei"),
            ("盖聂", "gn", "genie"),
            ("缪斯", "ms", "miaosi"),
            ("翟志刚", "zzg", "zhaizhigang"),
            ("召忽", "sh", "shaohu"),
            ("万俟卨", "mqx", "moqixie"),
            ("尉迟恭", "ycg", "yuchigong"),
        ] {
            let r = readings(name);
            assert!(has(&r, initials, full), "{name}: {r:?}");
        }
        // The surname reading is the first one offered, not merely present.
        assert_eq!(readings("单雄信").full[0], "shanxiongxin");
        assert_eq!(readings("解缙").initials[0], "xj");
    }

    #[test]
    fn surname_reading_only_for_first_character() {
        let r = readings("李曾");
        assert_eq!(r.full[0], "liceng");
    }

    #[test]
    fn latin_and_separators() {
        let r = readings("Li Ming");
        assert_eq!(r.initials, ["lm"]);
        assert_eq!(r.full, ["liming"]);
        let r = readings("买买提·艾力");
        assert!(has(&r, "mmtal", "maimaitiaili"), "{r:?}");
        assert_eq!(readings("吕 Wei").full[0], "lvwei");
        assert_eq!(readings("张3丰").full, ["zhangfeng"]);
    }

    #[test]
    fn cap_respected() {
        // Every character here has several readings.
        let r = readings("行长重和乐朴单解查");
        assert!(
            r.full.len() <= MAX_COMBINATIONS && r.full.len() > 1,
            "{}",
            r.full.len()
        );
        assert!(r.initials.len() <= r.full.len());
        let long = "和".repeat(200);
        let r = readings(&long);
        assert!(r.full.len() <= MAX_COMBINATIONS);
        assert_eq!(r.full[0], "he".repeat(200));
    }

    #[test]
    fn all_lowercase_ascii() {
        for name in ["欸女绿", "嗯呣", "吕布", "张三 Li"] {
            for s in readings(name).full.iter().chain(&readings(name).initials) {
                assert!(s.bytes().all(|b| b.is_ascii_lowercase()), "{name}: {s}");
            }
        }
    }

    #[test]
    fn empty_and_garbage() {
        assert_eq!(readings(""), Readings::default());
        assert_eq!(readings("123 ·・ ！"), Readings::default());
        assert_eq!(readings("\u{0}𠀀\u{FFFF}").full, ["he"]);
        let _ = readings(&"𠀀・a1".repeat(1000));
    }

    #[test]
    fn query_normalisation() {
        assert_eq!(normalize_query(" Zhang San "), Some("zhangsan".into()));
        assert_eq!(normalize_query("ｚｓ"), Some("zs".into()));
        assert_eq!(normalize_query("张三"), None);
        assert_eq!(normalize_query("zs1"), None);
        assert_eq!(normalize_query("  "), None);
    }
}
