//! Input fields. Each one draws itself and, when focused, puts the hardware
//! cursor at its caret (by display width), so an IME's candidate window opens
//! where the officer is typing.

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent};
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use ratatui_textarea::{TextArea, WrapMode};
use tui_input::backend::crossterm::to_input_request;
use tui_input::Input;

/// A single-line text field (tui-input), optionally shown as `*` for passwords.
#[derive(Clone, Debug, Default)]
pub struct TextField {
    input: Input,
    secret: bool,
}

impl TextField {
    pub fn secret() -> TextField {
        TextField {
            secret: true,
            ..TextField::default()
        }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    pub fn set(&mut self, value: &str) {
        self.input = Input::new(value.to_string());
    }

    pub fn clear(&mut self) {
        self.input.reset();
    }

    /// `Some(changed)` when the key is an editing key; `None` leaves it to others.
    pub fn handle(&mut self, key: KeyEvent) -> Option<bool> {
        let request = to_input_request(&Event::Key(key))?;
        Some(self.input.handle(request).is_some_and(|c| c.value))
    }

    pub fn render(&self, f: &mut Frame, area: Rect, style: Style, focused: bool) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        // Passwords: the same caret arithmetic over the starred text.
        let shown = if self.secret {
            let stars = "*".repeat(self.value().chars().count());
            Input::new(stars).with_cursor(self.input.cursor())
        } else {
            self.input.clone()
        };
        // One column is kept free for the caret after the last character.
        let room = usize::from(area.width).saturating_sub(1);
        let scroll = shown.visual_scroll(room);
        let text = Paragraph::new(shown.value().to_string())
            .style(style)
            .scroll((0, u16::try_from(scroll).unwrap_or(0)));
        f.render_widget(text, area);
        if focused {
            let x = shown.visual_cursor().saturating_sub(scroll);
            f.set_cursor_position(Position::new(
                area.x + u16::try_from(x).unwrap_or(0).min(area.width - 1),
                area.y,
            ));
        }
    }
}

/// Pick one of a fixed list with ←/→: `< 走访 >`.
#[derive(Clone, Debug, Default)]
pub struct Choice {
    labels: Vec<String>,
    index: usize,
}

impl Choice {
    pub fn new(labels: Vec<String>) -> Choice {
        Choice { labels, index: 0 }
    }

    pub fn index(&self) -> usize {
        self.index
    }

    pub fn select(&mut self, index: usize) {
        if index < self.labels.len() {
            self.index = index;
        }
    }

    pub fn label(&self) -> &str {
        self.labels.get(self.index).map_or("", String::as_str)
    }

    /// Columns the widest choice needs, with its `< >`.
    pub fn cols(&self) -> u16 {
        let widest = self
            .labels
            .iter()
            .map(|l| super::text::width(l))
            .max()
            .unwrap_or(0);
        u16::try_from(widest + 4).unwrap_or(u16::MAX)
    }

    /// ←/→ (and Space forward) change the choice, wrapping around.
    pub fn handle(&mut self, key: KeyEvent) -> Option<bool> {
        let n = self.labels.len();
        if n == 0 {
            return None;
        }
        let before = self.index;
        match key.code {
            KeyCode::Left => self.index = (self.index + n - 1) % n,
            KeyCode::Right | KeyCode::Char(' ') => self.index = (self.index + 1) % n,
            KeyCode::Home => self.index = 0,
            KeyCode::End => self.index = n - 1,
            _ => return None,
        }
        Some(before != self.index)
    }

    pub fn render(&self, f: &mut Frame, area: Rect, style: Style, focused: bool) {
        let line = Line::from(vec![
            Span::raw("< "),
            Span::raw(self.label().to_string()),
            Span::raw(" >"),
        ]);
        f.render_widget(Paragraph::new(line).style(style), area);
        if focused && area.width > 2 {
            f.set_cursor_position(Position::new(area.x + 2, area.y));
        }
    }
}

/// Multi-line text (ratatui-textarea), soft-wrapped at any character because
/// Chinese has no spaces to wrap at. Enter starts a new line; Tab is left to the form.
#[derive(Clone, Debug)]
pub struct TextBox {
    area: TextArea<'static>,
}

impl Default for TextBox {
    fn default() -> Self {
        let mut area = TextArea::default();
        area.set_wrap_mode(WrapMode::Glyph);
        // The hardware cursor marks the caret; no drawn cursor or underlined line.
        area.set_cursor_style(Style::default());
        area.set_cursor_line_style(Style::default());
        TextBox { area }
    }
}

impl TextBox {
    /// The text with lines joined by `\n`.
    pub fn value(&self) -> String {
        self.area.lines().join("\n")
    }

    pub fn clear(&mut self) {
        *self = TextBox::default();
    }

    pub fn handle(&mut self, key: KeyEvent) -> Option<bool> {
        if matches!(key.code, KeyCode::Tab | KeyCode::BackTab | KeyCode::Esc) {
            return None;
        }
        if matches!(key.code, KeyCode::F(_)) {
            return None;
        }
        let before = self.area.lines().len();
        let changed = self.area.input(key);
        Some(changed || before != self.area.lines().len())
    }

    pub fn render(&self, f: &mut Frame, area: Rect, style: Style, focused: bool) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let mut shown = self.area.clone();
        shown.set_style(style);
        f.render_widget(&shown, area);
        if focused {
            let caret = shown.screen_cursor();
            let (top, left) = shown.scroll_offset();
            let row = u16::try_from(caret.row).unwrap_or(0).saturating_sub(top);
            let col = u16::try_from(caret.col).unwrap_or(0).saturating_sub(left);
            f.set_cursor_position(Position::new(
                area.x + col.min(area.width - 1),
                area.y + row.min(area.height - 1),
            ));
        }
    }
}
