//! Laying out labelled rows: `  身份证号 [input      ] 错误或提示`.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::field::TextField;
use super::text::{fit, width};
use crate::tui::component::{is_back_tab, Consumed};
use crate::tui::theme::Theme;

/// Draws `label` in a column `label_cols` wide (a `>` marks focus) and returns
/// the rest of the row for the input.
pub fn label_cell(
    f: &mut Frame,
    row: Rect,
    label: &str,
    label_cols: u16,
    focused: bool,
    theme: &Theme,
) -> Rect {
    let cols = label_cols.min(row.width);
    let marker = if focused { ">" } else { " " };
    let style = if focused {
        theme.focused_label()
    } else {
        theme.label()
    };
    let text = fit(&format!("{marker}{label}"), usize::from(cols));
    f.render_widget(
        Paragraph::new(Line::from(Span::styled(text, style))),
        Rect { width: cols, ..row },
    );
    Rect {
        x: row.x + cols,
        width: row.width - cols,
        ..row
    }
}

/// Splits a row's input part into the input (`want` columns at most, at least
/// `min` when a note is beside it) and the note's part.
pub fn with_note(area: Rect, want: u16, note: &str, min: u16) -> (Rect, Rect) {
    let note_cols = if note.is_empty() {
        0
    } else {
        (width(note) as u16 + 1).min(area.width.saturating_sub(min))
    };
    let input_cols = want.min(area.width - note_cols);
    let input = Rect {
        width: input_cols,
        ..area
    };
    let note_area = Rect {
        x: area.x + input_cols + 1,
        width: area.width.saturating_sub(input_cols + 1),
        ..area
    };
    (input, note_area)
}

/// `>账号 [input      ] 错误`: a labelled field with its message beside it.
pub struct FieldRow<'a> {
    pub label: &'a str,
    /// The label's and the input's widths.
    pub cols: (u16, u16),
    pub focused: bool,
    pub note: &'a str,
}

impl FieldRow<'_> {
    pub fn draw(&self, f: &mut Frame, row: Rect, field: &TextField, theme: &Theme) {
        let rest = label_cell(f, row, self.label, self.cols.0, self.focused, theme);
        let (input, note_area) = with_note(rest, self.cols.1, self.note, 12);
        let style = theme.input_for(self.focused);
        field.render(f, input, style, self.focused);
        f.render_widget(
            Paragraph::new(Span::styled(self.note, theme.error())),
            note_area,
        );
    }
}

/// The opening of the account screens: `标签：值` in bold, then what to do.
pub fn intro(f: &mut Frame, area: Rect, label: &str, value: String, what: String, theme: &Theme) {
    let text = vec![
        Line::from(vec![
            Span::styled(label.to_string(), theme.label()),
            Span::styled(value, theme.strong()),
        ]),
        Line::from(what),
    ];
    f.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

/// What a key did in a column of text fields.
pub enum ColumnKey {
    /// Enter on the last field: the form is to be sent.
    Submit,
    Done(Consumed),
}

/// Keys of a column of text fields: Tab/↓ and Shift-Tab/↑ move round, Enter moves
/// on and on the last field asks to submit; other keys edit the focused field.
pub fn column_event(fields: &mut [TextField], focus: &mut usize, key: KeyEvent) -> ColumnKey {
    let n = fields.len();
    match key.code {
        KeyCode::Tab | KeyCode::Down if !is_back_tab(&key) => *focus = (*focus + 1) % n,
        KeyCode::BackTab | KeyCode::Up | KeyCode::Tab => *focus = (*focus + n - 1) % n,
        KeyCode::Enter if *focus + 1 < n => *focus += 1,
        KeyCode::Enter => return ColumnKey::Submit,
        _ => {
            return ColumnKey::Done(match fields[*focus].handle(key) {
                Some(_) => Consumed::Yes,
                None => Consumed::No,
            })
        }
    }
    ColumnKey::Done(Consumed::Yes)
}
