//! Small building blocks the screens share.

pub mod field;
pub mod form;
pub mod scroll;
pub mod text;

use ratatui::layout::Rect;
use ratatui::widgets::Clear;
use ratatui::Frame;

/// A popup of at most `width`×`height`, centred in `area` and blanked: the
/// rectangle to draw it in.
pub fn open_popup(f: &mut Frame, area: Rect, width: u16, height: u16) -> Rect {
    let (width, height) = (area.width.min(width), area.height.min(height));
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    clear_popup(f, popup);
    popup
}

/// Clears the area of a popup. A wide character just left of it would spill
/// its second half over the popup's border, so it is blanked too.
fn clear_popup(f: &mut Frame, popup: Rect) {
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
