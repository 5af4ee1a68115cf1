//! The desk: keyboard-driven screens over any [`Hall`].
//!
//! One loop blocks on a channel of [`event::AppEvent`]s fed by an input thread,
//! the hall's event stream, a worker that runs hall requests, and a slow timer;
//! it redraws only when an event changed something. Screens never call the
//! hall themselves (see [`jobs`]), so a slow lookup never blocks typing.

pub mod app;
pub mod component;
pub mod event;
pub mod jobs;
pub mod screens;
pub mod theme;
pub mod widgets;

use std::io;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use crossbeam_channel::{select, tick, unbounded, Receiver, Sender};
use ratatui::crossterm::event::{self as term_event, Event as TermEvent, KeyEventKind};
use ratatui::crossterm::{cursor, execute};

use self::app::App;
use self::event::AppEvent;
use self::jobs::{Reply, Request};
use crate::domain::time::Timestamp;
use crate::hall::Hall;

/// How often waiting minutes on the board are brought up to date.
const TICK: Duration = Duration::from_secs(30);

/// How a desk was started, from the command line and the config.
#[derive(Clone, Debug, Default)]
pub struct DeskOptions {
    /// Draw borders with `+ - |` for terminals that draw box characters double-width.
    pub ascii_borders: bool,
    /// The desk's name (`人社-1号窗口`); empty lets the hall derive one from the officer.
    pub desk: String,
    /// Where the desk writes the notices it prints.
    pub notice_dir: std::path::PathBuf,
    /// Where the export dialog proposes to write ledger files; the desk's own machine.
    pub export_dir: std::path::PathBuf,
    /// Idle minutes before the desk locks its screen; 0 never.
    pub lock_after_minutes: u32,
}

/// Runs the desk until the officer quits; the terminal is restored on every exit path.
pub fn run_desk(hall: Arc<dyn Hall>, options: DeskOptions) -> io::Result<()> {
    let info = hall.info().map_err(io::Error::other)?;
    let tz = chrono::FixedOffset::east_opt(info.utc_offset_seconds)
        .ok_or_else(|| io::Error::other("大厅时区设置无效"))?;
    let today = Timestamp::now().local_date(tz);
    let mut app = App::new(info, options.ascii_borders, options.desk.clone(), today);
    app.ctx.notice_dir = options.notice_dir.clone();
    app.ctx.export_dir = options.export_dir.clone();
    app.set_lock_after(options.lock_after_minutes);

    // ratatui installs a panic hook that restores the terminal before the message prints.
    let mut terminal = ratatui::try_init()?;
    let result = run_loop(&mut terminal, &mut app, Arc::clone(&hall));
    ratatui::restore();
    let _ = execute!(io::stdout(), cursor::Show);
    // Ends the session in the hall (over the network it would otherwise linger).
    if let Some(session) = &app.ctx.session {
        if let Err(e) = hall.logout(&session.token) {
            tracing::warn!("退出登录失败：{e}");
        }
    }
    result
}

fn run_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    hall: Arc<dyn Hall>,
) -> io::Result<()> {
    let (events_tx, events) = unbounded::<AppEvent>();
    let (requests_tx, requests) = unbounded::<Request>();
    let (replies_tx, replies) = unbounded::<Reply>();
    spawn_input(events_tx.clone());
    spawn_hall_events(hall.subscribe(), events_tx);
    {
        let hall = Arc::clone(&hall);
        let replies_tx = replies_tx.clone();
        thread::Builder::new()
            .name("desk-worker".into())
            .spawn(move || jobs::work(hall.as_ref(), requests, replies_tx))?;
    }
    let ticks = tick(TICK);

    terminal.draw(|f| app.draw(f))?;
    loop {
        let first = select! {
            recv(events) -> e => match e {
                Ok(e) => e,
                Err(_) => return Ok(()),
            },
            recv(replies) -> r => match r {
                Ok(r) => AppEvent::Reply(r),
                Err(_) => return Err(io::Error::other("后台线程意外退出")),
            },
            recv(ticks) -> _ => AppEvent::Tick,
        };
        // Drain what else is ready, so a burst costs one redraw.
        let mut changed = app.update(first);
        let more: Vec<AppEvent> = events
            .try_iter()
            .chain(replies.try_iter().map(AppEvent::Reply))
            .collect();
        for e in more {
            changed |= app.update(e);
        }
        for request in app.take_requests() {
            // An export takes seconds: the worker stays free for lookups and the queue.
            if matches!(request.job, jobs::Job::Export { .. }) {
                jobs::spawn_export(Arc::clone(&hall), request, replies_tx.clone())?;
                continue;
            }
            requests_tx
                .send(request)
                .map_err(|_| io::Error::other("后台线程意外退出"))?;
        }
        if app.should_quit() {
            return Ok(());
        }
        if changed {
            terminal.draw(|f| app.draw(f))?;
        }
    }
}

fn spawn_input(tx: Sender<AppEvent>) {
    let _ = thread::Builder::new()
        .name("desk-input".into())
        .spawn(move || loop {
            let event = match term_event::read() {
                Ok(TermEvent::Key(k)) if k.kind != KeyEventKind::Release => AppEvent::Key(k),
                Ok(TermEvent::Resize(..)) => AppEvent::Resize,
                Ok(_) => continue,
                Err(e) => {
                    tracing::error!("读取键盘输入失败：{e}");
                    let _ = tx.send(AppEvent::InputLost);
                    return;
                }
            };
            if tx.send(event).is_err() {
                return;
            }
        });
}

fn spawn_hall_events(rx: Receiver<crate::hall::Event>, tx: Sender<AppEvent>) {
    let _ = thread::Builder::new()
        .name("desk-hall-events".into())
        .spawn(move || {
            for e in rx {
                if tx.send(AppEvent::Hall(e)).is_err() {
                    return;
                }
            }
            let _ = tx.send(AppEvent::HallEventsEnded);
        });
}
