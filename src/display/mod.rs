//! The hall's wall screen (叫号大屏): the tickets being called and the desk each
//! goes to, the waiting count per department. Read-only; it logs in with a
//! display account, which may read the queue and nothing else, and refetches the
//! queue whenever the hall publishes an event.

/// Also used by the desk's ticket popup.
pub mod big;
mod board;

use std::io;
use std::sync::Arc;
use std::time::Duration;

use crossbeam_channel::{select, unbounded, Receiver};
use ratatui::crossterm::event::{self, Event as TermEvent, KeyCode, KeyEventKind, KeyModifiers};

pub use board::{view, Board};

use crate::domain::officer::Role;
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
    // An unattended screen must not hold a session that can do more than read the queue.
    if session.officer.role != Role::Display {
        let _ = hall.logout(&session.token);
        return Err(io::Error::other(format!(
            "账号“{username}”的角色是{}，大屏只能用“大屏”角色的账号登录",
            session.officer.role.label()
        )));
    }
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
                let burst = std::iter::once(first).chain(events.try_iter());
                on_events(&*hall, &session, &mut board, burst.map(|e| e.kind));
            },
            default(SLOW_REFRESH) => refresh(&*hall, &session, &mut board),
        }
    }
    let _ = hall.logout(&session.token);
    Ok(())
}

/// One refetch for a burst of events; none while the link is down.
fn on_events(
    hall: &dyn Hall,
    session: &Session,
    board: &mut Board,
    kinds: impl Iterator<Item = EventKind>,
) {
    let offline = kinds.fold(false, |offline, kind| match kind {
        EventKind::Connection { online } => !online,
        _ => offline,
    });
    if offline {
        board.online = false;
    } else {
        refresh(hall, session, board);
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::HallConfig;
    use crate::domain::department::DeptCode;
    use crate::domain::matter::Category;
    use crate::domain::registration::{MatterChoice, NewMatter, RegistrationInput};
    use crate::domain::visit::Channel;
    use crate::hall::clock::SystemClock;
    use crate::hall::{LocalHall, NewOfficer};

    fn account(username: &str, role: Role) -> NewOfficer {
        NewOfficer {
            username: username.into(),
            display_name: "测试".into(),
            role,
            department: DeptCode::new("rs"),
            password: "long enough 1".into(),
        }
    }

    fn waiting_in_rs(board: &Board) -> usize {
        let queue = board.queue.as_ref().expect("queue fetched");
        let rs = queue
            .departments
            .iter()
            .find(|d| d.department.code.as_str() == "rs");
        rs.map_or(0, |d| d.waiting.len())
    }

    #[test]
    fn only_display_accounts_may_run_the_board() {
        let hall = LocalHall::temporary(HallConfig::embedded(), Box::new(SystemClock)).unwrap();
        hall.add_officer_direct(&account("rs1", Role::Window))
            .unwrap();
        // Refused before the terminal is touched.
        let err = run_display(Arc::new(hall), "rs1", "long enough 1").unwrap_err();
        assert!(err.to_string().contains("大屏"), "{err}");
    }

    #[test]
    fn the_board_follows_the_hall_events() {
        let hall = LocalHall::temporary(HallConfig::embedded(), Box::new(SystemClock)).unwrap();
        hall.add_officer_direct(&account("screen", Role::Display))
            .unwrap();
        hall.add_officer_direct(&account("rs1", Role::Window))
            .unwrap();
        let screen = hall.login("screen", "long enough 1", "大屏").unwrap();
        let desk = hall.login("rs1", "long enough 1", "").unwrap();
        let events = hall.subscribe();
        let mut board = Board::new("大厅".into());
        refresh(&hall, &screen, &mut board);
        assert_eq!(waiting_in_rs(&board), 0);

        let input = RegistrationInput {
            visitor: None,
            id_number: String::new(),
            no_document: true,
            name: "王五".into(),
            phone: String::new(),
            address: String::new(),
            channel: Channel::Walkin,
            headcount: 1,
            representatives: vec![],
            matter: MatterChoice::New(NewMatter {
                category: Category::Claim,
                content_class: "劳动社保".into(),
                place: "东城区".into(),
                summary: "拖欠工资".into(),
                demands: String::new(),
                accused: String::new(),
                accused_department: None,
            }),
            department: DeptCode::new("rs"),
            facts: Default::default(),
        };
        hall.register(&desk.token, input).unwrap();
        on_events(
            &hall,
            &screen,
            &mut board,
            events.try_iter().map(|e| e.kind),
        );
        assert_eq!(waiting_in_rs(&board), 1);

        // Link down: keep what was shown, flag it, do not refetch.
        hall.call_next(&desk.token).unwrap();
        let down = [EventKind::Connection { online: false }];
        on_events(&hall, &screen, &mut board, down.into_iter());
        assert!(!board.online);
        assert_eq!(waiting_in_rs(&board), 1);
        on_events(
            &hall,
            &screen,
            &mut board,
            events.try_iter().map(|e| e.kind),
        );
        assert!(board.online);
        assert_eq!(waiting_in_rs(&board), 0);
        assert_eq!(board.problem, None);
    }
}
