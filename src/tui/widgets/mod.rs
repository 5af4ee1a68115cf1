//! Small building blocks the screens share.

pub mod field;
pub mod form;
pub mod scroll;
pub mod text;

use ratatui::layout::Rect;
use ratatui::widgets::Clear;
use ratatui::Frame;

/// Clears the area of a popup. A wide character just left of it would spill
/// its second half over the popup's border, so it is blanked too.
pub fn clear_popup(f: &mut Frame, popup: Rect) {
    f.render_widget(Clear, popup);
    if popup.x == 0 {
        return;
    }
    let buffer = f.buffer_mut();
    for y in popup.y..popup.y + popup.height {
        let cell = &mut buffer[(popup.x - 1, y)];
        if text::width(cell.symbol()) > 1 {
            cell.set_symbol(" ");
        }
    }
}
