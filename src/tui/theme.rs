//! Colours and border symbols. Only the 16 basic colours, and background colours
//! from the first eight, so the desk reads the same on the Linux console.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;
use ratatui::widgets::{Block, Borders};

use crate::domain::lifecycle::Tier;
use crate::domain::visitor::KeyGrade;

/// `+ - |` borders for terminals that draw box characters double-width.
const ASCII: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

#[derive(Clone, Copy, Debug)]
pub struct Theme {
    pub ascii: bool,
}

impl Theme {
    pub fn block<'a>(&self, title: &'a str) -> Block<'a> {
        let set = if self.ascii { ASCII } else { border::PLAIN };
        Block::default()
            .borders(Borders::ALL)
            .border_set(set)
            .border_style(Style::default().fg(Color::Gray))
            .title(title)
            .title_style(self.title())
    }

    /// A horizontal rule inside a panel.
    pub fn rule(&self) -> &'static str {
        if self.ascii {
            "-"
        } else {
            "─"
        }
    }

    pub fn title(&self) -> Style {
        Style::default()
            .fg(Color::LightCyan)
            .add_modifier(Modifier::BOLD)
    }

    /// The header turned into a warning: white on red, readable on the Linux console.
    pub fn banner(&self) -> Style {
        Style::default()
            .fg(Color::White)
            .bg(Color::Red)
            .add_modifier(Modifier::BOLD)
    }

    pub fn header(&self) -> Style {
        Style::default().bg(Color::Blue).fg(Color::White)
    }

    pub fn label(&self) -> Style {
        Style::default().fg(Color::Gray)
    }

    pub fn dim(&self) -> Style {
        Style::default().fg(Color::DarkGray)
    }

    pub fn text(&self) -> Style {
        Style::default()
    }

    pub fn strong(&self) -> Style {
        Style::default()
            .fg(Color::White)
            .add_modifier(Modifier::BOLD)
    }

    pub fn key(&self) -> Style {
        Style::default().fg(Color::Black).bg(Color::Cyan)
    }

    /// The input area of the focused field.
    pub fn focused_input(&self) -> Style {
        Style::default().fg(Color::White).bg(Color::Blue)
    }

    pub fn input(&self) -> Style {
        Style::default().add_modifier(Modifier::UNDERLINED)
    }

    /// An input field's style, by whether the caret is in it.
    pub fn input_for(&self, focused: bool) -> Style {
        if focused {
            self.focused_input()
        } else {
            self.input()
        }
    }

    pub fn focused_label(&self) -> Style {
        Style::default()
            .fg(Color::Yellow)
            .add_modifier(Modifier::BOLD)
    }

    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    pub fn error(&self) -> Style {
        Style::default()
            .fg(Color::LightRed)
            .add_modifier(Modifier::BOLD)
    }

    pub fn ok(&self) -> Style {
        Style::default().fg(Color::LightGreen)
    }

    pub fn warn(&self) -> Style {
        Style::default().fg(Color::Yellow)
    }

    /// 四色管理: red, orange (magenta: there is no orange among 16 colours), yellow, blue.
    pub fn grade(&self, grade: KeyGrade) -> Style {
        let colour = match grade {
            KeyGrade::A => Color::LightRed,
            KeyGrade::B => Color::LightMagenta,
            KeyGrade::C => Color::Yellow,
            KeyGrade::D => Color::LightBlue,
        };
        Style::default().fg(colour).add_modifier(Modifier::BOLD)
    }

    /// A deadline tier: red when late, yellow when nearly due, plain otherwise.
    pub fn tier(&self, tier: Option<Tier>) -> Style {
        match tier {
            Some(Tier::Overdue | Tier::SeriouslyOverdue) => self.error(),
            Some(Tier::Warning) => self.warn(),
            None => self.text(),
        }
    }
}
