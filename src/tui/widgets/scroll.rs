//! Paging through text longer than its box with PgDn / PgUp.

/// Lines moved by one PgDn / PgUp.
pub const PAGE: u16 = 10;

/// Moves a scroll offset one page; the view clamps it to what there is.
pub fn page_scroll(scroll: &mut u16, down: bool) {
    *scroll = if down {
        scroll.saturating_add(PAGE)
    } else {
        scroll.saturating_sub(PAGE)
    };
}

/// The offset clamped so that the last line stays on screen.
pub fn clamp_scroll(scroll: u16, lines: usize) -> u16 {
    scroll.min(u16::try_from(lines.saturating_sub(1)).unwrap_or(u16::MAX))
}
