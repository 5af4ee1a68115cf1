//! Small building blocks the screens share.

pub mod bigtext;
pub mod field;
pub mod form;
pub mod text;

use ratatui::layout::Rect;
use ratatui::widgets::Clear;
use ratatui::Frame;

/// Clears the area of a popup and one column either side: a wide character just
/// outside it would otherwise spill over its border.
pub fn clear_popup(f: &mut Frame, popup: Rect) {
    let screen = f.area();
    let x = popup.x.saturating_sub(1).max(screen.x);
    let right = (popup.x + popup.width + 1).min(screen.x + screen.width);
    f.render_widget(
        Clear,
        Rect {
            x,
            width: right - x,
            ..popup
        },
    );
}
