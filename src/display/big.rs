//! Block digits five rows tall, for ticket numbers read from across the hall.

/// Rows of one glyph, three cells wide; each cell is drawn two columns wide.
fn glyph(c: char) -> Option<[&'static str; 5]> {
    Some(match c {
        '0' => ["###", "# #", "# #", "# #", "###"],
        '1' => [" # ", "## ", " # ", " # ", "###"],
        '2' => ["###", "  #", "###", "#  ", "###"],
        '3' => ["###", "  #", "###", "  #", "###"],
        '4' => ["# #", "# #", "###", "  #", "  #"],
        '5' => ["###", "#  ", "###", "  #", "###"],
        '6' => ["###", "#  ", "###", "# #", "###"],
        '7' => ["###", "  #", "  #", "  #", "  #"],
        '8' => ["###", "# #", "###", "# #", "###"],
        '9' => ["###", "# #", "###", "  #", "###"],
        _ => return None,
    })
}

pub const HEIGHT: usize = 5;

/// The width `big_digits` draws `text` in.
pub fn width(text: &str) -> usize {
    text.chars().count() * 8
}

/// `text` in block digits, or `None` when it holds anything but digits.
pub fn big_digits(text: &str) -> Option<[String; HEIGHT]> {
    let glyphs = text.chars().map(glyph).collect::<Option<Vec<_>>>()?;
    if glyphs.is_empty() {
        return None;
    }
    let mut rows: [String; HEIGHT] = Default::default();
    for g in glyphs {
        for (row, line) in rows.iter_mut().zip(g) {
            for cell in line.chars() {
                row.push_str(if cell == '#' { "██" } else { "  " });
            }
            row.push_str("  ");
        }
    }
    for row in &mut rows {
        row.truncate(row.trim_end().len());
    }
    Some(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_drawn_and_anything_else_refused() {
        let rows = big_digits("07").unwrap();
        assert_eq!(rows[0], "██████  ██████");
        assert_eq!(rows[4], "██████      ██");
        assert!(rows.iter().all(|r| r.chars().count() <= width("07")));
        assert!(big_digits("A1").is_none());
        assert!(big_digits("").is_none());
    }
}
