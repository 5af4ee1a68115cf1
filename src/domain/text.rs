//! Small text helpers shared by the domain parsers.
//!
//! Desk officers type through a Chinese IME, which readily produces full-width digits, letters
//! and spaces; every parser folds those to ASCII first so `１３８…` and `138…` are the same.

/// Folds full-width ASCII variants (U+FF01..=U+FF5E) and the ideographic space (U+3000) to ASCII.
/// Every other character is kept, so character positions are unchanged.
pub fn to_halfwidth(s: &str) -> String {
    s.chars().map(halfwidth_char).collect()
}

fn halfwidth_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        // The full-width block mirrors ASCII 0x21..=0x7E at a fixed offset.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Whether `c` is a Han character (CJK unified ideographs, extension A, compatibility
/// ideographs, and the supplementary planes that hold extensions B onwards — rare characters
/// do occur in personal names).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3FFFF}')
}

/// Length in characters (not bytes), as length limits on Chinese text are meant.
pub fn char_count(s: &str) -> usize {
    s.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halfwidth_folds_ime_output() {
        assert_eq!(to_halfwidth("１３８　ＡＢｘ－（）"), "138 ABx-()");
        assert_eq!(to_halfwidth("！～"), "!~");
        assert_eq!(to_halfwidth("张三·abc"), "张三·abc");
        assert_eq!(to_halfwidth(""), "");
    }

    #[test]
    fn han_ranges() {
        for c in ['张', '㐀', '𠀀', '豈', '一'] {
            assert!(is_han(c), "{c}");
        }
        for c in ['a', '1', '·', '　', 'あ', '한', '１'] {
            assert!(!is_han(c), "{c}");
        }
    }

    #[test]
    fn counts_chars_not_bytes() {
        assert_eq!(char_count("张三"), 2);
        assert_eq!(char_count("a𠀀"), 2);
        assert_eq!(char_count(""), 0);
    }
}
