//! Display-width helpers: Chinese characters take two columns, so padding and
//! cutting go by `unicode-width`, never by `len()` or `chars().count()`.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// The longest prefix of `s` that fits in `max` columns.
pub fn cut(s: &str, max: usize) -> &str {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > max {
            return &s[..i];
        }
        used += w;
    }
    s
}

/// `s` cut or padded with spaces to exactly `cols` columns.
pub fn fit(s: &str, cols: usize) -> String {
    let cut = cut(s, cols);
    format!("{cut}{}", " ".repeat(cols - width(cut)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cutting_and_padding_count_columns() {
        assert_eq!(width("信访-001"), 8);
        assert_eq!(cut("张三丰", 5), "张三");
        assert_eq!(fit("张三", 6), "张三  ");
        assert_eq!(fit("人社局abc", 7), "人社局a");
        assert_eq!(fit("张三丰", 5), "张三 ");
    }
}
