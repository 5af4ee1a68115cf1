//! What every screen is: it takes keys, says which keys work now, and draws
//! itself from its state. The status line and the F1 help are built from
//! [`Component::commands`], so a hint can never list a key that does nothing.

use chrono::{FixedOffset, NaiveDate};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::Frame;

use super::jobs::{Job, Outbox, Slot};
use super::theme::Theme;
use crate::domain::department::{Department, DeptCode};
use crate::domain::time::Timestamp;
use crate::hall::{Command, HallInfo, Query, QueueView, Session};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Consumed {
    Yes,
    No,
}

/// One key and what it does here, in Chinese: `F5 叫号`. F1 lists every key of
/// the screen; the status line only those that work now and are not `quiet`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyHint {
    pub key: &'static str,
    pub label: &'static str,
    pub enabled: bool,
    /// A secondary key: in the F1 help, not in the crowded status line.
    pub quiet: bool,
}

pub const fn hint(key: &'static str, label: &'static str) -> KeyHint {
    KeyHint {
        key,
        label,
        enabled: true,
        quiet: false,
    }
}

impl KeyHint {
    /// The key works only when `cond` holds.
    pub const fn when(self, cond: bool) -> KeyHint {
        KeyHint {
            enabled: cond,
            ..self
        }
    }

    pub const fn quiet(self) -> KeyHint {
        KeyHint {
            quiet: true,
            ..self
        }
    }

    pub fn in_status_line(&self) -> bool {
        self.enabled && !self.quiet
    }
}

/// A line the officer should read: an error in red, or a confirmation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    Info(String),
    Error(String),
}

/// What screens share: the hall's facts, the session, the queue, the outbox.
pub struct Ctx {
    pub info: HallInfo,
    pub session: Option<Session>,
    pub queue: Option<QueueView>,
    pub outbox: Outbox,
    pub notice: Option<Notice>,
    pub theme: Theme,
    /// The day birth dates are checked against (the service checks again with its clock).
    pub today: NaiveDate,
    /// Asked for by the desk's command line; empty lets the hall name the desk.
    pub desk_name: String,
    /// Where written notices (告知书) are saved for printing; the desk's own machine.
    pub notice_dir: std::path::PathBuf,
    /// Where ledger exports go unless the officer names another folder.
    pub export_dir: std::path::PathBuf,
}

impl Ctx {
    pub fn tz(&self) -> FixedOffset {
        FixedOffset::east_opt(self.info.utc_offset_seconds)
            .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset is valid"))
    }

    pub fn time(&self, t: Timestamp) -> String {
        t.format(self.tz())
    }

    pub fn date(&self, t: Timestamp) -> String {
        t.format_date(self.tz())
    }

    /// `09:30`: for things that happened today.
    pub fn clock(&self, t: Timestamp) -> String {
        t.local(self.tz()).format("%H:%M").to_string()
    }

    pub fn department(&self, code: &DeptCode) -> Option<&Department> {
        self.info.departments.iter().find(|d| &d.code == code)
    }

    /// The short name printed on tickets (`人社`), or the code if unknown.
    pub fn dept_short(&self, code: &DeptCode) -> String {
        self.department(code)
            .map(|d| d.ticket_prefix.clone())
            .unwrap_or_else(|| code.to_string())
    }

    pub fn query(&mut self, slot: Slot, query: Query) {
        if let Some(s) = &self.session {
            let job = Job::Query(s.token.clone(), query);
            self.outbox.post(slot, job);
        }
    }

    pub fn command(&mut self, slot: Slot, command: Command) {
        if let Some(s) = &self.session {
            let job = Job::Command(s.token.clone(), command);
            self.outbox.post(slot, job);
        }
    }

    /// Whether the logged-in officer's role may do an action: screens offer only what works.
    pub fn may(&self, action: crate::hall::Action) -> bool {
        self.session
            .as_ref()
            .is_some_and(|s| crate::hall::role_may(s.officer.role, action))
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice::Error(text.into()));
    }

    pub fn info_notice(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice::Info(text.into()));
    }
}

pub trait Component {
    fn event(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Consumed;
    /// Every key of this screen, most important first, marked with whether it
    /// works in the current state.
    fn commands(&self) -> Vec<KeyHint>;
    fn draw(&self, f: &mut Frame, area: Rect, ctx: &Ctx);
}

pub fn is_ctrl(key: &KeyEvent, c: char) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char(c)
}

/// Save / confirm: F6 everywhere, Ctrl-S as well where the terminal lets it through.
pub fn is_submit(key: &KeyEvent) -> bool {
    key.code == KeyCode::F(6) || is_ctrl(key, 's')
}

pub fn is_back_tab(key: &KeyEvent) -> bool {
    key.code == KeyCode::BackTab
        || (key.code == KeyCode::Tab && key.modifiers.contains(KeyModifiers::SHIFT))
}
