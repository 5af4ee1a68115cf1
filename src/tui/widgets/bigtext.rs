//! Ticket numbers drawn five rows high, so they can be read out across a counter.

use ratatui::text::Line;

const ROWS: usize = 5;

fn glyph(c: char) -> Option<[&'static str; ROWS]> {
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
        '-' => ["   ", "   ", "###", "   ", "   "],
        _ => return None,
    })
}

/// The digits and dashes of `text` in big letters (other characters are left out:
/// the caller prints the Chinese prefix beside them). `ascii` keeps `#`, otherwise
/// full blocks are used.
pub fn big_lines(text: &str, ascii: bool) -> Vec<Line<'static>> {
    let glyphs: Vec<_> = text.chars().filter_map(glyph).collect();
    (0..ROWS)
        .map(|row| {
            let line = glyphs.iter().map(|g| g[row]).collect::<Vec<_>>().join(" ");
            let line = if ascii {
                line
            } else {
                line.replace('#', "█")
            };
            Line::from(line)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn digits_become_five_rows() {
        let lines = super::big_lines("人社-017", true);
        assert_eq!(lines.len(), 5);
        // '-', '0', '1', '7'; the Chinese prefix is left to the caller.
        assert_eq!(lines[0].to_string(), "    ###  #  ###");
        assert_eq!(lines[2].to_string(), "### # #  #    #");
        assert_eq!(super::big_lines("1", false)[4].to_string(), "███");
    }
}
