//! The hall's wall screen (叫号大屏): the tickets being called and the desk each
//! goes to, the waiting count per department. Read-only; it logs in with a
//! display account, which may read the queue and nothing else, and refetches the
//! queue whenever the hall publishes an event.

mod big;
mod board;

use std::io;
use std::sync::Arc;
use std::time::Duration;

use crossbeam_channel::{select, unbounded, Receiver};
use ratatui::crossterm::event::{self, Event as TermEvent, KeyCode, KeyEventKind, KeyModifiers};

pub use board::{view, Board};

use crate::hall::{EventKind, Hall, HallError, HallExt, Session};

/// Refetch now and then even without events, in case one was missed.
const SLOW_REFRESH: Duration = Duration::from_secs(30);

fn to_io(e: HallError) -> io::Error {
    io::Error::other(e.to_string())
}

/// Runs the wall screen until Esc, F10 or Ctrl+C; the terminal is restored on every exit path.
pub fn run_display(hall: Arc<dyn Hall>, username: &str, password: &str) -> io::Result<()> {
    let info = hall.info().map_err(to_io)?;
    let session = hall.login(username, password, "大屏").map_err(to_io)?;
    let events = hall.subscribe();
    let mut board = Board::new(info.name);
    refresh(&*hall, &session, &mut board);

    let mut terminal = ratatui::try_init()?;
    // Restores the terminal however this function ends.
    struct Restore;
    impl Drop for Restore {
        fn drop(&mut self) {
            ratatui::restore();
        }
    }
    let _restore = Restore;
    let keys = spawn_input()?;
    loop {
        terminal.draw(|f| view(&board, f))?;
        select! {
            recv(keys) -> key => match key {
                Ok(Some(key)) if quits(&key) => break,
                Ok(_) => {} // another key or a resize: redraw
                Err(_) => break,
            },
            recv(events) -> event => {
                let Ok(first) = event else { break };
                // One refetch for a burst of events.
                let all = std::iter::once(first).chain(events.try_iter());
                if all.fold(false, |offline, e| match e.kind {
                    EventKind::Connection { online } => !online,
                    _ => offline,
                }) {
                    board.online = false;
                } else {
                    refresh(&*hall, &session, &mut board);
                }
            },
            default(SLOW_REFRESH) => refresh(&*hall, &session, &mut board),
        }
    }
    let _ = hall.logout(&session.token);
    Ok(())
}

fn refresh(hall: &dyn Hall, session: &Session, board: &mut Board) {
    match hall.queue(&session.token) {
        Ok(queue) => {
            board.queue = Some(queue);
            board.online = true;
            board.problem = None;
        }
        Err(HallError::Unavailable(_)) => board.online = false,
        Err(e) => board.problem = Some(e.to_string()),
    }
}

fn quits(key: &event::KeyEvent) -> bool {
    key.kind == KeyEventKind::Press
        && (matches!(key.code, KeyCode::Esc | KeyCode::F(10))
            || key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c'))
}

/// Key presses (`Some`) and resizes (`None`) from a reader thread.
fn spawn_input() -> io::Result<Receiver<Option<event::KeyEvent>>> {
    let (tx, rx) = unbounded();
    std::thread::Builder::new()
        .name("display-input".into())
        .spawn(move || loop {
            let item = match event::read() {
                Ok(TermEvent::Key(key)) => Some(key),
                Ok(TermEvent::Resize(..)) => None,
                Ok(_) => continue,
                Err(_) => return,
            };
            if tx.send(item).is_err() {
                return;
            }
        })?;
    Ok(rx)
}
